"""Shared by the programs tests and the programs rows of the permission matrix: a
program with one upcoming session at a named school (elementary, middle or another
organization's), and invitations to it."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.personas import World

# The same personas run programs as run listening; object URLs are tried the same way.
from tests.web.listening_cases import NO_RUNNING, RUNNERS, object_cases  # noqa: F401


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


def session_cases(url_name: str, method: str = "get", **options) -> list:
    return object_cases(url_name, lambda w, school: make_session(w, school), method, **options)


def program_cases(url_name: str, method: str = "get", **options) -> list:
    return object_cases(url_name, lambda w, school: make_program(w, school), method, **options)
