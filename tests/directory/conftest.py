"""More families for the directory tests, on top of the personas' world.

Oak Elementary: García (es, childcare, Saturday mornings), Hassan (so, transportation),
Chen (zh-Hant grandparent, interpretation, Sunday). Riverside Middle: Nguyen (vi
grandparent), Okafor (en, accessibility, weekday evenings). Lakeside: Smith.
"""

from dataclasses import dataclass
from datetime import time

import pytest
from django.utils import timezone

from tandem.directory.models import Household, School
from tandem.directory.services import add_caregiver, add_student, create_household
from tests.personas import World


@dataclass
class DirectoryWorld:
    world: World
    chen: Household
    okafor: Household


def mark_reached(household: Household) -> None:
    # The messaging app keeps last_reached_at current; it has no service yet to call.
    Household.objects.filter(pk=household.pk).update(last_reached_at=timezone.now())


def add_family(
    school: School, name: str, *, language: str = "en", phone: str | None = None, **caregiver
) -> Household:
    household = create_household(organization=school.organization, name=name)
    add_caregiver(
        household=household,
        given_name=caregiver.pop("given_name", "Sam"),
        family_name=name,
        preferred_language=language,
        phone=phone,
        **caregiver,
    )
    add_student(household=household, school=school, given_name="Kid", family_name=name, grade="02")
    return household


@pytest.fixture
def families(world) -> DirectoryWorld:
    chen = add_family(
        world.elementary,
        "Chen",
        given_name="Wei",
        language="zh-Hant",
        relationship="grandparent",
        needs_interpretation=True,
        availability=[(6, time(10), time(14))],
    )
    okafor = add_family(
        world.middle,
        "Okafor",
        given_name="Ngozi",
        accessibility_note="Wheelchair user: ground-floor rooms, please.",
        availability=[(1, time(18), time(20, 30))],
    )
    return DirectoryWorld(world=world, chen=chen, okafor=okafor)
