"""A family's invitation page, opened with the personal link from their message, no
account needed: the session (what, when in the session's time zone, where, what is
offered), yes or no with what they need to come, a change of answer until the deadline,
the session for their calendar, and a feed of every session they said yes to.

The link's token is the only key; the page speaks the family's language (unless they
chose another with the switcher). `invitations.record_rsvp` decides and records.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tandem.accounts.access import public
from tandem.directory.languages import autonym
from tandem.directory.models import Caregiver
from tandem.listening.links import speak
from tandem.messaging.forms import add_service_errors
from tandem.programs import calendar
from tandem.programs.attendance_report import has_completed
from tandem.programs.checkin import checkin_url
from tandem.programs.invitations import (
    AnswersClosed,
    accepting_answers,
    closed_message,
    invitation_id_from,
    offers_text,
    record_rsvp,
    when_text,
    where_text,
)
from tandem.programs.models import Invitation, Session
from tandem.programs.services import local
from tandem.programs.topics import BY_KEY

Response = Invitation.Response
YES, NO = "yes", "no"
_AGES = re.compile(r"[\s,;/]+")


class AnswerForm(forms.Form):
    """Coming or not, and (when coming) what the session offers that they need."""

    answer = forms.ChoiceField(
        label=gettext_lazy("Will you come?"),
        choices=[(YES, gettext_lazy("Yes, I will come")), (NO, gettext_lazy("No, I cannot come"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose whether you will come."),
            "invalid_choice": gettext_lazy("Choose whether you will come."),
        },
    )
    childcare_ages = forms.CharField(
        label=gettext_lazy("Ages of the children who need childcare"),
        help_text=gettext_lazy("For example: 3 6. Leave it empty if you do not need childcare."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    needs_ride = forms.BooleanField(label=gettext_lazy("I need a ride"), required=False)
    needs_bus_voucher = forms.BooleanField(
        label=gettext_lazy("I need a bus voucher"), required=False
    )
    interpretation = forms.ChoiceField(
        label=gettext_lazy("I need interpretation into"), required=False
    )
    accessibility = forms.CharField(
        label=gettext_lazy("Anything else we should know to welcome you"),
        help_text=gettext_lazy("For example: wheelchair access, large print, a quiet room."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args, session: Session, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rides = (Session.Transportation.RIDES, Session.Transportation.RIDES_AND_VOUCHERS)
        vouchers = (
            Session.Transportation.BUS_VOUCHERS,
            Session.Transportation.RIDES_AND_VOUCHERS,
        )
        if not session.childcare:
            del self.fields["childcare_ages"]
        if session.transportation not in rides:
            del self.fields["needs_ride"]
        if session.transportation not in vouchers:
            del self.fields["needs_bus_voucher"]
        if session.interpretation:
            self.fields["interpretation"].choices = [("", _("No, thank you"))] + [
                (tag, autonym(tag)) for tag in session.interpretation
            ]
        else:
            del self.fields["interpretation"]

    @property
    def coming(self) -> bool:
        return self.cleaned_data["answer"] == YES

    def needs(self) -> dict:
        """The needs for `record_rsvp` (it checks them)."""
        data = self.cleaned_data
        ages = [age for age in _AGES.split(data.get("childcare_ages", "").strip()) if age]
        return {
            "childcare_ages": ages,
            "needs_ride": data.get("needs_ride", False),
            "needs_bus_voucher": data.get("needs_bus_voucher", False),
            "interpretation": data.get("interpretation", ""),
            "accessibility": data.get("accessibility", ""),
        }


def initial_answer(invitation: Invitation) -> dict:
    initial = {
        "childcare_ages": " ".join(str(age) for age in invitation.childcare_ages),
        "needs_ride": invitation.needs_ride,
        "needs_bus_voucher": invitation.needs_bus_voucher,
        "interpretation": invitation.interpretation,
        "accessibility": invitation.accessibility,
    }
    if invitation.response in (Response.YES, Response.WAITLISTED):
        initial["answer"] = YES
    elif invitation.response == Response.NO:
        initial["answer"] = NO
    return initial


def _open(request: HttpRequest, token: str) -> Invitation | None:
    invitation_id = invitation_id_from(token)
    invitation = (
        Invitation.objects.select_related(
            "session__program__organization", "session__school", "caregiver"
        )
        .filter(pk=invitation_id if invitation_id is not None else -1)
        .first()
    )
    if invitation is not None:
        speak(request, invitation.language)
    return invitation


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/family/invalid.html", status=404)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _open(request, token)
    if invitation is None:
        return _invalid(request)
    session = invitation.session
    open_ = accepting_answers(session)
    form = None
    if open_:
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            session=session,
            initial=initial_answer(invitation),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            record_rsvp(
                invitation=invitation,
                coming=form.coming,
                channel=Invitation.Channel.WEB,
                needs=form.needs() if form.coming else None,
            )
        except AnswersClosed:
            open_, form = False, None
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _saved_message(invitation))
            return redirect("join:invitation", token=token)
    context = {
        "invitation": invitation,
        "session": session,
        "token": token,
        "form": form,
        "accepting": open_,
        "closed_message": "" if open_ else closed_message(session),
        "cancelled": session.status == Session.Status.CANCELLED,
        "topic": BY_KEY[session.topic].name if session.topic in BY_KEY else "",
        "when": when_text(session),
        "where": where_text(session),
        "offers": offers_text(session),
        "coming": invitation.response == Response.YES,
        "online": session.modality != Session.Modality.IN_PERSON,
        "feed_token": calendar.family_feed_token(invitation.caregiver_id),
        "interpretation_name": autonym(invitation.interpretation)
        if invitation.interpretation
        else "",
        "checkin_link": _checkin_link(invitation, token),
        "completed": has_completed(session.program, invitation.caregiver_id),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "programs/family/invitation.html", context, status=status)


def _checkin_link(invitation: Invitation, token: str) -> str:
    """On the day of the session, one tap checks the family in (for those with a place
    who have not checked in yet)."""
    session = invitation.session
    if (
        session.status != Session.Status.SCHEDULED
        or invitation.response != Response.YES
        or local(session, timezone.now()).date() != local(session).date()
        or session.attendance.filter(caregiver_id=invitation.caregiver_id).exists()
    ):
        return ""
    return checkin_url(session.pk, token)


def _saved_message(invitation: Invitation) -> str:
    if invitation.response == Response.YES:
        return _("Thank you! We look forward to seeing you.")
    if invitation.response == Response.WAITLISTED:
        return _(
            "Thank you! The session is full, so you are on the wait list. We will tell "
            "you if a place opens."
        )
    return _("Thank you for letting us know. We hope to see you another time.")


def _ics(content: bytes, filename: str, disposition: str = "attachment") -> HttpResponse:
    """A calendar file; a feed is shown inline, so calendar apps can subscribe to it."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@public
@never_cache
@require_GET
def invitation_ics(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _open(request, token)
    if invitation is None:
        return _invalid(request)
    return _ics(calendar.invitation_calendar(invitation), f"session-{invitation.session_id}.ics")


@public
@never_cache
@require_GET
def family_feed(request: HttpRequest, token: str) -> HttpResponse:
    caregiver_id = calendar.caregiver_id_from(token)
    caregiver = Caregiver.objects.filter(
        pk=caregiver_id if caregiver_id is not None else -1
    ).first()
    if caregiver is None:
        return _invalid(request)
    return _ics(calendar.family_calendar(caregiver), "sessions.ics", disposition="inline")


family_urlpatterns = [
    path("calendar/<str:token>.ics", family_feed, name="family-feed"),
    path("<str:token>/", invitation, name="invitation"),
    path("<str:token>/calendar.ics", invitation_ics, name="invitation-ics"),
]
