"""Sending a class message through the local SMS gateway on loopback: one text per
consenting caregiver, in their language, through outages, crashes, STOPs and the night."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tandem.directory.models import ContactPoint
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging import delivery
from tandem.messaging.compose import compose_message, release_if_ready
from tandem.messaging.inbound import receive_sms
from tandem.messaging.models import Delivery, Message
from tandem.messaging.senders import ChannelSender
from tandem.smsgateway.server import running_gateway
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation

TOKEN = "delivery-token"
ACCOUNT = "AC" + "7" * 32
SCHOOL_NUMBER = "+13125550000"
CHICAGO = ZoneInfo("America/Chicago")
SPANISH = "Las boletas de calificaciones llegan a casa el viernes."
VIETNAMESE = "Phiếu điểm sẽ được gửi về nhà vào thứ Sáu."


@pytest.fixture(scope="module")
def gateway():
    with running_gateway(auth_token=TOKEN, account_sid=ACCOUNT, status_callbacks=False) as gw:
        yield gw


@pytest.fixture(autouse=True)
def twilio_settings(settings, gateway):
    gateway.reset()
    settings.TANDEM_TWILIO_API_BASE = gateway.url
    settings.TANDEM_TWILIO_ACCOUNT_SID = ACCOUNT
    settings.TANDEM_TWILIO_AUTH_TOKEN = TOKEN
    settings.TANDEM_TWILIO_FROM = SCHOOL_NUMBER
    settings.TANDEM_TWILIO_TIMEOUT = 5


@pytest.fixture
def third_grade(world):
    """María García (Spanish) is in the class; add an English and a Vietnamese family,
    and a father who never agreed to texts."""
    families = {}
    for name, given, language, phone, consent in [
        ("Smith", "Emma", "en", "+1 312 555 0201", True),
        ("Tran", "Lan", "vi", "+1 312 555 0203", True),
        ("Okafor", "Chidi", "en", "+1 312 555 0204", False),
    ]:
        household = create_household(organization=world.district, name=name)
        families[name] = add_caregiver(
            household=household,
            given_name=given,
            family_name=name,
            preferred_language=language,
            phone=phone,
            sms_consent=consent,
        )
        add_student(household=household, school=world.elementary, given_name="K", grade="03")
    return families


def noon(days: int = 1) -> datetime:
    """Noon in Chicago, outside quiet hours."""
    day = timezone.now().astimezone(CHICAGO).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 12, tzinfo=CHICAGO)


def class_message(world) -> Message:
    message = compose_message(
        actor=world.teacher,
        organization=world.district,
        audience=Message.Audience.GRADE,
        school=world.elementary,
        grade="03",
        body="Report cards go home on Friday.",
        language="en",
    )
    for request in TranslationRequest.objects.filter(object_id=str(message.pk)):
        text = {"es": SPANISH, "vi": VIETNAMESE}[request.target_language]
        approve_translation(actor=world.coordinator, request=request, text=text)
    release_if_ready(message)  # the approval hook runs after commit, which tests never reach
    message.refresh_from_db()
    return message


def test_nothing_goes_out_until_every_translation_is_reviewed(world, third_grade, gateway):
    message = compose_message(
        actor=world.teacher,
        organization=world.district,
        audience=Message.Audience.GRADE,
        school=world.elementary,
        grade="03",
        body="Report cards go home on Friday.",
        language="en",
    )
    pending = TranslationRequest.objects.filter(object_id=str(message.pk))
    assert sorted(pending.values_list("target_language", flat=True)) == ["es", "vi"]
    assert message.status == Message.Status.AWAITING_REVIEW
    assert not Delivery.objects.filter(message=message).exists()


def test_each_consenting_caregiver_gets_exactly_one_text_in_their_language(
    world, third_grade, gateway
):
    message = class_message(world)

    sent = delivery.send_due(message.pk, sender=ChannelSender(), clock=noon)

    assert sent == 3
    texts = {m["to"]: m["body"] for m in gateway.messages()}
    assert texts == {
        "+13125550101": SPANISH,
        "+13125550201": "Report cards go home on Friday.",
        "+13125550203": VIETNAMESE,
    }
    assert gateway.counts() == dict.fromkeys(texts, 1)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert all(Delivery.objects.values_list("provider_id", flat=True))
    # Run again, as a re-run job would: nothing more leaves.
    assert delivery.send_due(message.pk, sender=ChannelSender(), clock=noon) == 0
    assert sum(gateway.counts().values()) == 3


def test_texts_wait_until_eight_in_the_morning(world, third_grade, gateway):
    message = class_message(world)
    night = noon().replace(hour=22)

    delivery.send_due(message.pk, sender=ChannelSender(), clock=lambda: night)

    assert gateway.messages() == []
    # Held, not attempted: the morning's send will not first look for an earlier one.
    assert set(Delivery.objects.values_list("attempted_at", flat=True)) == {None}
    assert set(Delivery.objects.values_list("next_attempt_at", flat=True)) == {
        (night + timedelta(days=1)).replace(hour=8)
    }
    morning = (night + timedelta(days=1)).replace(hour=8, minute=1)
    assert delivery.send_due(message.pk, sender=ChannelSender(), clock=lambda: morning) == 3
    assert sum(gateway.counts().values()) == 3


def test_a_family_that_texts_stop_mid_broadcast_gets_nothing_more(world, third_grade, gateway):
    message = class_message(world)
    delivery.send_due(message.pk, sender=ChannelSender(), clock=noon, batch_size=1)
    Delivery.objects.filter(message=message).update(status=Delivery.Status.PENDING)
    gateway.reset()

    received = receive_sms(
        provider_id="SM" + "1" * 32,
        from_number="+13125550203",
        to_number=SCHOOL_NUMBER,
        body=" stop ",
    )
    delivery.send_due(message.pk, sender=ChannelSender(), clock=noon)

    assert "unsubscribed" in received.answer
    assert "+13125550203" not in gateway.counts()
    tran = Delivery.objects.get(caregiver=third_grade["Tran"])
    assert tran.status == Delivery.Status.SUPPRESSED
    assert not ContactPoint.objects.get(value="+13125550203").consent


def test_an_outage_is_retried_later_and_sent_once(world, third_grade, gateway):
    message = class_message(world)
    gateway.outage(status=503, requests=100)

    delivery.send_due(message.pk, sender=ChannelSender(), clock=noon)

    waiting = Delivery.objects.filter(status=Delivery.Status.PENDING)
    assert waiting.count() == 3
    assert {d.attempts for d in waiting} == {1}
    assert all(d.next_attempt_at > noon() for d in waiting)
    gateway.end_outage()
    later = noon() + timedelta(minutes=5)
    delivery.send_due(message.pk, sender=ChannelSender(), clock=lambda: later)
    assert gateway.counts() == {"+13125550101": 1, "+13125550201": 1, "+13125550203": 1}


def test_a_bad_number_fails_with_the_provider_reason_and_others_go_out(world, third_grade, gateway):
    message = class_message(world)
    gateway.block("+13125550201")

    delivery.send_due(message.pk, sender=ChannelSender(), clock=noon)

    smith = Delivery.objects.get(caregiver=third_grade["Smith"])
    assert smith.status == Delivery.Status.FAILED
    assert smith.error_code == "21610"
    assert sorted(gateway.counts()) == ["+13125550101", "+13125550203"]


def test_a_send_that_reached_the_gateway_before_a_crash_is_recorded_not_repeated(
    world, third_grade, gateway, settings
):
    # Real time here (the gateway's clock is the real one), with no quiet hours.
    settings.TANDEM_QUIET_HOURS = "00:00-00:00"
    message = class_message(world)
    # A worker claims a batch and sends it, then dies before writing anything down.
    claimed = delivery.claim_batch(message.pk, worker="dead", size=10, now=timezone.now())
    for row in claimed:
        ChannelSender().send(
            row,
            {"es": SPANISH, "vi": VIETNAMESE}.get(row.language)
            or ("Report cards go home on Friday."),
        )
    assert sum(gateway.counts().values()) == 3

    after_the_lease = timezone.now() + timedelta(minutes=5)
    delivery.send_due(message.pk, sender=ChannelSender(), clock=lambda: after_the_lease)

    assert gateway.counts() == {"+13125550101": 1, "+13125550201": 1, "+13125550203": 1}
    sent = Delivery.objects.filter(status=Delivery.Status.SENT)
    assert sent.count() == 3
    assert set(sent.values_list("provider_id", flat=True)) == {m["sid"] for m in gateway.messages()}


def test_a_message_no_family_can_receive_is_refused_and_nothing_is_stored(world, third_grade):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        compose_message(
            actor=world.teacher,
            organization=world.district,
            audience=Message.Audience.GRADE,
            school=world.elementary,
            grade="05",  # nobody in fifth grade
            body="Field trip on Tuesday.",
            language="en",
        )
    assert "No family in this audience can be reached" in refused.value.message_dict["grade"][0]
    assert not Message.objects.exists()


def test_without_twilio_settings_texts_fail_with_a_reason_staff_can_read(
    world, third_grade, gateway, settings
):
    settings.TANDEM_TWILIO_ACCOUNT_SID = ""
    message = class_message(world)

    delivery.send_due(message.pk, sender=ChannelSender(), clock=noon)

    texts = Delivery.objects.filter(channel=Delivery.Channel.SMS)
    assert {(d.status, d.error_code) for d in texts} == {(Delivery.Status.FAILED, "not_configured")}
    assert gateway.messages() == []


def test_an_organization_with_its_own_number_texts_from_it(world, third_grade, gateway):
    world.district.sms_number = "+13125550999"
    world.district.full_clean()
    world.district.save()
    message = class_message(world)

    delivery.send_due(message.pk, sender=ChannelSender(), clock=noon)

    assert {m["from"] for m in gateway.messages()} == {"+13125550999"}
