"""Permission-matrix rows for assignments: the session's assignments page for whoever
runs programs where it is held (404 outside their scope), and the family's page on a
personal link, public and the same for everyone who holds the link."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from tests.personas import World
from tests.web.programs_cases import make_session, session_cases
from tests.web.test_permission_matrix import HIDDEN, Case, everyone


def past_session(world: World, school_name: str = "elementary", **fields):
    """A session at the school that began three hours ago."""
    starts = fields.pop("starts_at", timezone.now() - timedelta(hours=3))
    return make_session(world, school_name, starts_at=starts, **fields)


def came(world: World, session, caregiver=None):
    """The caregiver (the García mother by default) checked in by staff; their
    attendance."""
    from tandem.programs.attendance import check_in_caregiver

    admin = world.org_admin if session.program.organization == world.district else world.outsider
    return check_in_caregiver(
        session=session, caregiver=caregiver or world.caregiver, method="roster", actor=admin
    ).attendance


def token_for(session, caregiver) -> str:
    from tandem.programs.invitations import invitation_token
    from tandem.programs.models import Invitation

    return invitation_token(Invitation.objects.get(session=session, caregiver=caregiver).pk)


def assignment_link(world: World) -> dict:
    """María came to a session that gave an assignment: her link to report on it."""
    from tandem.programs.assignments import give_assignment

    session = past_session(world)
    came(world, session)
    assignment = give_assignment(
        actor=world.coordinator,
        session=session,
        text="Meet your child's counselor.",
        language="en",
    )
    return {"token": token_for(session, world.caregiver), "assignment_id": assignment.pk}


def link_cases(url_name: str, kwargs: Callable[[World], dict], bad: dict) -> list[Case]:
    return [
        Case(url_name, everyone(), kwargs, method, "personal link") for method in ("get", "post")
    ] + [
        Case(url_name, everyone(HIDDEN), lambda w: bad, method, "bad token")
        for method in ("get", "post")
    ]


CASES = [
    *session_cases("programs:session-assignments"),
    *session_cases("programs:session-assignments", method="post"),
    *link_cases(
        "join:assignment",
        assignment_link,
        {"token": "1-not-a-real-token", "assignment_id": 1},
    ),
]
