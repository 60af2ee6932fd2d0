"""What an email provider tells Tandem about mail it sent: delivered, bounced, refused,
marked as spam. A bounce fails the delivery with the provider's reason (the reach
dashboard counts it as bad contact information); a spam complaint or an unsubscribe
withdraws consent to email on that address, at once."""

from django.db import transaction
from django.utils import timezone

from tandem.audit.services import record
from tandem.directory.models import ContactPoint
from tandem.messaging.models import Delivery

DELIVERED = {"delivered"}
FAILED = {"bounced", "rejected", "failed"}
WITHDRAWN = {"complained", "unsubscribed"}


def record_email_event(
    *,
    event_type: str,
    message_id: str | None,
    recipient: str | None,
    metadata: dict | None = None,
    reason: str = "",
) -> Delivery | None:
    """Apply one provider event to the delivery it is about (named by the metadata Tandem
    sent, else found by the provider's message id). A late event never moves a delivery
    backwards from delivered; an event about mail Tandem did not send changes nothing."""
    delivery = _delivery(message_id, recipient, metadata or {})
    if delivery is None:
        return None
    now = timezone.now()
    deliveries = Delivery.objects.filter(pk=delivery.pk)
    with transaction.atomic():
        if event_type in DELIVERED:
            deliveries.exclude(status=Delivery.Status.DELIVERED).update(
                status=Delivery.Status.DELIVERED, delivered_at=now, claimed_until=None
            )
        elif event_type in FAILED:
            deliveries.exclude(status=Delivery.Status.DELIVERED).update(
                status=Delivery.Status.FAILED,
                error_code=event_type[:20],
                error_reason=(reason or event_type)[:300],
                claimed_until=None,
            )
        elif event_type in WITHDRAWN:
            ContactPoint.objects.filter(
                kind=ContactPoint.Kind.EMAIL, value=delivery.address, consent=True
            ).update(consent=False, consent_changed_at=now)
        else:
            return delivery
        record(actor=None, action=f"messaging.email_{event_type}", target=delivery)
    return delivery


def _delivery(message_id: str | None, recipient: str | None, metadata: dict) -> Delivery | None:
    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
    named = str(metadata.get("delivery", ""))
    if named.isdigit():
        match = emails.filter(pk=int(named))
    elif message_id:
        match = emails.filter(provider_id=message_id)
    else:
        return None
    if recipient:
        match = match.filter(address__iexact=recipient.strip())
    return match.order_by("id").first()
