"""The email channel: Django's mailers underneath, SMTP answers sorted into never / later."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from tandem.messaging.channels.base import CONNECTION
from tandem.messaging.channels.email import EmailChannel


class RefusingBackend(BaseEmailBackend):
    """Answers every send the way an SMTP server configured by the test would."""

    error: Exception

    def send_messages(self, email_messages):
        raise self.error


@pytest.fixture
def locmem(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []


@pytest.fixture
def refusing(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    return RefusingBackend


def test_sends_text_and_html(locmem):
    result = EmailChannel().send(
        to="ana@example.org", subject="Conferencias", body="Hola", html="<p>Hola</p>"
    )
    assert result.is_accepted
    (sent,) = mail.outbox
    assert sent.to == ["ana@example.org"]
    assert sent.alternatives[0].content == "<p>Hola</p>"
    assert sent.extra_headers["Message-ID"] == result.provider_id


@pytest.mark.parametrize(
    ("error", "kind", "code"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"No such user")}), "permanent", "550"),
        (smtplib.SMTPRecipientsRefused({"a@x.org": (452, b"Mailbox full")}), "transient", "452"),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), "permanent", "554"),
        (smtplib.SMTPDataError(421, b"Try later"), "transient", "421"),
        (smtplib.SMTPSenderRefused(550, b"Bad sender", "no-reply@x"), "transient", "550"),
        (smtplib.SMTPServerDisconnected("gone"), "transient", CONNECTION),
        (ConnectionRefusedError(111, "refused"), "transient", CONNECTION),
        (ValueError("Invalid address"), "permanent", "invalid_address"),
    ],
)
def test_smtp_answers_are_sorted(refusing, error, kind, code):
    refusing.error = error
    result = EmailChannel().send(to="a@x.org", subject="s", body="b")
    assert (result.kind, result.code) == (kind, code)
