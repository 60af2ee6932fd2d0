"""The HTTP client the twilio library sends through: one kept-alive connection on the
standard library's http.client, instead of `requests`.

The twilio library takes a custom client for exactly this (`twilio.http.HttpClient`); it
still builds the requests, signs them and reads Twilio's answers and errors. `requests`
costs a sender about twice the CPU per text (its hooks, adapters and environment lookups)
and texts go out one request at a time, so this is a large share of the sending rate.
"""

import base64
import http.client
import os
import ssl
import time
import urllib.request
from urllib.parse import urlencode, urlsplit

from twilio.http import HttpClient
from twilio.http.response import Response

TWILIO_API = "https://api.twilio.com"

# A kept-alive connection idle longer than this may have been closed by the other end:
# open a new one rather than risk a send whose outcome is then unknown.
MAX_IDLE_SECONDS = 30.0


class NothingSent(Exception):
    """The request never left: sending again cannot double-send."""


class OutcomeUnknown(Exception):
    """The request left but no answer came (timeout, connection dropped): the provider may
    have accepted it, so look before sending again."""


class KeepAliveHttpClient(HttpClient):
    """Sends what the library addresses to api.twilio.com to `base` (Twilio itself, or the
    local gateway). One instance per thread: it holds one connection."""

    def __init__(self, base: str = TWILIO_API, *, timeout: float, logger) -> None:
        super().__init__(logger=logger, is_async=False, timeout=timeout)
        self.base = base.rstrip("/")
        parts = urlsplit(self.base)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.proxy = urllib.request.getproxies().get(parts.scheme) if self.https else None
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def request(
        self,
        method: str,
        url: str,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base + url[len(TWILIO_API) :]
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if params:
            path += ("&" if "?" in path else "?") + urlencode(params, doseq=True)
        sent_headers = {"Host": parts.netloc, **(headers or {})}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            sent_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            sent_headers["Authorization"] = f"Basic {token}"
        status, text, response_headers = self._exchange(
            method.upper(), path, body, sent_headers, timeout or self.timeout
        )
        self._test_only_last_response = Response(status, text, response_headers)
        return self._test_only_last_response

    def _exchange(self, method, path, body, headers, timeout):
        connection = self._connection(timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
        except (OSError, http.client.HTTPException) as error:
            self._drop()
            raise NothingSent(str(error) or type(error).__name__) from error
        try:
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self._drop()
            raise OutcomeUnknown(str(error) or type(error).__name__) from error
        self.last_used = time.monotonic()
        if response.will_close:
            self._drop()
        charset = response.headers.get_content_charset() or "utf-8"
        return response.status, payload.decode(charset, "replace"), dict(response.headers)

    def _connection(self, timeout: float | None) -> http.client.HTTPConnection:
        if self.connection is not None and time.monotonic() - self.last_used > MAX_IDLE_SECONDS:
            self._drop()
        if self.connection is None:
            self.connection = self._open(timeout)
        self.connection.timeout = timeout
        if self.connection.sock is not None:
            self.connection.sock.settimeout(timeout)
        return self.connection

    def _open(self, timeout: float | None) -> http.client.HTTPConnection:
        if not self.https:
            return http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        context = ssl.create_default_context(
            cafile=os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
        )
        if self.proxy:
            proxy = urlsplit(self.proxy)
            connection = http.client.HTTPSConnection(
                proxy.hostname, proxy.port or 80, timeout=timeout, context=context
            )
            connection.set_tunnel(self.host, self.port)
            return connection
        return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=context)

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None
