"""Permission-matrix rows for a family's personal link: public pages, the same for
everyone who holds the link (signed in or not); a link that is not ours is not found."""

from collections.abc import Callable

from tests.personas import World
from tests.web.listening_cases import invitation_for, make_campaign
from tests.web.test_permission_matrix import HIDDEN, Case, everyone


def link(**extra) -> Callable[[World], dict]:
    """The García mother's link to a campaign at the elementary school, made when the
    case runs; `extra` adds URL arguments (the question number)."""

    def kwargs(world: World) -> dict:
        from tandem.listening.tokens import invitation_token

        invitation = invitation_for(world, make_campaign(world, "elementary"))
        return {"token": invitation_token(invitation.pk), **extra}

    return kwargs


def bad_link(**extra) -> Callable[[World], dict]:
    return lambda world: {"token": "1-not-a-real-token", **extra}


def link_cases(url_name: str, **extra) -> list[Case]:
    return [
        Case(url_name, everyone(), link(**extra), method, "personal link")
        for method in ("get", "post")
    ] + [
        Case(url_name, everyone(HIDDEN), bad_link(**extra), method, "bad token")
        for method in ("get", "post")
    ]


CASES = [
    *link_cases("listen:start"),
    *link_cases("listen:question", number=1),
    *link_cases("listen:review"),
    *link_cases("listen:thanks"),
]
