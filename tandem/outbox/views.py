"""The local outbox page: what Tandem would have sent, for people trying the demo."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tandem.accounts.access import local_outbox
from tandem.directory.phones import normalize_phone
from tandem.outbox.models import OutboxMessage

SHOWN = 50


def recipient_search(text: str) -> str:
    """A phone number however it was typed becomes its stored E.164 form; anything else
    (an email address or part of one) is searched as typed."""
    text = text.strip()
    if "@" not in text and any(character.isdigit() for character in text):
        try:
            return normalize_phone(text, settings.TANDEM_DEFAULT_PHONE_REGION)
        except ValidationError:
            pass
    return text


@local_outbox
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    recipient = request.GET.get("to", "").strip()[:254]
    outbox = OutboxMessage.objects.order_by("-created_at", "-id")
    if recipient:
        outbox = outbox.filter(to__icontains=recipient_search(recipient))
    return render(
        request,
        "outbox/index.html",
        {"outbox": list(outbox[:SHOWN]), "recipient": recipient, "shown": SHOWN},
    )
