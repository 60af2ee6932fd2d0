"""Email through Django's mailers (settings.MAILERS: SMTP or an email provider's API
through Anymail in production, the local outbox in the demo), with the answers sorted
into "never" (SMTP 5xx, a refused recipient) and "later" (SMTP 4xx, network, outage)."""

import smtplib
import ssl
from typing import ClassVar

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid

from tandem.messaging.channels.base import CONNECTION, SendResult


class EmailChannel:
    name: ClassVar[str] = "email"

    def __init__(self, *, from_email: str | None = None, mailer: str | None = None):
        self.from_email = from_email
        self.mailer = mailer  # an alias in settings.MAILERS; None: the default

    def send(
        self,
        *,
        to: str,
        body: str,
        subject: str = "",
        html: str | None = None,
        reply_to: str | None = None,
        headers: dict[str, str] | None = None,
        metadata: dict[str, str] | None = None,
    ) -> SendResult:
        """`metadata` travels with the email through a provider (Anymail) and comes back
        in its delivery and bounce events; SMTP ignores it."""
        domain = (self.from_email or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2].strip(">")
        message_id = make_msgid(domain=domain or None)
        email = EmailMultiAlternatives(
            subject=subject,
            body=body,
            from_email=self.from_email,
            to=[to],
            reply_to=[reply_to] if reply_to else None,
            headers={"Message-ID": message_id, **(headers or {})},
        )
        if html is not None:
            email.attach_alternative(html, "text/html")
        if metadata:
            email.metadata = metadata
        try:
            sent = email.send(using=self.mailer)
        except AnymailRecipientsRefused as error:
            return SendResult.permanent("rejected", str(error))
        except AnymailAPIError as error:
            return SendResult.transient(str(error.status_code or CONNECTION), str(error))
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            return _by_reply_code(code, reason)
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            if isinstance(error, smtplib.SMTPSenderRefused):
                # Our own address refused: fix the settings, then the mail can go.
                return SendResult.transient(str(error.smtp_code), _text(error.smtp_error))
            return _by_reply_code(error.smtp_code, error.smtp_error)
        except ValueError as error:  # Django refuses an address it cannot encode
            return SendResult.permanent("invalid_address", str(error))
        except (smtplib.SMTPException, ssl.SSLError, OSError) as error:
            return SendResult.transient(CONNECTION, str(error))
        if not sent:
            return SendResult.permanent("invalid_address", f"No recipient in {to!r}")
        return _provider_answer(email, message_id)


def _provider_answer(email: EmailMultiAlternatives, message_id: str) -> SendResult:
    """What a provider said through Anymail: its own message id (which its bounce events
    carry), or its refusal of the address. Over SMTP, our own Message-ID."""
    status = getattr(email, "anymail_status", None)
    if status is None or not status.recipients:
        return SendResult.accepted(message_id)
    recipient = next(iter(status.recipients.values()))
    if recipient.status in {"rejected", "invalid"}:
        return SendResult.permanent(recipient.status, "The provider refused the address.")
    provider_id = recipient.message_id if recipient.message_id is not None else status.message_id
    return SendResult.accepted(str(provider_id) if provider_id is not None else message_id)


def _by_reply_code(code: int, reason: bytes | str) -> SendResult:
    """SMTP reply codes: 5xx is a permanent refusal, 4xx asks to try again later."""
    if 500 <= code < 600:
        return SendResult.permanent(str(code), _text(reason))
    return SendResult.transient(str(code), _text(reason))


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
