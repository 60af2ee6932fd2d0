"""Benchmark: the scheduling assistant over 50,000 invited caregivers and 20 candidate
times, through the selector the page uses (`compare_candidates`), loading included.

    .venv/bin/python bench/scheduling.py [--caregivers 50000] [--runs 3]

Builds a throwaway SQLite database in a temporary folder: one district with ten
schools, a session with every caregiver invited (bulk_create), each with availability
windows drawn from the demo district's weekly patterns shifted by up to an hour, a
preferred language, needs, and one caregiver in ten who came to an earlier session.
Times the selector `--runs` times (the database warm, as on a server) and reports the
median. Prints a summary, then one JSON line.
"""

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock

LANGUAGES = {
    "en": 45,
    "es": 20,
    "es-MX": 8,
    "vi": 5,
    "zh-Hant": 3,
    "zh": 2,
    "ar": 4,
    "ht": 4,
    "so": 4,
    "fil": 3,
    "pt": 2,
}
# Weekday, start and end hours of the demo district's availability patterns.
PATTERNS = {
    "nine_to_five": [(1, 18, 20.5), (3, 18, 20.5), (5, 10, 14)],
    "night_shift": [(1, 11, 14), (2, 11, 14), (3, 11, 14)],
    "weekend_only": [(5, 9, 17), (6, 13, 17)],
    "early_shift": [(0, 15.5, 18.5), (2, 15.5, 18.5)],
    "school_hours": [(0, 8.5, 14.5), (2, 8.5, 14.5), (4, 8.5, 14.5)],
    "not_given": [],
}
PATTERN_WEIGHTS = [35, 12, 10, 8, 15, 20]
SCHOOLS = 10
CHUNK = 10_000


def candidates(languages: tuple[str, ...]):
    """Twenty candidate times: every weekday's evening, weekend mornings and afternoons,
    school-hours mornings, in person, virtual and hybrid, with and without childcare."""
    from tandem.programs.reach import Candidate

    offers = [
        ("in_person", True, True),
        ("virtual", False, False),
        ("hybrid", True, False),
        ("in_person", False, False),
    ]
    times = [
        (5, 10 * 60),
        (1, 18 * 60),
        (3, 18 * 60 + 30),
        (6, 14 * 60),
        (0, 16 * 60),
        (2, 9 * 60),
        (4, 12 * 60),
        (5, 14 * 60),
        (1, 12 * 60),
        (2, 16 * 60),
    ]
    chosen = []
    for n in range(20):
        day, start = times[n % len(times)]
        modality, childcare, transportation = offers[n % len(offers)]
        chosen.append(
            Candidate(
                weekday=day,
                start=start,
                minutes=90 if n % 3 else 120,
                modality=modality,
                childcare=childcare,
                transportation=transportation,
                languages=languages if n % 2 else languages[:2],
            )
        )
    return chosen


