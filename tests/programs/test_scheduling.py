"""The scheduling assistant and the outreach list: their numbers equal a plain count over
the demo district's families, the pages show them (Spanish speakers under Spanish, the
best candidate marked, families never reached before highlighted), bad candidates are
named, and the pages' queries stay flat as families are added."""

import csv
import io
import re
from collections import Counter
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.roles import Role
from tandem.accounts.services import create_staff_user, grant_membership
from tandem.directory.models import Caregiver, School
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.models import SavedList
from tandem.programs.attendance import check_in_caregiver
from tandem.programs.invitations import ensure_invitations
from tandem.programs.models import Attendance, Invitation
from tandem.programs.reach import Candidate
from tandem.programs.scheduling import compare_candidates
from tandem.programs.services import add_session, create_program
from tests.web.programs_cases import make_program, make_session, next_saturday

SATURDAY, TUESDAY = 5, 1


def scheduling_url(session) -> str:
    return reverse("programs:session-scheduling", kwargs={"pk": session.pk})


def outreach_url(program) -> str:
    return reverse("programs:program-outreach", kwargs={"pk": program.pk})


def came_to_something(world, caregiver):
    """Check the caregiver in to a session of another program of the organization, held
    last month."""
    session = make_session(
        world,
        program=make_program(world, name="Last year's series"),
        starts_at=timezone.now() - timedelta(days=30),
    )
    check_in_caregiver(session=session, caregiver=caregiver, method="roster", actor=world.org_admin)


# The brute-force count, written from the rule's words over model objects -------------


def minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def free_for(caregiver, candidate: Candidate) -> bool:
    """Every minute of the candidate falls in one of the caregiver's windows that day."""
    windows = [
        (minutes(window.starts_at), minutes(window.ends_at))
        for window in caregiver.availability.all()
        if window.weekday == candidate.weekday
    ]
    return all(
        any(start <= minute < end for start, end in windows)
        for minute in range(candidate.start, candidate.start + candidate.minutes)
    )


def would_come(caregiver, candidate: Candidate) -> bool:
    spoken = {tag.split("-")[0] for tag in candidate.languages}
    if caregiver.preferred_language.split("-")[0] not in spoken:
        return False
    if candidate.modality == "in_person":
        if caregiver.needs_childcare and not candidate.childcare:
            return False
        if caregiver.needs_transportation and not candidate.transportation:
            return False
    return True


def brute_force(caregivers, school_of, attended_ids, candidate: Candidate) -> dict:
    reachable = [
        caregiver
        for caregiver in caregivers
        if caregiver.availability.all()
        and would_come(caregiver, candidate)
        and free_for(caregiver, candidate)
    ]
    return {
        "total": len(reachable),
        "by_language": dict(Counter(c.preferred_language.split("-")[0] for c in reachable)),
        "by_school": dict(Counter(school_of[c.pk] for c in reachable)),
        "never_reached": sum(1 for c in reachable if c.pk not in attended_ids),
        "unknown": sum(
            1 for c in caregivers if not c.availability.all() and would_come(c, candidate)
        ),
    }


def assistant(result) -> dict:
    return {
        "total": result.total,
        "by_language": result.by_language,
        "by_school": result.by_school,
        "never_reached": result.never_reached,
        "unknown": result.unknown,
    }


DEMO_CANDIDATES = [
    Candidate(SATURDAY, 10 * 60, 120, "in_person", True, True, ("en", "es", "so")),
    Candidate(SATURDAY, 10 * 60, 120, "in_person", False, False, ("en", "es")),
    Candidate(TUESDAY, 18 * 60, 90, "virtual", False, False, ("en", "es", "vi", "zh")),
    Candidate(TUESDAY, 11 * 60 + 15, 60, "hybrid", False, False, ("ar", "ht", "fil", "en")),
    Candidate(0, 15 * 60 + 30, 150, "in_person", True, False, ("es", "vi")),
    Candidate(2, 8 * 60 + 30, 45, "in_person", False, True, ("en", "zh-Hant", "so")),
    Candidate(6, 13 * 60, 240, "virtual", False, False, ("en", "es", "vi", "zh", "ar", "so")),
]


