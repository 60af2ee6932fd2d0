"""The Twilio SMS channel against the local gateway on loopback: what each provider answer
becomes, reconciliation after a crash, and webhook signatures."""

import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from twilio.request_validator import RequestValidator

from tandem.messaging.channels.base import (
    CONNECTION,
    TIMEOUT,
    ProviderUnavailable,
    SendResult,
    WebInboxChannel,
)
from tandem.messaging.channels.sms import (
    TwilioSmsChannel,
    is_valid_twilio_request,
    request_is_from_twilio,
)
from tandem.smsgateway.server import running_gateway
from tests.smsgateway.receiver import receiving

TOKEN = "channel-token"
ACCOUNT = "AC" + "3" * 32
FAMILY = "+15550100001"
SCHOOL = "+15550009999"


@pytest.fixture(scope="module")
def gateway():
    with running_gateway(auth_token=TOKEN, account_sid=ACCOUNT) as gateway:
        yield gateway


@pytest.fixture(autouse=True)
def _fresh(gateway):
    gateway.reset()
    gateway.configure(latency=0.0)


def channel_for(gateway, **options) -> TwilioSmsChannel:
    defaults = {"account_sid": ACCOUNT, "auth_token": TOKEN, "sender": SCHOOL}
    return TwilioSmsChannel(api_base=gateway.url, **(defaults | options))


def test_accepted_with_sid_and_segments(gateway):
    result = channel_for(gateway).send(to=FAMILY, body="Hola 👋 " * 20)
    assert result.is_accepted
    assert result.provider_id.startswith("SM")
    assert result.segments == 3
    assert gateway.counts() == {FAMILY: 1}


def test_messaging_service_sender(gateway):
    service = "MG" + "4" * 32
    channel_for(gateway, sender=service).send(to=FAMILY, body="x")
    assert gateway.messages()[0]["messaging_service_sid"] == service


def test_invalid_number_is_a_permanent_failure(gateway):
    result = channel_for(gateway).send(to="555-0100", body="x")
    assert result.is_permanent
    assert result.code == "21211"
    assert "not a valid phone number" in result.reason


def test_unsubscribed_number_is_a_permanent_failure(gateway):
    gateway.block(FAMILY)
    result = channel_for(gateway).send(to=FAMILY, body="x")
    assert (result.kind, result.code) == ("permanent", "21610")


@pytest.mark.parametrize("status", [503, 429])
def test_outage_is_transient_and_recovers(gateway, status):
    channel = channel_for(gateway)
    gateway.outage(status)
    result = channel.send(to=FAMILY, body="x")
    assert result.is_transient
    assert result.code in {"20503", "20429"}
    gateway.end_outage()
    assert channel.send(to=FAMILY, body="x").is_accepted
    assert gateway.counts() == {FAMILY: 1}


def test_wrong_credentials_are_transient_so_messages_wait_for_a_fix(gateway):
    result = channel_for(gateway, auth_token="wrong").send(to=FAMILY, body="x")
    assert (result.kind, result.code) == ("transient", "20003")


def test_connection_refused_is_transient():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    channel = TwilioSmsChannel(
        account_sid=ACCOUNT, auth_token=TOKEN, sender=SCHOOL, api_base=f"http://127.0.0.1:{port}"
    )
    result = channel.send(to=FAMILY, body="x")
    assert (result.kind, result.code) == ("transient", CONNECTION)


def test_timeout_is_transient_and_says_so(gateway):
    gateway.configure(latency=1.0)
    result = channel_for(gateway, timeout=0.2).send(to=FAMILY, body="x")
    assert (result.kind, result.code) == ("transient", TIMEOUT)


def test_status_callback_goes_to_the_public_url(gateway):
    with receiving() as tandem:
        channel = channel_for(gateway, status_callback=tandem.url + "/sms/status/")
        sid = channel.send(to=FAMILY, body="x").provider_id
        received = tandem.wait_for(2)
    assert {r.form["MessageSid"] for r in received} == {sid}
    assert all(
        is_valid_twilio_request(
            tandem.url + "/sms/status/", r.form, r.headers["X-Twilio-Signature"], auth_token=TOKEN
        )
        for r in received
    )


def test_lookup_finds_a_send_whose_outcome_was_lost(gateway):
    channel = channel_for(gateway)
    since = datetime.now(UTC) - timedelta(seconds=1)
    sid = channel.send(to=FAMILY, body="Field trip form due Friday").provider_id
    channel.send(to="+15550100002", body="Field trip form due Friday")
    assert channel.lookup_sent(to=FAMILY, since=since, body="Field trip form due Friday") == sid
    assert channel.lookup_sent(to=FAMILY, since=since) == sid
    assert channel.lookup_sent(to=FAMILY, since=since, body="Another text") is None
    assert channel.lookup_sent(to="+15550100003", since=since) is None


def test_lookup_ignores_sends_before_since(gateway):
    channel = channel_for(gateway)
    channel.send(to=FAMILY, body="x")
    assert channel.lookup_sent(to=FAMILY, since=datetime.now(UTC) + timedelta(seconds=2)) is None


def test_lookup_during_an_outage_raises_rather_than_guessing(gateway):
    gateway.outage(503)
    with pytest.raises(ProviderUnavailable):
        channel_for(gateway).lookup_sent(to=FAMILY, since=datetime.now(UTC))
    gateway.end_outage()


def test_channel_from_settings_is_reused_per_process(settings, gateway):
    settings.TANDEM_TWILIO_API_BASE = gateway.url
    settings.TANDEM_TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TANDEM_TWILIO_AUTH_TOKEN = TOKEN
    settings.TANDEM_TWILIO_FROM = SCHOOL
    settings.TANDEM_PUBLIC_URL = "https://tandem.example.org"
    channel = TwilioSmsChannel.from_settings(status_callback_path="/messaging/sms/status/")
    assert channel is TwilioSmsChannel.from_settings(status_callback_path="/messaging/sms/status/")
    assert channel.status_callback == "https://tandem.example.org/messaging/sms/status/"
    assert channel.client is channel.client
    gateway.configure(status_callbacks=False)
    assert channel.send(to=FAMILY, body="x").is_accepted
    gateway.configure(status_callbacks=True)


def test_signature_check(settings):
    settings.TANDEM_TWILIO_AUTH_TOKEN = TOKEN
    url = "https://tandem.example.org/messaging/sms/inbound/"
    params = {"From": FAMILY, "Body": "STOP", "MessageSid": "SM" + "5" * 32}
    signature = RequestValidator(TOKEN).compute_signature(url, params)
    assert is_valid_twilio_request(url, params, signature)
    assert not is_valid_twilio_request(url, {**params, "Body": "START"}, signature)
    assert not is_valid_twilio_request(url, params, "")
    assert not is_valid_twilio_request(url, params, signature, auth_token="")


def test_signature_check_for_a_django_request_uses_the_public_url(settings):
    settings.TANDEM_TWILIO_AUTH_TOKEN = TOKEN
    settings.TANDEM_PUBLIC_URL = "https://tandem.example.org"
    params = {"From": FAMILY, "Body": "¿Hola? 😀"}
    signature = RequestValidator(TOKEN).compute_signature(
        "https://tandem.example.org/messaging/sms/inbound/", params
    )
    factory = RequestFactory()
    good = factory.post("/messaging/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=signature)
    forged = factory.post("/messaging/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE="forged")
    assert request_is_from_twilio(good)
    assert not request_is_from_twilio(forged)


def test_web_inbox_stores_and_is_done():
    assert WebInboxChannel().send(to="household:1", body="x") == SendResult.accepted()
