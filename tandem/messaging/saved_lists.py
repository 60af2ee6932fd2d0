"""Saved lists: households kept from a directory search to write to again.

A list is a snapshot of the households the search found that its author may write to;
whoever later writes to it reaches only those they themselves may write to.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can, scope_for
from tandem.accounts.scopes import visible_households
from tandem.audit.services import record
from tandem.directory.models import Household, School
from tandem.messaging.models import Message, SavedList

SEND = Action.SEND_MESSAGES
MAX_NAME_CHARS = 120


def save_household_list(
    *,
    actor,
    name: str,
    households: QuerySet[Household],
    school: School | None = None,
    made_for: str = "",
) -> SavedList:
    """Keep `households` (those of them `actor` may write to) as a list named `name`.
    `school` is the school the search was limited to, if any; `made_for` names the app
    that makes the list to address one message (such lists are not offered to write to
    again). Raises ValidationError naming what is wrong; nothing is saved then."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the list a name.")})
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            {
                "name": _("The name is too long (at most %(limit)s characters).")
                % {"limit": MAX_NAME_CHARS}
            }
        )
    chosen = visible_households(actor, SEND).filter(pk__in=households.values("pk"))
    organization_ids = set(chosen.values_list("organization_id", flat=True).distinct()[:2])
    if not organization_ids:
        raise ValidationError(
            {"name": _("There is no household to save: the search found none you may write to.")}
        )
    if len(organization_ids) > 1:
        raise ValidationError(
            {"name": _("These households belong to several organizations: choose a school first.")}
        )
    organization_id = organization_ids.pop()
    scope = scope_for(actor, SEND)
    if school is None and organization_id not in scope.organization_ids:
        # A list for the whole organization would be lost to staff of one school: theirs
        # is for their school, or for the one they choose when they have several.
        own = list(
            School.objects.filter(pk__in=scope.school_ids, organization_id=organization_id)[:2]
        )
        if len(own) != 1:
            raise ValidationError({"name": _("Choose a school first, then save the list.")})
        school = own[0]
    with transaction.atomic():
        saved = SavedList.objects.create(
            organization_id=organization_id,
            school=school,
            name=name,
            created_by=actor,
            made_for=made_for,
        )
        Through = SavedList.households.through
        Through.objects.bulk_create(
            [
                Through(savedlist_id=saved.pk, household_id=household_id)
                for household_id in chosen.values_list("pk", flat=True).iterator()
            ],
            batch_size=1000,
        )
        record(actor=actor, action="messaging.list_saved", target=saved)
    return saved


def delete_household_list(*, actor, saved_list: SavedList) -> None:
    if not can(actor, SEND, saved_list.school or saved_list.organization):
        raise PermissionDenied
    waiting = (Message.Status.AWAITING_REVIEW, Message.Status.SCHEDULED)
    if saved_list.messages.filter(status__in=waiting).exists():
        raise ValidationError(
            _("A message to this list is waiting to go out; delete the list once it has gone.")
        )
    with transaction.atomic():
        record(actor=actor, action="messaging.list_deleted", target=saved_list)
        saved_list.delete()


def lists_to_message(user) -> QuerySet[SavedList]:
    """Lists the user may write to, each with `size`: how many of its households the user
    may write to now."""
    scope = scope_for(user, SEND)
    reachable = visible_households(user, SEND).values("pk")
    return (
        SavedList.objects.filter(
            Q(organization_id__in=scope.organization_ids) | Q(school_id__in=scope.school_ids),
            made_for="",
        )
        .select_related("organization", "school", "created_by")
        .annotate(size=Count("households", filter=Q(households__in=reachable), distinct=True))
        .order_by("name", "id")
    )
