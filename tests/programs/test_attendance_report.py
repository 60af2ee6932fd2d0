"""Attendance read back: a session by role, language and school against those who said
yes, a program's people across its sessions, how many came back, and who completed.
Groups under the minimum size are hidden, and so is any number that would give one
away; the pages read in the same number of queries however many came."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.messaging.reach import COMPLEMENT, SMALL
from tandem.programs.attendance import add_guest, check_in_caregiver
from tandem.programs.attendance_report import program_attendance, session_attendance
from tests.programs.test_checkin import family, say_yes, today_session
from tests.web.programs_cases import make_program, make_session


@pytest.fixture(autouse=True)
def _groups_of_three(settings):
    settings.TANDEM_MIN_GROUP_SIZE = 3


def came(session, caregiver):
    return check_in_caregiver(
        session=session, caregiver=caregiver, method="roster", now=session.starts_at
    )


def families(world, count: int, language: str, prefix: str) -> list:
    return [family(world, f"{prefix}{n}", prefix, language) for n in range(count)]


def said_yes_and_came(world, session, invite, *, spanish=(6, 5), somali=(4, 3)) -> None:
    """(said yes, came of those) Spanish and Somali families."""
    for language, (yes, present) in (("es", spanish), ("so", somali)):
        for n, caregiver in enumerate(families(world, yes, language, f"{language}-{session.pk}-")):
            say_yes(invite(session, caregiver))
            if n < present:
                came(session, caregiver)


def row(table, key):
    return next(r for r in table.rows if r.key == key)


def test_a_session_counts_who_came_against_who_said_yes(world, client, invite):
    session = today_session(world)
    said_yes_and_came(world, session, invite)

    report = session_attendance(session)

    spanish, somali = row(report.by_language, "es"), row(report.by_language, "so")
    assert [c.value for c in spanish.cells] == [6, 5, 0, 5]
    assert [c.value for c in somali.cells] == [4, 3, 0, 3]
    assert [c.value for c in report.by_language.total.cells] == [10, 8, 0, 8]
    assert [c.value for c in row(report.by_school, world.elementary.pk).cells] == [10, 8, 0, 8]
    assert row(report.by_role, "family").cells[0].value == 8
    assert report.show_up == 80
    assert not any(c.hidden for r in report.by_language.rows for c in r.cells)

    client.force_login(world.coordinator)
    page = client.get(reverse("programs:session-attendance", args=[session.pk])).text
    assert "80%" in page and "Oak Elementary" in page and "Somali" in page


def test_one_walk_in_is_hidden_with_every_number_that_would_give_them_away(world, client, invite):
    session = today_session(world)
    said_yes_and_came(world, session, invite)
    add_guest(actor=world.coordinator, session=session, name="Sam", language="en")

    report = session_attendance(session)

    english = row(report.by_language, "en")
    assert english.cells[3].hidden == SMALL and english.cells[2].hidden == SMALL
    # Everyone else who came is shown, so Somali's 3 would give the guest away.
    assert report.by_language.total.cells[3].value == 9 and report.by_language.total.cells[3].shown
    assert row(report.by_language, "so").cells[3].hidden == COMPLEMENT
    assert [c.value for c in row(report.by_language, "es").cells][:1] == [6]
    assert row(report.by_language, "es").cells[0].shown  # who said yes is not about the guest
    assert report.show_up is None
    for table in (report.by_language, report.by_school, report.by_role):
        for cell in [c for r in table.rows for c in r.cells] + table.total.cells:
            assert cell.hidden or not 0 < cell.value < 3

    client.force_login(world.coordinator)
    page = client.get(reverse("programs:session-attendance", args=[session.pk])).text
    assert "fewer than 3" in page and "not shown" in page


def series(world, *, regulars=3, once=3, twice=3):
    """A program of three past sessions (two to complete): `regulars` Spanish families
    came to all three, `twice` Spanish families to the first two, `once` Somali
    families to the first only."""
    program = make_program(world, name="Parent College", sessions_to_complete=2)
    now = timezone.now()
    sessions = [
        make_session(world, program=program, starts_at=now - timedelta(days=7 * weeks))
        for weeks in (3, 2, 1)
    ]
    for caregiver in families(world, regulars, "es", "Regular"):
        for session in sessions:
            came(session, caregiver)
    for caregiver in families(world, twice, "es", "Twice"):
        for session in sessions[:2]:
            came(session, caregiver)
    for caregiver in families(world, once, "so", "Once"):
        came(sessions[0], caregiver)
    return program, sessions


def test_repeat_attendance_across_a_series_and_who_completed(world, client):
    program, sessions = series(world)
    add_guest(actor=world.org_admin, session=sessions[0], name="Sam", language="es")

    report = program_attendance(program)

    assert [(r.key, r.cells[0].value) for r in report.repeat.rows] == [(1, 3), (2, 3), (3, 3)]
    assert report.repeat.total.cells[0].value == 9  # the guest cannot be followed
    assert report.returning.value == 6 and report.returning_share == 67
    assert report.by_role.total.cells[0].value == 10  # people, each once
    assert [line.came.value for line in report.sessions] == [10, 6, 3]
    assert sorted(c.caregiver.given_name for c in report.completed) == sorted(
        [f"Regular{n}" for n in range(3)] + [f"Twice{n}" for n in range(3)]
    )

    client.force_login(world.coordinator)
    page = client.get(reverse("programs:program-attendance", args=[program.pk])).text
    assert "67% of the people in the directory who came, came to two sessions or more." in page
    assert "Regular0 Regular" in page and "Once0 Once" not in page
    regular = next(c.caregiver for c in report.completed if c.caregiver.given_name == "Regular0")
    assert reverse("programs:certificate", args=[program.pk, regular.pk]) in page


def test_a_small_group_coming_back_is_hidden(world):
    program, _sessions = series(world, regulars=1, twice=3, once=3)

    report = program_attendance(program)

    three_times = row(report.repeat, 3)
    assert three_times.cells[0].hidden == SMALL
    assert report.repeat.total.cells[0].value == 7 and report.repeat.total.cells[0].shown
    assert any(r.cells[0].hidden == COMPLEMENT for r in report.repeat.rows)


def test_the_report_pages_read_in_the_same_number_of_queries_as_more_came(
    world, client, invite, django_assert_max_num_queries
):
    program, sessions = series(world, regulars=1, twice=1, once=1)
    said_yes_and_came(world, sessions[2], invite, spanish=(1, 1), somali=(1, 0))
    client.force_login(world.coordinator)
    pages = [
        reverse("programs:session-attendance", args=[sessions[2].pk]),
        reverse("programs:program-attendance", args=[program.pk]),
    ]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(25) as few:
            client.get(url)
        counts.append(len(few))

    for caregiver in families(world, 6, "es", "Late"):
        came(sessions[2], caregiver)
    said_yes_and_came(world, sessions[2], invite, spanish=(5, 4), somali=(5, 4))
    for caregiver in families(world, 5, "vi", "More"):
        for session in sessions:
            came(session, caregiver)

    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
