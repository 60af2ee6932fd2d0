"""Staff corrections to a caregiver's record: language, relationship, needs, contact points.

One atomic service. Every value is checked before anything is written; the audit row
names the fields that changed, never their values.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Caregiver, ContactPoint
from tandem.directory.services import normalize_contact

ACCESSIBILITY_NOTE_MAX_LENGTH = Caregiver._meta.get_field("accessibility_note").max_length


@dataclass(frozen=True)
class ContactCorrection:
    """The corrected value and consent of an existing contact point, or its removal."""

    contact_point_id: int
    value: str
    consent: bool
    remove: bool = False


@dataclass(frozen=True)
class NewContact:
    kind: str
    value: str
    consent: bool


def correct_caregiver(
    *,
    actor,
    caregiver: Caregiver,
    preferred_language: str,
    relationship: str,
    needs_childcare: bool,
    needs_transportation: bool,
    needs_interpretation: bool,
    accessibility_note: str = "",
    contacts: Sequence[ContactCorrection] = (),
    new_contact: NewContact | None = None,
) -> Caregiver:
    """Apply a staff member's corrections to one caregiver and their contact points.

    Raises ValidationError keyed by field ("preferred_language", "relationship",
    "accessibility_note", "contact_<id>_value", "new_contact_value", …) and writes
    nothing when any value is wrong. A consent change stamps `consent_changed_at`; a
    changed number or address is no longer verified.
    """
    try:
        with transaction.atomic():
            return _correct(
                actor=actor,
                caregiver=caregiver,
                fields={
                    "preferred_language": preferred_language,
                    "relationship": relationship,
                    "needs_childcare": needs_childcare,
                    "needs_transportation": needs_transportation,
                    "needs_interpretation": needs_interpretation,
                    "accessibility_note": (accessibility_note or "").strip(),
                },
                contacts=contacts,
                new_contact=new_contact,
            )
    except IntegrityError as clash:
        # Two contact points swapping values in one correction; rare enough to refuse.
        raise ValidationError(
            _("Two of this caregiver's contact points would have the same value."),
            code="duplicate_contact",
        ) from clash


def _correct(*, actor, caregiver, fields, contacts, new_contact) -> Caregiver:
    caregiver = (
        Caregiver.objects.select_for_update().select_related("organization").get(pk=caregiver.pk)
    )
    region = caregiver.organization.phone_region
    errors: dict[str, list[str]] = {}

    try:
        fields["preferred_language"] = normalize_language_tag(fields["preferred_language"])
    except ValidationError as invalid:
        errors["preferred_language"] = invalid.messages
    if fields["relationship"] not in Caregiver.Relationship.values:
        errors["relationship"] = [_("Choose one of the relationships listed.")]
    if len(fields["accessibility_note"]) > ACCESSIBILITY_NOTE_MAX_LENGTH:
        errors["accessibility_note"] = [
            _("Please keep this under %(n)d characters.") % {"n": ACCESSIBILITY_NOTE_MAX_LENGTH}
        ]

    existing = {contact.pk: contact for contact in caregiver.contact_points.select_for_update()}
    updates: list[tuple[ContactPoint, str, bool]] = []
    removals: list[ContactPoint] = []
    for correction in contacts:
        contact = existing.get(correction.contact_point_id)
        if contact is None:
            raise ValidationError(_("That contact point does not belong to this caregiver."))
        if correction.remove:
            removals.append(contact)
            continue
        try:
            value = normalize_contact(contact.kind, correction.value, region=region)
        except ValidationError as invalid:
            errors[f"contact_{contact.pk}_value"] = invalid.messages
            continue
        updates.append((contact, value, correction.consent))

    added: ContactPoint | None = None
    if new_contact is not None:
        if new_contact.kind not in ContactPoint.Kind.values:
            errors["new_contact_kind"] = [_("Choose whether this is a phone or an email.")]
        else:
            try:
                value = normalize_contact(new_contact.kind, new_contact.value, region=region)
            except ValidationError as invalid:
                errors["new_contact_value"] = invalid.messages
            else:
                added = ContactPoint(
                    caregiver=caregiver,
                    kind=new_contact.kind,
                    value=value,
                    consent=new_contact.consent,
                )

    _refuse_duplicates(existing, removals, updates, added, errors)
    if errors:
        raise ValidationError(errors)

    changed = [name for name, value in fields.items() if getattr(caregiver, name) != value]
    if changed:
        for name in changed:
            setattr(caregiver, name, fields[name])
        caregiver.save(update_fields=[*changed, "updated_at"])

    now = timezone.now()
    consent_changed = values_changed = 0
    for contact in removals:
        contact.delete()
    for contact, value, consent in updates:
        update_fields = []
        if value != contact.value:
            contact.value, contact.verified_at = value, None
            update_fields += ["value", "verified_at"]
            values_changed += 1
        if consent != contact.consent:
            contact.consent, contact.consent_changed_at = consent, now
            update_fields += ["consent", "consent_changed_at"]
            consent_changed += 1
        if update_fields:
            contact.save(update_fields=update_fields)
    remaining = [contact for contact, _value, _consent in updates]
    if added is not None:
        added.consent_changed_at = now
        added.is_preferred = not any(contact.is_preferred for contact in remaining)
        added.save()
        remaining.append(added)
    elif remaining and not any(contact.is_preferred for contact in remaining):
        remaining[0].is_preferred = True
        remaining[0].save(update_fields=["is_preferred"])

    if changed or removals or added or values_changed or consent_changed:
        record(
            actor=actor,
            action="directory.caregiver.correct",
            target=caregiver,
            household_id=caregiver.household_id,
            fields=sorted(changed),
            contacts_changed=values_changed,
            consent_changed=consent_changed,
            contacts_removed=len(removals),
            contacts_added=int(added is not None),
        )
    return caregiver


def _refuse_duplicates(existing, removals, updates, added, errors) -> None:
    """A caregiver holds each number or address once; name the field that would repeat one."""
    mentioned = {contact.pk for contact in removals} | {
        contact.pk for contact, _value, _consent in updates
    }
    seen = {(c.kind, c.value) for c in existing.values() if c.pk not in mentioned}
    repeated = _("This caregiver already has this number or address.")
    for contact, value, _consent in updates:
        if (contact.kind, value) in seen:
            errors.setdefault(f"contact_{contact.pk}_value", []).append(repeated)
        seen.add((contact.kind, value))
    if added is not None and (added.kind, added.value) in seen:
        errors.setdefault("new_contact_value", []).append(repeated)
