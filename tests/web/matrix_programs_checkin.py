"""Permission-matrix rows for families' own check-in and certificate: public pages, the
same for everyone who holds the link (signed in or not); a link that is not ours, or a
certificate not earned, is not found."""

from collections.abc import Callable

from tests.personas import World
from tests.web.programs_cases import invitation_to, make_program, make_session
from tests.web.test_permission_matrix import HIDDEN, Case, everyone


def checkin_link(world: World) -> dict:
    from tandem.programs.checkin import checkin_token

    return {"token": checkin_token(make_session(world, "elementary").pk)}


def certificate_link(completed: bool) -> Callable[[World], dict]:
    """María García's invitation link to a one-session program she came to (or not)."""

    def kwargs(world: World) -> dict:
        from tandem.programs.attendance import check_in_caregiver
        from tandem.programs.invitations import invitation_token

        program = make_program(world, "elementary", sessions_to_complete=1)
        session = make_session(world, "elementary", program=program)
        invitation = invitation_to(world, session)
        if completed:
            check_in_caregiver(
                session=session, caregiver=world.caregiver, method="qr", now=session.starts_at
            )
        return {"token": invitation_token(invitation.pk)}

    return kwargs


def bad_link(world: World) -> dict:
    return {"token": "1-not-a-real-token"}


CASES = [
    Case("join:checkin", everyone(), checkin_link, "get", "check-in link"),
    Case("join:checkin", everyone(), checkin_link, "post", "check-in link"),
    Case("join:checkin", everyone(HIDDEN), bad_link, "get", "bad token"),
    Case("join:checkin", everyone(HIDDEN), bad_link, "post", "bad token"),
    Case("join:certificate", everyone(), certificate_link(True), "get", "completed"),
    Case("join:certificate", everyone(HIDDEN), certificate_link(False), "get", "not completed"),
    Case("join:certificate", everyone(HIDDEN), bad_link, "get", "bad token"),
]
