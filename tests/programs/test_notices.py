"""Families are told when a session is moved or cancelled (everyone invited who has not
said no) and when a place opens for them on the wait list, each in their language, by
text through the local SMS gateway."""

import re
from datetime import timedelta

import pytest

from tandem.audit.models import AuditEvent
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging import delivery
from tandem.messaging.models import Message
from tandem.messaging.senders import ChannelSender
from tandem.programs.invitations import invitation_id_from, record_rsvp
from tandem.programs.notices import cancelled_text, changed_text, place_freed_text
from tandem.programs.services import cancel_session, update_session
from tandem.smsgateway.server import running_gateway
from tandem.translation.models import TranslationRequest

MARIA, AMINA = "+13125550101", "+13125550103"
LINK = re.compile(r"/p/([0-9]+-[\w-]+)/")


@pytest.fixture
def phones(settings):
    """Texts go to the local SMS gateway on loopback; `deliver()` sends as a worker would."""
    account = "AC" + "5" * 32
    with running_gateway(auth_token="t", account_sid=account, status_callbacks=False) as gateway:
        settings.TANDEM_TWILIO_API_BASE = gateway.url
        settings.TANDEM_TWILIO_ACCOUNT_SID = account
        settings.TANDEM_TWILIO_AUTH_TOKEN = "t"
        settings.TANDEM_TWILIO_FROM = "+13125550000"
        settings.TANDEM_PUBLIC_URL = "https://tandem.example.org"
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        settings.TANDEM_QUIET_HOURS = "00:00-00:00"
        yield gateway


def deliver() -> None:
    for message in Message.objects.filter(released_at__isnull=False):
        delivery.send_due(message.pk, sender=ChannelSender())


def texts_to(gateway, number: str) -> list[str]:
    return [m["body"] for m in gateway.messages(to=number)]


def rosa(world):
    """An English-speaking mother at the elementary school, with a phone."""
    household = create_household(organization=world.district, name="Ortiz")
    add_student(household=household, school=world.elementary, given_name="Ana", grade="02")
    return add_caregiver(
        household=household, given_name="Rosa", preferred_language="en", phone="+13125550199"
    )


def test_a_moved_session_tells_a_spanish_family_in_spanish_with_their_link(
    world, session, invite, phones, django_capture_on_commit_callbacks
):
    invitation = invite(session, channel="sms")
    record_rsvp(invitation=invitation, coming=True, channel="sms")

    with django_capture_on_commit_callbacks(execute=True):
        update_session(
            actor=world.coordinator,
            session=session,
            starts_at=session.starts_at + timedelta(days=1, hours=1),
            ends_at=session.ends_at + timedelta(days=1, hours=1),
            place="Cafeteria",
        )
    deliver()

    [told] = texts_to(phones, MARIA)
    session.refresh_from_db()
    spanish = changed_text(session, "es")
    assert spanish != changed_text(session, "en")  # from Tandem's catalog
    assert told.startswith(spanish)
    assert "Cafeteria" in told
    assert invitation_id_from(LINK.search(told).group(1)) == invitation.pk


def test_families_who_said_no_are_not_told_of_a_change(
    world, session, invite, phones, django_capture_on_commit_callbacks
):
    maria = invite(session, channel="sms")
    amina = invite(session, world.neighbour_household.caregivers.get(), channel="sms")
    record_rsvp(invitation=amina, coming=False, channel="sms")

    with django_capture_on_commit_callbacks(execute=True):
        update_session(actor=world.coordinator, session=session, place="Gym")
    deliver()

    message = Message.objects.get(audience="list")
    assert list(message.saved_list.households.all()) == [maria.household]
    assert texts_to(phones, AMINA) == []
    assert len(texts_to(phones, MARIA)) == 1


def test_a_change_that_families_need_not_hear_sends_nothing(world, session, invite):
    invite(session, channel="sms")

    update_session(actor=world.coordinator, session=session, food=False)

    assert not Message.objects.exists()


def test_a_cancelled_session_is_told_to_everyone_who_has_not_said_no(
    world, session, invite, phones, django_capture_on_commit_callbacks
):
    invite(session, channel="sms")
    english = rosa(world)
    record_rsvp(invitation=invite(session, english), coming=True, channel="web")

    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(actor=world.coordinator, session=session)
    deliver()

    [to_maria] = texts_to(phones, MARIA)
    [to_rosa] = texts_to(phones, "+13125550199")
    assert to_maria == cancelled_text(session, "es")  # no link: there is nothing to answer
    assert to_rosa == cancelled_text(session, "en")
    assert "cancelled" in to_rosa


def test_somali_waits_for_a_reviewer(world, session, invite):
    invite(session, world.neighbour_household.caregivers.get(), channel="sms")

    cancel_session(actor=world.coordinator, session=session)

    message = Message.objects.get()
    assert message.status == Message.Status.AWAITING_REVIEW
    assert TranslationRequest.objects.filter(
        object_id=str(message.pk), target_language="so"
    ).exists()


def test_a_place_freed_tells_the_family_that_waited_in_spanish(
    world, session, invite, phones, django_capture_on_commit_callbacks
):
    session.capacity = 1
    session.save()
    first = invite(session, rosa(world))
    maria = invite(session, channel="sms")
    record_rsvp(invitation=first, coming=True, channel="web")
    record_rsvp(invitation=maria, coming=True, channel="sms")
    assert maria.response == "waitlisted"

    with django_capture_on_commit_callbacks(execute=True):
        record_rsvp(invitation=first, coming=False, channel="web")
    deliver()

    maria.refresh_from_db()
    assert maria.response == "yes"
    message = Message.objects.get()
    assert message.audience == "household" and message.thread.household == maria.household
    [told] = texts_to(phones, MARIA)
    assert told.startswith(place_freed_text(session, "es"))
    assert invitation_id_from(LINK.search(told).group(1)) == maria.pk
    assert texts_to(phones, "+13125550199") == []


def test_a_notice_that_reaches_no_one_does_not_undo_the_change(world, session):
    update_session(actor=world.coordinator, session=session, place="Gym")

    session.refresh_from_db()
    assert session.place == "Gym"
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(
        action="programs.notice_not_sent", detail__reason="no_one_to_reach"
    ).exists()
