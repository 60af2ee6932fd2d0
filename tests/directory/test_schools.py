"""The schools page: feeder links, households per language, small groups hidden."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.directory.selectors import schools_for_directory
from tests.directory.conftest import add_family


def spanish_families(school, count: int) -> None:
    for n in range(count):
        add_family(school, f"Spanish {n}", language="es")


def test_schools_show_grade_band_and_feeder_links(world, client):
    client.force_login(world.district_staff)
    page = client.get(reverse("directory:schools")).content.decode()
    assert "Oak Elementary" in page and "Riverside Middle" in page
    assert "Elementary" in page and "Middle" in page
    summaries = {s.school.name: s.school for s in schools_for_directory(world.district_staff)}
    assert summaries["Oak Elementary"].feeds_into.name == "Riverside Middle"
    assert [s.name for s in summaries["Riverside Middle"].feeder_schools.all()] == [
        "Oak Elementary"
    ]
    assert "Lakeside" not in page


def test_groups_under_the_minimum_are_shown_as_fewer_than_five(world, client):
    spanish_families(world.elementary, 4)  # with García: 5 Spanish-speaking households
    client.force_login(world.district_staff)
    page = client.get(reverse("directory:schools")).content.decode()
    summary = next(
        s for s in schools_for_directory(world.district_staff) if s.school == world.elementary
    )
    assert summary.households == 6
    assert [(g.tag, g.households) for g in summary.languages] == [("es", 5), ("so", None)]
    assert '<td class="table__number">5</td>' in page
    assert "fewer than 5" in page
    # The middle school has one household in all: even its total is hidden.
    assert '<td class="table__number">1</td>' not in page


def test_a_household_counts_once_per_language_however_many_caregivers(world):
    spanish_families(world.elementary, 4)
    from tandem.directory.services import add_caregiver

    add_caregiver(household=world.household, given_name="José", preferred_language="es")
    summary = next(
        s for s in schools_for_directory(world.district_staff) if s.school == world.elementary
    )
    assert summary.languages[0].tag == "es" and summary.languages[0].households == 5


def test_the_minimum_group_size_comes_from_settings(world, settings):
    settings.TANDEM_MIN_GROUP_SIZE = 3
    spanish_families(world.elementary, 2)
    summary = next(
        s for s in schools_for_directory(world.district_staff) if s.school == world.elementary
    )
    assert dict((g.tag, g.households) for g in summary.languages) == {"es": 3, "so": None}


def test_school_staff_see_only_their_school(world, client):
    client.force_login(world.coordinator)
    page = client.get(reverse("directory:schools")).content.decode()
    assert '<h2 class="card__title"' in page
    assert [s.school for s in schools_for_directory(world.coordinator)] == [world.elementary]


@pytest.mark.parametrize("persona", ["funder", "family"])
def test_those_without_the_directory_are_refused(persona, world, client):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("directory:schools")).status_code == 403


def test_query_count_does_not_grow_with_schools_or_households(world, client):
    from tandem.directory.services import create_school

    client.force_login(world.district_staff)
    url = reverse("directory:schools")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(4):
        school = create_school(
            organization=world.district,
            name=f"School {n}",
            grade_band="elementary",
            feeds_into=world.middle,
        )
        spanish_families(school, 6)
    assert queries() == few
