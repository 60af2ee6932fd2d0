"""The local SMS gateway, spoken to over HTTP on loopback: by Twilio's own library, by a
bare HTTP client, and through its control endpoints."""

import base64
import json
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tandem.smsgateway.bare import bare_rate
from tandem.smsgateway.server import GatewayControl, running_gateway
from tests.smsgateway.receiver import receiving

TOKEN = "test-token"
ACCOUNT = "AC" + "1" * 32
FAMILY = "+15550100001"
SCHOOL = "+15550009999"


@pytest.fixture(scope="module")
def gateway():
    with running_gateway(auth_token=TOKEN, account_sid=ACCOUNT) as gateway:
        yield gateway


@pytest.fixture(autouse=True)
def _fresh(gateway):
    gateway.reset()
    gateway.configure(status_callbacks=True, inbound_webhook=None, honor_opt_out=False)


class GatewayHttpClient(TwilioHttpClient):
    """Twilio's own default HTTP client (on `requests`), pointed at the gateway: the
    gateway must answer the library as Twilio does, whichever client Tandem uses."""

    def __init__(self, base: str):
        super().__init__(timeout=5)
        self.base = base

    def request(self, method, url, *args, **kwargs):
        return super().request(
            method, url.replace("https://api.twilio.com", self.base), *args, **kwargs
        )


def twilio(gateway, token: str = TOKEN) -> Client:
    return Client(ACCOUNT, token, http_client=GatewayHttpClient(gateway.url))


def raw(gateway, method: str, path: str, form: dict | None = None, auth=(ACCOUNT, TOKEN)):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(gateway.url + path, data=data, method=method)  # noqa: S310
    if auth:
        credentials = base64.b64encode(":".join(auth).encode()).decode()
        request.add_header("Authorization", f"Basic {credentials}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


def test_twilio_library_sends_and_reads_back_a_message(gateway):
    client = twilio(gateway)
    sent = client.messages.create(to=FAMILY, from_=SCHOOL, body="Conferences are Tuesday")
    assert re.fullmatch(r"SM[0-9a-f]{32}", sent.sid)
    assert sent.status == "queued"
    assert sent.num_segments == "1"
    assert sent.to == FAMILY and sent.from_ == SCHOOL
    assert sent.date_created.tzinfo is not None
    assert sent.error_code is None
    fetched = client.messages(sent.sid).fetch()
    assert fetched.body == "Conferences are Tuesday"
    assert gateway.counts() == {FAMILY: 1}


def test_response_has_twilio_fields(gateway):
    status, body = raw(gateway, "POST", MESSAGES, {"To": FAMILY, "From": SCHOOL, "Body": "Hi"})
    assert status == 201
    assert {
        "sid",
        "account_sid",
        "api_version",
        "body",
        "date_created",
        "date_sent",
        "date_updated",
        "direction",
        "error_code",
        "error_message",
        "from",
        "messaging_service_sid",
        "num_media",
        "num_segments",
        "price",
        "price_unit",
        "status",
        "subresource_uris",
        "to",
        "uri",
    } == set(body)
    assert body["direction"] == "outbound-api"
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000", body["date_created"])


def test_messaging_service_sid_stands_in_for_from(gateway):
    service = "MG" + "2" * 32
    message = twilio(gateway).messages.create(to=FAMILY, messaging_service_sid=service, body="x")
    assert message.messaging_service_sid == service


def test_long_unicode_text_counts_its_segments(gateway):
    message = twilio(gateway).messages.create(to=FAMILY, from_=SCHOOL, body="¿Qué tal? 😀" * 12)
    assert message.num_segments == "3"


def test_it_refuses_requests_without_credentials(gateway):
    status, body = raw(gateway, "POST", MESSAGES, {"To": FAMILY, "From": SCHOOL, "Body": "x"}, None)
    assert status == 401
    assert body["code"] == 20003
    assert gateway.counts() == {}


def test_it_refuses_a_wrong_auth_token(gateway):
    with pytest.raises(TwilioRestException) as raised:
        twilio(gateway, token="wrong").messages.create(to=FAMILY, from_=SCHOOL, body="x")
    assert raised.value.status == 401
    assert gateway.counts() == {}


@pytest.mark.parametrize("to", ["5550100001", "+1555", "+1 555 010 0001", "hello", "+0123456789"])
def test_malformed_to_is_21211(gateway, to):
    with pytest.raises(TwilioRestException) as raised:
        twilio(gateway).messages.create(to=to, from_=SCHOOL, body="x")
    assert raised.value.status == 400
    assert raised.value.code == 21211
    assert gateway.counts() == {}
    assert gateway.rejections()[0]["code"] == 21211


def test_error_json_has_twilio_shape(gateway):
    status, body = raw(gateway, "POST", MESSAGES, {"To": "12", "From": SCHOOL, "Body": "x"})
    assert status == 400
    assert body == {
        "code": 21211,
        "message": "The 'To' number 12 is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"From": SCHOOL, "Body": "x"}, 21604),
        ({"To": FAMILY, "Body": "x"}, 21603),
        ({"To": FAMILY, "From": SCHOOL}, 21602),
        ({"To": FAMILY, "From": SCHOOL, "Body": "x" * 1601}, 21617),
    ],
)
def test_missing_or_oversized_fields_are_refused(gateway, form, code):
    status, body = raw(gateway, "POST", MESSAGES, form)
    assert (status, body["code"]) == (400, code)


