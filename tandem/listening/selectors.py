"""Which campaigns (and what in them) a user may see; every listening view starts here.

A campaign at a school is in the scope of whoever may do the action at that school; a
district-wide campaign, of whoever may do it across its organization.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.accounts.permissions import Action, can, scope_for
from tandem.listening.models import ActionItem, Campaign

RUN = Action.RUN_LISTENING


def visible_campaigns(user, action: Action = RUN) -> QuerySet[Campaign]:
    scope = scope_for(user, action)
    if not scope:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(organization_id__in=scope.organization_ids) | Q(school_id__in=scope.school_ids)
    )


def may(user, action: Action, campaign: Campaign) -> bool:
    return can(user, action, campaign.school or campaign.organization)


def access_campaign(user, pk, action: Action = RUN) -> Campaign:
    """The campaign if `user` may do `action` to it; 404 otherwise (as if it did not exist)."""
    campaign = (
        Campaign.objects.select_related("organization", "school", "protocol")
        .filter(pk=pk if str(pk).isdigit() else -1)
        .first()
    )
    if campaign is None or not may(user, action, campaign):
        raise Http404
    return campaign


def visible_action_items(user, action: Action = RUN) -> QuerySet[ActionItem]:
    scope = scope_for(user, action)
    if not scope:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(
        Q(organization_id__in=scope.organization_ids) | Q(school_id__in=scope.school_ids)
    )
