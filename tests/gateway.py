"""The local SMS gateway on loopback, wired to a live server's inbound webhook, with
Tandem's Twilio settings pointed at it (tests that text families end to end)."""

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
