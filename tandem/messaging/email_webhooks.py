"""An email provider calling Tandem, through Anymail's webhook for the provider in
TANDEM_EMAIL_PROVIDER: a family's email arriving (inbound), and what became of an email we
sent (tracking: delivered, bounced, complained).

Anymail parses each provider's format into one kind of event; Tandem answers 403 and
stores nothing unless the call carries the webhook's basic-auth secret (and, for providers
that sign their calls, a valid signature), and 404 when no provider is set up.
"""

import hashlib
from functools import cache

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent
from anymail.utils import get_request_basic_auth
from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.utils.crypto import constant_time_compare

from tandem.accounts.access import provider_webhook
from tandem.messaging.email_events import record_email_event
from tandem.messaging.inbound import receive_email


def request_has_webhook_secret(request: HttpRequest) -> bool:
    secret = settings.ANYMAIL.get("WEBHOOK_SECRET") or ""
    given = get_request_basic_auth(request) or ""
    return bool(secret) and constant_time_compare(given, secret)


@provider_webhook(request_has_webhook_secret)
def email_inbound(request):
    return _run(request, "inbound")


@provider_webhook(request_has_webhook_secret)
def email_tracking(request):
    return _run(request, "tracking")


def _run(request: HttpRequest, kind: str) -> HttpResponse:
    view_class = _anymail_view(settings.TANDEM_EMAIL_PROVIDER, kind)
    if view_class is None:
        raise Http404
    view = view_class()
    try:
        view.run_validators(request)  # the provider's own signature, where it signs
    except AnymailWebhookValidationFailure:
        return HttpResponseForbidden()
    try:
        events = view.parse_events(request)
    except (ValueError, KeyError, TypeError, AttributeError):
        return HttpResponseBadRequest()
    for event in events:
        if isinstance(event, AnymailInboundEvent):
            _receive(event)
        elif isinstance(event, AnymailTrackingEvent):
            _track(event)
    return HttpResponse()


@cache
def _anymail_view(provider: str, kind: str):
    """Anymail's webhook view class for a provider, found by the name Anymail gives its
    URL ("postmark_inbound_webhook"), so every provider Anymail supports works here."""
    if not provider:
        return None
    from anymail.urls import urlpatterns

    names = {f"{provider}_{kind}_webhook", f"{provider}_webhook"}
    for pattern in urlpatterns:
        if pattern.name in names:
            return pattern.callback.view_class
    return None


def _receive(event: AnymailInboundEvent) -> None:
    message = event.message
    if message is None:
        return
    sender = message.from_email
    recipients = [
        address
        for address in [
            getattr(message, "envelope_recipient", None),
            *(a.addr_spec for a in message.to),
            *(a.addr_spec for a in message.cc),
        ]
        if address
    ]
    receive_email(
        provider_id=_short_id(message["Message-ID"] or event.event_id or ""),
        from_address=sender.addr_spec if sender else "",
        recipients=recipients,
        text=message.text or "",
        html=message.html or "",
        headers=dict(message.items()),
    )


def _short_id(message_id: str) -> str | None:
    """A Message-ID as stored (at most 64 characters): itself, or its digest if longer."""
    message_id = message_id.strip()
    if len(message_id) <= 64:
        return message_id or None
    return hashlib.sha256(message_id.encode()).hexdigest()


def _track(event: AnymailTrackingEvent) -> None:
    record_email_event(
        event_type=event.event_type or "",
        message_id=str(event.message_id) if event.message_id is not None else None,
        recipient=event.recipient,
        metadata=event.metadata,
        reason=event.description or event.mta_response or event.reject_reason or "",
    )
