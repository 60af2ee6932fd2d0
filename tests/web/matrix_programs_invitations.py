"""Permission-matrix rows for a session's invitations: inviting, the answers, the needs
summary and the session's calendar file for whoever may run programs there (404 outside
one's scope); the staff calendar feed is public but opens only with a staff member's
signed token."""

from collections.abc import Callable

from tests.personas import World
from tests.web.programs_cases import session_cases
from tests.web.test_permission_matrix import HIDDEN, Case, everyone


def staff_feed(persona: str) -> Callable[[World], dict]:
    def kwargs(world: World) -> dict:
        from tandem.programs.calendar import staff_feed_token

        return {"token": staff_feed_token(getattr(world, persona).pk)}

    return kwargs


CASES = [
    *session_cases("programs:session-invite"),
    *session_cases("programs:session-invite", method="post"),
    *session_cases("programs:session-rsvps"),
    *session_cases("programs:session-rsvps", method="post"),
    *session_cases("programs:session-needs"),
    *session_cases("programs:session-ics"),
    # Calendar apps cannot sign in: anyone holding the link gets the feed.
    Case("programs:staff-feed", everyone(), staff_feed("coordinator"), variant="staff token"),
    # A token that is not ours, or one for someone who may not run programs.
    Case(
        "programs:staff-feed",
        everyone(HIDDEN),
        lambda w: {"token": "1-not-a-real-token"},
        variant="bad token",
    ),
    Case("programs:staff-feed", everyone(HIDDEN), staff_feed("teacher"), variant="not a runner"),
]
