"""Feedback: a session's results (and asking those who came), a program's results
across its sessions, and the family's three questions on their personal link."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tandem.accounts.access import public, staff
from tandem.accounts.permissions import Action
from tandem.messaging.forms import add_service_errors
from tandem.programs.feedback import (
    MAX_COMMENT_CHARS,
    QUESTIONS,
    AlreadyGiven,
    Scale,
    give_feedback,
    program_results,
    request_feedback,
)
from tandem.programs.models import Attendance, FeedbackResponse, Program
from tandem.programs.services import check, local
from tandem.programs.views.assignments import access_session, open_invitation

RUN = Action.RUN_PROGRAMS


def access_program(user, pk: int) -> Program:
    """The program if `user` may run programs at all its schools; 404 otherwise."""
    program = Program.objects.select_related("organization").filter(pk=pk).first()
    if program is None:
        raise Http404
    try:
        check(user, program)
    except PermissionDenied as outside:
        raise Http404 from outside
    return program


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    error = ""
    if request.method == "POST":
        language = (session.program.languages or ["en"])[0]
        try:
            request_feedback(actor=request.user, session=session, language=language)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        except PermissionDenied:
            error = _("You may not write to the families who came to this session.")
        else:
            messages.success(
                request,
                _(
                    "The questions are on their way to those who came, each in their language "
                    "once its translation is ready."
                ),
            )
            return redirect("programs:session-feedback", pk=session.pk)
    results = program_results(session.program).for_session(session)
    context = {
        "session": session,
        "results": results,
        "error": error,
        "waiting": Attendance.objects.filter(
            session=session, caregiver__isnull=False, feedback_given=False
        ).count(),
    }
    return render(request, "programs/feedback/session.html", context, status=400 if error else 200)


@staff(RUN)
@require_GET
def program_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    program = access_program(request.user, pk)
    return render(
        request,
        "programs/feedback/program.html",
        {"program": program, "results": program_results(program)},
    )


# The family's questions.


def _scale_field(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=FeedbackResponse._meta.get_field(name).verbose_name,
        choices=[
            (Scale.YES, Scale.YES.label),
            (Scale.SOMEWHAT, Scale.SOMEWHAT.label),
            (Scale.NO, Scale.NO.label),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class FeedbackForm(forms.Form):
    felt_welcome = _scale_field("felt_welcome")
    learned_something = _scale_field("learned_something")
    would_come_again = _scale_field("would_come_again")
    comment = forms.CharField(
        label=gettext_lazy("Anything else you would like to tell us?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _(
            "In any language. Please do not write names. At most %(limit)s characters."
        ) % {"limit": MAX_COMMENT_CHARS}


@public
@never_cache
@require_http_methods(["GET", "POST"])
def family_feedback(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation(request, token)
    if invitation is None:
        return render(request, "programs/feedback/invalid.html", status=404)
    session = invitation.session
    context = {"session": session, "day": local(session).date()}
    attendance = Attendance.objects.filter(session=session, caregiver=invitation.caregiver).first()
    if attendance is None:
        return render(request, "programs/feedback/not_attended.html", context, status=403)
    attendance.session = session
    if attendance.feedback_given:
        return render(request, "programs/feedback/already.html", context)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            give_feedback(attendance=attendance, **form.cleaned_data)
        except AlreadyGiven:
            return render(request, "programs/feedback/already.html", context)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            return render(request, "programs/feedback/thanks.html", context)
    context |= {"form": form, "token": token, "questions": [form[name] for name in QUESTIONS]}
    return render(
        request, "programs/feedback/family.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("sessions/<int:pk>/feedback/", session_feedback, name="session-feedback"),
    path("<int:pk>/feedback/", program_feedback, name="program-feedback"),
]
family_urlpatterns = [
    path("<str:token>/feedback/", family_feedback, name="feedback"),
]
