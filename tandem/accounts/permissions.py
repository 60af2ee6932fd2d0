"""May this user do this to this object?

Every role's actions are declared once in ROLE_ACTIONS. A user's memberships turn into
a Scope per action (whole organizations, single schools, their own household); object
checks here and queryset filters in `tandem.accounts.scopes` both read that Scope, so
the two can never disagree.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Model, Q

from tandem.accounts.roles import Role


class Action(StrEnum):
    VIEW_DIRECTORY = "view_directory"  # list households and caregivers with their contacts
    VIEW_HOUSEHOLD = "view_household"
    CHANGE_HOUSEHOLD = "change_household"  # staff correct a household's records
    CHANGE_CONTACT_PREFERENCES = "change_contact_preferences"  # a family's own choices
    EXPORT_HOUSEHOLD = "export_household"  # everything Tandem holds about a household
    IMPORT_ROSTER = "import_roster"
    VIEW_REPORTS = "view_reports"  # aggregates only, with small groups hidden
    SEND_MESSAGES = "send_messages"  # write to households in scope and read their replies
    REVIEW_TRANSLATIONS = "review_translations"  # approve or edit drafts in one's languages
    MANAGE_TRANSLATION = "manage_translation"  # glossary, translation memory, sending policy
    # Run listening campaigns: invite, take notes, moderate, read answers, review themes,
    # turn needs into actions and write back to participants.
    RUN_LISTENING = "run_listening"
    # Run programs: plan sessions, invite and take RSVPs, check families in, give
    # assignments, read feedback and print certificates.
    RUN_PROGRAMS = "run_programs"


_SCHOOL_READERS = frozenset({Action.VIEW_DIRECTORY, Action.VIEW_HOUSEHOLD, Action.VIEW_REPORTS})
_SCHOOL_KEEPERS = _SCHOOL_READERS | {Action.CHANGE_HOUSEHOLD}
_COMMUNICATORS = frozenset({Action.SEND_MESSAGES, Action.REVIEW_TRANSLATIONS})
_LISTENERS = _SCHOOL_KEEPERS | _COMMUNICATORS | {Action.RUN_LISTENING, Action.RUN_PROGRAMS}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ORG_ADMIN: frozenset(Action) - {Action.CHANGE_CONTACT_PREFERENCES},
    Role.DISTRICT_FACE: _SCHOOL_KEEPERS
    | _COMMUNICATORS
    | {
        Action.EXPORT_HOUSEHOLD,
        Action.IMPORT_ROSTER,
        Action.MANAGE_TRANSLATION,
        Action.RUN_LISTENING,
        Action.RUN_PROGRAMS,
    },
    Role.PARTNER_STAFF: _SCHOOL_READERS
    | {Action.SEND_MESSAGES, Action.RUN_LISTENING, Action.RUN_PROGRAMS},
    Role.FUNDER: frozenset({Action.VIEW_REPORTS}),
    Role.PRINCIPAL: _LISTENERS,
    Role.FAMILY_ENGAGEMENT_LEAD: _LISTENERS,
    Role.PARENT_COORDINATOR: _LISTENERS,
    Role.COMMUNITY_REPRESENTATIVE: _LISTENERS,
    Role.OFFICE_STAFF: _SCHOOL_KEEPERS | _COMMUNICATORS,
    Role.TEACHER: _SCHOOL_READERS | _COMMUNICATORS,
    Role.COUNSELOR: _SCHOOL_READERS | _COMMUNICATORS,
    Role.PARENT_LEADER: frozenset({Action.REVIEW_TRANSLATIONS}),
}

# What a family member may do, on their own household only.
FAMILY_ACTIONS = frozenset(
    {Action.VIEW_HOUSEHOLD, Action.CHANGE_CONTACT_PREFERENCES, Action.EXPORT_HOUSEHOLD}
)

# Partner staff see families' names and contacts only under a roster-scope partnership.
_PERSONAL_DATA_ACTIONS = frozenset(Action) - {
    Action.VIEW_REPORTS,
    Action.IMPORT_ROSTER,
    Action.REVIEW_TRANSLATIONS,
    Action.MANAGE_TRANSLATION,
}


@dataclass(frozen=True)
class Scope:
    """Where one action is allowed: whole organizations, schools, or one's own household."""

    organization_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)
    household_ids: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.organization_ids or self.school_ids or self.household_ids)


NOWHERE = Scope()
_MEMBERSHIPS = "memberships"  # the key under which scope_for keeps the user's memberships


def scope_for(user, action: Action) -> Scope:
    """The scope in which `user` may do `action`; computed once per request and user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    cache = user.__dict__.setdefault("_tandem_scopes", {})
    if action not in cache:
        cache[action] = _compute_scope(user, action, cache)
    return cache[action]


def _compute_scope(user, action: Action, cache: dict) -> Scope:
    from tandem.accounts.models import Membership
    from tandem.directory.models import Caregiver, Partnership

    organization_ids: set[int] = set()
    school_ids: set[int] = set()
    household_ids: set[int] = set()
    partner_org_ids: set[int] = set()

    # Read once per request and user, whatever the number of actions asked about (the
    # navigation alone asks about several).
    if _MEMBERSHIPS not in cache:
        cache[_MEMBERSHIPS] = list(
            Membership.objects.filter(user=user, is_active=True).values_list(
                "role", "organization_id", "school_id"
            )
        )
    for role, organization_id, school_id in cache[_MEMBERSHIPS]:
        if action not in ROLE_ACTIONS.get(Role(role), frozenset()):
            continue
        if school_id is not None:
            school_ids.add(school_id)
        else:
            organization_ids.add(organization_id)
            if role == Role.PARTNER_STAFF:
                partner_org_ids.add(organization_id)

    if partner_org_ids:
        today = date.today()
        partnerships = Partnership.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            partner_id__in=partner_org_ids,
            starts_on__lte=today,
        )
        if action in _PERSONAL_DATA_ACTIONS:
            partnerships = partnerships.filter(scope=Partnership.Scope.ROSTER)
        school_ids.update(
            partnerships.values_list("schools__id", flat=True).exclude(schools__id=None)
        )

    if action in FAMILY_ACTIONS:
        household_ids.update(
            Caregiver.objects.filter(user=user).values_list("household_id", flat=True)
        )

    return Scope(frozenset(organization_ids), frozenset(school_ids), frozenset(household_ids))


def can(user, action: Action, obj: Model | None = None) -> bool:
    """May `user` do `action` to `obj` (or anywhere at all, when obj is None)?"""
    scope = scope_for(user, action)
    if not scope:
        return False
    if obj is None:
        return True
    from tandem.accounts import scopes

    return scopes.contains(scope, obj)


def is_family_member(user) -> bool:
    return bool(scope_for(user, Action.CHANGE_CONTACT_PREFERENCES).household_ids)


def is_staff_member(user) -> bool:
    """Holds at least one active membership (any role)."""
    from tandem.accounts.models import Membership

    if not getattr(user, "is_authenticated", False):
        return False
    if "_tandem_is_staff_member" not in user.__dict__:
        user._tandem_is_staff_member = Membership.objects.filter(user=user, is_active=True).exists()
    return user._tandem_is_staff_member