def build(count: int, seed: int = 2026):
    """The district, its session and `count` invited caregivers; returns (admin, session)."""
    from django.utils import timezone

    from tandem.accounts.roles import Role
    from tandem.accounts.services import create_staff_user, grant_membership
    from tandem.directory.models import AvailabilityWindow, Caregiver, Household, Student
    from tandem.directory.services import create_organization, create_school
    from tandem.programs.models import Attendance, Invitation, Program, Session

    rng = random.Random(seed)
    district = create_organization(name="Bench Unified", kind="district")
    schools = [
        create_school(organization=district, name=f"School {n}", grade_band="elementary")
        for n in range(SCHOOLS)
    ]
    admin = create_staff_user(email="admin@bench.test", name="Admin")
    grant_membership(user=admin, organization=district, role=Role.ORG_ADMIN)
    program = Program.objects.create(
        organization=district, name="Parent College", kind="parent_college", audience="families"
    )
    program.schools.set(schools)
    starts = timezone.now() + timedelta(days=10)
    session, earlier = Session.objects.bulk_create(
        [
            Session(
                program=program,
                school=schools[0],
                title="Reading report cards",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Library",
                languages=["en", "es"],
                interpretation=["vi", "so"],
                childcare=True,
            ),
            Session(
                program=program,
                school=schools[0],
                title="Welcome night",
                starts_at=starts - timedelta(days=40),
                ends_at=starts - timedelta(days=40, hours=-2),
                place="Gym",
                languages=["en", "es"],
            ),
        ]
    )
    tags, weights = list(LANGUAGES), list(LANGUAGES.values())
    patterns = list(PATTERNS.values())
    checked_in = datetime.now().astimezone()
    for begin in range(0, count, CHUNK):
        numbers = range(begin, min(begin + CHUNK, count))
        homes = Household.objects.bulk_create(
            Household(organization=district, name=f"Family {n}") for n in numbers
        )
        school_of = [rng.choice(schools) for _ in numbers]
        Student.objects.bulk_create(
            Student(organization=district, household=home, school=school, given_name="Kid")
            for home, school in zip(homes, school_of, strict=True)
        )
        people = Caregiver.objects.bulk_create(
            Caregiver(
                organization=district,
                household=home,
                given_name="Parent",
                family_name=f"{n}",
                preferred_language=rng.choices(tags, weights)[0],
                needs_childcare=rng.random() < 0.2,
                needs_transportation=rng.random() < 0.12,
                needs_interpretation=rng.random() < 0.3,
            )
            for n, home in zip(numbers, homes, strict=True)
        )
        windows = []
        for person in people:
            for day, start, end in rng.choices(patterns, PATTERN_WEIGHTS)[0]:
                shift = rng.choice([-60, -30, 0, 0, 0, 30, 60])
                start_minutes = max(0, int(start * 60) + shift)
                end_minutes = min(23 * 60 + 59, int(end * 60) + shift)
                windows.append(
                    AvailabilityWindow(
                        caregiver=person,
                        weekday=day,
                        starts_at=clock(start_minutes // 60, start_minutes % 60),
                        ends_at=clock(end_minutes // 60, end_minutes % 60),
                    )
                )
        AvailabilityWindow.objects.bulk_create(windows, batch_size=5000)
        Invitation.objects.bulk_create(
            (
                Invitation(
                    session=session,
                    organization=district,
                    caregiver=person,
                    household=home,
                    school=school,
                    language=person.preferred_language,
                )
                for person, home, school in zip(people, homes, school_of, strict=True)
            ),
            batch_size=5000,
        )
        Attendance.objects.bulk_create(
            (
                Attendance(
                    session=earlier,
                    caregiver=person,
                    language=person.preferred_language,
                    method="roster",
                    checked_in_at=checked_in,
                )
                for person in people
                if rng.random() < 0.1
            ),
            batch_size=5000,
        )
    return admin, session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caregivers", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tandem-bench-scheduling-") as folder:
        os.environ["TANDEM_VAR_DIR"] = folder
        os.environ["DATABASE_URL"] = ""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from tandem.directory.models import AvailabilityWindow
        from tandem.programs.scheduling import compare_candidates

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        admin, session = build(options.caregivers)
        windows = AvailabilityWindow.objects.count()
        print(
            f"Built {options.caregivers:,} invited caregivers with {windows:,} availability "
            f"windows in {time.perf_counter() - started:.1f} s ({connection.vendor})."
        )

        chosen = candidates(("en", "es", "vi", "so"))
        seconds = []
        for _run in range(max(1, options.runs)):
            started = time.perf_counter()
            comparison = compare_candidates(admin, session, chosen)
            seconds.append(time.perf_counter() - started)
        median = statistics.median(seconds)

        best = comparison.reaches[comparison.best] if comparison.best is not None else None
        print(
            f"compare_candidates: {len(chosen)} candidates over {comparison.everyone.total:,} "
            f"caregivers ({comparison.everyone.unknown:,} without availability, "
            f"{comparison.everyone.never_reached:,} never reached before)."
        )
        print("Runs: " + ", ".join(f"{s:.3f} s" for s in seconds) + f"; median {median:.3f} s.")
        if best is not None:
            day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
            start = best.candidate.start
            print(
                f"Best: {day[best.candidate.weekday]} {start // 60:02d}:{start % 60:02d}, "
                f"{best.candidate.modality}: {best.total:,} reachable, "
                f"{best.never_reached:,} of them never reached before."
            )
        totals = ", ".join(f"{r.total:,}" for r in comparison.reaches)
        print(f"Reachable per candidate: {totals}.")
        print(
            json.dumps(
                {
                    "caregivers": comparison.everyone.total,
                    "candidates": len(chosen),
                    "seconds": round(median, 3),
                }
            )
        )


if __name__ == "__main__":
    main()
