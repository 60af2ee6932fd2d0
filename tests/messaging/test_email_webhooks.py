"""Email coming back through the provider's webhooks (Postmark's format, through Anymail):
a family's reply lands in its household's thread without the quoted message, an unknown
sender reaches the unmatched inbox of the organization it wrote to, STOP withdraws consent,
a bounce fails the delivery with the provider's reason, and a call without our secret is
refused with 403 and stores nothing."""

import base64
import json

import pytest
from django.core import mail
from django.urls import reverse

from tandem.directory.models import ContactPoint
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging import delivery as deliveries
from tandem.messaging.compose import compose_message
from tandem.messaging.models import Delivery, InboundMessage, Message
from tandem.messaging.senders import ChannelSender
from tests.clock import next_noon

SECRET = "postmark:hook-secret"


@pytest.fixture(autouse=True)
def email_settings(settings):
    settings.TANDEM_EMAIL_PROVIDER = "postmark"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    settings.TANDEM_REPLY_EMAIL = "replies@in.riverside.example.org"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    mail.outbox = []


@pytest.fixture
def rosa(world):
    household = create_household(organization=world.district, name="Flores")
    add_student(household=household, school=world.elementary, given_name="Daniel", grade="02")
    return add_caregiver(
        household=household, given_name="Rosa", preferred_language="es", email="Rosa@Example.org"
    )


def email_rosa(world, rosa, body="Las conferencias son el jueves.") -> Delivery:
    """Send Rosa's household a message the way the workers do, and return its delivery."""
    message = compose_message(
        actor=world.coordinator,
        organization=world.district,
        audience=Message.Audience.HOUSEHOLD,
        household=rosa.household,
        body=body,
        language="es",
    )
    noon = next_noon(world.district.time_zone)
    deliveries.send_due(message.pk, sender=ChannelSender(), clock=lambda: noon)
    return Delivery.objects.get(message=message)


