"""An email backend that keeps messages in the local outbox (the demo's default)."""

from django.core.mail.backends.base import BaseEmailBackend

from tandem.outbox.models import OutboxMessage


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                channel=OutboxMessage.Channel.EMAIL,
                to=", ".join(message.to),
                subject=message.subject,
                body=message.body,
            )
            for message in email_messages
        )
        return len(email_messages)
