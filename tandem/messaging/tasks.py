"""Background work for messaging; thin, it calls `delivery` and `services`."""

from django.tasks import task
from django.utils import timezone

from tandem.messaging import delivery
from tandem.messaging.models import Message


@task
def send_message_deliveries(message_id: int) -> int:
    """Send what is due for the message; several of these run side by side."""
    from tandem.messaging.senders import default_sender

    return delivery.send_due(message_id, sender=default_sender())


@task
def watch_message(message_id: int) -> None:
    """Restart the senders while the message has deliveries left (held until morning,
    retrying, or claimed by a worker that died), and mark it sent when none are."""
    from tandem.messaging.services import start_senders

    next_at = delivery.next_due_at(message_id)
    if next_at is None:
        Message.objects.filter(
            pk=message_id, status__in=[Message.Status.SCHEDULED, Message.Status.SENDING]
        ).update(status=Message.Status.SENT)
        return
    start_senders(message_id, at=max(next_at, timezone.now()))


@task
def translate_reply(inbound_id: int) -> None:
    """Put a family's reply into the staff's language (see inbound.request_reply_translation)."""
    from tandem.messaging.inbound import request_reply_translation

    request_reply_translation(inbound_id)
