"""Email through Django's mailers (settings.MAILERS: SMTP in production, the local outbox
in the demo), with SMTP's answers sorted into "never" (5xx) and "later" (4xx, network)."""

import smtplib
import ssl
from typing import ClassVar

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
    ) -> SendResult:
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
        try:
            sent = email.send(using=self.mailer)
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
        return SendResult.accepted(message_id)


def _by_reply_code(code: int, reason: bytes | str) -> SendResult:
    """SMTP reply codes: 5xx is a permanent refusal, 4xx asks to try again later."""
    if 500 <= code < 600:
        return SendResult.permanent(str(code), _text(reason))
    return SendResult.transient(str(code), _text(reason))


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
