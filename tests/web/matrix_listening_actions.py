"""Permission-matrix rows for the action plan and closing the loop: only those who run
listening at the campaign's school."""

from tests.web.listening_cases import RUNNERS, campaign_cases, make_campaign, object_cases
from tests.web.test_permission_matrix import Case, only


def _admin_of(world, school_name: str):
    school = getattr(world, school_name)
    return world.org_admin if school.organization == world.district else world.outsider


def need_at(world, school_name: str):
    """A theme tagged as a need in a campaign at the named school."""
    from tandem.listening.models import Theme

    campaign = make_campaign(world, school_name)
    return Theme.objects.create(
        campaign=campaign,
        organization=campaign.organization,
        label="Transportation",
        kind=Theme.Kind.NEED,
    )


def action_at(world, school_name: str):
    from tandem.listening.actions import turn_into_action

    need = need_at(world, school_name)
    return turn_into_action(actor=_admin_of(world, school_name), theme=need, title="A bus")


CASES = [
    *object_cases("listening:theme-act", need_at),
    *object_cases("listening:theme-act", need_at, method="post"),
    Case("listening:actions", only(RUNNERS)),
    *object_cases("listening:action", action_at),
    *object_cases("listening:action", action_at, method="post"),
    *campaign_cases("listening:follow-up"),
    *campaign_cases("listening:follow-up", method="post"),
]
