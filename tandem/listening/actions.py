"""Closing the loop: a need becomes an item of the school's action plan, and the families
who took part hear what was heard, what the school will do and, as actions move, "you
said, we did".

Participants are the households of named answer sets and of invitations that were
started or finished: an invitation says who took part, never what they said, so writing
to it traces no anonymous answer. Messages go out through messaging (a saved list of
those households) in the staff member's language; the translation workflow puts them
into each family's. Composing may wait on a machine translation engine, so it runs
outside any transaction.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.models import Household
from tandem.listening.models import ActionItem, AnswerSet, Campaign, FollowUp, Invitation, Theme

RUN = Action.RUN_LISTENING
MAX_TITLE_CHARS = 300
TOOK_PART = [Invitation.Status.STARTED, Invitation.Status.COMPLETED]


def _check(actor, campaign: Campaign) -> None:
    if not can(actor, RUN, campaign.school or campaign.organization):
        raise PermissionDenied


def participant_households(campaign: Campaign) -> QuerySet[Household]:
    """The households of the campaign's named respondents and of the invitations that
    were started or finished."""
    named = AnswerSet.objects.filter(
        campaign=campaign, anonymous=False, caregiver__isnull=False
    ).values("caregiver__household_id")
    invited = Invitation.objects.filter(campaign=campaign, status__in=TOOK_PART).values(
        "household_id"
    )
    return Household.objects.filter(
        Q(pk__in=named) | Q(pk__in=invited), organization_id=campaign.organization_id
    )


def turn_into_action(
    *, actor, theme: Theme, title: str, description: str = "", due_on: date | None = None
) -> ActionItem:
    """An item in the action plan of the campaign's school (the district's, for a
    district-wide campaign), made from a need and linked back to it."""
    campaign = theme.campaign
    _check(actor, campaign)
    errors = {}
    title = " ".join((title or "").split())
    if theme.kind != Theme.Kind.NEED:
        errors["title"] = _("Only a need can be turned into an action; tag the theme first.")
    elif not title:
        errors["title"] = _("Say what the school will do.")
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = _("The action is at most %(limit)s characters long.") % {
            "limit": MAX_TITLE_CHARS
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = ActionItem.objects.create(
            organization_id=campaign.organization_id,
            school_id=campaign.school_id,
            theme=theme,
            title=title,
            description=(description or "").strip(),
            due_on=due_on,
            created_by=actor,
        )
        record(actor=actor, action="listening.action_created", target=action, theme=theme.pk)
    return action


def set_action_status(*, actor, action: ActionItem, status: str) -> FollowUp | None:
    """Move the action; when it moved and its need came from a campaign with
    participants, tell them "you said, we did". Returns that follow-up, if one was sent
    (a status change never fails because no family can be written to)."""
    if not can(actor, RUN, action.school or action.organization):
        raise PermissionDenied
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        # Conditional, so that two people setting the same status send one update.
        moved = ActionItem.objects.filter(pk=action.pk).exclude(status=status).update(status=status)
        if not moved:
            return None
        record(
            actor=actor,
            action="listening.action_status_changed",
            target=action,
            previous=action.status,
            status=status,
        )
    action.status = status
    theme = action.theme
    if theme is None or not participant_households(theme.campaign).exists():
        return None
    language = _language(actor, theme.campaign)
    with translation.override(language):
        body = _(
            "You said: %(theme)s. We did: %(action)s (%(status)s). Thank you for "
            "taking part in “%(campaign)s”."
        ) % {
            "theme": theme.label,
            "action": action.title,
            "status": action.get_status_display(),
            "campaign": theme.campaign.name,
        }
    try:
        return _write_to_participants(
            actor=actor,
            campaign=theme.campaign,
            body=body,
            language=language,
            kind=FollowUp.Kind.YOU_SAID_WE_DID,
            action=action,
        )
    except ValidationError:
        return None  # none of them can be reached; the status change stands


def send_follow_up(*, actor, campaign: Campaign, body: str) -> FollowUp:
    """Write to the campaign's participants what was heard and what the school will do."""
    _check(actor, campaign)
    if not (body or "").strip():
        raise ValidationError({"body": _("Write the message.")})
    if not participant_households(campaign).exists():
        raise ValidationError(
            {
                "body": _(
                    "No family has taken part in this campaign yet: there is no one to write to."
                )
            }
        )
    return _write_to_participants(
        actor=actor,
        campaign=campaign,
        body=body,
        language=_language(actor, campaign),
        kind=FollowUp.Kind.WHAT_WE_HEARD,
    )


def reachable_participants(actor, campaign: Campaign) -> int:
    """How many participants' households a message from `actor` would reach."""
    from tandem.accounts.scopes import visible_households

    households = visible_households(actor, Action.SEND_MESSAGES)
    return households.filter(pk__in=participant_households(campaign).values("pk")).count()


def follow_up_draft(campaign: Campaign, language: str) -> str:
    """A first draft of "what we heard and what we will do", in `language`: the top
    strengths and needs and the actions made from those needs."""
    from tandem.listening.report import strengths_and_needs

    report = strengths_and_needs(campaign)
    place = campaign.school.name if campaign.school else campaign.organization.name
    actions = [action for need in report.needs for action in need.actions]
    with translation.override(language):
        lines = [_("Thank you for taking part in “%(campaign)s”.") % {"campaign": campaign.name}]
        if report.strengths:
            lines.append(
                _("What families value: %(themes)s.")
                % {"themes": "; ".join(s.theme.label for s in report.strengths)}
            )
        if report.needs:
            lines.append(
                _("What families asked for: %(themes)s.")
                % {"themes": "; ".join(n.theme.label for n in report.needs)}
            )
        if actions:
            lines.append(
                _("What %(school)s will do: %(actions)s.")
                % {"school": place, "actions": "; ".join(a.title for a in actions)}
            )
        return "\n\n".join(lines)


def _language(actor, campaign: Campaign) -> str:
    """The staff member's own language, else the one the campaign's staff work in."""
    return getattr(actor, "language", "") or campaign.language


def _write_to_participants(
    *,
    actor,
    campaign: Campaign,
    body: str,
    language: str,
    kind: str,
    action: ActionItem | None = None,
) -> FollowUp:
    from tandem.messaging.compose import compose_message
    from tandem.messaging.models import Message
    from tandem.messaging.saved_lists import save_household_list

    saved = save_household_list(
        actor=actor,
        name=_("Took part in “%(campaign)s”") % {"campaign": campaign.name[:90]},
        households=participant_households(campaign),
        school=campaign.school,
    )
    try:
        message = compose_message(
            actor=actor,
            organization=campaign.organization,
            audience=Message.Audience.LIST,
            saved_list=saved,
            body=body,
            language=language,
        )
    except (ValidationError, PermissionDenied):
        saved.delete()
        raise
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            campaign=campaign, action=action, kind=kind, message=message
        )
        record(
            actor=actor,
            action="listening.follow_up_sent",
            target=campaign,
            kind=kind,
            message=message.pk,
            households=saved.households.count(),
        )
    return follow_up
