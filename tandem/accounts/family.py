"""What a family does with its own record: change its contact preferences and export
everything Tandem holds about the household. Services: validated, atomic, audited."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.selectors import audit_events_about
from tandem.audit.labels import action_label
from tandem.audit.services import record
from tandem.directory.demographics import clean_self_described
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import (
    AvailabilityWindow,
    Caregiver,
    ContactPoint,
    Household,
    Student,
)
from tandem.directory.phones import display_phone
from tandem.directory.services import normalize_contact

EXPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class NewContact:
    kind: str
    value: str
    consent: bool


@dataclass(frozen=True)
class ContactPreferences:
    """Everything the contact-preferences page lets a caregiver choose."""

    preferred_language: str
    consents: dict[int, bool] = field(default_factory=dict)  # contact point id → consent
    preferred_contact_id: int | None = None
    new_contacts: Sequence[NewContact] = ()
    availability: Sequence[tuple[int, time, time]] = ()
    needs_childcare: bool = False
    needs_transportation: bool = False
    needs_interpretation: bool = False
    accessibility_note: str = ""
    self_described: dict = field(default_factory=dict)


def update_contact_preferences(
    *, actor, caregiver: Caregiver, preferences: ContactPreferences
) -> list[str]:
    """Save a caregiver's choices; return the names of what changed.

    Everything is validated before anything is written; a ValidationError names the
    field ("preferred_language", "new_phone", "new_email", "availability",
    "self_described", "preferred_contact") and nothing changes.
    """
    contacts = {contact.pk: contact for contact in caregiver.contact_points.all()}
    cleaned = _validated(caregiver, contacts, preferences)
    changed: list[str] = []
    now = timezone.now()
    with transaction.atomic():
        fields = {
            "preferred_language": cleaned["preferred_language"],
            "needs_childcare": preferences.needs_childcare,
            "needs_transportation": preferences.needs_transportation,
            "needs_interpretation": preferences.needs_interpretation,
            "accessibility_note": preferences.accessibility_note.strip(),
            "self_described": cleaned["self_described"],
        }
        for name, value in fields.items():
            if getattr(caregiver, name) != value:
                setattr(caregiver, name, value)
                changed.append(name)
        if changed:
            caregiver.save(update_fields=[*changed, "updated_at"])

        consent_changes = 0
        for pk, consent in preferences.consents.items():
            contact = contacts[pk]
            if contact.consent != consent:
                contact.consent, contact.consent_changed_at = consent, now
                contact.save(update_fields=["consent", "consent_changed_at"])
                consent_changes += 1
        if consent_changes:
            changed.append("consent")

        preferred = preferences.preferred_contact_id
        if preferred is not None and not contacts[preferred].is_preferred:
            ContactPoint.objects.filter(caregiver=caregiver).update(is_preferred=False)
            ContactPoint.objects.filter(pk=preferred).update(is_preferred=True)
            changed.append("preferred_contact")

        for kind, value, consent in cleaned["new_contacts"]:
            ContactPoint.objects.create(
                caregiver=caregiver,
                kind=kind,
                value=value,
                consent=consent,
                consent_changed_at=now,
                is_preferred=not contacts,
            )
        if cleaned["new_contacts"]:
            changed.append("contact_points")

        wanted = sorted(set(cleaned["availability"]))
        current = sorted(caregiver.availability.values_list("weekday", "starts_at", "ends_at"))
        if wanted != current:
            caregiver.availability.all().delete()
            AvailabilityWindow.objects.bulk_create(
                AvailabilityWindow(caregiver=caregiver, weekday=d, starts_at=s, ends_at=e)
                for d, s, e in wanted
            )
            changed.append("availability")

        record(
            actor=actor,
            action="family.contact_preferences_changed",
            target=caregiver,
            changed=changed,
            consent_changes=consent_changes,
            contacts_added=len(cleaned["new_contacts"]),
        )
    return changed


def _validated(caregiver: Caregiver, contacts: dict, preferences: ContactPreferences) -> dict:
    errors: dict[str, list] = {}

    def attempt(name: str, check):
        try:
            return check()
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
            return None

    language = attempt(
        "preferred_language", lambda: normalize_language_tag(preferences.preferred_language)
    )
    if set(preferences.consents) - set(contacts):
        errors.setdefault("consent", []).append(_("That contact is not one of yours."))
    if preferences.preferred_contact_id is not None and (
        preferences.preferred_contact_id not in contacts
    ):
        errors.setdefault("preferred_contact", []).append(_("Choose one of your contacts."))

    new_contacts = []
    existing = {(contact.kind, contact.value) for contact in contacts.values()}
    region = caregiver.organization.phone_region
    for new in preferences.new_contacts:
        name = "new_phone" if new.kind == ContactPoint.Kind.PHONE else "new_email"
        value = attempt(name, lambda new=new: normalize_contact(new.kind, new.value, region=region))
        if value is None:
            continue
        if (new.kind, value) in existing:
            errors.setdefault(name, []).append(_("This is already one of your contacts."))
            continue
        existing.add((new.kind, value))
        new_contacts.append((new.kind, value, new.consent))

    for weekday, starts_at, ends_at in preferences.availability:
        if weekday not in AvailabilityWindow.Weekday.values:
            errors.setdefault("availability", []).append(_("Choose a day of the week."))
        elif starts_at >= ends_at:
            errors.setdefault("availability", []).append(
                _("A time you are available must end after it starts.")
            )

    self_described = attempt(
        "self_described", lambda: clean_self_described(preferences.self_described)
    )
    if len(preferences.accessibility_note.strip()) > 500:
        errors.setdefault("accessibility_note", []).append(
            _("Please keep the accessibility note under 500 characters.")
        )
    if errors:
        raise ValidationError(errors)
    return {
        "preferred_language": language,
        "new_contacts": new_contacts,
        "availability": list(preferences.availability),
        "self_described": self_described,
    }


def household_activity(household: Household, viewer) -> list[dict[str, Any]]:
    """Who looked at or changed the household's information, in words the family reads:
    when, what was done, to which record, and by whom — the viewer ("You"), another
    caregiver of the household, a staff member by name, or Tandem itself."""
    records: dict[tuple[str, str], str] = {
        (Household._meta.label_lower, str(household.pk)): _("Your household"),
    }
    family_users: dict[int, str] = {}
    for caregiver in household.family_caregivers:
        records[(Caregiver._meta.label_lower, str(caregiver.pk))] = caregiver.full_name
        if caregiver.user_id:
            family_users[caregiver.user_id] = caregiver.full_name
        for contact in caregiver.contact_points.all():
            shown = display_phone(contact.value) if contact.kind == "phone" else contact.value
            records[(ContactPoint._meta.label_lower, str(contact.pk))] = shown
    for student in household.family_students:
        records[(Student._meta.label_lower, str(student.pk))] = student.full_name

    def by(event) -> str:
        if event.actor_id is None:
            return _("Tandem, automatically")
        if viewer is not None and event.actor_id == viewer.pk:
            return _("You")
        if event.actor_id in family_users:
            return family_users[event.actor_id]
        return _("%(name)s, staff") % {"name": event.actor or _("a former staff member")}

    return [
        {
            "event": event,
            "action": event.action,
            "what": action_label(event.action),
            "record": records.get((event.object_type, event.object_id), ""),
            "by": by(event),
        }
        for event in audit_events_about(household)
    ]


def export_household(*, actor, household: Household, file_format: str) -> dict[str, Any]:
    """Everything Tandem holds about a household, as plain data, and an audit row saying
    it was exported. `household` comes from `selectors.household_for_family_page`."""
    data = household_export_data(household, viewer=actor)
    record(
        actor=actor,
        action="family.household_exported",
        target=household,
        format=file_format,
        caregivers=len(data["caregivers"]),
        students=len(data["students"]),
    )
    return data


def household_export_data(household: Household, viewer=None) -> dict[str, Any]:
    organization = household.organization
    zone = ZoneInfo(organization.time_zone)

    def iso(moment) -> str | None:
        """Times in the organization's time zone, with the offset, as ISO 8601."""
        return timezone.localtime(moment, zone).isoformat() if moment else None

    return {
        "format": "tandem-household-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": iso(timezone.now()),
        "organization": {"name": organization.name, "time_zone": organization.time_zone},
        "household": {
            "id": household.pk,
            "name": household.name,
            "created_at": iso(household.created_at),
            "last_reached_at": iso(household.last_reached_at),
            "last_heard_at": iso(household.last_heard_at),
        },
        "caregivers": [
            _caregiver_data(caregiver, iso) for caregiver in household.family_caregivers
        ],
        "students": [
            {
                "id": student.pk,
                "given_name": student.given_name,
                "family_name": student.family_name,
                "school": student.school.name,
                "grade": student.grade,
            }
            for student in household.family_students
        ],
        "audit_events": [
            {
                "at": iso(row["event"].at),
                "action": row["action"],
                "description": row["what"],
                "record": row["record"],
                "by": row["by"],
                "object_type": row["event"].object_type,
                "object_id": row["event"].object_id,
                "actor_id": row["event"].actor_id,
            }
            for row in household_activity(household, viewer)
        ],
    }


def _caregiver_data(caregiver: Caregiver, iso) -> dict[str, Any]:
    return {
        "id": caregiver.pk,
        "given_name": caregiver.given_name,
        "family_name": caregiver.family_name,
        "relationship": caregiver.relationship,
        "preferred_language": caregiver.preferred_language,
        "needs": {
            "childcare": caregiver.needs_childcare,
            "transportation": caregiver.needs_transportation,
            "interpretation": caregiver.needs_interpretation,
            "accessibility_note": caregiver.accessibility_note,
        },
        "self_described": caregiver.self_described,
        "contact_points": [
            {
                "id": contact.pk,
                "kind": contact.kind,
                "value": contact.value,
                "consent": contact.consent,
                "consent_changed_at": iso(contact.consent_changed_at),
                "verified_at": iso(contact.verified_at),
                "is_preferred": contact.is_preferred,
            }
            for contact in caregiver.contact_points.all()
        ],
        "availability": [
            {
                "weekday": window.weekday,
                "starts_at": window.starts_at.isoformat(timespec="minutes"),
                "ends_at": window.ends_at.isoformat(timespec="minutes"),
            }
            for window in caregiver.availability.all()
        ],
        "has_sign_in_account": caregiver.user_id is not None,
    }
