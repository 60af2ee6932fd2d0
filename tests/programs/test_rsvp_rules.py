"""Answers to an invitation: yes, no, needs, the wait list and the deadline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.models import Message
from tandem.programs.invitations import AnswersClosed, record_rsvp
from tandem.programs.models import Invitation
from tandem.programs.notices import place_freed_text

YES, NO, WAITING = "yes", "no", "waitlisted"


def family(world, name, language="es", phone=None):
    household = create_household(organization=world.district, name=name)
    add_student(household=household, school=world.elementary, given_name="Kid", grade="02")
    return add_caregiver(
        household=household, given_name=name, preferred_language=language, phone=phone
    )


def test_a_yes_with_childcare_for_two_children_is_kept(session, invite):
    invitation = invite(session)
    record_rsvp(
        invitation=invitation,
        coming=True,
        channel="web",
        needs={"childcare_ages": ["6", 3], "interpretation": "so", "needs_bus_voucher": True},
    )
    invitation.refresh_from_db()
    assert invitation.response == YES
    assert invitation.childcare_ages == [3, 6]
    assert invitation.interpretation == "so" and invitation.needs_bus_voucher


def test_bad_needs_are_named_and_change_nothing(session, invite):
    invitation = invite(session)
    with pytest.raises(ValidationError) as refused:
        record_rsvp(
            invitation=invitation, coming=True, channel="web", needs={"childcare_ages": ["x"]}
        )
    assert "age" in str(refused.value)
    invitation.refresh_from_db()
    assert invitation.response == "pending" and invitation.childcare_ages == []


def test_a_full_session_puts_the_next_family_on_the_wait_list_and_a_no_frees_its_place(
    world, session, invite
):
    session.capacity = 1
    session.save()
    first = invite(session)
    second = invite(session, family(world, "Ana", language="en", phone="+13125550177"))
    record_rsvp(invitation=first, coming=True, channel="web")
    record_rsvp(invitation=second, coming=True, channel="sms")
    assert second.response == WAITING
    assert not Message.objects.exists()

    record_rsvp(invitation=first, coming=False, channel="web")

    second.refresh_from_db()
    assert second.response == YES
    # The family that waited is told, in one message to its household, with its link.
    told = Message.objects.get()
    assert told.audience == Message.Audience.HOUSEHOLD
    assert told.thread.household == second.household
    assert told.body == place_freed_text(session, "en")
    assert told.personal_link == f"programs:{session.pk}"


def test_after_the_deadline_no_answer_is_taken(session, invite):
    session.rsvp_deadline = timezone.now() - timedelta(minutes=1)
    session.save()
    invitation = invite(session)
    with pytest.raises(AnswersClosed) as refused:
        record_rsvp(invitation=invitation, coming=True, channel="sms")
    assert "passed" in refused.value.messages[0]
    assert Invitation.objects.get(pk=invitation.pk).response == "pending"
