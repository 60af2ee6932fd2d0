"""Staff pages for a session's invitations: inviting families (a school, a grade or a
saved list, with how many the message will reach), the answers with their needs and
channel, an answer taken on the phone, the needs summary for planners, and the
session's calendar file and a calendar feed of every session the user may run.

Views are thin: the session is found with `selectors.access_session` (404 outside the
user's scope); `invitations` decides and records.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tandem.accounts.access import public, staff
from tandem.accounts.models import User
from tandem.accounts.permissions import Action, can
from tandem.accounts.scopes import visible_caregivers, visible_schools
from tandem.directory.languages import language_name
from tandem.directory.models import Caregiver
from tandem.directory.selectors import DirectoryFilters, caregivers_for_directory
from tandem.messaging.audiences import recipient_rows
from tandem.messaging.forms import add_service_errors
from tandem.messaging.models import Delivery, Message
from tandem.messaging.saved_lists import lists_to_message
from tandem.programs import calendar
from tandem.programs.forms import SchoolChoiceField, WallClockDateTimeField
from tandem.programs.invitations import (
    AnswersClosed,
    accepting_answers,
    closed_message,
    invitation_for_caregiver,
    invite_to_session,
    record_rsvp,
)
from tandem.programs.models import Invitation, Session
from tandem.programs.needs import needs_summary
from tandem.programs.selectors import access_session
from tandem.programs.services import session_zone
from tandem.programs.views.family import AnswerForm, initial_answer

RUN = Action.RUN_PROGRAMS
Audience = Message.Audience
PER_PAGE = 50
FOUND_AT_MOST = 20


class SavedListChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, saved) -> str:
        return _("%(name)s (%(count)s households)") % {"name": saved.name, "count": saved.size}


class InviteForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("Who to invite"),
        choices=[
            (Audience.SCHOOL, gettext_lazy("A school's families")),
            (Audience.GRADE, gettext_lazy("One grade at a school")),
            (Audience.LIST, gettext_lazy("A saved list of households")),
        ],
        initial=Audience.SCHOOL,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose who to invite.")},
    )
    school = SchoolChoiceField(
        label=gettext_lazy("School"), queryset=None, required=False, empty_label=None
    )
    grade = forms.CharField(
        label=gettext_lazy("Grade"),
        required=False,
        max_length=8,
        help_text=gettext_lazy("As in the roster: for example K, 03 or 07."),
    )
    saved_list = SavedListChoiceField(
        label=gettext_lazy("Saved list"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Choose a list"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Written in"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy(
            "Tandem writes the invitation; each family receives it in its own language."
        ),
    )
    send_at = WallClockDateTimeField(
        label=gettext_lazy("Send at (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Leave it empty to send now (texts wait for the end of quiet hours)."
        ),
    )

    def __init__(self, *args, schools, saved_lists, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["saved_list"].queryset = saved_lists

    def audience_kwargs(self) -> dict:
        """What `invite_to_session` and the reach count need, from the cleaned data."""
        data = self.cleaned_data
        audience = data["audience"]
        return {
            "audience": audience,
            "school": data.get("school") if audience != Audience.LIST else None,
            "grade": (data.get("grade") or "").strip() if audience == Audience.GRADE else "",
            "saved_list": data.get("saved_list") if audience == Audience.LIST else None,
        }


class PhoneAnswerForm(AnswerForm):
    """An answer taken on the phone for one caregiver."""

    caregiver = forms.IntegerField(widget=forms.HiddenInput)


def reach(user, session: Session, audience: dict) -> dict[str, int]:
    """How many caregivers the invitation would reach, per channel (one query)."""
    if audience["audience"] in (Audience.SCHOOL, Audience.GRADE) and audience["school"] is None:
        return {}
    if audience["audience"] == Audience.LIST and audience["saved_list"] is None:
        return {}
    draft = Message(organization=session.program.organization, author=user, **audience)
    rows = recipient_rows(draft).values("channel").annotate(n=Count("pk")).order_by()
    return {row["channel"]: row["n"] for row in rows}


def _reach_lines(counts: dict[str, int]) -> list[tuple[str, int]]:
    labels = dict(Delivery.Channel.choices)
    return [(labels[channel], counts[channel]) for channel in labels if counts.get(channel)]


def _invite_form(request: HttpRequest, session: Session, data=None) -> InviteForm:
    organization = session.program.organization
    schools = (
        visible_schools(request.user, Action.SEND_MESSAGES)
        .filter(organization=organization)
        .order_by("name")
    )
    saved_lists = lists_to_message(request.user).filter(organization=organization)
    initial = {
        "audience": Audience.SCHOOL,
        "school": session.school_id,
        "language": request.LANGUAGE_CODE,
    }
    return InviteForm(data, schools=schools, saved_lists=saved_lists, initial=initial)


@staff(RUN)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the form and, for the audience chosen ("How many will it reach?"), the
    count; POST sends."""
    session = access_session(request.user, pk)
    zone = session_zone(session)
    status = 200
    counts = None
    if request.method == "POST":
        form = _invite_form(request, session, request.POST)
        if form.is_valid():
            send_at = form.cleaned_data["send_at"]
            try:
                message = invite_to_session(
                    actor=request.user,
                    session=session,
                    language=form.cleaned_data["language"],
                    send_at=timezone.make_aware(send_at, zone) if send_at else None,
                    **form.audience_kwargs(),
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            except PermissionDenied:
                form.add_error(None, _("You may not write to these families."))
            else:
                if message.status == Message.Status.AWAITING_REVIEW:
                    messages.success(
                        request,
                        _(
                            "The invitation will go out once its translations are "
                            "reviewed, in the translation queue."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("The invitation is on its way to %(count)s caregivers.")
                        % {"count": message.recipients},
                    )
                return redirect("programs:session-rsvps", session.pk)
        status = 400
    elif "audience" in request.GET:
        form = _invite_form(request, session, request.GET)
        if form.is_valid():
            counts = reach(request.user, session, form.audience_kwargs())
    else:
        form = _invite_form(request, session)
        schools = form.fields["school"].queryset
        if session.school_id and schools.filter(pk=session.school_id).exists():
            default = {"audience": Audience.SCHOOL, "school": session.school, "grade": ""}
            counts = reach(request.user, session, default | {"saved_list": None})
    context = {
        "session": session,
        "program": session.program,
        "form": form,
        "zone": zone,
        "accepting": accepting_answers(session),
        "closed_message": closed_message(session),
        "reach": None if counts is None else _reach_lines(counts),
        "reach_total": sum((counts or {}).values()),
        "invited": Invitation.objects.filter(session=session).count(),
    }
    return render(request, "programs/invitations/invite.html", context, status=status)


def _caregiver_in_scope(user, session: Session, caregiver_id) -> Caregiver | None:
    if not str(caregiver_id or "").isdigit():
        return None
    return (
        visible_caregivers(user, RUN)
        .filter(pk=int(caregiver_id), organization_id=session.program.organization_id)
        .first()
    )


def _phone_form(data, session: Session, caregiver: Caregiver) -> PhoneAnswerForm:
    invitation = Invitation.objects.filter(session=session, caregiver=caregiver).first()
    initial = {"caregiver": caregiver.pk}
    if invitation is not None:
        initial |= initial_answer(invitation)
    return PhoneAnswerForm(data, session=session, initial=initial)


def _record_phone_answer(
    request: HttpRequest, session: Session, caregiver: Caregiver, form: PhoneAnswerForm
) -> bool:
    """Record the answer the form holds; False (with the errors on the form) if refused."""
    if not form.is_valid():
        return False
    if not accepting_answers(session):
        form.add_error(None, closed_message(session))
        return False
    try:
        answered = record_rsvp(
            invitation=invitation_for_caregiver(session, caregiver),
            coming=form.coming,
            channel=Invitation.Channel.PHONE,
            needs=form.needs() if form.coming else None,
            actor=request.user,
        )
    except AnswersClosed as closed:
        form.add_error(None, closed.messages[0])
        return False
    except ValidationError as invalid:
        add_service_errors(form, invalid)
        return False
    messages.success(
        request,
        _("%(name)s's answer is recorded: %(answer)s.")
        % {"name": caregiver.full_name, "answer": answered.get_response_display()},
    )
    return True


@staff(RUN)
@require_http_methods(["GET", "POST"])
def rsvps(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited families with their answers and needs; search the directory and
    record an answer taken on the phone."""
    user = request.user
    session = access_session(user, pk)
    status = 200
    caregiver = _caregiver_in_scope(
        user, session, request.POST.get("caregiver") or request.GET.get("caregiver")
    )
    phone_form = None
    choose_first = False
    if request.method == "POST" and caregiver is None:
        choose_first, status = True, 400
    elif request.method == "POST":
        phone_form = _phone_form(request.POST, session, caregiver)
        if _record_phone_answer(request, session, caregiver, phone_form):
            return redirect("programs:session-rsvps", session.pk)
        status = 400
    elif caregiver is not None:
        phone_form = _phone_form(None, session, caregiver)

    shown = request.GET.get("answer", "")
    invitations = (
        Invitation.objects.filter(session=session)
        .select_related("caregiver", "recorded_by")
        .order_by("caregiver__family_name", "caregiver__given_name", "id")
    )
    if shown in Invitation.Response.values:
        invitations = invitations.filter(response=shown)
    page = Paginator(invitations, PER_PAGE).get_page(request.GET.get("page"))
    search = (request.GET.get("q") or "").strip()[:100]
    found = []
    if search:
        found = list(
            caregivers_for_directory(user, DirectoryFilters(search=search))
            .filter(
                organization_id=session.program.organization_id,
                pk__in=visible_caregivers(user, RUN).values("pk"),
            )
            .prefetch_related(None)
            .select_related(None)[:FOUND_AT_MOST]
        )
    feed = request.build_absolute_uri(
        reverse("programs:staff-feed", args=[calendar.staff_feed_token(user.pk)])
    )
    context = {
        "session": session,
        "program": session.program,
        "page": page,
        "shown": shown,
        "answers": Invitation.Response.choices,
        "search": search,
        "found": found,
        "caregiver": caregiver,
        "phone_form": phone_form,
        "choose_first": choose_first,
        "accepting": accepting_answers(session),
        "closed_message": closed_message(session),
        "feed": feed,
    }
    return render(request, "programs/invitations/rsvps.html", context, status=status)


@staff(RUN)
@require_GET
def needs(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    summary = needs_summary(session)
    language = request.LANGUAGE_CODE
    context = {
        "session": session,
        "program": session.program,
        "summary": summary,
        "interpreters": [
            (language_name(tag, language), tag, count) for tag, count in summary.interpreters
        ],
    }
    return render(request, "programs/invitations/needs.html", context)


def _ics(content: bytes, filename: str, disposition: str = "attachment") -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@staff(RUN)
@require_GET
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    return _ics(calendar.staff_calendar(request.user, [session]), f"session-{session.pk}.ics")


@public
@never_cache
@require_GET
def staff_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar apps cannot sign in: the signed token names the staff member, whose
    scope is read afresh each time (a membership ended empties the feed)."""
    user_id = calendar.user_id_from(token)
    user = User.objects.filter(pk=user_id if user_id is not None else -1, is_active=True).first()
    if user is None or not can(user, RUN):
        raise Http404
    return _ics(calendar.staff_calendar(user), "program-sessions.ics", disposition="inline")


urlpatterns = [
    path("sessions/<int:pk>/invite/", invite, name="session-invite"),
    path("sessions/<int:pk>/rsvps/", rsvps, name="session-rsvps"),
    path("sessions/<int:pk>/needs/", needs, name="session-needs"),
    path("sessions/<int:pk>/calendar.ics", session_ics, name="session-ics"),
    path("calendar/<str:token>.ics", staff_feed, name="staff-feed"),
]
