"""The reach dashboard's numbers: who was reached, replied, never reached, cannot be
reached or opted out, per school, language and channel, with small groups hidden."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import User
from tandem.directory.models import Household
from tandem.directory.services import create_school
from tandem.messaging.models import Delivery
from tandem.messaging.reach import (
    COMPLEMENT,
    MEASURES,
    SMALL,
    Cell,
    Line,
    ReachFilters,
    households_not_reached,
    reach_for,
    suppress,
)
from tests.messaging.reach_world import build_reach_world


def _values(row) -> dict[str, int]:
    return dict(zip(MEASURES, (cell.value for cell in row.cells), strict=True))


def _row(rows, key):
    return next(row for row in rows if row.key == key)


def test_it_counts_each_measure_per_language_at_a_school(world):
    build_reach_world(world)

    oak = reach_for(world.coordinator).schools[0]

    assert oak.school == world.elementary
    assert _values(_row(oak.by_language, "es")) == {
        "households": 7,
        "reached": 6,  # all but the bounced number
        "replied": 1,
        "never_reached": 1,
        "bad_contact": 1,  # the bounced number
        "opted_out": 1,  # the family that texted STOP
    }
    assert _values(_row(oak.by_language, "en")) == {
        "households": 10,
        "reached": 5,  # by email
        "replied": 0,
        "never_reached": 5,
        "bad_contact": 5,  # no consented phone or email, no sign-in
        "opted_out": 0,
    }
    assert _values(oak.total)["households"] == 21


def test_it_counts_each_household_once_by_its_best_channel(world):
    build_reach_world(world)

    oak = reach_for(world.coordinator).schools[0]

    assert {row.key: row.cells[0].value for row in oak.by_channel} == {
        "sms": 10,
        "email": 5,
        "none": 6,  # five never given consent, one opted out by STOP
    }
    none = _values(_row(oak.by_channel, "none"))
    assert none["bad_contact"] == 5  # opting out is not bad contact information
    assert none["opted_out"] == 1


def test_a_language_group_of_three_is_hidden_and_so_is_its_complement(world):
    reach = build_reach_world(world)
    assert len(reach.vietnamese) == 3

    oak = reach_for(world.coordinator).schools[0]

    vietnamese = _row(oak.by_language, "vi")
    assert all(cell.hidden == SMALL for cell in vietnamese.cells)
    households = [row.cells[0] for row in oak.by_language]
    hidden = [cell for cell in households if cell.hidden]
    assert len(hidden) >= 2
    assert any(cell.hidden == COMPLEMENT for cell in hidden)
    # What is hidden in the column adds up to a group of at least the minimum size.
    assert sum(cell.value for cell in hidden) >= 5


def test_the_all_schools_total_hides_what_a_small_school_would_give_away(world):
    build_reach_world(world)

    reach = reach_for(world.org_admin)

    middle = next(group for group in reach.schools if group.school == world.middle)
    assert middle.total.cells[0].hidden == SMALL  # one household
    assert reach.overall.total.cells[0].hidden == COMPLEMENT
    oak = next(group for group in reach.schools if group.school == world.elementary)
    assert oak.total.cells[0].shown


def test_the_filters_narrow_the_rows(world):
    build_reach_world(world)

    spanish = reach_for(world.org_admin, ReachFilters(school=world.elementary, language="es"))
    by_email = reach_for(world.org_admin, ReachFilters(channel="email"))

    assert [group.school for group in spanish.schools] == [world.elementary]
    assert spanish.overall is None
    assert [row.key for row in spanish.schools[0].by_language] == ["es"]
    assert spanish.schools[0].total.cells[0].value == 7
    assert "vi" in spanish.languages  # the language choices stay complete
    assert by_email.overall.total.cells[0].value == 5


def test_a_shorter_period_counts_only_recent_contact(world):
    build_reach_world(world)
    long_ago = timezone.now() - timedelta(days=40)  # as if the message went out then
    Household.objects.filter(last_reached_at__isnull=False).update(
        last_reached_at=long_ago, last_heard_at=None
    )
    Delivery.objects.update(sent_at=long_ago, created_at=long_ago)

    recent = reach_for(world.coordinator, ReachFilters(days=30)).schools[0]
    longer = reach_for(world.coordinator, ReachFilters(days=90)).schools[0]

    assert recent.total.cells[1].value == 0
    assert longer.total.cells[1].value == 15


def test_staff_of_another_organization_see_none_of_these_schools(world):
    build_reach_world(world)

    reach = reach_for(world.outsider)

    assert [group.school for group in reach.schools] == [world.other_school]


def test_the_dashboard_reads_the_same_number_of_queries_however_many_schools(world):
    build_reach_world(world)
    user = User.objects.get(pk=world.org_admin.pk)
    with CaptureQueriesContext(connection) as before:
        reach_for(user)
    for n in range(3):
        create_school(organization=world.district, name=f"New {n}", grade_band="high")
    user = User.objects.get(pk=world.org_admin.pk)
    with CaptureQueriesContext(connection) as after:
        reach_for(user)

    assert len(before) == len(after) == 3  # memberships, schools, counts


def test_the_not_reached_list_holds_families_nothing_reached_in_the_period(world):
    reach = build_reach_world(world)

    households = list(households_not_reached(world.coordinator, world.elementary))

    assert households[0] == reach.bounced  # never reached, named first alphabetically
    assert set(households) == {reach.bounced, *reach.unreachable}


def test_suppression_hides_a_second_cell_where_subtraction_would_give_one_away():
    small, other, bigger = Cell(3), Cell(8), Cell(12)
    total = Cell(23)

    suppress([Line([small, other, bigger], total)], minimum=5)

    assert small.hidden == SMALL
    assert other.hidden == COMPLEMENT  # the smallest other cell
    assert bigger.shown and total.shown


def test_suppression_hides_more_while_the_hidden_cells_add_up_to_a_small_group():
    one, two, six, seven = Cell(1), Cell(2), Cell(6), Cell(7)
    total = Cell(16)

    suppress([Line([one, two, six, seven], total)], minimum=5)

    assert one.hidden == two.hidden == SMALL
    assert six.hidden == COMPLEMENT
    assert seven.shown


def test_suppression_hides_the_total_when_no_other_cell_could_hide_a_small_one():
    small, zero = Cell(2), Cell(0)
    total = Cell(2)

    suppress([Line([small, zero], total)], minimum=5)

    assert small.hidden == total.hidden == SMALL
    assert zero.shown


def test_suppression_leaves_a_table_of_large_groups_alone():
    cells = [Cell(10), Cell(20)]
    total = Cell(30)

    suppress([Line(cells, total)], minimum=5)

    assert all(cell.shown for cell in [*cells, total])