def test_blocked_number_is_21610(gateway):
    gateway.block(FAMILY)
    with pytest.raises(TwilioRestException) as raised:
        twilio(gateway).messages.create(to=FAMILY, from_=SCHOOL, body="x")
    assert raised.value.code == 21610
    assert gateway.counts() == {}


def test_unknown_message_is_404(gateway):
    status, body = raw(gateway, "GET", MESSAGES.replace(".json", "/SM" + "0" * 32 + ".json"))
    assert (status, body["code"]) == (404, 20404)


def test_status_callbacks_arrive_signed_in_order(gateway):
    with receiving() as tandem:
        callback = tandem.url + "/sms/status/?delivery=7"
        sent = twilio(gateway).messages.create(
            to=FAMILY, from_=SCHOOL, body="x", status_callback=callback
        )
        received = tandem.wait_for(2)
    assert [r.form["MessageStatus"] for r in received] == ["sent", "delivered"]
    validator = RequestValidator(TOKEN)
    for request in received:
        assert request.form["MessageSid"] == sent.sid
        assert request.form["To"] == FAMILY
        assert request.form["From"] == SCHOOL
        assert request.form["AccountSid"] == ACCOUNT
        assert "ErrorCode" not in request.form
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert validator.validate(callback, request.form, request.headers["X-Twilio-Signature"])
    assert gateway.wait_for_callbacks()
    assert gateway.messages(FAMILY)[0]["status"] == "delivered"


def test_failing_number_reports_undelivered_with_error_code(gateway):
    gateway.fail(FAMILY, 30003)
    with receiving() as tandem:
        twilio(gateway).messages.create(
            to=FAMILY, from_=SCHOOL, body="x", status_callback=tandem.url + "/status"
        )
        received = tandem.wait_for(2)
    assert [(r.form["MessageStatus"], r.form.get("ErrorCode")) for r in received] == [
        ("sent", None),
        ("undelivered", "30003"),
    ]
    gateway.wait_for_callbacks()
    assert gateway.messages(FAMILY)[0]["error_code"] == 30003


def test_status_callbacks_can_be_turned_off(gateway):
    gateway.configure(status_callbacks=False)
    with receiving() as tandem:
        twilio(gateway).messages.create(
            to=FAMILY, from_=SCHOOL, body="x", status_callback=tandem.url + "/status"
        )
        assert gateway.wait_for_callbacks()
        assert tandem.wait_for(1, timeout=0.3) == []
    assert gateway.messages()[0]["status"] == "delivered"


def test_list_filters_by_to_and_pages_newest_first(gateway):
    client = twilio(gateway)
    for n in range(7):
        client.messages.create(to=FAMILY, from_=SCHOOL, body=f"text {n}")
    client.messages.create(to="+15550100002", from_=SCHOOL, body="other family")
    page = client.messages.page(to=FAMILY, page_size=3)
    assert [m.body for m in page] == ["text 6", "text 5", "text 4"]
    assert page.next_page_url is not None
    assert [m.body for m in client.messages.list(to=FAMILY, page_size=3)] == [
        f"text {n}" for n in range(6, -1, -1)
    ]
    assert len(client.messages.list(page_size=2)) == 8
    assert client.messages.list(from_="+15550000000") == []


def test_list_filters_by_date_sent(gateway):
    client = twilio(gateway)
    client.messages.create(to=FAMILY, from_=SCHOOL, body="today")
    now = datetime.now(UTC)
    assert len(client.messages.list(date_sent_after=now - timedelta(minutes=1))) == 1
    assert client.messages.list(date_sent_after=now + timedelta(minutes=1)) == []
    assert client.messages.list(date_sent_before=now - timedelta(minutes=1)) == []
    _, today = raw(gateway, "GET", f"{MESSAGES}?DateSent={now:%Y-%m-%d}")
    assert len(today["messages"]) == 1
    tomorrow = now + timedelta(days=1)
    _, later = raw(gateway, "GET", f"{MESSAGES}?DateSent%3E={tomorrow:%Y-%m-%d}")
    assert later["messages"] == []


def test_outage_answers_503_then_recovers(gateway):
    gateway.outage(503, requests=2)
    client = twilio(gateway)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as raised:
            client.messages.create(to=FAMILY, from_=SCHOOL, body="x")
        assert raised.value.status == 503
    client.messages.create(to=FAMILY, from_=SCHOOL, body="x")
    assert gateway.counts() == {FAMILY: 1}


