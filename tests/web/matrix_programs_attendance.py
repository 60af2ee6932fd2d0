"""Permission-matrix rows for taking and reading attendance (roster, kiosk, online
meeting list, reports, certificates): those who run programs where the session or
program is; everyone else in staff finds nothing (404), families and teachers 403."""

from collections.abc import Callable

from tests.personas import World
from tests.web.programs_cases import (
    NO_RUNNING,
    RUNNERS,
    make_program,
    make_session,
    program_cases,
    session_cases,
)
from tests.web.test_permission_matrix import object_case


def completed_certificate(school_name: str) -> Callable[[World], dict]:
    """A program of one session at the named school that a caregiver of its
    organization came to, so their certificate exists."""

    def kwargs(world: World) -> dict:
        from tandem.programs.attendance import check_in_caregiver

        program = make_program(world, school_name, sessions_to_complete=1)
        session = make_session(world, school_name, program=program)
        caregiver = (
            world.other_household.caregivers.get()
            if school_name == "other_school"
            else world.caregiver
        )
        check_in_caregiver(
            session=session, caregiver=caregiver, method="roster", now=session.starts_at
        )
        return {"pk": program.pk, "caregiver_id": caregiver.pk}

    return kwargs


def certificate_cases() -> list:
    url_name = "programs:certificate"
    return [
        object_case(
            url_name,
            completed_certificate("elementary"),
            "elementary",
            [p for p in RUNNERS if p != "outsider"],
            NO_RUNNING,
        ),
        object_case(
            url_name,
            completed_certificate("middle"),
            "middle school",
            ["district_staff", "org_admin"],
            NO_RUNNING,
        ),
        object_case(
            url_name,
            completed_certificate("other_school"),
            "other organization",
            ["outsider"],
            NO_RUNNING,
        ),
        object_case(
            url_name,
            lambda w: {"pk": make_program(w, "elementary").pk, "caregiver_id": w.caregiver.pk},
            "not completed",
            [],
            NO_RUNNING,
        ),
    ]


CASES = [
    *session_cases("programs:session-roster"),
    *session_cases("programs:session-check-in", method="post"),
    *session_cases("programs:session-guest", method="post"),
    *session_cases("programs:session-kiosk"),
    *session_cases("programs:session-kiosk", method="post"),
    *session_cases("programs:session-import"),
    *session_cases("programs:session-import", method="post"),
    *session_cases("programs:session-attendance"),
    *program_cases("programs:program-attendance"),
    *certificate_cases(),
]
