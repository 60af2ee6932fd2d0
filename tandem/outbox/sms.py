"""Sending one text message through the configured SMS backend.

The messaging app brings real gateways; "outbox" keeps the text locally.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tandem.outbox.models import OutboxMessage


def send_sms(*, to: str, body: str) -> None:
    backend = settings.TANDEM_SMS_BACKEND
    if backend == "outbox":
        OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, to=to, body=body)
        return
    raise ImproperlyConfigured(f"Unknown TANDEM_SMS_BACKEND {backend!r}")
