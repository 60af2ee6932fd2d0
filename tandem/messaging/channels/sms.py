"""SMS through Twilio's Messages API with the official `twilio` library.

TANDEM_TWILIO_API_BASE points the same code at the local gateway (`tandem sms-gateway`).
One client, with its kept-alive connection (`twilio_http`), serves each thread of each
worker process.
"""

import logging
import os
import threading
from datetime import datetime
from functools import cache
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tandem.messaging.channels.base import (
    CONNECTION,
    TIMEOUT,
    ProviderUnavailable,
    SendResult,
)
from tandem.messaging.channels.twilio_http import (
    TWILIO_API,
    KeepAliveHttpClient,
    NothingSent,
    OutcomeUnknown,
)

# The library logs each request (numbers in URLs) at INFO: keep personal data out of logs.
_http_logger = logging.getLogger("tandem.messaging.channels.sms.http")
_http_logger.setLevel(logging.WARNING)

# HTTP statuses that say "not now" rather than "never": rate limits, outages, and our own
# misconfiguration (bad credentials, wrong account), which an operator fixes while the
# messages wait.
_TRANSIENT_STATUSES = {401, 403, 404, 408, 409, 429}


class TwilioSmsChannel:
    name: ClassVar[str] = "sms"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        api_base: str = TWILIO_API,
        status_callback: str | None = None,
        timeout: float = 10.0,
    ):
        """`sender` is a phone number (+1…) or a Messaging Service sid (MG…)."""
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.api_base = api_base
        self.status_callback = status_callback
        self.timeout = timeout
        self._local = threading.local()

    @classmethod
    def from_settings(cls, *, status_callback_path: str | None = None) -> "TwilioSmsChannel":
        """The channel the settings describe; `status_callback_path` (e.g. the path of
        Tandem's status view) is joined to TANDEM_PUBLIC_URL."""
        if not (settings.TANDEM_TWILIO_ACCOUNT_SID and settings.TANDEM_TWILIO_AUTH_TOKEN):
            raise ImproperlyConfigured(
                "Set TANDEM_TWILIO_ACCOUNT_SID and TANDEM_TWILIO_AUTH_TOKEN to send SMS"
            )
        if not settings.TANDEM_TWILIO_FROM:
            raise ImproperlyConfigured("Set TANDEM_TWILIO_FROM (a number or an MG… sid)")
        callback = None
        if status_callback_path:
            callback = settings.TANDEM_PUBLIC_URL.rstrip("/") + status_callback_path
        return _channel(
            settings.TANDEM_TWILIO_ACCOUNT_SID,
            settings.TANDEM_TWILIO_AUTH_TOKEN,
            settings.TANDEM_TWILIO_FROM,
            settings.TANDEM_TWILIO_API_BASE,
            callback,
            settings.TANDEM_TWILIO_TIMEOUT,
            os.getpid(),  # a forked worker must not share its parent's connections
        )

    @property
    def client(self) -> Client:
        client = getattr(self._local, "client", None)
        if client is None:
            http_client = KeepAliveHttpClient(
                self.api_base, timeout=self.timeout, logger=_http_logger
            )
            client = Client(self.account_sid, self.auth_token, http_client=http_client)
            self._local.client = client
        return client

    def send(
        self,
        *,
        to: str,
        body: str,
        subject: str = "",
        status_callback: str | None = None,
        sender: str | None = None,
    ) -> SendResult:
        """Hand one text to Twilio. `subject` is ignored (SMS has none); `status_callback`
        replaces the channel's own for this text (Tandem names the delivery in it), and
        `sender` the channel's number (an organization that texts from its own)."""
        sender = sender or self.sender
        origin = {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        if status_callback or self.status_callback:
            origin["status_callback"] = status_callback or self.status_callback
        try:
            message = self.client.messages.create(to=to, body=body, **origin)
        except TwilioRestException as error:
            return _classify(error)
        except OutcomeUnknown as error:
            return SendResult.transient(TIMEOUT, str(error))
        except (NothingSent, TwilioException) as error:
            return SendResult.transient(CONNECTION, str(error))
        return SendResult.accepted(message.sid, int(message.num_segments or 1))

    def lookup_sent(self, *, to: str, since: datetime, body: str | None = None) -> str | None:
        """The sid of a text Twilio accepted for `to` since `since` (with this `body`, if
        given), newest first; None if there is none. For a send whose outcome is unknown.

        Reads by recipient, newest first, down to `since` by creation date: a text still
        queued at Twilio has no sent date yet, so the DateSent filter would miss it.
        Raises ProviderUnavailable when Twilio cannot be asked now.
        """
        try:
            for message in self.client.messages.stream(to=to, page_size=50):
                if message.date_created is not None and message.date_created < since:
                    return None
                if message.direction != "outbound-api":
                    continue
                if body is None or message.body == body:
                    return message.sid
        except (TwilioException, NothingSent, OutcomeUnknown) as error:
            raise ProviderUnavailable(str(error)) from error
        return None


@cache
def _channel(*config) -> TwilioSmsChannel:
    account_sid, auth_token, sender, api_base, status_callback, timeout, _pid = config
    return TwilioSmsChannel(
        account_sid=account_sid,
        auth_token=auth_token,
        sender=sender,
        api_base=api_base,
        status_callback=status_callback,
        timeout=timeout,
    )


def _classify(error: TwilioRestException) -> SendResult:
    code = str(error.code or error.status)
    reason = error.msg or ""
    if error.status in _TRANSIENT_STATUSES or error.status >= 500:
        return SendResult.transient(code, reason)
    return SendResult.permanent(code, reason)


def is_valid_twilio_request(
    url: str, params: dict, signature: str, *, auth_token: str | None = None
) -> bool:
    """Whether a webhook (inbound text, status callback) was signed by Twilio with our auth
    token. `url` is the full URL Twilio requested, as Twilio saw it; `params` the POST form."""
    token = auth_token if auth_token is not None else settings.TANDEM_TWILIO_AUTH_TOKEN
    if not token or not signature:
        return False
    return RequestValidator(token).validate(url, params, signature)


def request_is_from_twilio(request: HttpRequest) -> bool:
    """`is_valid_twilio_request` for a Django request, with the URL Twilio used: the public
    URL (TANDEM_PUBLIC_URL) plus the path, not what a proxy in front of Tandem passed on."""
    url = settings.TANDEM_PUBLIC_URL.rstrip("/") + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    return is_valid_twilio_request(url, request.POST, signature)