@pytest.mark.django_db
def test_expected_reach_equals_a_brute_force_count_on_the_demo_district():
    from tandem.directory.demo import build_demo_district, demo_district

    build_demo_district(households=200, seed=2026)
    district = demo_district()
    admin = create_staff_user(email="planner@demo.test", name="Plan Planner")
    grant_membership(user=admin, organization=district, role=Role.ORG_ADMIN)
    schools = list(School.objects.filter(organization=district).order_by("pk"))
    program = create_program(
        actor=admin,
        organization=district,
        name="Families as partners",
        kind="family_series",
        audience="families",
        schools=schools,
        languages=["en", "es"],
    )
    starts = next_saturday(schools[0])
    session = add_session(  # at a central place: for the program's schools
        actor=admin,
        program=program,
        title="Reading report cards",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Central library",
        languages=["en", "es"],
        interpretation=["so"],
        childcare=True,
    )

    def check(caregivers, school_of):
        attended = set(
            Attendance.objects.filter(
                session__program__organization=district, caregiver__isnull=False
            ).values_list("caregiver_id", flat=True)
        )
        comparison = compare_candidates(admin, session, DEMO_CANDIDATES)
        assert comparison.everyone.total == len(caregivers)
        for candidate, result in zip(DEMO_CANDIDATES, comparison.reaches, strict=True):
            assert assistant(result) == brute_force(caregivers, school_of, attended, candidate)
        return comparison

    # Before any invitation: the caregivers of every family with a student at the
    # program's schools, each counted at the school of the household's first student.
    families = list(
        Caregiver.objects.filter(organization=district)
        .prefetch_related("availability", "household__students")
        .order_by("pk")
    )
    school_of = {
        c.pk: min(c.household.students.all(), key=lambda s: s.pk).school_id for c in families
    }
    assert len(families) > 300
    comparison = check(families, school_of)
    assert comparison.invited is False
    assert len(comparison.everyone.by_school) == len(schools)
    assert all(result.total for result in comparison.reaches)
    assert any(result.unknown for result in comparison.reaches)
    assert len(comparison.reaches[2].by_language) >= 3

    # Invited: every other caregiver, a few of whom came to something before; one
    # invited at a school other than their first student's.
    invited = families[::2]
    ensure_invitations(session, [(c.pk, "sms") for c in invited])
    Invitation.objects.filter(session=session, caregiver=invited[0]).update(school=schools[-1])
    past = add_session(
        actor=admin,
        program=program,
        school=schools[0],
        title="Welcome night",
        starts_at=timezone.now() - timedelta(days=20),
        ends_at=timezone.now() - timedelta(days=20) + timedelta(hours=2),
        place="Gym",
        languages=["en", "es"],
    )
    for caregiver in invited[1:120:3]:
        check_in_caregiver(session=past, caregiver=caregiver, method="roster", actor=admin)
    school_of = {c.pk: school_of[c.pk] for c in invited} | {invited[0].pk: schools[-1].pk}
    comparison = check(invited, school_of)
    assert comparison.invited is True
    assert comparison.everyone.total == len(invited)
    assert any(0 < r.never_reached < r.total for r in comparison.reaches)


# The page -----------------------------------------------------------------------------


