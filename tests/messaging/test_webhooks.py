"""Twilio's calls to Tandem: a family's reply lands in its household's thread, STOP is
honoured and answered, a status callback records delivery, and an unsigned or wrongly
signed call is refused with 403 and stores nothing."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from tandem.directory.models import ContactPoint
from tandem.messaging.models import Delivery, InboundMessage, Message
from tandem.messaging.services import release_message

TOKEN = "webhook-token"
PUBLIC = "https://tandem.example.org"


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TANDEM_TWILIO_AUTH_TOKEN = TOKEN
    settings.TANDEM_PUBLIC_URL = PUBLIC


def signed_post(client, path: str, params: dict, token: str = TOKEN):
    signature = RequestValidator(token).compute_signature(PUBLIC + path, params)
    return client.post(path, params, headers={"x-twilio-signature": signature})


def inbound(sid: str, sender: str, body: str) -> dict:
    return {"MessageSid": sid, "From": sender, "To": "+13125550000", "Body": body}


def test_a_reply_lands_in_the_household_thread_once(world, client):
    path = reverse("sms:inbound")
    params = inbound("SM" + "a" * 32, "+13125550101", "Gracias, Lucía estará allí el viernes.")

    first = signed_post(client, path, params)
    again = signed_post(client, path, params)  # Twilio retried the webhook

    assert first.status_code == again.status_code == 200
    [reply] = InboundMessage.objects.all()
    assert reply.household == world.household
    assert reply.thread.household == world.household
    assert reply.language == "es"
    world.household.refresh_from_db()
    assert world.household.last_heard_at == reply.received_at


def test_a_text_from_an_unknown_number_goes_to_the_unmatched_inbox(world, client):
    signed_post(client, reverse("sms:inbound"), inbound("SM" + "b" * 32, "+13125559999", "hi"))
    [reply] = InboundMessage.objects.all()
    assert reply.household is None and reply.thread is None


def test_stop_withdraws_consent_and_is_confirmed_in_the_family_language(world, client):
    response = signed_post(
        client, reverse("sms:inbound"), inbound("SM" + "c" * 32, "+13125550101", "PARAR")
    )
    assert not ContactPoint.objects.get(value="+13125550101").consent
    assert "<Message>" in response.text
    assert InboundMessage.objects.get().kind == InboundMessage.Kind.STOP


@pytest.mark.parametrize("signature_token", ["not-our-token", None])
def test_a_webhook_without_our_signature_is_refused_and_stores_nothing(
    world, client, signature_token
):
    path = reverse("sms:inbound")
    params = inbound("SM" + "d" * 32, "+13125550101", "STOP")
    if signature_token is None:
        response = client.post(path, params)
    else:
        response = signed_post(client, path, params, token=signature_token)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()
    assert ContactPoint.objects.get(value="+13125550101").consent


def test_a_status_callback_records_delivery_and_failure(world, client):
    message = Message.objects.create(
        organization=world.district,
        author=world.coordinator,
        audience=Message.Audience.SCHOOL,
        school=world.elementary,
        language="en",
        body="Hello",
        status=Message.Status.AWAITING_REVIEW,
    )
    release_message(message=message, versions={"en": ("Hello", False)})
    maria, amina = Delivery.objects.order_by("address")[:2]
    Delivery.objects.update(status=Delivery.Status.SENT)

    ok = signed_post(
        client,
        reverse("sms:status", args=[maria.pk]),
        {"MessageSid": "SM" + "e" * 32, "MessageStatus": "delivered"},
    )
    failed = signed_post(
        client,
        reverse("sms:status", args=[amina.pk]),
        {"MessageSid": "SM" + "f" * 32, "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )

    assert ok.status_code == failed.status_code == 204
    maria.refresh_from_db()
    amina.refresh_from_db()
    assert (maria.status, maria.provider_id) == (Delivery.Status.DELIVERED, "SM" + "e" * 32)
    assert (amina.status, amina.error_code) == (Delivery.Status.FAILED, "30003")


def test_a_reply_waits_in_the_review_queue_for_the_staff_language_then_reads_in_it(
    world, client, settings, django_capture_on_commit_callbacks
):
    from tandem.messaging.inbound import request_reply_translation
    from tandem.translation.models import TranslationRequest
    from tandem.translation.services import approve_translation

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    message = Message.objects.create(
        organization=world.district,
        author=world.coordinator,
        audience=Message.Audience.SCHOOL,
        school=world.elementary,
        language="en",
        body="Report cards go home on Friday.",
        status=Message.Status.AWAITING_REVIEW,
    )
    release_message(message=message, versions={"en": (message.body, False)})
    body = "Gracias, Lucía estará allí el viernes."

    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, reverse("sms:inbound"), inbound("SM" + "9" * 32, "+13125550101", body))

    reply = InboundMessage.objects.get()
    request = TranslationRequest.objects.get(purpose="reply", object_id=str(reply.pk))
    assert (request.source_language, request.target_language) == ("es", "en")
    assert request.status == TranslationRequest.Status.NEEDS_TRANSLATOR  # no engine here
    request_reply_translation(reply.pk)  # asking again changes nothing
    assert TranslationRequest.objects.filter(purpose="reply").count() == 1

    approve_translation(
        actor=world.coordinator, request=request, text="Thank you, Lucía will be there on Friday."
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("messaging:thread", args=[world.household.pk])).text
    assert "Thank you, Lucía will be there on Friday." in page
    assert body in page  # the original beside it


def test_a_text_to_an_organization_number_reaches_that_organization_unmatched_inbox(world, client):
    world.other_district.sms_number = "+13125550888"
    world.other_district.save()
    params = inbound("SM" + "8" * 32, "+13125559999", "Is school open tomorrow?")
    signed_post(client, reverse("sms:inbound"), params | {"To": "+13125550888"})

    reply = InboundMessage.objects.get()
    assert (reply.household, reply.organization) == (None, world.other_district)
    client.force_login(world.district_staff)
    assert "Is school open tomorrow?" not in client.get(reverse("messaging:unmatched")).text


def test_with_several_organizations_on_one_number_an_unknown_sender_is_kept_for_no_one(
    world, client
):
    signed_post(client, reverse("sms:inbound"), inbound("SM" + "7" * 32, "+13125559999", "hi"))
    assert InboundMessage.objects.get().organization is None
