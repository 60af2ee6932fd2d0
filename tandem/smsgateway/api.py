"""The gateway's HTTP face: Twilio's Messages resource under /2010-04-01/ and the control
endpoints under /_gateway/ that tests, benchmarks and the demo use to look and meddle.

A bare WSGI application: no framework between the socket and the store, so the gateway
is never the slowest part of a benchmark.
"""

import base64
import binascii
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from tandem.messaging import keywords
from tandem.messaging.segments import count as count_segments
from tandem.smsgateway.callbacks import (
    FAILED_CODES,
    Poster,
    StatusCallbacks,
    WebhookAnswer,
    final_statuses,
    signed_post,
)
from tandem.smsgateway.store import API_VERSION, Outage, Store, new_sid, public

E164 = re.compile(r"\+[1-9]\d{6,14}")
MAX_BODY = 1600
PREFIX = f"/{API_VERSION}/Accounts/"

_JSON = [("Content-Type", "application/json")]
_STATUS_LINES = {
    200: "200 OK",
    201: "201 Created",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    429: "429 Too Many Requests",
    503: "503 Service Unavailable",
}
_OUTAGE_ERRORS = {
    429: (20429, "Too Many Requests"),
    503: (20503, "Service Unavailable"),
}


class HttpError(Exception):
    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def twilio_error(status: int, code: int, message: str) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class GatewayApp:
    """WSGI application; `store` and `callbacks` are shared with the in-process API."""

    def __init__(
        self,
        store: Store,
        *,
        auth_token: str,
        account_sid: str | None,
        callbacks: StatusCallbacks,
    ):
        self.store = store
        self.auth_token = auth_token
        self.account_sid = account_sid
        self.callbacks = callbacks
        self.poster = Poster()
        self._good_auth: dict[str, str] = {}  # Authorization header -> account sid

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        try:
            if path.startswith(PREFIX):
                status, payload = self.twilio_api(environ, method, path[len(PREFIX) :])
            elif path.startswith("/_gateway/"):
                status, payload = self.control(environ, method, path[len("/_gateway/") :])
            else:
                raise HttpError(404, 20404, f"The requested resource {path} was not found")
        except HttpError as error:
            status = error.status
            payload = twilio_error(error.status, error.code, error.message)
        body = json.dumps(payload).encode()
        start_response(
            _STATUS_LINES.get(status, f"{status} Status"),
            [*_JSON, ("Content-Length", str(len(body)))],
        )
        return [body]

    # Twilio's API

    def twilio_api(self, environ: dict, method: str, rest: str) -> tuple[int, dict]:
        outage = self.store.take_outage()
        if outage is not None:
            code, message = _OUTAGE_ERRORS.get(outage, (20500, "Internal Server Error"))
            raise HttpError(outage, code, message)
        if self.store.settings.latency:
            time.sleep(self.store.settings.latency)
        account_sid, _, resource = rest.partition("/")
        if self._authenticated(environ) != account_sid:
            raise HttpError(401, 20003, "Authenticate")
        if resource == "Messages.json":
            if method == "POST":
                return 201, self.create_message(environ, account_sid)
            if method == "GET":
                return 200, self.list_messages(environ, account_sid)
            raise HttpError(405, 20004, "Method not allowed")
        if resource.startswith("Messages/") and resource.endswith(".json") and method == "GET":
            message = self.store.by_sid.get(resource[len("Messages/") : -len(".json")])
            if message is not None and message["account_sid"] == account_sid:
                return 200, public(message)
        raise HttpError(404, 20404, f"The requested resource {environ['PATH_INFO']} was not found")

    def _authenticated(self, environ: dict) -> str | None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        known = self._good_auth.get(header)
        if known is not None:
            return known
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if password != self.auth_token or not user.startswith("AC"):
            return None
        if self.account_sid is not None and user != self.account_sid:
            return None
        self._good_auth[header] = user
        return user

    def create_message(self, environ: dict, account_sid: str) -> dict:
        form = _form(environ)
        to = form.get("To", "")
        body = form.get("Body", "")
        sender = form.get("From") or None
        service = form.get("MessagingServiceSid") or None
        if not to:
            raise HttpError(400, 21604, "A 'To' phone number is required.")
        if not sender and not service:
            raise HttpError(400, 21603, "A 'From' phone number is required.")
        if not body and "MediaUrl" not in form:
            raise HttpError(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY:
            raise HttpError(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        if not E164.fullmatch(to):
            self.store.reject(to, 21211)
            raise HttpError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to in self.store.blocked:
            self.store.reject(to, 21610)
            raise HttpError(400, 21610, "Attempt to send to unsubscribed recipient")
        message = build_message(
            self.store,
            account_sid,
            to=to,
            sender=sender,
            service=service,
            body=body,
            direction="outbound-api",
            status="queued",
        )
        response = public(message)
        self.store.add(message)
        callback = form.get("StatusCallback") if self.store.settings.status_callbacks else None
        if callback:
            self.callbacks.submit(message, callback)
        else:
            settle(self.store, message)
        return response

    def list_messages(self, environ: dict, account_sid: str) -> dict:
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        page_size = min(max(_int(query.get("PageSize"), 50), 1), 1000)
        page = max(_int(query.get("Page"), 0), 0)
        before_seq = _int(query.get("PageToken", "")[2:], None)
        after, before = _date_range(query)
        to, sender = query.get("To"), query.get("From")
        with self.store.lock:
            candidates = self.store.by_to.get(to, []) if to else self.store.messages
            matched = []
            for message in reversed(candidates):
                if before_seq is not None and message["_seq"] >= before_seq:
                    continue
                if message["account_sid"] != account_sid:
                    continue
                if sender and message["from"] != sender:
                    continue
                if not after <= message["_sent_at"] <= before:
                    continue
                matched.append(public(message))
                if len(matched) > page_size:
                    break
        filters = {k: v for k, v in query.items() if k not in ("Page", "PageSize", "PageToken")}
        base = f"{PREFIX}{account_sid}/Messages.json"

        def uri(page_number: int, token: str | None = None) -> str:
            params = {**filters, "PageSize": page_size, "Page": page_number}
            if token:
                params["PageToken"] = token
            return f"{base}?{urlencode(params)}"

        has_next = len(matched) > page_size
        records = matched[:page_size]
        start = page * page_size
        next_uri = None
        if has_next:
            last_seq = self.store.by_sid[records[-1]["sid"]]["_seq"]
            next_uri = uri(page + 1, f"PA{last_seq}")
        return {
            "messages": records,
            "page": page,
            "page_size": page_size,
            "start": start,
            "end": start + max(len(records) - 1, 0),
            "uri": uri(page, query.get("PageToken")),
            "first_page_uri": uri(0),
            "next_page_uri": next_uri,
            "previous_page_uri": None,
        }

    # Control endpoints

    def control(self, environ: dict, method: str, name: str) -> tuple[int, dict]:
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        data = _json(environ) if method == "POST" else {}
        store = self.store
        if name == "messages" and method == "GET":
            return 200, {"messages": messages_view(store, to=query.get("To"))}
        if name == "counts" and method == "GET":
            with store.lock:
                return 200, {"counts": dict(store.counts), "total": len(store.messages)}
        if name == "rejections" and method == "GET":
            with store.lock:
                return 200, {"rejections": list(store.rejected)}
        if name == "inbound" and method == "GET":
            with store.lock:
                return 200, {"inbound": list(store.inbound)}
        if name == "reset" and method == "POST":
            store.reset()
            return 200, {"reset": True}
        if name == "failures" and method == "POST":
            for number, code in data.get("failing", {}).items():
                fail(store, number, int(code), data.get("status"))
            with store.lock:
                store.blocked.update(data.get("blocked", ()))
            return 200, failures_view(store)
        if name == "failures" and method == "GET":
            return 200, failures_view(store)
        if name == "outage" and method == "POST":
            status = data.get("status")
            store.outage = Outage(int(status), data.get("requests")) if status else None
            return 200, {"outage": status and {"status": status, "requests": data.get("requests")}}
        if name == "settings" and method == "POST":
            for key in ("status_callbacks", "inbound_webhook", "honor_opt_out", "latency"):
                if key in data:
                    setattr(store.settings, key, data[key])
            return 200, vars(store.settings)
        if name == "callbacks/wait" and method == "POST":
            idle = self.callbacks.wait_idle(float(data.get("timeout", 10)))
            return 200, {"idle": idle}
        if name == "inbound" and method == "POST":
            answer = self.send_inbound(
                sender=data["From"],
                to=data["To"],
                body=data.get("Body", ""),
                media_urls=data.get("MediaUrls", ()),
                signature=data.get("Signature"),
            )
            return 200, {"status": answer.status, "body": answer.body}
        raise HttpError(404, 20404, f"No control endpoint {method} /_gateway/{name}")

    def send_inbound(
        self,
        *,
        sender: str,
        to: str,
        body: str,
        media_urls: Iterable[str] = (),
        signature: str | None = None,
    ) -> WebhookAnswer:
        """A family texts `body`: POST Twilio's inbound fields to the inbound webhook."""
        url = self.store.settings.inbound_webhook
        if not url:
            raise HttpError(400, 20001, "The gateway has no inbound webhook URL configured")
        media_urls = list(media_urls)
        sid = new_sid("MM" if media_urls else "SM")
        account_sid = self.account_sid or "AC" + "0" * 32
        params = {
            "ToCountry": "US",
            "ToState": "",
            "SmsMessageSid": sid,
            "NumMedia": str(len(media_urls)),
            "ToCity": "",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": body,
            "FromCountry": "US",
            "To": to,
            "ToZip": "",
            "NumSegments": str(max(count_segments(body).segments, 1)),
            "MessageSid": sid,
            "AccountSid": account_sid,
            "From": sender,
            "ApiVersion": API_VERSION,
        }
        for index, media_url in enumerate(media_urls):
            params[f"MediaUrl{index}"] = media_url
            params[f"MediaContentType{index}"] = "image/jpeg"
        self._opt_out(sender, body)
        with self.store.lock:
            self.store.inbound.append({"sid": sid, "from": sender, "to": to, "body": body})
        answer = signed_post(
            self.poster, auth_token=self.auth_token, url=url, params=params, signature=signature
        )
        if 200 <= answer.status < 300:
            for reply in twiml_messages(answer.body):
                self._record_reply(account_sid, sender=to, to=sender, body=reply)
        return answer

    def _opt_out(self, sender: str, body: str) -> None:
        if not self.store.settings.honor_opt_out:
            return
        keyword = keywords.classify(body)
        with self.store.lock:
            if keyword == keywords.Keyword.STOP:
                self.store.blocked.add(sender)
            elif keyword == keywords.Keyword.START:
                self.store.blocked.discard(sender)

    def _record_reply(self, account_sid: str, *, sender: str, to: str, body: str) -> None:
        message = build_message(
            self.store,
            account_sid,
            to=to,
            sender=sender,
            service=None,
            body=body,
            direction="outbound-reply",
            status="queued",
        )
        self.store.add(message)
        settle(self.store, message)


def build_message(
    store: Store,
    account_sid: str,
    *,
    to: str,
    sender: str | None,
    service: str | None,
    body: str,
    direction: str,
    status: str,
) -> dict:
    """A Message resource as Twilio returns it, plus the gateway's `_` bookkeeping."""
    epoch, date = store.now()
    sid = new_sid()
    uri = f"{PREFIX}{account_sid}/Messages/{sid}"
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": body,
        "date_created": date,
        "date_sent": date,
        "date_updated": date,
        "direction": direction,
        "error_code": None,
        "error_message": None,
        "from": sender,
        "messaging_service_sid": service,
        "num_media": "0",
        "num_segments": str(count_segments(body).segments),
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": status,
        "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": to,
        "uri": f"{uri}.json",
        "_sent_at": epoch,
    }


def settle(store: Store, message: dict) -> None:
    """Give a message its final status at once (no status callback to walk it there)."""
    status, code = final_statuses(store, message["to"])[-1]
    with store.lock:
        message["status"] = status
        message["error_code"] = code


def fail(store: Store, number: str, code: int, status: str | None = None) -> None:
    """Messages to `number` are accepted, then fail with Twilio error `code`."""
    status = status or ("failed" if code in FAILED_CODES else "undelivered")
    with store.lock:
        store.failing[number] = (code, status)


def messages_view(store: Store, *, to: str | None = None) -> list[dict]:
    with store.lock:
        messages = store.by_to.get(to, []) if to else store.messages
        return [public(message) for message in messages]


def failures_view(store: Store) -> dict:
    with store.lock:
        return {
            "failing": {
                number: {"code": code, "status": status}
                for number, (code, status) in store.failing.items()
            },
            "blocked": sorted(store.blocked),
        }


def twiml_messages(body: str) -> list[str]:
    """The texts of <Message> verbs in a TwiML answer (empty for anything else)."""
    if "<Message" not in body:
        return []
    try:
        root = ET.fromstring(body)  # noqa: S314 - the answer comes from our own app
    except ET.ParseError:
        return []
    texts = []
    for verb in root.iter("Message"):
        inner = verb.find("Body")
        text = (inner.text if inner is not None else verb.text) or ""
        if text.strip():
            texts.append(text.strip())
    return texts


def _form(environ: dict) -> dict[str, str]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))


def _json(environ: dict) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError as error:
        raise HttpError(400, 20001, f"Invalid JSON: {error}") from error
    if not isinstance(data, dict):
        raise HttpError(400, 20001, "Expected a JSON object")
    return data


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _date_range(query: dict) -> tuple[float, float]:
    """Twilio's DateSent filters as an inclusive epoch range; a bare date covers its day."""
    after, before = float("-inf"), float("inf")
    if "DateSent" in query:
        start, end = _day_or_moment(query["DateSent"])
        after, before = start, end
    if "DateSent>" in query:
        after = max(after, _day_or_moment(query["DateSent>"])[0])
    if "DateSent<" in query:
        before = min(before, _day_or_moment(query["DateSent<"])[1])
    return after, before


def _day_or_moment(value: str) -> tuple[float, float]:
    value = value.strip()
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return day.timestamp(), (day + timedelta(days=1)).timestamp() - 1e-6
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise HttpError(400, 20001, f"Invalid DateSent value {value!r}") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Twilio's dates have whole seconds: a moment matches its whole second.
    return int(moment.timestamp()), int(moment.timestamp()) + 1 - 1e-6
