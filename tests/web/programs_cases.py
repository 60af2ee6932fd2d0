"""Shared by the programs tests and the programs rows of the permission matrix: a
program with one upcoming session at a named school (elementary, middle or another
organization's), and invitations to it."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.personas import World

RUNNERS = ["coordinator", "principal", "district_staff", "org_admin", "partner_staff", "outsider"]
NO_RUNNING = ["family", "teacher", "funder"]


def next_saturday(school, weeks: int = 1, at: time = time(10)) -> datetime:
    """A Saturday `weeks` from now, at `at` in the school's time zone."""
    zone = ZoneInfo(school.time_zone)
    today = timezone.localtime(timezone.now(), zone).date()
    day = today + timedelta(days=(5 - today.weekday()) % 7 + 7 * (weeks - 1))
    if day == today:
        day += timedelta(days=7)
    return datetime.combine(day, at, zone)


def make_program(world: World, school_name: str = "elementary", **fields):
    """A family series at the named school, made by an administrator of its organization."""
    from tandem.programs.services import create_program

    school = getattr(world, school_name)
    admin = world.org_admin if school.organization == world.district else world.outsider
    return create_program(
        actor=admin,
        organization=school.organization,
        name=fields.pop("name", "Families as partners"),
        kind=fields.pop("kind", "family_series"),
        audience=fields.pop("audience", "families"),
        schools=[school],
        languages=fields.pop("languages", ["en", "es"]),
        **fields,
    )


def make_session(world: World, school_name: str = "elementary", program=None, **fields):
    """A session next Saturday 10:00–12:00 at the school, with childcare."""
    from tandem.programs.services import add_session

    school = getattr(world, school_name)
    program = program or make_program(world, school_name)
    admin = world.org_admin if school.organization == world.district else world.outsider
    starts = fields.pop("starts_at", next_saturday(school))
    values = {
        "title": "Reading report cards",
        "topic": "report_cards",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "Library",
        "languages": ["en", "es"],
        "interpretation": ["so"],
        "childcare": True,
        "food": True,
        "transportation": "bus_vouchers",
        **fields,
    }
    return add_session(actor=admin, program=program, school=school, **values)


def session_at(school_name: str) -> Callable[[World], dict]:
    return lambda world: {"pk": make_session(world, school_name).pk}


def invitation_to(world: World, session, caregiver=None, channel: str = "web"):
    """The caregiver's invitation to the session (the García mother by default), made
    as the invitation message makes it."""
    from tandem.programs.invitations import ensure_invitations
    from tandem.programs.models import Invitation

    caregiver = caregiver or world.caregiver
    ids = ensure_invitations(session, [(caregiver.pk, channel)])
    return Invitation.objects.select_related("session__program").get(pk=ids[caregiver.pk])


def object_cases(
    url_name: str,
    make: Callable[[World, str], object],
    method: str = "get",
    allowed_here: list[str] | None = None,
    lacking: list[str] | None = None,
) -> list:
    """A URL of an object of a program (`make(world, school_name)` returns it), tried on
    objects at the elementary school, the middle school, another organization's school,
    and one that does not exist."""
    from tests.web.test_permission_matrix import object_case

    allowed = allowed_here or RUNNERS
    lacking = NO_RUNNING if lacking is None else lacking
    return [
        object_case(
            url_name,
            lambda w: {"pk": make(w, "elementary").pk},
            "elementary",
            [p for p in allowed if p != "outsider"],
            lacking,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": make(w, "middle").pk},
            "middle school",
            [p for p in allowed if p in ("district_staff", "org_admin")],
            lacking,
            method,
        ),
        object_case(
            url_name,
            lambda w: {"pk": make(w, "other_school").pk},
            "other organization",
            ["outsider"] if "outsider" in allowed else [],
            lacking,
            method,
        ),
        object_case(url_name, lambda w: {"pk": 999_999}, "none such", [], lacking, method),
    ]


def session_cases(url_name: str, method: str = "get", **options) -> list:
    return object_cases(url_name, lambda w, school: make_session(w, school), method, **options)


def program_cases(url_name: str, method: str = "get", **options) -> list:
    return object_cases(url_name, lambda w, school: make_program(w, school), method, **options)
