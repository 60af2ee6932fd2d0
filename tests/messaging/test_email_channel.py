"""The email channel: Django's mailers underneath, SMTP answers sorted into never / later."""

import smtplib

import pytest
import requests
from anymail.backends import test as anymail_test
from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailRecipientStatus
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


@pytest.fixture
def provider(settings):
    """Anymail's test backend: the same code path as a real provider's API, recorded."""
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend"}}
    mail.outbox = []


def test_through_a_provider_the_provider_id_and_metadata_are_kept(provider):
    result = EmailChannel().send(
        to="ana@example.org", subject="Hola", body="Hola", metadata={"delivery": "12"}
    )
    assert result.is_accepted
    (sent,) = mail.outbox
    assert result.provider_id == str(sent.anymail_status.message_id)
    assert sent.anymail_test_params["metadata"] == {"delivery": "12"}


def outage() -> requests.Response:
    response = requests.Response()
    response.status_code, response.reason = 503, "Service Unavailable"
    response._content = b'{"Message": "Service unavailable"}'
    return response


class AnsweringProvider(anymail_test.EmailBackend):
    """Anymail's test backend, answering each send the way the test chooses."""

    answer: object

    def post_to_esp(self, payload, message):
        message.anymail_test_response = self.answer
        return super().post_to_esp(payload, message)


@pytest.mark.parametrize(
    ("answer", "kind", "code"),
    [
        (AnymailRecipientStatus(message_id="m1", status="rejected"), "permanent", "rejected"),
        (AnymailRecipientStatus(message_id="m1", status="queued"), "accepted", ""),
        (
            AnymailAPIError("Postmark is down", status_code=503, response=outage()),
            "transient",
            "503",
        ),
    ],
)
def test_a_provider_answer_is_sorted_into_never_and_later(settings, answer, kind, code):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.AnsweringProvider"}}
    AnsweringProvider.answer = (
        answer
        if isinstance(answer, AnymailAPIError)
        else {"recipient_status": {"ana@example.org": answer}}
    )
    result = EmailChannel().send(to="ana@example.org", subject="Hola", body="Hola")
    assert (result.kind, result.code) == (kind, code)
    if result.is_accepted:
        assert result.provider_id == "m1"
