"""Requests the gateway makes to Tandem: status callbacks and inbound texts, signed as Twilio
signs them (X-Twilio-Signature, HMAC-SHA1 of the URL and sorted form fields).

Status callbacks leave from a few background threads fed by a queue, so accepting a
message never waits for Tandem to answer a callback.
"""

import http.client
import logging
import queue
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from twilio.request_validator import RequestValidator

from tandem.smsgateway.store import API_VERSION, Store

logger = logging.getLogger(__name__)

# Error codes whose message never left Twilio ("failed"); the rest are carrier
# rejections after sending ("undelivered").
FAILED_CODES = {30007, 30008, 30034, 21610, 21614}


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: str


class Poster:
    """Form POSTs over kept-alive connections, one set per thread."""

    def __init__(self, timeout: float = 10.0):
        self.timeout = timeout
        self._local = threading.local()

    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> WebhookAnswer:
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        body = urlencode(params)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        for attempt in (1, 2):
            connection = self._connection(parts.scheme, parts.netloc)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                answer = WebhookAnswer(response.status, response.read().decode("utf-8", "replace"))
                if response.will_close:
                    self._drop(parts.scheme, parts.netloc)
                return answer
            except (http.client.HTTPException, OSError):
                self._drop(parts.scheme, parts.netloc)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        connections = self._connections()
        key = (scheme, netloc)
        if key not in connections:
            kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            connections[key] = kind(netloc, timeout=self.timeout)
        return connections[key]

    def _drop(self, scheme: str, netloc: str) -> None:
        connection = self._connections().pop((scheme, netloc), None)
        if connection is not None:
            connection.close()

    def _connections(self) -> dict:
        if not hasattr(self._local, "connections"):
            self._local.connections = {}
        return self._local.connections


def signed_post(
    poster: Poster, *, auth_token: str, url: str, params: dict[str, str], signature: str | None
) -> WebhookAnswer:
    """POST `params` to `url` signed with `auth_token`, or with `signature` as given."""
    if signature is None:
        signature = RequestValidator(auth_token).compute_signature(url, params)
    return poster.post(url, params, {"X-Twilio-Signature": signature})


class StatusCallbacks:
    """Walks each accepted message through sent → delivered (or failed/undelivered),
    updating the store and POSTing each status to the message's StatusCallback."""

    def __init__(self, store: Store, *, auth_token: str, threads: int = 4):
        self.store = store
        self.validator = RequestValidator(auth_token)
        self.poster = Poster()
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self.delivered = 0  # callbacks Tandem answered with 2xx
        self.errors = 0  # callbacks that failed or got a non-2xx answer
        self._threads = [
            threading.Thread(target=self._work, name=f"sms-gateway-callbacks-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, message: dict, callback_url: str | None) -> None:
        with self._idle:
            self._pending += 1
        self.queue.put((message, callback_url))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every submitted message reached its final status; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def stop(self) -> None:
        for _ in self._threads:
            self.queue.put(None)
        for thread in self._threads:
            thread.join(timeout=5)

    def _work(self) -> None:
        while (job := self.queue.get()) is not None:
            message, callback_url = job
            try:
                for status, error_code in final_statuses(self.store, message["to"]):
                    self._advance(message, status, error_code, callback_url)
            except Exception:
                logger.exception("status callback for %s", message["sid"])
            finally:
                with self._idle:
                    self._pending -= 1
                    if not self._pending:
                        self._idle.notify_all()

    def _advance(
        self, message: dict, status: str, error_code: int | None, callback_url: str | None
    ) -> None:
        _, date = self.store.now()
        with self.store.lock:
            message["status"] = status
            message["date_updated"] = date
            if error_code is not None:
                message["error_code"] = error_code
                message["error_message"] = None
        if not callback_url:
            return
        params = {
            "MessageSid": message["sid"],
            "SmsSid": message["sid"],
            "MessageStatus": status,
            "SmsStatus": status,
            "AccountSid": message["account_sid"],
            "From": message["from"] or "",
            "To": message["to"],
            "ApiVersion": API_VERSION,
        }
        if message["messaging_service_sid"]:
            params["MessagingServiceSid"] = message["messaging_service_sid"]
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        signature = self.validator.compute_signature(callback_url, params)
        try:
            answer = self.poster.post(callback_url, params, {"X-Twilio-Signature": signature})
        except (http.client.HTTPException, OSError) as error:
            self.errors += 1
            logger.warning("status callback to %s failed: %s", callback_url, error)
            return
        if 200 <= answer.status < 300:
            self.delivered += 1
        else:
            self.errors += 1


def final_statuses(store: Store, to: str) -> list[tuple[str, int | None]]:
    """The statuses a message to `to` goes through after "queued"."""
    failure = store.failing.get(to)
    if failure is None:
        return [("sent", None), ("delivered", None)]
    code, status = failure
    if status == "failed":
        return [("failed", code)]
    return [("sent", None), (status, code)]
