"""Reminders to the families who said yes: planned when families are invited and again
when the session moves, sent the day before at 17:00 and the morning of, each in the
family's language with their link, once, and never for a moved or cancelled session."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.tasks import task_backends

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging import delivery
from tandem.messaging.models import Message
from tandem.messaging.senders import ChannelSender
from tandem.programs.invitations import invitation_id_from, invite_to_session, record_rsvp
from tandem.programs.reminders import (
    DAY_BEFORE,
    MORNING_OF,
    reminder_text,
    reminder_times,
    schedule_reminders,
    send_reminder,
)
from tandem.programs.services import cancel_session, local, update_session
from tandem.programs.tasks import send_session_reminder
from tandem.smsgateway.server import running_gateway

CHICAGO = ZoneInfo("America/Chicago")
MARIA, ROSA = "+13125550101", "+13125550199"
LINK = re.compile(r"/p/([0-9]+-[\w-]+)/")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 in Chicago (the 14th is a Saturday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture
def quiet_nights(settings):
    settings.TANDEM_QUIET_HOURS = "21:00-08:00"


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        # Saturday 10:00: Friday 17:00 and Saturday 08:00.
        (at(14, 10), {DAY_BEFORE: at(13, 17), MORNING_OF: at(14, 8)}),
        # Tuesday evening: Monday 17:00 and Tuesday 08:00.
        (at(17, 18), {DAY_BEFORE: at(16, 17), MORNING_OF: at(17, 8)}),
        # 9:00, before 10:00: two hours before, which quiet hours hold until 08:00.
        (at(14, 9), {DAY_BEFORE: at(13, 17), MORNING_OF: at(14, 7)}),
        # 8:00 (University Day): quiet hours would hold it until the start; none.
        (at(28, 8), {DAY_BEFORE: at(27, 17)}),
    ],
)
def test_reminders_go_the_day_before_at_17_and_the_morning_of(quiet_nights, starts, expected):
    assert reminder_times(starts) == expected


def test_without_quiet_hours_an_early_session_is_reminded_two_hours_before(settings):
    settings.TANDEM_QUIET_HOURS = "00:00-00:00"

    assert reminder_times(at(28, 8))[MORNING_OF] == at(28, 6)


def test_the_day_before_is_the_local_day_across_a_clock_change(quiet_nights):
    # Clocks went back in Chicago on Sunday 1 November 2026.
    starts = datetime(2026, 11, 2, 18, tzinfo=CHICAGO)

    times = reminder_times(starts)

    assert times[DAY_BEFORE] == datetime(2026, 11, 1, 17, tzinfo=CHICAGO)
    assert times[DAY_BEFORE].utcoffset() == timedelta(hours=-6)


# Planning


@pytest.fixture
def dummy_tasks(settings):
    """A task backend that keeps what is enqueued (and can wait), without running it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    yield task_backends["default"]
    task_backends["default"].clear()


def planned(backend) -> list[tuple]:
    return [
        (result.args[1], result.task.run_after, result.args[2])
        for result in backend.results
        if result.task.name == send_session_reminder.name
    ]


