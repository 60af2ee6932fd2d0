"""The local SMS gateway on loopback, wired to a live server's inbound webhook, with
Tandem's Twilio settings pointed at it (tests that text families end to end)."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from tandem.smsgateway.server import Gateway, running_gateway

SCHOOL_NUMBER = "+13125550000"


@contextmanager
def gateway_for(live_server, settings, *, token: str, account: str) -> Iterator[Gateway]:
    with running_gateway(
        auth_token=token,
        account_sid=account,
        status_callbacks=False,
        inbound_webhook=f"{live_server.url}/messages/sms/inbound/",
    ) as gateway:
        settings.TANDEM_TWILIO_API_BASE = gateway.url
        settings.TANDEM_TWILIO_ACCOUNT_SID = account
        settings.TANDEM_TWILIO_AUTH_TOKEN = token
        settings.TANDEM_TWILIO_FROM = SCHOOL_NUMBER
        settings.TANDEM_PUBLIC_URL = live_server.url
        settings.TANDEM_QUIET_HOURS = "00:00-00:00"  # the test runs at any hour
        yield gateway


# Texts posted straight to Tandem's webhook, signed as Twilio signs them (no gateway).
WEBHOOK_TOKEN = "webhook-token"
PUBLIC_URL = "https://tandem.example.org"
_sids = (f"SM{n:032x}" for n in itertools.count(1))


def signed_webhook_settings(settings) -> None:
    settings.TANDEM_TWILIO_AUTH_TOKEN = WEBHOOK_TOKEN
    settings.TANDEM_PUBLIC_URL = PUBLIC_URL


def text_in(client, body: str, sender: str, sid: str = "") -> str:
    """A family texts `body` from `sender`; returns what Tandem texted back (the TwiML
    reply). Needs `signed_webhook_settings`."""
    from django.urls import reverse
    from twilio.request_validator import RequestValidator

    path = reverse("sms:inbound")
    params = {"MessageSid": sid or next(_sids), "From": sender, "To": SCHOOL_NUMBER, "Body": body}
    signature = RequestValidator(WEBHOOK_TOKEN).compute_signature(PUBLIC_URL + path, params)
    response = client.post(path, params, headers={"x-twilio-signature": signature})
    assert response.status_code == 200
    return response.content.decode()
