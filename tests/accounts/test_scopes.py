"""Who sees which households: the queryset half of the permission layer."""

from tandem.accounts.permissions import Action, can
from tandem.accounts.scopes import visible_caregivers, visible_households


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_school_staff_see_only_households_with_a_student_at_their_school(world):
    assert names(visible_households(world.teacher)) == ["García", "Hassan"]
    assert names(visible_households(world.coordinator)) == ["García", "Hassan"]


def test_district_staff_see_every_household_of_their_district_and_no_other(world):
    assert names(visible_households(world.district_staff)) == ["García", "Hassan", "Nguyen"]
    assert not can(world.district_staff, Action.VIEW_HOUSEHOLD, world.other_household)


def test_partner_staff_see_only_the_schools_of_a_roster_partnership(world):
    assert names(visible_households(world.partner_staff)) == ["García", "Hassan"]
    world.partnership.scope = "aggregate"
    world.partnership.save()
    world.partner_staff.__dict__.pop("_tandem_scopes", None)
    assert names(visible_households(world.partner_staff)) == []
    assert can(world.partner_staff, Action.VIEW_REPORTS)


def test_a_family_sees_its_own_household_only(world):
    assert names(visible_households(world.family)) == ["García"]
    assert not can(world.family, Action.VIEW_HOUSEHOLD, world.neighbour_household)
    assert not can(world.family, Action.VIEW_DIRECTORY)


def test_funders_and_outsiders_see_no_families(world):
    assert names(visible_households(world.funder)) == []
    assert names(visible_households(world.outsider)) == ["Smith"]
    assert not can(world.outsider, Action.VIEW_HOUSEHOLD, world.household)


def test_caregiver_queryset_agrees_with_household_queryset(world):
    for user in world.personas().values():
        if user is None:
            continue
        households = set(visible_households(user).values_list("id", flat=True))
        caregivers = set(visible_caregivers(user).values_list("household_id", flat=True))
        assert caregivers == households
        for household in [world.household, world.middle_household, world.other_household]:
            assert can(user, Action.VIEW_HOUSEHOLD, household) == (household.pk in households)
