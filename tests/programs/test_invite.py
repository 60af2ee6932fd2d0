"""Staff invite families to a session (a school, a grade or a saved list, seeing first
how many it will reach), read the answers with their needs, and record an answer taken
on the phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.directory.models import Household
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.models import Message
from tandem.messaging.saved_lists import save_household_list
from tandem.programs.invitations import record_rsvp
from tandem.programs.models import Invitation


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.coordinator)
    return client


def invite_url(session) -> str:
    return reverse("programs:session-invite", args=[session.pk])


def rsvps_url(session) -> str:
    return reverse("programs:session-rsvps", args=[session.pk])


def test_the_invite_page_says_how_many_the_schools_families_it_reaches(coordinator, session):
    page = coordinator.get(invite_url(session)).content.decode()

    # María and Amina, both by text.
    assert "This invitation will reach 2 caregivers" in page
    assert "Text message" in page


def test_how_many_a_grade_reaches(coordinator, world, session):
    page = coordinator.get(
        invite_url(session),
        {"audience": "grade", "school": world.elementary.pk, "grade": "03", "language": "en"},
    ).content.decode()

    assert "This invitation will reach 1 caregiver" in page  # Lucía García is in grade 3


def test_inviting_a_school_sends_one_message_and_goes_to_the_answers(coordinator, world, session):
    response = coordinator.post(
        invite_url(session),
        {"audience": "school", "school": world.elementary.pk, "language": "en"},
    )

    assert response.status_code == 302 and response["Location"] == rsvps_url(session)
    message = Message.objects.get()
    assert message.personal_link == f"programs:{session.pk}"
    session.refresh_from_db()
    assert session.invitation_message == message
    # Somali is not in Tandem's catalog: the invitation waits for a reviewer.
    page = coordinator.get(response["Location"]).content.decode()
    assert "once its translations are reviewed" in page


def test_inviting_a_saved_list(coordinator, world, session):
    saved = save_household_list(
        actor=world.coordinator,
        name="Needs a ride",
        households=Household.objects.filter(pk=world.household.pk),
        school=world.elementary,
    )

    response = coordinator.post(
        invite_url(session), {"audience": "list", "saved_list": saved.pk, "language": "es"}
    )

    assert response.status_code == 302
    assert Message.objects.get().saved_list == saved


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"audience": "grade", "language": "en"}, "Choose a grade."),
        ({"audience": "list", "language": "en"}, "Choose a saved list."),
        ({"language": "en"}, "Choose who to invite."),
    ],
)
def test_an_incomplete_invitation_is_named_and_sends_nothing(
    coordinator, world, session, data, error
):
    data = {"school": world.elementary.pk, **data}
    response = coordinator.post(invite_url(session), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_a_school_outside_ones_scope_cannot_be_chosen(coordinator, world, session):
    response = coordinator.post(
        invite_url(session), {"audience": "school", "school": world.middle.pk, "language": "en"}
    )

    assert response.status_code == 400
    assert not Message.objects.exists()


def test_a_passed_session_cannot_be_invited_to(coordinator, world, session):
    session.starts_at = timezone.now() - timedelta(days=1)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.save()

    page = coordinator.get(invite_url(session)).content.decode()

    assert 'name="audience"' not in page


# The answers


def family(world, name: str):
    household = create_household(organization=world.district, name=name)
    add_student(household=household, school=world.elementary, given_name="Kid", grade="02")
    return add_caregiver(household=household, given_name=name, family_name="Family")


def test_the_answers_list_shows_needs_and_channel(coordinator, world, session, invite):
    record_rsvp(
        invitation=invite(session, channel="sms"),
        coming=True,
        channel="sms",
        needs={"childcare_ages": [3, 6]},
    )

    page = coordinator.get(rsvps_url(session)).content.decode()

    assert "María García" in page and "Coming" in page and "Text message" in page
    assert "Childcare, ages 3, 6" in page


def test_the_answers_list_reads_a_fixed_number_of_queries(
    coordinator, world, session, invite, django_assert_max_num_queries
):
    def add(count, start):
        for n in range(start, start + count):
            record_rsvp(
                invitation=invite(session, family(world, f"F{n}")), coming=True, channel="web"
            )

    add(1, 0)
    with django_assert_max_num_queries(20) as few:
        coordinator.get(rsvps_url(session))
    add(10, 1)
    with django_assert_max_num_queries(len(few)):
        assert coordinator.get(rsvps_url(session)).status_code == 200


def test_an_answer_taken_on_the_phone_for_a_family_found_in_the_directory(
    coordinator, world, session
):
    found = coordinator.get(rsvps_url(session), {"q": "Hassan"}).content.decode()
    amina = world.neighbour_household.caregivers.get()
    assert f"?caregiver={amina.pk}" in found

    form = coordinator.get(rsvps_url(session), {"caregiver": amina.pk}).content.decode()
    response = coordinator.post(
        rsvps_url(session),
        {"caregiver": amina.pk, "answer": "yes", "childcare_ages": "1", "interpretation": "so"},
    )

    assert "Amina Hassan" in form and 'name="answer"' in form
    assert response.status_code == 302
    invitation = Invitation.objects.get(caregiver=amina)
    assert invitation.response == "yes" and invitation.channel == "phone"
    assert invitation.recorded_by == world.coordinator
    assert invitation.childcare_ages == [1] and invitation.interpretation == "so"


def test_a_family_outside_ones_scope_cannot_be_answered_for(coordinator, world, session):
    thi = world.middle_household.caregivers.get()

    found = coordinator.get(rsvps_url(session), {"q": "Nguyen"}).content.decode()
    response = coordinator.post(rsvps_url(session), {"caregiver": thi.pk, "answer": "yes"})

    assert f"?caregiver={thi.pk}" not in found
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_bad_needs_on_the_phone_are_named(coordinator, world, session):
    response = coordinator.post(
        rsvps_url(session),
        {"caregiver": world.caregiver.pk, "answer": "yes", "childcare_ages": "30"},
    )

    assert response.status_code == 400
    assert "Childcare is for children from 0 to 17." in response.content.decode()
    assert not Invitation.objects.filter(response="yes").exists()


def test_after_the_deadline_staff_are_told_the_time_has_passed(coordinator, world, session):
    session.rsvp_deadline = timezone.now() - timedelta(minutes=5)
    session.save()

    page = coordinator.get(rsvps_url(session), {"caregiver": world.caregiver.pk})
    response = coordinator.post(
        rsvps_url(session), {"caregiver": world.caregiver.pk, "answer": "yes"}
    )

    assert "The time to answer has passed" in page.content.decode()
    assert response.status_code == 400
    assert not Invitation.objects.exists()
