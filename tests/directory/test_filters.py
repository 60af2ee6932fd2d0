"""Each directory filter returns the right households, for a school's coordinator and for
district staff, and the caregiver list always agrees with the household list."""

import pytest

from tandem.directory.selectors import (
    DirectoryFilters,
    caregivers_for_directory,
    households_for_directory,
)
from tests.directory.conftest import mark_reached


def names(user, filters: DirectoryFilters) -> list[str]:
    return sorted(households_for_directory(user, filters).values_list("name", flat=True))


ELEMENTARY = ["Chen", "García", "Hassan"]
DISTRICT = ["Chen", "García", "Hassan", "Nguyen", "Okafor"]

# (filters built from the world, coordinator's households, district staff's households)
CASES = {
    "no filter": (lambda w: DirectoryFilters(), ELEMENTARY, DISTRICT),
    "elementary school": (lambda w: DirectoryFilters(school=w.elementary), ELEMENTARY, ELEMENTARY),
    "Spanish": (lambda w: DirectoryFilters(language="es"), ["García"], ["García"]),
    "Chinese by base language": (lambda w: DirectoryFilters(language="zh"), ["Chen"], ["Chen"]),
    "Vietnamese": (lambda w: DirectoryFilters(language="vi"), [], ["Nguyen"]),
    "childcare": (lambda w: DirectoryFilters(needs=("childcare",)), ["García"], ["García"]),
    "transportation": (
        lambda w: DirectoryFilters(needs=("transportation",)),
        ["Hassan"],
        ["Hassan"],
    ),
    "interpretation": (lambda w: DirectoryFilters(needs=("interpretation",)), ["Chen"], ["Chen"]),
    "accessibility": (lambda w: DirectoryFilters(needs=("accessibility",)), [], ["Okafor"]),
    "two needs at once": (
        lambda w: DirectoryFilters(needs=("childcare", "transportation")),
        [],
        [],
    ),
    "grandparents": (
        lambda w: DirectoryFilters(relationship="grandparent"),
        ["Chen"],
        ["Chen", "Nguyen"],
    ),
    "weekends": (
        lambda w: DirectoryFilters(availability="weekend"),
        ["Chen", "García"],
        ["Chen", "García"],
    ),
    "weekday evenings": (
        lambda w: DirectoryFilters(availability="weekday_evening"),
        [],
        ["Okafor"],
    ),
    "weekday daytime": (lambda w: DirectoryFilters(availability="weekday_daytime"), [], []),
    "household name": (lambda w: DirectoryFilters(search="garc"), ["García"], ["García"]),
    "caregiver full name": (
        lambda w: DirectoryFilters(search="maría garcía"),
        ["García"],
        ["García"],
    ),
    "student name": (lambda w: DirectoryFilters(search="Minh"), [], ["Nguyen"]),
    "phone in any format": (
        lambda w: DirectoryFilters(search="(312) 555-0103"),
        ["Hassan"],
        ["Hassan"],
    ),
    "email in capitals": (
        lambda w: DirectoryFilters(search="Maria.Garcia@Example.com"),
        ["García"],
        ["García"],
    ),
    "another district's family by name": (lambda w: DirectoryFilters(search="Smith"), [], []),
    "language and need together": (
        lambda w: DirectoryFilters(language="zh", needs=("interpretation",)),
        ["Chen"],
        ["Chen"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_filter_returns_the_right_households(case, families):
    build, for_coordinator, for_district = CASES[case]
    world = families.world
    filters = build(world)
    assert names(world.coordinator, filters) == for_coordinator
    assert names(world.district_staff, filters) == for_district


def test_not_yet_reached_leaves_out_households_reached_once(families):
    world = families.world
    mark_reached(world.household)
    mark_reached(families.okafor)
    filters = DirectoryFilters(not_reached=True)
    assert names(world.coordinator, filters) == ["Chen", "Hassan"]
    assert names(world.district_staff, filters) == ["Chen", "Hassan", "Nguyen"]


def test_middle_school_filter_for_district_staff(families):
    world = families.world
    assert names(world.district_staff, DirectoryFilters(school=world.middle)) == [
        "Nguyen",
        "Okafor",
    ]


def test_search_by_student_name_never_finds_a_sibling_at_another_school(families):
    """The teacher sees the García household (Lucía is at Oak Elementary); a brother at
    the middle school must not make the household findable by his name."""
    from tandem.directory.services import add_student

    world = families.world
    add_student(household=world.household, school=world.middle, given_name="Mateo")
    assert names(world.teacher, DirectoryFilters(search="Mateo")) == []
    assert names(world.district_staff, DirectoryFilters(search="Mateo")) == ["García"]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_caregiver_list_agrees_with_household_list(case, families):
    world = families.world
    filters = CASES[case][0](world)
    for user in (world.coordinator, world.district_staff, world.teacher, world.partner_staff):
        households = set(households_for_directory(user, filters).values_list("pk", flat=True))
        caregivers = set(
            caregivers_for_directory(user, filters).values_list("household_id", flat=True)
        )
        assert caregivers == households


def test_the_outsider_lists_only_their_own_district(families):
    world = families.world
    assert names(world.outsider, DirectoryFilters()) == ["Smith"]
    assert names(world.outsider, DirectoryFilters(search="García")) == []
