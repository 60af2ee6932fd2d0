"""Running the gateway: in this process on a free port (tests), or as `tandem sms-gateway`.

    with running_gateway(auth_token="secret") as gateway:
        ... point Tandem at gateway.url ...
        assert gateway.counts() == {"+15550100001": 1}

`GatewayControl(url)` offers the same looking and meddling over HTTP for a gateway that
runs in another process.
"""

import io
import json
import socket
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tandem.smsgateway.api import (
    GatewayApp,
    HttpError,
    fail,
    messages_view,
)
from tandem.smsgateway.callbacks import StatusCallbacks, WebhookAnswer
from tandem.smsgateway.store import Outage, Settings, Store

DEFAULT_ACCOUNT_SID = "AC" + "0" * 32
# The local gateway's token when none is given: it guards nothing but a dev server.
DEFAULT_AUTH_TOKEN = "gateway-token"  # noqa: S105


@dataclass(frozen=True)
class InboundResult:
    status: int  # what Tandem's webhook answered
    body: str


class Gateway:
    """A gateway serving in this process; every method reads or changes its memory directly."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        account_sid: str | None = None,
        status_callbacks: bool = True,
        inbound_webhook: str | None = None,
        honor_opt_out: bool = False,
        callback_threads: int = 4,
    ):
        self.auth_token = auth_token
        self.account_sid = account_sid or DEFAULT_ACCOUNT_SID
        self.store = Store(
            settings=Settings(
                status_callbacks=status_callbacks,
                inbound_webhook=inbound_webhook,
                honor_opt_out=honor_opt_out,
            )
        )
        self.callbacks = StatusCallbacks(
            self.store, auth_token=auth_token, threads=callback_threads
        )
        self.app = GatewayApp(
            self.store,
            auth_token=auth_token,
            account_sid=account_sid,
            callbacks=self.callbacks,
        )
        self.server = _Server((host, port), _Handler)
        self.server.app = self.app
        self.host = host
        self.port: int = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def start(self) -> "Gateway":
        self._thread = threading.Thread(target=self.serve_forever, name="sms-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.close_connections()
        self.server.server_close()
        self.callbacks.stop()

    # Looking

    def messages(self, to: str | None = None) -> list[dict]:
        """Messages accepted (oldest first) as Twilio's API shows them."""
        return messages_view(self.store, to=to)

    def counts(self) -> dict[str, int]:
        """Accepted messages per recipient number."""
        with self.store.lock:
            return dict(self.store.counts)

    def rejections(self) -> list[dict]:
        """Sends refused with an error (21211, 21610): to, code, at."""
        with self.store.lock:
            return list(self.store.rejected)

    def wait_for_callbacks(self, timeout: float = 10.0) -> bool:
        """Wait until every accepted message reached its final status and callback."""
        return self.callbacks.wait_idle(timeout)

    # Meddling

    def reset(self) -> None:
        self.store.reset()

    def fail(self, number: str, code: int = 30003, status: str | None = None) -> None:
        """Accept messages to `number`, then report them failed/undelivered with `code`."""
        fail(self.store, number, code, status)

    def block(self, *numbers: str) -> None:
        """Refuse messages to `numbers` with 21610, as Twilio does after a STOP."""
        with self.store.lock:
            self.store.blocked.update(numbers)

    def outage(self, status: int = 503, requests: int | None = None) -> None:
        """Answer API requests with `status` (503 or 429): the next `requests`, or until
        `end_outage()`."""
        self.store.outage = Outage(status, requests)

    def end_outage(self) -> None:
        self.store.outage = None

    def configure(self, **changes: object) -> None:
        """Change run settings: status_callbacks, inbound_webhook, honor_opt_out, latency."""
        for key, value in changes.items():
            if not hasattr(self.store.settings, key):
                raise TypeError(f"unknown gateway setting {key!r}")
            setattr(self.store.settings, key, value)

    def send_inbound(
        self,
        *,
        sender: str,
        body: str,
        to: str = "+15550001000",
        media_urls: Iterable[str] = (),
        signature: str | None = None,
    ) -> InboundResult:
        """A family texts `body` from `sender`: POST it, signed, to the inbound webhook.
        Pass `signature` to send a wrong one."""
        try:
            answer: WebhookAnswer = self.app.send_inbound(
                sender=sender, to=to, body=body, media_urls=media_urls, signature=signature
            )
        except HttpError as error:
            raise RuntimeError(error.message) from error
        return InboundResult(answer.status, answer.body)

    def __enter__(self) -> "Gateway":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    """A thread per connection, kept alive: no hand-off between threads per request,
    which is what makes it several times faster than a worker-pool server here."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    app: GatewayApp

    def __init__(self, *args, **kwargs):
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        """A client that hangs up mid-answer (a timeout test, a killed worker) is normal."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End kept-alive connections, so no client talks to a stopped gateway."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive in front of the WSGI application."""

    protocol_version = "HTTP/1.1"
    server_version = "tandem-sms-gateway"
    sys_version = ""
    wbufsize = 64 * 1024  # one write per response: no small-packet delays
    disable_nagle_algorithm = True
    timeout = 300  # an idle kept-alive connection is closed after this
    server: _Server

    def handle_request(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        environ = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_LENGTH": str(length),
            "HTTP_AUTHORIZATION": self.headers.get("Authorization", ""),
            "wsgi.input": io.BytesIO(body),
        }
        response: list = []
        chunks = self.server.app(
            environ, lambda status, headers: response.extend((status, headers))
        )
        status, headers = response
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(chunk)

    do_GET = do_POST = handle_request

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def running_gateway(**options) -> Iterator[Gateway]:
    """A gateway on a free loopback port for the length of the block (see `Gateway`)."""
    with Gateway(**options) as gateway:
        yield gateway


class GatewayControl:
    """The control endpoints of a gateway in another process."""

    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, name: str, data: dict | None = None) -> dict:
        body = json.dumps(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's
            f"{self.url}/_gateway/{name}",
            data=body,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.loads(response.read())

    def messages(self, to: str | None = None) -> list[dict]:
        query = "?" + urllib.parse.urlencode({"To": to}) if to else ""
        return self._call("GET", f"messages{query}")["messages"]

    def counts(self) -> dict[str, int]:
        return self._call("GET", "counts")["counts"]

    def rejections(self) -> list[dict]:
        return self._call("GET", "rejections")["rejections"]

    def wait_for_callbacks(self, timeout: float = 10.0) -> bool:
        return self._call("POST", "callbacks/wait", {"timeout": timeout})["idle"]

    def reset(self) -> None:
        self._call("POST", "reset", {})

    def fail(self, number: str, code: int = 30003, status: str | None = None) -> None:
        self._call("POST", "failures", {"failing": {number: code}, "status": status})

    def block(self, *numbers: str) -> None:
        self._call("POST", "failures", {"blocked": list(numbers)})

    def outage(self, status: int = 503, requests: int | None = None) -> None:
        self._call("POST", "outage", {"status": status, "requests": requests})

    def end_outage(self) -> None:
        self._call("POST", "outage", {"status": None})

    def configure(self, **changes: object) -> None:
        self._call("POST", "settings", changes)

    def send_inbound(
        self,
        *,
        sender: str,
        body: str,
        to: str = "+15550001000",
        media_urls: Iterable[str] = (),
        signature: str | None = None,
    ) -> InboundResult:
        answer = self._call(
            "POST",
            "inbound",
            {
                "From": sender,
                "To": to,
                "Body": body,
                "MediaUrls": list(media_urls),
                "Signature": signature,
            },
        )
        return InboundResult(answer["status"], answer["body"])
