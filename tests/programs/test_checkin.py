"""Checking in: twice changes nothing and says when; a full session turns away a family
with no place unless staff check them in anyway; check-in opens on the session's day
and never for a cancelled session; a phone number finds its caregiver, and wrong
numbers from one address are limited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.programs.attendance import (
    SessionFull,
    add_guest,
    check_in_caregiver,
    check_in_refusal,
    present_count,
)
from tandem.programs.checkin import (
    WRONG_NUMBERS_PER_HOUR,
    TooManyTries,
    UnknownNumber,
    caregiver_for_phone,
    check_in_by_phone,
    checkin_token,
    session_id_from,
)
from tandem.programs.invitations import invitation_token, record_rsvp
from tandem.programs.models import Attendance, Invitation
from tandem.programs.services import cancel_session
from tests.web.programs_cases import make_session

MARIA_PHONE = "(312) 555-0101"


def today_session(world, program=None, **fields):
    """A session at Oak Elementary that started half an hour ago."""
    starts = timezone.now().replace(microsecond=0) - timedelta(minutes=30)
    return make_session(world, program=program, starts_at=starts, **fields)


def family(world, given_name, family_name="Family", language="es", **contacts):
    """A caregiver at Oak Elementary (contacts: phone=…, email=…)."""
    household = create_household(organization=world.district, name=family_name)
    add_student(household=household, school=world.elementary, given_name="Kid", grade="02")
    return add_caregiver(
        household=household,
        given_name=given_name,
        family_name=family_name,
        preferred_language=language,
        **contacts,
    )


def say_yes(invitation):
    """The family said yes the day before."""
    return record_rsvp(
        invitation=invitation,
        coming=True,
        channel="web",
        now=invitation.session.starts_at - timedelta(days=1),
    )


def test_checking_in_twice_changes_nothing_and_says_when(world, invite):
    session = today_session(world)
    first = check_in_caregiver(session=session, caregiver=world.caregiver, method="qr")

    again = check_in_caregiver(
        session=session, caregiver=world.caregiver, method="roster", actor=world.coordinator
    )

    assert not first.already and again.already
    assert again.attendance.pk == first.attendance.pk
    assert Attendance.objects.filter(session=session).count() == 1
    assert Attendance.objects.get().method == "qr"
    assert again.message().startswith("Already checked in at ")


def test_a_walk_in_gets_an_invitation_marked_as_walked_in(world):
    session = today_session(world)

    check_in_caregiver(session=session, caregiver=world.caregiver, method="walk_in")

    invitation = Invitation.objects.get(session=session, caregiver=world.caregiver)
    assert invitation.response == "yes" and invitation.channel == "walk_in"


def test_a_full_session_turns_away_a_family_without_a_place(world, invite):
    session = today_session(world, capacity=1)
    check_in_caregiver(session=session, caregiver=family(world, "Ana"), method="qr")

    with pytest.raises(SessionFull) as refused:
        check_in_caregiver(session=session, caregiver=world.caregiver, method="qr")

    assert "full" in refused.value.messages[0] and "staff" in refused.value.messages[0]
    assert present_count(session) == 1


def test_a_family_who_said_yes_gets_in_even_when_the_room_is_full(world, invite):
    session = today_session(world, capacity=1)
    say_yes(invite(session))
    check_in_caregiver(session=session, caregiver=family(world, "Ana"), method="qr")

    done = check_in_caregiver(session=session, caregiver=world.caregiver, method="qr")

    assert not done.already and present_count(session) == 2


def test_staff_check_in_a_family_past_capacity_only_when_they_say_so(world):
    session = today_session(world, capacity=1)
    check_in_caregiver(session=session, caregiver=family(world, "Ana"), method="qr")

    with pytest.raises(SessionFull) as asked:
        check_in_caregiver(
            session=session, caregiver=world.caregiver, method="roster", actor=world.coordinator
        )
    assert "Check in anyway?" in asked.value.messages[0]

    check_in_caregiver(
        session=session,
        caregiver=world.caregiver,
        method="roster",
        actor=world.coordinator,
        over_capacity=True,
    )
    assert present_count(session) == 2


def test_check_in_opens_on_the_day_and_never_for_a_cancelled_session(world):
    upcoming = make_session(world)  # next Saturday
    assert check_in_refusal(upcoming) == "Check-in opens on the day of the session."
    with pytest.raises(ValidationError):
        check_in_caregiver(session=upcoming, caregiver=world.caregiver, method="qr")

    today = today_session(world)
    assert check_in_refusal(today) == ""
    cancel_session(actor=world.org_admin, session=today)
    assert check_in_refusal(today) == "This session was cancelled."
    assert not Attendance.objects.exists()


def test_a_phone_number_finds_its_caregiver_in_the_sessions_organization(world):
    session = today_session(world)

    assert caregiver_for_phone(session, MARIA_PHONE) == world.caregiver
    assert caregiver_for_phone(session, "+1 312 555 0101") == world.caregiver
    assert caregiver_for_phone(session, "312 555 0199") is None
    assert caregiver_for_phone(session, "not a number") is None
    other = make_session(world, "other_school")
    assert caregiver_for_phone(other, MARIA_PHONE) is None  # another district's session


def test_a_shared_phone_checks_in_the_caregiver_who_was_invited(world, invite):
    session = today_session(world)
    father = add_caregiver(
        household=world.household, given_name="José", family_name="García", phone=MARIA_PHONE
    )
    invite(session, father)

    done = check_in_by_phone(session=session, phone=MARIA_PHONE, method="qr")

    assert done.attendance.caregiver == father


def test_wrong_numbers_from_one_address_are_limited(world):
    session = today_session(world)
    for _ in range(WRONG_NUMBERS_PER_HOUR):
        with pytest.raises(UnknownNumber):
            check_in_by_phone(
                session=session, phone="312 555 0199", method="qr", client_address="203.0.113.9"
            )

    with pytest.raises(TooManyTries) as limited:
        check_in_by_phone(
            session=session, phone=MARIA_PHONE, method="qr", client_address="203.0.113.9"
        )

    assert limited.value.wait_seconds > 0
    assert not Attendance.objects.exists()  # even the right number waits
    done = check_in_by_phone(
        session=session, phone=MARIA_PHONE, method="qr", client_address="198.51.100.7"
    )
    assert done.attendance.caregiver == world.caregiver


def test_a_guest_needs_a_name_and_a_language(world):
    session = today_session(world)

    with pytest.raises(ValidationError) as refused:
        add_guest(actor=world.coordinator, session=session, name=" ", language="xx-not")

    assert set(refused.value.message_dict) == {"name", "language"}
    assert not Attendance.objects.exists()


def test_a_check_in_token_opens_only_its_own_session(world, invite):
    session = today_session(world)

    assert session_id_from(checkin_token(session.pk)) == session.pk
    assert session_id_from(invitation_token(session.pk)) is None
    assert session_id_from(f"{session.pk}-forged") is None