def row(html: str, attribute: str, value) -> list[str]:
    """The cells of the results table's row for a language or school: [everyone,
    candidate 1, candidate 2, …]."""
    match = re.search(rf'<tr {attribute}="{value}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return re.findall(r'<td class="table__number">\s*(?:<strong>)?(\d+)', match.group(1))


def measure(html: str, name: str) -> list[str]:
    match = re.search(rf'<tr data-measure="{name}">(.*?)</tr>', html, re.S)
    assert match, f"no row {name}"
    return re.findall(r'<td class="table__number">\s*(?:<strong>)?(\d+)', match.group(1))


def spanish_family(world, name="Reyes", language="es-MX", **needs):
    household = create_household(organization=world.district, name=name)
    caregiver = add_caregiver(
        household=household,
        given_name="Rosa",
        family_name=name,
        preferred_language=language,
        phone="+1 312 555 0199",
        availability=[(SATURDAY, time(9), time(12)), (TUESDAY, time(17), time(20))],
        **needs,
    )
    add_student(household=household, school=world.elementary, given_name="Ana", grade="02")
    return caregiver


def test_it_compares_the_session_with_saturday_morning_and_tuesday_evening(world, client, session):
    spanish_family(world)
    client.force_login(world.coordinator)
    response = client.get(scheduling_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    # The session as planned (Saturday 10:00–12:00 with childcare), Saturday 10:00 in
    # person with childcare, Tuesday 18:00 virtual.
    assert html.count('<fieldset class="fieldset card">') == 3 + 2
    assert "Saturday 10 a.m., 120 min, In person, childcare" in html
    assert "Tuesday 6 p.m., 120 min, Virtual, en, es, so" in html
    # María (es, needs childcare, Saturday 9–13) and Rosa (es-MX, Saturday and Tuesday
    # evenings) are Spanish speakers; Amina (so) gave no availability.
    assert row(html, "data-language", "es") == ["2", "2", "2", "1"]
    assert row(html, "data-language", "so") == ["1", "0", "0", "0"]
    assert row(html, "data-school", world.elementary.pk) == ["3", "2", "2", "1"]
    assert measure(html, "never-reached") == ["3", "2", "2", "1"]
    assert measure(html, "unknown") == ["1", "1", "1", "1"]
    assert '<span lang="es">español</span>' in html
    assert html.count("data-best") == 1
    assert re.search(r"<th[^>]*data-best>Saturday 10 a.m.", html)


def test_spanish_speakers_are_counted_under_spanish_whatever_their_region(world, client, session):
    spanish_family(world, "Reyes", "es-MX")
    spanish_family(world, "Soto", "es-419")
    client.force_login(world.coordinator)
    html = client.get(scheduling_url(session)).content.decode()
    assert row(html, "data-language", "es")[0] == "3"
    assert 'data-language="es-MX"' not in html


def test_families_who_came_before_are_not_counted_as_never_reached(world, client, session):
    came_to_something(world, world.caregiver)
    client.force_login(world.coordinator)
    html = client.get(scheduling_url(session)).content.decode()
    assert measure(html, "never-reached") == ["1", "0", "0", "0"]  # Amina only, unknown
    assert row(html, "data-language", "es") == ["1", "1", "1", "0"]


def test_invited_caregivers_are_the_population_once_invitations_went_out(
    world, client, session, invite
):
    spanish_family(world)
    invite(session)  # María only
    client.force_login(world.coordinator)
    html = client.get(scheduling_url(session)).content.decode()
    assert "Among the 1 caregiver invited to this session." in html
    assert row(html, "data-language", "es") == ["1", "1", "1", "0"]


def test_invited_families_the_planner_may_not_see_are_left_out(world, client, session):
    nguyen = Caregiver.objects.get(household=world.middle_household)
    ensure_invitations(session, [(world.caregiver.pk, "web"), (nguyen.pk, "web")])
    client.force_login(world.coordinator)  # Oak Elementary only
    html = client.get(scheduling_url(session)).content.decode()
    assert "Among the 1 caregiver invited" in html
    assert 'data-language="vi"' not in html
    client.force_login(world.org_admin)
    html = client.get(scheduling_url(session)).content.decode()
    assert "Among the 2 caregivers invited" in html
    assert 'data-language="vi"' in html


def candidate_query(**rows) -> dict:
    """GET data for candidate rows: rows={"0": {...}, "1": {...}}."""
    data = {
        "candidate-TOTAL_FORMS": str(len(rows)),
        "candidate-INITIAL_FORMS": "0",
        "candidate-MIN_NUM_FORMS": "0",
        "candidate-MAX_NUM_FORMS": "6",
    }
    for index, fields in rows.items():
        data |= {f"candidate-{index}-{name}": value for name, value in fields.items()}
    return data


SUNDAY_AFTERNOON = {
    "weekday": "6",
    "starts": "14:00",
    "minutes": "60",
    "modality": "hybrid",
    "languages": "es",
}


def test_candidates_entered_in_the_form_are_compared(world, client, session):
    spanish_family(world)
    client.force_login(world.coordinator)
    tuesday = {
        "weekday": "1",
        "starts": "17:30",
        "minutes": "90",
        "modality": "in_person",
        "languages": "es, so",
        "childcare": "on",
    }
    response = client.get(scheduling_url(session), candidate_query(**{"0": tuesday}))
    assert response.status_code == 200
    html = response.content.decode()
    assert row(html, "data-language", "es") == ["2", "1"]  # Rosa: Tuesday 17–20
    assert 'value="17:30"' in html


def test_bad_candidates_are_named_and_the_good_ones_still_compared(world, client, session):
    spanish_family(world)
    client.force_login(world.coordinator)
    bad = {
        "weekday": "9",
        "starts": "25:00",
        "minutes": "ninety",
        "modality": "by bus",
        "languages": "klingonese",
    }
    late = {**SUNDAY_AFTERNOON, "starts": "23:30", "minutes": "60"}
    response = client.get(
        scheduling_url(session),
        candidate_query(**{"0": bad, "1": late, "2": {**SUNDAY_AFTERNOON, "weekday": "5"}}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Candidate 1, Day: Choose a day of the week." in html
    assert "Candidate 1, Starts at: Enter a time, for example 18:00." in html
    assert "Candidate 1, Length in minutes: Enter a whole number of minutes" in html
    assert "Candidate 1, How:" in html
    assert "Candidate 1, Languages: “klingonese” is not a language tag" in html
    assert "Candidate 2, Length in minutes: It must end by midnight." in html
    assert "Traceback" not in html
    # The third row (Saturday 14:00–15:00, hybrid, es) is still compared: Rosa is free
    # until 12:00 only, María until 13:00.
    assert row(html, "data-language", "es") == ["2", "0"]


def test_the_default_form_sent_back_as_it_is_compares_the_same(world, client, session):
    spanish_family(world)
    client.force_login(world.coordinator)
    first = client.get(scheduling_url(session)).content.decode()
    # What a browser sends: every field of the five rows, the two extra ones empty.
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', first):
        data[name] = value
    for index in range(5):
        prefix = f"candidate-{index}-"
        for field in ("starts", "minutes", "languages"):
            match = re.search(rf'name="{prefix}{field}" value="([^"]*)"', first)
            data[prefix + field] = match.group(1) if match else ""
        for field in ("weekday", "modality"):
            select = re.search(rf'<select name="{prefix}{field}".*?</select>', first, re.S)
            chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
            data[prefix + field] = chosen.group(1) if chosen else ""
        for field in ("childcare", "transportation"):
            if re.search(rf'name="{prefix}{field}"[^>]*checked', first):
                data[prefix + field] = "on"
    assert data["candidate-TOTAL_FORMS"] == "5"
    response = client.get(scheduling_url(session), data)
    assert response.status_code == 200
    again = response.content.decode()
    assert row(again, "data-language", "es") == row(first, "data-language", "es")
    # A row emptied is skipped: only the Tuesday evening is left.
    for field in ("weekday", "starts", "minutes", "languages", "childcare", "transportation"):
        for index in (0, 1):
            data.pop(f"candidate-{index}-{field}", None)
    html = client.get(scheduling_url(session), data).content.decode()
    assert row(html, "data-language", "es") == ["2", "1"]


def test_a_page_without_the_management_fields_shows_the_defaults(world, client, session):
    client.force_login(world.coordinator)
    response = client.get(scheduling_url(session), {"candidate-0-weekday": "3"})
    assert response.status_code == 200
    assert response.content.decode().count('<fieldset class="fieldset card">') == 5


def test_the_scheduling_page_queries_stay_flat_as_invitations_grow(world, client, session):
    client.force_login(world.coordinator)

    def queries_with(families: int) -> int:
        caregivers = [
            spanish_family(world, f"Family {len(Caregiver.objects.all())}") for _ in range(families)
        ]
        ensure_invitations(session, [(c.pk, "web") for c in caregivers])
        with CaptureQueriesContext(connection) as context:
            assert client.get(scheduling_url(session)).status_code == 200
        return len(context.captured_queries)

    assert queries_with(2) == queries_with(20)


# The outreach list --------------------------------------------------------------------


def test_outreach_lists_invited_caregivers_who_never_came(world, client, session, invite):
    rosa = spanish_family(world, needs_transportation=True)
    amina = Caregiver.objects.get(household=world.neighbour_household)
    for caregiver in (world.caregiver, rosa, amina):
        invite(session, caregiver)
    came_to_something(world, amina)
    client.force_login(world.coordinator)
    response = client.get(outreach_url(session.program))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 caregivers" in html
    assert "María García" in html and "Rosa Reyes" in html
    assert "Amina Hassan" not in html
    assert "(312) 555-0101" in html  # María's phone, to call
    assert "Childcare" in html and "Transportation" in html
    assert "Reading report cards" in html
    assert 'lang="es"' in html


def test_outreach_saves_their_households_as_a_messaging_list(world, client, session, invite):
    rosa = spanish_family(world)
    invite(session, world.caregiver)
    invite(session, rosa)
    client.force_login(world.coordinator)
    response = client.post(outreach_url(session.program), {"name": "Call before Saturday"})
    assert response.status_code == 302
    saved = SavedList.objects.get()
    assert saved.name == "Call before Saturday"
    assert saved.school == world.elementary
    assert set(saved.households.values_list("pk", flat=True)) == {
        world.household.pk,
        rosa.household_id,
    }
    page = client.get(response.url).content.decode()
    assert "Saved the list “Call before Saturday”" in page


def test_outreach_list_without_a_name_takes_the_programs(world, client, session, invite):
    invite(session)
    client.force_login(world.org_admin)
    client.post(outreach_url(session.program), {"name": "  "})
    assert SavedList.objects.get().name == "Never came: Families as partners"


def test_outreach_as_csv(world, client, session, invite):
    invite(session)
    client.force_login(world.coordinator)
    response = client.get(reverse("programs:program-outreach-csv", args=[session.program.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Caregiver", "Household id", "Preferred language", "Phone"]
    assert rows[1][0] == "María García"
    assert rows[1][3] == "(312) 555-0101"
    assert rows[1][4] == "Childcare"
    assert rows[1][5].startswith("Reading report cards (")


def test_the_outreach_page_queries_stay_flat(world, client, session):
    client.force_login(world.coordinator)
    second = make_session(
        world,
        program=session.program,
        title="Second workshop",
        starts_at=next_saturday(world.elementary, weeks=2),
    )

    def queries_with(families: int) -> int:
        caregivers = [
            spanish_family(world, f"Family {len(Caregiver.objects.all())}") for _ in range(families)
        ]
        ensure_invitations(session, [(c.pk, "web") for c in caregivers])
        ensure_invitations(second, [(c.pk, "sms") for c in caregivers])
        with CaptureQueriesContext(connection) as context:
            assert client.get(outreach_url(session.program)).status_code == 200
        return len(context.captured_queries)

    assert queries_with(2) == queries_with(20)
