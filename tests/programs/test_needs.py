"""The needs summary planners read: childcare seats and children by age, rides, bus
vouchers, interpreters per language and accessibility notes of the families coming, and
how many answered yes, wait, have not answered or said no."""

import pytest
from django.urls import reverse

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.programs.invitations import record_rsvp
from tandem.programs.needs import needs_summary


def family(world, name: str, language: str = "en"):
    household = create_household(organization=world.district, name=name)
    add_student(household=household, school=world.elementary, given_name="Kid", grade="02")
    return add_caregiver(household=household, given_name=name, preferred_language=language)


def answer(invite, session, caregiver, coming=True, **needs):
    invitation = invite(session, caregiver)
    record_rsvp(invitation=invitation, coming=coming, channel="web", needs=needs or None)
    return invitation


@pytest.fixture
def answered(world, session, invite):
    """María: childcare for 3 and 6 and a bus voucher; Amina: Somali interpretation and a
    baby of 1; one family a wheelchair; one said no; one waits for an answer."""
    session.childcare_seats = 2
    session.transportation = "rides_and_vouchers"
    session.save()
    answer(invite, session, world.caregiver, childcare_ages=[3, 6], needs_bus_voucher=True)
    amina = world.neighbour_household.caregivers.get()
    answer(invite, session, amina, childcare_ages=[1], interpretation="so", needs_ride=True)
    answer(invite, session, family(world, "Lee"), accessibility="Wheelchair access")
    answer(invite, session, family(world, "Ortiz", "es"), coming=False, childcare_ages=[4])
    invite(session, family(world, "Kim"))
    return session


def test_the_summary_counts_what_the_families_coming_need(answered):
    summary = needs_summary(answered)

    assert (summary.coming, summary.waitlisted, summary.pending, summary.not_coming) == (
        3,
        0,
        1,
        1,
    )
    assert summary.children == 3 and summary.childcare_families == 2
    assert [count for _label, count in summary.children_by_band] == [1, 1, 1, 0]
    assert summary.seats_short == 1  # three children, two seats
    assert (summary.rides, summary.bus_vouchers) == (1, 1)
    assert summary.interpreters == [("so", 1)]
    assert summary.accessibility == ["Wheelchair access"]


def test_a_family_waiting_for_a_place_is_not_counted_in_the_needs(world, session, invite):
    session.capacity = 1
    session.save()
    answer(invite, session, world.caregiver, childcare_ages=[5])
    answer(invite, session, family(world, "Lee"), childcare_ages=[2, 4])

    summary = needs_summary(session)

    assert (summary.coming, summary.waitlisted) == (1, 1)
    assert summary.children == 1


def test_planners_read_the_needs_page(client, world, answered):
    client.force_login(world.coordinator)

    page = client.get(reverse("programs:session-needs", args=[answered.pk])).content.decode()

    assert "Somali" in page and 'lang="so"' in page
    assert "Wheelchair access" in page
    assert "Preschool (3–5)" in page
    assert "1 child more than the childcare seats." in page


def test_the_needs_page_reads_a_fixed_number_of_queries(
    client, world, session, invite, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    url = reverse("programs:session-needs", args=[session.pk])

    def add(count, start):
        for n in range(start, start + count):
            answer(invite, session, family(world, f"F{n}"), childcare_ages=[n % 17])

    add(1, 0)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    add(8, 1)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
