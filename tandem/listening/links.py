"""Opening a personal link: the invitation its token was made for, and the page in the
family's language (when Tandem's pages exist in it and they have not picked another
with the language switcher). Shared by the answering and exchange pages."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from tandem.listening.models import Invitation
from tandem.listening.tokens import invitation_id_from


def open_link(request: HttpRequest, token: str) -> Invitation | None:
    """The invitation, or None for a link Tandem did not make."""
    invitation_id = invitation_id_from(token)
    if invitation_id is None:
        return None
    invitation = (
        Invitation.objects.select_related(
            "campaign__protocol", "campaign__organization", "campaign__school"
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is not None:
        speak(request, invitation.language)
    return invitation


def speak(request: HttpRequest, language: str) -> None:
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    try:
        code = translation.get_supported_language_variant(language)
    except LookupError:
        return
    translation.activate(code)
    request.LANGUAGE_CODE = code
