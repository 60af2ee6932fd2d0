"""Families' own check-in, no account needed: the page the QR code at the door opens on
their phone ("Your phone number", or one tap when they come from their invitation's
link), and the certificate they download with their invitation link.

The page speaks the phone's language (or the family's, once we know who they are,
unless they chose another with the switcher). A number we do not know gets "see the
staff at the door" and nothing more; wrong numbers from one address are limited."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tandem.accounts.access import public
from tandem.accounts.views import client_address, wait_message
from tandem.listening.links import speak
from tandem.programs.attendance import Method, SessionFull, check_in_caregiver, check_in_refusal
from tandem.programs.certificates import certificate_pdf
from tandem.programs.checkin import (
    TooManyTries,
    UnknownNumber,
    check_in_by_phone,
    invitation_for_checkin,
    session_id_from,
)
from tandem.programs.invitations import invitation_id_from, invitation_token
from tandem.programs.models import Invitation, Session
from tandem.programs.services import session_zone
from tandem.programs.views.attendance import PhoneForm

ME = "me"  # the one-tap button of a family who came from their invitation's link


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/checkin/invalid.html", status=404)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    session_id = session_id_from(token)
    session = (
        Session.objects.select_related("program__organization", "school")
        .filter(pk=session_id if session_id is not None else -1)
        .first()
    )
    if session is None:
        return _invalid(request)
    link = request.POST.get("i") or request.GET.get("i") or ""
    invitation = invitation_for_checkin(session, invitation_id_from(link))
    if invitation is not None:
        speak(request, invitation.language)
    context = {
        "session": session,
        "zone": session_zone(session),
        "token": token,
        "invitation": invitation,
        "link": invitation_token(invitation.pk) if invitation else "",
        "closed": check_in_refusal(session),
    }
    if context["closed"]:
        return render(request, "programs/checkin/checkin.html", context)
    tapped = invitation is not None and ME in request.POST
    form = PhoneForm(None if tapped else request.POST or None)
    status, wait = 200, 0
    if request.method == "POST":
        done, problem, status, wait = _check_in(
            request, session, invitation if tapped else None, form
        )
        if done is not None:
            caregiver = done.attendance.caregiver
            speak(request, caregiver.preferred_language)
            return render(
                request,
                "programs/checkin/done.html",
                {**context, "done": done, "given_name": caregiver.given_name},
            )
        context["problem"] = problem
    response = render(
        request, "programs/checkin/checkin.html", {**context, "form": form}, status=status
    )
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


def _check_in(request: HttpRequest, session: Session, tapped: Invitation | None, form):
    """Check in the family who tapped "It's me" on their invitation's page, or the one
    whose number was typed: (the check-in or None, what went wrong, the status to
    answer with, seconds to wait before another try)."""
    try:
        if tapped is not None:
            done = check_in_caregiver(session=session, caregiver=tapped.caregiver, method=Method.QR)
        elif form.is_valid():
            done = check_in_by_phone(
                session=session,
                phone=form.cleaned_data["phone"],
                method=Method.QR,
                client_address=client_address(request),
            )
        else:
            return None, "", 400, 0
    except TooManyTries as limited:
        wait = limited.wait_seconds
        return None, f"{limited.messages[0]} {wait_message(wait)}", 429, wait
    except SessionFull as full:
        return None, full.messages[0], 409, 0
    except (UnknownNumber, ValidationError) as refused:
        return None, refused.messages[0], 400, 0
    return done, "", 200, 0


@public
@never_cache
@require_GET
def certificate(request: HttpRequest, token: str) -> HttpResponse:
    """The family's own certificate, with their invitation link; 404 unless they
    completed the program."""
    invitation_id = invitation_id_from(token)
    invitation = (
        Invitation.objects.select_related("caregiver", "session__program__organization")
        .filter(pk=invitation_id if invitation_id is not None else -1)
        .first()
    )
    if invitation is None:
        return _invalid(request)
    program = invitation.session.program
    # NotCompleted is a 404: a family that has not completed finds nothing here.
    pdf = certificate_pdf(program=program, caregiver=invitation.caregiver)
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{program.pk}.pdf"'},
    )


family_urlpatterns = [
    path("checkin/<str:token>/", checkin, name="checkin"),
    path("<str:token>/certificate.pdf", certificate, name="certificate"),
]
