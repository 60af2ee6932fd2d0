"""One household's page: what staff see, what they never see, and who gets a 404."""

from datetime import time

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.directory.services import add_student


def get(client, user, household):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("directory:household", kwargs={"pk": household.pk}))


def test_coordinator_sees_caregivers_contacts_availability_needs_and_students(world, client):
    response = get(client, world.coordinator, world.household)
    assert response.status_code == 200
    page = response.content.decode()
    assert "María García" in page
    assert "(312) 555-0101" in page and "+13125550101</a>" not in page
    assert "maria.garcia@example.com" in page
    assert "texts OK" in page and "not verified" in page and "preferred" in page
    assert "Saturday" in page
    assert "Childcare" in page
    assert "Lucía García" in page and "Grade 3" in page
    assert "Riverside Middle" in page  # Oak Elementary feeds into it
    assert "Not yet reached" in page


def test_self_described_background_shows_only_whether_it_was_shared(world, client):
    world.caregiver.self_described = {"race_ethnicity": ["hispanic_latino"], "gender": ["woman"]}
    world.caregiver.save()
    page = get(client, world.coordinator, world.household).content.decode()
    assert "Shared" in page
    assert "hispanic" not in page.lower() and "Hispanic" not in page and "Woman" not in page


def test_prefer_not_to_say_counts_as_not_shared(world, client):
    world.caregiver.self_described = {"gender": ["prefer_not_to_say"]}
    world.caregiver.save()
    page = get(client, world.coordinator, world.household).content.decode()
    assert "Not shared" in page


def test_viewing_a_household_is_audited_without_personal_data(world, client):
    get(client, world.principal, world.household)
    event = AuditEvent.objects.get(action="directory.household.view")
    assert event.actor == world.principal
    assert event.object_type == "directory.household"
    assert event.object_id == str(world.household.pk)
    assert "García" not in str(event.detail)


def test_outsider_gets_404_on_a_district_household(world, client):
    assert get(client, world.outsider, world.household).status_code == 404
    assert not AuditEvent.objects.filter(action="directory.household.view").exists()


@pytest.mark.parametrize("persona", ["teacher", "coordinator", "partner_staff"])
def test_school_staff_get_404_on_another_schools_household(persona, world, client):
    assert get(client, getattr(world, persona), world.middle_household).status_code == 404


def test_no_such_household_is_a_404(world, client):
    client.force_login(world.district_staff)
    response = client.get(reverse("directory:household", kwargs={"pk": 987_654}))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["family", "funder"])
def test_family_members_and_funders_are_refused(persona, world, client):
    assert get(client, getattr(world, persona), world.household).status_code == 403


def test_teacher_sees_only_their_own_schools_student_of_a_household(world, client):
    add_student(household=world.household, school=world.middle, given_name="Mateo", grade="07")
    teacher_page = get(client, world.teacher, world.household).content.decode()
    assert "Lucía" in teacher_page and "Mateo" not in teacher_page
    client.logout()
    district_page = get(client, world.district_staff, world.household).content.decode()
    assert "Lucía" in district_page and "Mateo" in district_page


def test_only_those_who_may_correct_see_the_correct_link(world, client):
    edit_url = reverse("directory:household-edit", kwargs={"pk": world.household.pk})
    assert edit_url in get(client, world.coordinator, world.household).content.decode()
    client.logout()
    assert edit_url not in get(client, world.teacher, world.household).content.decode()


def test_household_page_query_count_does_not_grow_with_caregivers(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.directory.services import add_caregiver

    client.force_login(world.coordinator)
    url = reverse("directory:household", kwargs={"pk": world.household.pk})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(6):
        add_caregiver(
            household=world.household,
            given_name=f"Relative {n}",
            phone=f"+1 312 555 02{n:02d}",
            email=f"r{n}@example.org",
            availability=[(n, time(17), time(19))],
        )
        add_student(household=world.household, school=world.elementary, given_name=f"Kid {n}")
    assert queries() == one
