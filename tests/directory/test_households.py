"""The households and caregivers pages: who may list, what a row shows, filters from the
query string, bad filters, pagination, the audit row and a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.directory.services import add_caregiver, add_student, create_household
from tests.directory.conftest import mark_reached

LISTS = ["directory:households", "directory:caregivers"]


def get(client, user, url_name, **params):
    client.force_login(user)
    return client.get(reverse(url_name), params)


def test_coordinator_lists_the_households_of_their_school(families, client):
    response = get(client, families.world.coordinator, "directory:households")
    assert response.status_code == 200
    page = response.content.decode()
    for name in ["García", "Hassan", "Chen"]:
        assert f">{name}</a>" in page
    for name in ["Nguyen", "Okafor", "Smith"]:
        assert f">{name}</a>" not in page
    assert "3 households" in page


def test_a_row_shows_language_contacts_consent_students_needs_and_reach(families, client):
    world = families.world
    mark_reached(world.neighbour_household)
    page = get(client, world.coordinator, "directory:households", q="García").content.decode()
    assert 'lang="es">español</span>' in page.lower()
    assert "(Spanish)" in page
    assert "(312) 555-0101" in page  # national format, not E.164
    assert 'href="tel:+13125550101"' in page
    assert "texts OK" in page and "email OK" in page
    assert "Oak Elementary, Grade 3" in page
    assert "Childcare" in page
    assert "Not yet reached" in page


def test_district_staff_list_every_household_of_the_district(families, client):
    page = get(client, families.world.district_staff, "directory:households").content.decode()
    assert "5 households" in page
    assert ">Smith</a>" not in page


def test_teacher_never_sees_another_schools_households(families, client):
    world = families.world
    for url_name in LISTS:
        page = get(client, world.teacher, url_name).content.decode()
        assert "Nguyen" not in page and "Okafor" not in page and "Smith" not in page
    response = get(client, world.teacher, "directory:households", school=world.middle.pk)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Nguyen" not in response.content.decode()


@pytest.mark.parametrize("url_name", LISTS)
def test_funder_is_refused_the_lists(url_name, families, client):
    assert get(client, families.world.funder, url_name).status_code == 403


@pytest.mark.parametrize("url_name", LISTS)
def test_a_family_member_is_refused_the_lists(url_name, families, client):
    assert get(client, families.world.family, url_name).status_code == 403


@pytest.mark.parametrize("url_name", LISTS)
def test_anonymous_visitors_are_sent_to_sign_in(url_name, client):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/sign-in" in response["Location"]


def test_filters_come_from_the_query_string(families, client):
    world = families.world
    page = get(
        client, world.district_staff, "directory:households", language="zh", needs="interpretation"
    ).content.decode()
    assert "1 household" in page
    assert ">Chen</a>" in page
    assert "Clear filters" in page


def test_caregiver_list_has_one_row_per_caregiver(families, client):
    world = families.world
    add_caregiver(
        household=world.household,
        given_name="José",
        family_name="García",
        preferred_language="es",
        phone="+1 312 555 0111",
    )
    page = get(client, world.coordinator, "directory:caregivers", q="García").content.decode()
    assert "2 caregivers" in page
    assert "María García" in page and "José García" in page
    assert "Saturday" in page  # María's availability


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"language": "xx-nonsense"}, "Preferred language"),
        ({"needs": "pony"}, "Needs"),
        ({"availability": "midnight"}, "Available"),
        ({"q": "x" * 101}, "Name, phone or email"),
    ],
)
def test_a_bad_filter_is_named_and_lists_nothing(params, field, families, client):
    before = AuditEvent.objects.count()
    response = get(client, families.world.coordinator, "directory:households", **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"{field}:" in page
    assert ">García</a>" not in page
    assert AuditEvent.objects.count() == before


def test_no_match_shows_an_empty_state(families, client):
    page = get(
        client, families.world.coordinator, "directory:households", q="Zzyzx"
    ).content.decode()
    assert "0 households" in page
    assert "No household matches these filters." in page


def test_listing_writes_an_audit_row_without_names_or_phones(families, client):
    world = families.world
    get(client, world.coordinator, "directory:households", q="García", needs="childcare")
    event = AuditEvent.objects.get(action="directory.list")
    assert event.actor == world.coordinator
    assert event.organization_id == world.district.pk
    assert event.detail == {"shown": 1, "filters": ["needs", "search"]}
    text = str(event.detail) + event.object_id
    for personal in ["García", "Garcia", "María", "5550101", "example.com"]:
        assert personal not in text


def test_caregiver_listing_is_audited_too(families, client):
    get(client, families.world.coordinator, "directory:caregivers", language="es")
    event = AuditEvent.objects.get(action="directory.list")
    assert event.detail == {"shown": 1, "filters": ["language"]}


def add_households(school, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        household = create_household(organization=school.organization, name=f"Family {n:03d}")
        for given, phone in (("Ana", f"+1 312 555 {1000 + n:04d}"), ("Ben", None)):
            add_caregiver(
                household=household,
                given_name=given,
                family_name=f"F{n}",
                preferred_language="es" if n % 2 else "vi",
                phone=phone,
                email=f"{given.lower()}{n}@example.org",
                needs_childcare=bool(n % 3),
                availability=[
                    (n % 7, __import__("datetime").time(9), __import__("datetime").time(12))
                ],
            )
        add_student(household=household, school=school, given_name="Kid", grade="04")
        add_student(household=household, school=school, given_name="Sib", grade="KG")


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("params", [{}, {"language": "es", "needs": "childcare", "q": "F"}])
def test_query_count_stays_flat_as_households_grow(url_name, params, world, client):
    client.force_login(world.coordinator)
    url = reverse(url_name)
    add_households(world.elementary, 5)
    few = count_queries(client, url, params)
    add_households(world.elementary, 45, start=5)
    many = count_queries(client, url, params)
    assert many == few
    assert few <= 17


def test_pages_of_fifty_with_links_that_keep_the_filters(world, client):
    add_households(world.elementary, 55)
    client.force_login(world.coordinator)
    page = client.get(reverse("directory:households"), {"language": "es"}).content.decode()
    assert "Page 1 of 1" not in page  # 28 Spanish-speaking households fit on one page
    page = client.get(reverse("directory:households")).content.decode()
    assert "57 households" in page
    assert "Page 1 of 2" in page
    assert 'href="?page=2"' in page
    page = client.get(reverse("directory:households"), {"q": "Family", "page": 2}).content
    assert "Page 2 of 2" in page.decode()
    assert "?q=Family&amp;page=1" in page.decode()
    assert client.get(reverse("directory:households"), {"page": "nope"}).status_code == 200
