"""Permission-matrix rows for a family's invitation page, its calendar file and the
family's calendar feed: public, the same for everyone who holds the link (signed in or
not); a link that is not ours is not found."""

from collections.abc import Callable

from tests.personas import World
from tests.web.programs_cases import invitation_to, make_session
from tests.web.test_permission_matrix import HIDDEN, Case, everyone

BAD = "1-not-a-real-token"


def invitation_link(world: World) -> dict:
    """The García mother's link to a session at the elementary school."""
    from tandem.programs.invitations import invitation_token

    invitation = invitation_to(world, make_session(world, "elementary"))
    return {"token": invitation_token(invitation.pk)}


def feed_link(world: World) -> dict:
    from tandem.programs.calendar import family_feed_token

    return {"token": family_feed_token(world.caregiver.pk)}


def link_cases(url_name: str, make: Callable[[World], dict], methods=("get", "post")) -> list:
    return [Case(url_name, everyone(), make, method, "personal link") for method in methods] + [
        Case(url_name, everyone(HIDDEN), lambda w: {"token": BAD}, method, "bad token")
        for method in methods
    ]


CASES = [
    *link_cases("join:invitation", invitation_link),
    *link_cases("join:invitation-ics", invitation_link, methods=("get",)),
    *link_cases("join:family-feed", feed_link, methods=("get",)),
]