def test_rate_limit_until_turned_off(gateway):
    gateway.outage(429)
    for _ in range(3):
        status, body = raw(gateway, "POST", MESSAGES, {"To": FAMILY, "From": SCHOOL, "Body": "x"})
        assert (status, body["code"]) == (429, 20429)
    gateway.end_outage()
    status, _ = raw(gateway, "POST", MESSAGES, {"To": FAMILY, "From": SCHOOL, "Body": "x"})
    assert status == 201


def test_counts_per_recipient(gateway):
    client = twilio(gateway)
    for to in (FAMILY, FAMILY, "+15550100002"):
        client.messages.create(to=to, from_=SCHOOL, body="x")
    assert gateway.counts() == {FAMILY: 2, "+15550100002": 1}
    assert [m["to"] for m in gateway.messages(FAMILY)] == [FAMILY, FAMILY]


def test_inbound_text_is_posted_signed_to_the_webhook(gateway):
    with receiving() as tandem:
        webhook = tandem.url + "/sms/inbound/"
        gateway.configure(inbound_webhook=webhook)
        answer = gateway.send_inbound(sender=FAMILY, to=SCHOOL, body="¿Cuándo es la reunión? 📅")
        (request,) = tandem.wait_for(1)
    assert answer.status == 200
    form = request.form
    assert form["From"] == FAMILY and form["To"] == SCHOOL
    assert form["Body"] == "¿Cuándo es la reunión? 📅"
    assert form["NumMedia"] == "0"
    assert re.fullmatch(r"SM[0-9a-f]{32}", form["MessageSid"])
    assert form["AccountSid"] == ACCOUNT
    signature = request.headers["X-Twilio-Signature"]
    assert RequestValidator(TOKEN).validate(webhook, form, signature)
    assert not RequestValidator("other-token").validate(webhook, form, signature)


def test_inbound_with_a_bad_signature_gets_what_the_webhook_answers(gateway):
    with receiving() as tandem:
        tandem.answer_status = 403
        gateway.configure(inbound_webhook=tandem.url + "/sms/inbound/")
        answer = gateway.send_inbound(sender=FAMILY, body="hola", signature="forged")
        (request,) = tandem.wait_for(1)
    assert answer.status == 403
    assert request.headers["X-Twilio-Signature"] == "forged"


def test_twiml_reply_to_an_inbound_text_is_recorded_as_sent(gateway):
    with receiving() as tandem:
        tandem.answer_body = "<Response><Message>We got it, thanks!</Message></Response>"
        gateway.configure(inbound_webhook=tandem.url + "/in")
        gateway.send_inbound(sender=FAMILY, to=SCHOOL, body="HELP")
    (reply,) = gateway.messages(FAMILY)
    assert (reply["body"], reply["direction"], reply["from"]) == (
        "We got it, thanks!",
        "outbound-reply",
        SCHOOL,
    )


def test_stop_blocks_the_number_when_opt_out_is_honored(gateway):
    with receiving() as tandem:
        gateway.configure(inbound_webhook=tandem.url + "/in", honor_opt_out=True)
        gateway.send_inbound(sender=FAMILY, body="  Stop! ")
        with pytest.raises(TwilioRestException) as raised:
            twilio(gateway).messages.create(to=FAMILY, from_=SCHOOL, body="x")
        assert raised.value.code == 21610
        gateway.send_inbound(sender=FAMILY, body="start")
    twilio(gateway).messages.create(to=FAMILY, from_=SCHOOL, body="x")
    assert gateway.counts() == {FAMILY: 1}


def test_control_endpoints_over_http(gateway):
    control = GatewayControl(gateway.url)
    twilio(gateway).messages.create(to=FAMILY, from_=SCHOOL, body="x")
    assert control.counts() == {FAMILY: 1}
    assert [m["to"] for m in control.messages(to=FAMILY)] == [FAMILY]
    control.outage(503, requests=1)
    status, _ = raw(gateway, "GET", MESSAGES)
    assert status == 503
    control.fail("+15550100002", 30006)
    control.block("+15550100003")
    status, body = raw(gateway, "GET", "/_gateway/failures")
    assert body == {
        "failing": {"+15550100002": {"code": 30006, "status": "undelivered"}},
        "blocked": ["+15550100003"],
    }
    assert control.wait_for_callbacks()
    control.reset()
    assert control.counts() == {}
    with receiving() as tandem:
        control.configure(inbound_webhook=tandem.url + "/in")
        assert control.send_inbound(sender=FAMILY, body="hi").status == 200


def test_bare_rate_drives_the_gateway(gateway):
    gateway.configure(status_callbacks=False)
    rate = bare_rate(gateway.url, 200, 2, account_sid=ACCOUNT, auth_token=TOKEN)
    assert rate > 0
    assert sum(gateway.counts().values()) == 200
    assert len(gateway.counts()) == 200