def test_inviting_families_plans_both_reminders(
    world, session, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_session(
            actor=world.coordinator, session=session, audience="school", school=world.elementary
        )

    times = reminder_times(local(session))
    starts = session.starts_at.isoformat()
    assert sorted(planned(dummy_tasks)) == sorted(
        [(DAY_BEFORE, times[DAY_BEFORE], starts), (MORNING_OF, times[MORNING_OF], starts)]
    )


def test_moving_a_session_plans_its_reminders_again(
    world, session, invite, dummy_tasks, django_capture_on_commit_callbacks
):
    invite(session)
    later = session.starts_at + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        update_session(
            actor=world.coordinator,
            session=session,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
        )

    assert {kind for kind, _at, starts in planned(dummy_tasks)} == {DAY_BEFORE, MORNING_OF}
    assert {starts for _k, _at, starts in planned(dummy_tasks)} == {later.isoformat()}


def test_reminders_already_past_are_not_planned(session, dummy_tasks):
    times = reminder_times(local(session))

    kinds = schedule_reminders(session, now=times[DAY_BEFORE] + timedelta(minutes=1))

    assert kinds == [MORNING_OF]


def test_a_backend_that_cannot_wait_plans_nothing(session, immediate_tasks):
    assert schedule_reminders(session) == []


# Sending


@pytest.fixture
def phones(settings):
    account = "AC" + "8" * 32
    with running_gateway(auth_token="t", account_sid=account, status_callbacks=False) as gateway:
        settings.TANDEM_TWILIO_API_BASE = gateway.url
        settings.TANDEM_TWILIO_ACCOUNT_SID = account
        settings.TANDEM_TWILIO_AUTH_TOKEN = "t"
        settings.TANDEM_TWILIO_FROM = "+13125550000"
        settings.TANDEM_PUBLIC_URL = "https://tandem.example.org"
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        settings.TANDEM_QUIET_HOURS = "00:00-00:00"
        yield gateway
    task_backends["default"].clear()


def deliver() -> None:
    for message in Message.objects.filter(released_at__isnull=False):
        delivery.send_due(message.pk, sender=ChannelSender())


def rosa(world):
    household = create_household(organization=world.district, name="Ortiz")
    add_student(household=household, school=world.elementary, given_name="Ana", grade="02")
    return add_caregiver(household=household, given_name="Rosa", phone=ROSA)


def remind(session, kind=DAY_BEFORE, starts_at=None):
    starts_at = starts_at or session.starts_at.isoformat()
    now = reminder_times(local(session)).get(kind, session.starts_at - timedelta(hours=3))
    return send_reminder(session_id=session.pk, kind=kind, starts_at=starts_at, now=now)


def test_the_day_before_families_who_said_yes_are_reminded_with_their_link(
    world, session, invite, phones, django_capture_on_commit_callbacks
):
    coming = invite(session, rosa(world), channel="sms")
    record_rsvp(invitation=coming, coming=True, channel="sms")
    not_coming = invite(session, channel="sms")
    record_rsvp(invitation=not_coming, coming=False, channel="sms")
    invite(session, world.neighbour_household.caregivers.get(), channel="sms")  # no answer

    with django_capture_on_commit_callbacks(execute=True):
        message = remind(session)
    deliver()

    assert message.audience == Message.Audience.LIST
    assert list(message.saved_list.households.all()) == [coming.household]
    assert message.author == world.org_admin  # who made the program: no invitation was sent
    [reminded] = [m["body"] for m in phones.messages(to=ROSA)]
    assert reminded.startswith(reminder_text(session, DAY_BEFORE, "en"))
    assert "is tomorrow" in reminded and "Library" in reminded
    assert invitation_id_from(LINK.search(reminded).group(1)) == coming.pk
    assert phones.messages(to=MARIA) == []


def test_a_spanish_family_is_reminded_in_spanish(
    world, session, invite, phones, django_capture_on_commit_callbacks
):
    maria = invite(session, channel="sms")
    record_rsvp(invitation=maria, coming=True, channel="sms")

    with django_capture_on_commit_callbacks(execute=True):
        remind(session, MORNING_OF)
    deliver()

    [reminded] = [m["body"] for m in phones.messages(to=MARIA)]
    spanish = reminder_text(session, MORNING_OF, "es")
    assert spanish != reminder_text(session, MORNING_OF, "en")  # from Tandem's catalog
    assert reminded.startswith(spanish)


def test_a_reminder_goes_once(world, session, invite):
    record_rsvp(invitation=invite(session, rosa(world)), coming=True, channel="web")

    first = remind(session)
    again = remind(session)

    assert first is not None and again is None
    assert Message.objects.count() == 1


def test_a_reminder_planned_before_the_session_moved_sends_nothing(world, session, invite):
    record_rsvp(invitation=invite(session, rosa(world)), coming=True, channel="web")
    planned_for = session.starts_at.isoformat()
    update_session(
        actor=world.coordinator,
        session=session,
        starts_at=session.starts_at + timedelta(days=1),
        ends_at=session.ends_at + timedelta(days=1),
    )
    Message.objects.all().delete()  # the notice of the move

    assert remind(session, starts_at=planned_for) is None
    assert not Message.objects.exists()


def test_a_cancelled_session_is_not_reminded(world, session, invite):
    record_rsvp(invitation=invite(session, rosa(world)), coming=True, channel="web")
    cancel_session(actor=world.coordinator, session=session)
    Message.objects.all().delete()  # the notice of the cancellation

    assert remind(session) is None
    assert not Message.objects.exists()


def test_no_one_coming_sends_nothing(session, invite):
    invite(session)

    assert remind(session) is None


def test_the_task_sends_the_reminder(world, session, invite):
    record_rsvp(invitation=invite(session, rosa(world)), coming=True, channel="web")

    message_id = send_session_reminder.call(session.pk, DAY_BEFORE, session.starts_at.isoformat())

    assert Message.objects.get().pk == message_id


def test_the_morning_reminder_says_today(session):
    assert "is today" in reminder_text(session, MORNING_OF, "en")
