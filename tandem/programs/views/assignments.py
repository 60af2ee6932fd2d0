"""Assignments: the session's page where facilitators give an assignment, send it to
those who came, see completion and the stories shared, and record a report someone
told them (an educator at the session, a parent at the door); and the family's page,
opened with their personal link, to say done or not yet and what happened."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tandem.accounts.access import public, staff
from tandem.accounts.permissions import Action
from tandem.directory.models import Caregiver, StaffMember
from tandem.messaging.forms import LanguageField, add_service_errors
from tandem.programs.assignments import (
    MAX_ASSIGNMENT_CHARS,
    MAX_STORY_CHARS,
    Channel,
    give_assignment,
    in_language,
    people_who_came,
    progress,
    report_assignment,
    send_assignment,
)
from tandem.programs.invitations import invitation_id_from
from tandem.programs.models import Assignment, AssignmentReport, Attendance, Invitation, Session
from tandem.programs.services import check, local

RUN = Action.RUN_PROGRAMS
GIVE, SEND, REPORT = "give", "send", "report"
DONE, NOT_YET = "done", "not_yet"


def access_session(user, pk: int) -> Session:
    """The session if `user` may run programs where it is held; 404 otherwise."""
    session = Session.objects.select_related("program__organization", "school").filter(pk=pk)
    session = session.first()
    if session is None:
        raise Http404
    try:
        check(user, session)
    except PermissionDenied as outside:
        raise Http404 from outside
    return session


class GiveForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Assignment"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=gettext_lazy(
            "Something to try right away, for example: meet your child's counselor; say "
            "one affirming thing each day and notice the reaction."
        ),
    )
    language = LanguageField()
    report_by = forms.DateField(
        label=gettext_lazy("Report back by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    send_now = forms.BooleanField(
        label=gettext_lazy("Send it now to those who came"), required=False, initial=True
    )


class DoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[(DONE, gettext_lazy("Done")), (NOT_YET, gettext_lazy("Not yet"))],
            widget=forms.RadioSelect,
            error_messages={"required": gettext_lazy("Say whether it is done or not yet.")},
            **kwargs,
        )


class StaffReportForm(forms.Form):
    """A report someone told the facilitator: who (someone who came), done or not."""

    assignment = forms.TypedChoiceField(label=gettext_lazy("Assignment"), coerce=int)
    person = forms.ChoiceField(label=gettext_lazy("Who"))
    done = DoneField(label=gettext_lazy("Did they do it?"))
    story = forms.CharField(
        label=gettext_lazy("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )

    def __init__(self, *args, assignments, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [(a.pk, a.text[:80]) for a in assignments]
        self.fields["person"].choices = [("", "—"), *people]


def _people(session: Session) -> list[tuple[str, str]]:
    """Those who came and can report: ("c<id>" or "s<id>", name and role)."""
    rows = (
        people_who_came(session)
        .select_related("caregiver", "staff")
        .order_by("caregiver__family_name", "staff__family_name", "id")
    )
    return [
        (
            f"c{row.caregiver_id}" if row.caregiver_id else f"s{row.staff_id}",
            f"{row.caregiver.full_name if row.caregiver_id else row.staff} · "
            f"{row.get_role_display()}",
        )
        for row in rows
    ]


def _person(session: Session, value: str) -> dict:
    """The caregiver or staff member chosen, among those who came."""
    kind, number = value[:1], value[1:]
    if kind == "c" and number.isdigit():
        found = Caregiver.objects.filter(pk=number, program_attendance__session=session).first()
        return {"caregiver": found} if found else {}
    if kind == "s" and number.isdigit():
        came = Attendance.objects.filter(session=session, staff_id=number).values("staff_id")
        found = StaffMember.objects.filter(pk__in=came).first()
        return {"staff": found} if found else {}
    return {}


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    assignments = list(Assignment.objects.filter(session=session).order_by("created_at", "id"))
    people = _people(session)
    give_form = GiveForm(
        initial={"language": (session.languages or session.program.languages or ["en"])[0]}
    )
    report_form = StaffReportForm(assignments=assignments, people=people)
    error = ""
    action = request.POST.get("do") if request.method == "POST" else None
    if action == GIVE:
        give_form = GiveForm(request.POST)
        if give_form.is_valid():
            data = give_form.cleaned_data
            try:
                assignment = give_assignment(
                    actor=request.user,
                    session=session,
                    text=data["text"],
                    language=data["language"],
                    report_by=data["report_by"],
                )
            except ValidationError as invalid:
                add_service_errors(give_form, invalid)
            else:
                messages.success(request, _("The assignment is saved."))
                if data["send_now"]:
                    return _send(request, assignment)
                return redirect("programs:session-assignments", pk=session.pk)
    elif action == SEND:
        value = request.POST.get("assignment", "")
        chosen = next((a for a in assignments if str(a.pk) == value), None)
        if chosen is None:
            error = _("Choose an assignment of this session to send.")
        else:
            chosen.session = session
            return _send(request, chosen)
    elif action == REPORT:
        report_form = StaffReportForm(request.POST, assignments=assignments, people=people)
        if report_form.is_valid():
            data = report_form.cleaned_data
            person = _person(session, data["person"])
            chosen = next(a for a in assignments if a.pk == data["assignment"])
            chosen.session = session
            try:
                if not person:
                    raise ValidationError({"person": _("Choose someone who came.")})
                report_assignment(
                    assignment=chosen,
                    done=data["done"] == DONE,
                    story=data["story"],
                    channel=Channel.STAFF,
                    actor=request.user,
                    **person,
                )
            except ValidationError as invalid:
                add_service_errors(report_form, invalid)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("programs:session-assignments", pk=session.pk)
    elif request.method == "POST":
        error = _("Choose what to do: give, send or record a report.")
    failed = bool(error or give_form.errors or report_form.errors)
    context = {
        "session": session,
        "progress": progress(session),
        "give_form": give_form,
        "report_form": report_form,
        "has_people": bool(people),
        "error": error,
        "max_chars": MAX_ASSIGNMENT_CHARS,
    }
    return render(
        request, "programs/assignments/session.html", context, status=400 if failed else 200
    )


def _send(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    try:
        send_assignment(actor=request.user, assignment=assignment)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    except PermissionDenied:
        messages.error(request, _("You may not write to the families who came to this session."))
    else:
        messages.success(
            request,
            _(
                "The assignment is on its way to those who came, each in their language "
                "once its translations are ready."
            ),
        )
    return redirect("programs:session-assignments", pk=assignment.session_id)


# The family's page.


class FamilyReportForm(forms.Form):
    done = DoneField(label=gettext_lazy("Did you do it?"))
    story = forms.CharField(
        label=gettext_lazy("What happened? (if you like)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].choices = [
            (DONE, _("Yes, I did it")),
            (NOT_YET, _("Not yet")),
        ]
        self.fields["story"].help_text = _(
            "Tell us what you did and how it went. At most %(limit)s characters."
        ) % {"limit": MAX_STORY_CHARS}


def open_invitation(request: HttpRequest, token: str) -> Invitation | None:
    """The invitation the link was made for, with the page in the family's language."""
    from tandem.listening.links import speak

    invitation_id = invitation_id_from(token)
    if invitation_id is None:
        return None
    invitation = (
        Invitation.objects.select_related(
            "caregiver", "session__program__organization", "session__school"
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is not None:
        speak(request, invitation.caregiver.preferred_language)
    return invitation


@public
@never_cache
@require_http_methods(["GET", "POST"])
def family_assignment(request: HttpRequest, token: str, assignment_id: int) -> HttpResponse:
    invitation = open_invitation(request, token)
    assignment = (
        Assignment.objects.select_related("message")
        .filter(pk=assignment_id, session_id=invitation.session_id if invitation else -1)
        .first()
    )
    if invitation is None or assignment is None:
        return render(request, "programs/assignments/invalid.html", status=404)
    session = assignment.session = invitation.session
    caregiver = invitation.caregiver
    context = {"session": session, "day": local(session).date()}
    if not Attendance.objects.filter(session=session, caregiver=caregiver).exists():
        return render(request, "programs/assignments/not_attended.html", context, status=403)
    report = AssignmentReport.objects.filter(assignment=assignment, caregiver=caregiver).first()
    initial = {"done": DONE if report.done else NOT_YET, "story": report.story} if report else {}
    form = FamilyReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report_assignment(
                assignment=assignment,
                caregiver=caregiver,
                done=form.cleaned_data["done"] == DONE,
                story=form.cleaned_data["story"],
                channel=Channel.WEB,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Thank you! We have your report."))
            return redirect("join:assignment", token=token, assignment_id=assignment.pk)
    text, language = in_language(assignment, caregiver.preferred_language)
    context |= {
        "assignment": assignment,
        "text": text,
        "text_language": language,
        "translated": language != assignment.language,
        "report": report,
        "form": form,
        "token": token,
    }
    return render(
        request, "programs/assignments/family.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("sessions/<int:pk>/assignments/", session_assignments, name="session-assignments"),
]
family_urlpatterns = [
    path("<str:token>/assignment/<int:assignment_id>/", family_assignment, name="assignment"),
]
