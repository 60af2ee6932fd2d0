"""A Parent College year from the calendar template (seed 003): monthly Saturdays from
September to April, one workshop topic each, and University Day."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.programs.models import Program, Session
from tandem.programs.services import create_parent_college, parent_college_calendar, session_zone


def test_the_calendar_is_a_saturday_each_month_september_to_april_then_university_day():
    planned = parent_college_calendar(2026)

    workshops = [p for p in planned if p.kind == Session.Kind.WORKSHOP]
    assert [(p.day.year, p.day.month) for p in workshops] == [
        (2026, 9), (2026, 10), (2026, 11), (2026, 12),
        (2027, 1), (2027, 2), (2027, 3), (2027, 4),
    ]  # fmt: skip
    assert all(p.day.weekday() == 5 for p in planned)
    assert workshops[0].day == date(2026, 9, 12)  # the second Saturday
    [university_day] = [p for p in planned if p.kind == Session.Kind.FIELD_TRIP]
    assert university_day.topic == "university_day" and university_day.day == date(2027, 4, 24)
    assert [p.topic for p in workshops] == [
        "academics",
        "report_cards",
        "empowerment",
        "college_access",
        "leadership_advocacy",
        "restorative_communities",
        "health_wellness",
        "parenting",
    ]


def test_a_coordinator_creates_a_year_at_her_school(world):
    year = timezone.localdate().year
    program = create_parent_college(actor=world.coordinator, school=world.elementary,
                                    school_year_starts=year)  # fmt: skip

    assert program.kind == Program.Kind.PARENT_COLLEGE and program.open_to_all_families
    assert list(program.schools.all()) == [world.elementary]
    sessions = list(program.sessions.all())
    assert len(sessions) == 9
    first = sessions[0]
    local_start = first.starts_at.astimezone(session_zone(first))
    assert local_start.time() == time(9) and local_start.weekday() == 5
    assert first.childcare and first.food and first.transportation == "bus_vouchers"
    assert first.rsvp_deadline < first.starts_at
    assert program.sessions_to_complete == 6


def test_a_year_at_a_school_she_does_not_work_at_is_refused(world):
    with pytest.raises(PermissionDenied):
        create_parent_college(actor=world.coordinator, school=world.middle, school_year_starts=2026)
    assert not Program.objects.exists()


def test_a_year_far_away_is_refused_with_a_reason(world):
    with pytest.raises(ValidationError) as refused:
        create_parent_college(actor=world.coordinator, school=world.elementary,
                              school_year_starts=1999)  # fmt: skip
    assert "school year" in str(refused.value)
    assert not Program.objects.exists()