def post(client, path: str, payload: dict, secret: str | None = SECRET):
    headers = {}
    if secret is not None:
        headers["authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(path, json.dumps(payload), content_type="application/json", headers=headers)


def postmark_inbound(*, sender: str, to: str, text: str, message_id: str, headers=()) -> dict:
    return {
        "FromName": "Rosa",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Rosa"},
        "To": to,
        "ToFull": [{"Email": to, "Name": ""}],
        "CcFull": [],
        "OriginalRecipient": to,
        "Subject": "Re: Riverside Unified",
        "MessageID": "6a3c1f4e-0000-4000-8000-" + message_id[-12:].rjust(12, "0"),
        "TextBody": text,
        "HtmlBody": "",
        "Headers": [{"Name": "Message-ID", "Value": f"<{message_id}@mail.example.org>"}, *headers],
        "Attachments": [],
    }


QUOTED_REPLY = (
    "Sí, allí estaremos con Daniel.\n\n"
    "El lun, 23 nov 2026 a las 12:00, Riverside Unified <no-reply@tandem.localhost> escribió:\n"
    "> Las conferencias son el jueves.\n"
)


def test_the_sent_email_carries_a_signed_reply_address_and_how_to_answer(world, rosa):
    delivery = email_rosa(world, rosa)

    [sent] = mail.outbox
    assert delivery.status == Delivery.Status.SENT
    [reply_to] = sent.reply_to
    assert reply_to.startswith(f"replies+d{delivery.pk}-")
    assert reply_to.endswith("@in.riverside.example.org")
    assert "responder a este correo" in sent.body  # the footer, in Rosa's language


def test_a_reply_lands_in_the_household_thread_without_the_quoted_message(world, rosa, client):
    delivery = email_rosa(world, rosa)
    [reply_to] = mail.outbox[0].reply_to
    payload = postmark_inbound(
        sender="rosa.work@example.net",  # another address: the tag finds the household
        to=reply_to,
        text=QUOTED_REPLY,
        message_id="reply-1",
    )

    first = post(client, reverse("email_hooks:inbound"), payload)
    again = post(client, reverse("email_hooks:inbound"), payload)  # the provider retried

    assert first.status_code == again.status_code == 200
    [reply] = InboundMessage.objects.all()
    assert reply.channel == Delivery.Channel.EMAIL
    assert reply.household == rosa.household == delivery.household
    assert reply.thread.household == rosa.household
    assert reply.body == "Sí, allí estaremos con Daniel."
    assert reply.language == "es"
    rosa.household.refresh_from_db()
    assert rosa.household.last_heard_at == reply.received_at


def test_a_forged_tag_is_not_trusted(world, rosa, client):
    delivery = email_rosa(world, rosa)
    forged = f"replies+d{delivery.pk}-0123456789abcdef@in.riverside.example.org"
    post(
        client,
        reverse("email_hooks:inbound"),
        postmark_inbound(sender="someone@example.net", to=forged, text="hola", message_id="f-1"),
    )
    reply = InboundMessage.objects.get()
    assert reply.household is None


def test_a_reply_from_a_known_address_is_matched_by_its_sender(world, rosa, client):
    post(
        client,
        reverse("email_hooks:inbound"),
        postmark_inbound(
            sender="rosa@example.org",
            to="replies@in.riverside.example.org",
            text="¿A qué hora es la reunión?",
            message_id="reply-2",
        ),
    )
    reply = InboundMessage.objects.get()
    assert reply.household == rosa.household
    assert reply.thread is not None


def test_an_unknown_sender_reaches_the_unmatched_inbox_of_the_organization_written_to(
    world, client
):
    world.other_district.reply_email = "familias@lakeside.example.org"
    world.other_district.save()
    post(
        client,
        reverse("email_hooks:inbound"),
        postmark_inbound(
            sender="stranger@example.net",
            to="familias@lakeside.example.org",
            text="Hello, my son starts next week.",
            message_id="reply-3",
        ),
    )
    reply = InboundMessage.objects.get()
    assert (reply.household, reply.organization) == (None, world.other_district)

    client.force_login(world.district_staff)
    assert "my son starts next week" not in client.get(reverse("messaging:unmatched")).text


def test_stop_in_the_middle_of_a_broadcast_withdraws_consent_at_once(world, rosa, client):
    delivery = email_rosa(world, rosa)
    [reply_to] = mail.outbox[0].reply_to
    waiting = compose_message(
        actor=world.coordinator,
        organization=world.district,
        audience=Message.Audience.HOUSEHOLD,
        household=rosa.household,
        body="Recordatorio: conferencias el jueves.",
        language="es",
    )
    post(
        client,
        reverse("email_hooks:inbound"),
        postmark_inbound(
            sender="rosa@example.org",
            to=reply_to,
            text="STOP\n\n> Las conferencias…",
            message_id="s",
        ),
    )
    reply = InboundMessage.objects.get()
    assert reply.kind == InboundMessage.Kind.STOP and reply.thread is None
    assert not ContactPoint.objects.get(pk=delivery.contact_point_id).consent

    mail.outbox = []
    noon = next_noon(world.district.time_zone)
    deliveries.send_due(waiting.pk, sender=ChannelSender(), clock=lambda: noon)
    assert mail.outbox == []  # nothing more reaches her by email
    assert Delivery.objects.get(message=waiting).status == Delivery.Status.SUPPRESSED


def test_an_out_of_office_answer_is_kept_but_is_not_a_reply(world, rosa, client):
    email_rosa(world, rosa)
    [reply_to] = mail.outbox[0].reply_to
    post(
        client,
        reverse("email_hooks:inbound"),
        postmark_inbound(
            sender="rosa@example.org",
            to=reply_to,
            text="Estoy fuera de la oficina hasta el lunes.",
            message_id="ooo",
            headers=[{"Name": "Auto-Submitted", "Value": "auto-replied"}],
        ),
    )
    reply = InboundMessage.objects.get()
    assert reply.kind == InboundMessage.Kind.AUTO_REPLY and reply.thread is None
    rosa.household.refresh_from_db()
    assert rosa.household.last_heard_at is None


@pytest.mark.parametrize("secret", ["postmark:wrong", None])
def test_a_call_without_our_secret_is_refused_and_stores_nothing(world, rosa, client, secret):
    payload = postmark_inbound(
        sender="rosa@example.org", to="replies@in.example.org", text="STOP", message_id="x"
    )
    response = post(client, reverse("email_hooks:inbound"), payload, secret=secret)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()
    assert ContactPoint.objects.get(value="rosa@example.org").consent


def test_without_a_secret_configured_every_call_is_refused(world, client, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    payload = postmark_inbound(
        sender="a@example.org", to="b@example.org", text="hi", message_id="y"
    )
    assert post(client, reverse("email_hooks:inbound"), payload, secret=":").status_code == 403


def test_without_an_email_provider_the_webhooks_are_not_there(world, client, settings):
    settings.TANDEM_EMAIL_PROVIDER = ""
    payload = postmark_inbound(
        sender="a@example.org", to="b@example.org", text="hi", message_id="z"
    )
    assert post(client, reverse("email_hooks:inbound"), payload).status_code == 404


def test_a_malformed_call_is_answered_400_and_stores_nothing(world, client):
    response = client.post(
        reverse("email_hooks:inbound"),
        "{not json",
        content_type="application/json",
        headers={"authorization": "Basic " + base64.b64encode(SECRET.encode()).decode()},
    )
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


def postmark_bounce(delivery: Delivery, *, record_type="Bounce", kind="HardBounce") -> dict:
    return {
        "RecordType": record_type,
        "Type": kind,
        "ID": 4323372036854775807,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Email": delivery.address,
        "Recipient": delivery.address,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "BouncedAt": "2026-11-23T18:05:00Z",
        "Metadata": {"delivery": str(delivery.pk)},
    }


def test_a_bounce_fails_the_delivery_with_the_provider_reason(world, rosa, client):
    delivery = email_rosa(world, rosa)

    response = post(client, reverse("email_hooks:tracking"), postmark_bounce(delivery))

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error_code == "bounced"
    assert "unable to deliver" in delivery.error_reason


def test_a_spam_complaint_withdraws_consent_to_email(world, rosa, client):
    delivery = email_rosa(world, rosa)
    post(
        client,
        reverse("email_hooks:tracking"),
        postmark_bounce(delivery, record_type="SpamComplaint", kind="SpamComplaint"),
    )
    assert not ContactPoint.objects.get(pk=delivery.contact_point_id).consent


def test_an_event_about_mail_we_did_not_send_changes_nothing(world, rosa, client):
    delivery = email_rosa(world, rosa)
    event = postmark_bounce(delivery) | {"Metadata": {}, "MessageID": "not-ours"}
    assert post(client, reverse("email_hooks:tracking"), event).status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
