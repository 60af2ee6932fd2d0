"""Permission-matrix rows for exchanges: the moderation queue and opinion groups for
those who run listening in the campaign's scope; the family's page for whoever holds
the personal link (a link that is not ours is not found)."""

from collections.abc import Callable

from tests.personas import World
from tests.web.listening_cases import campaign_cases, invitation_for, make_campaign, object_cases
from tests.web.test_permission_matrix import HIDDEN, Case, everyone

EXCHANGE = "share-and-rate"


def make_statement(world: World, school_name: str):
    """A statement seeded by the administrator of the school's organization."""
    from tandem.listening.exchange import seed_statement

    campaign = make_campaign(world, school_name, EXCHANGE)
    admin = world.org_admin if campaign.organization == world.district else world.outsider
    return seed_statement(actor=admin, campaign=campaign, text="More evening events.")


def exchange_link(world: World) -> dict:
    from tandem.listening.tokens import invitation_token

    invitation = invitation_for(world, make_campaign(world, "elementary", EXCHANGE))
    return {"token": invitation_token(invitation.pk)}


def link_cases(url_name: str, kwargs: Callable[[World], dict]) -> list[Case]:
    return [
        Case(url_name, everyone(), kwargs, method, "personal link") for method in ("get", "post")
    ] + [
        Case(url_name, everyone(HIDDEN), lambda w: {"token": "1-not-ours"}, method, "bad token")
        for method in ("get", "post")
    ]


CASES = [
    *campaign_cases("listening:statements", template=EXCHANGE),
    *campaign_cases("listening:statements", method="post", template=EXCHANGE),
    *campaign_cases("listening:opinions", template=EXCHANGE),
    *object_cases("listening:statement-moderate", make_statement, method="post"),
    *link_cases("listen:exchange", exchange_link),
]
