"""The correction service on its own: all or nothing, errors keyed by field."""

import pytest
from django.core.exceptions import ValidationError

from tandem.audit.models import AuditEvent
from tandem.directory.corrections import ContactCorrection, NewContact, correct_caregiver


def unchanged(caregiver, **changes) -> dict:
    fields = {
        "preferred_language": caregiver.preferred_language,
        "relationship": caregiver.relationship,
        "needs_childcare": caregiver.needs_childcare,
        "needs_transportation": caregiver.needs_transportation,
        "needs_interpretation": caregiver.needs_interpretation,
        "accessibility_note": caregiver.accessibility_note,
    }
    return {**fields, **changes}


def test_errors_name_every_bad_field_and_nothing_is_written(world):
    caregiver = world.caregiver
    phone = caregiver.contact_points.get(kind="phone")
    with pytest.raises(ValidationError) as refused:
        correct_caregiver(
            actor=world.coordinator,
            caregiver=caregiver,
            **unchanged(caregiver, preferred_language="zz-notreal", relationship="uncle"),
            contacts=[ContactCorrection(phone.pk, "not a phone", consent=False)],
            new_contact=NewContact(kind="email", value="nope", consent=True),
        )
    assert set(refused.value.error_dict) == {
        "preferred_language",
        "relationship",
        f"contact_{phone.pk}_value",
        "new_contact_value",
    }
    caregiver.refresh_from_db()
    phone.refresh_from_db()
    assert caregiver.preferred_language == "es" and caregiver.relationship == "parent"
    assert phone.consent is True
    assert caregiver.contact_points.count() == 2
    assert not AuditEvent.objects.exists()


def test_a_contact_point_of_another_caregiver_is_refused(world):
    stranger = world.neighbour_household.caregivers.get().contact_points.get()
    with pytest.raises(ValidationError):
        correct_caregiver(
            actor=world.coordinator,
            caregiver=world.caregiver,
            **unchanged(world.caregiver),
            contacts=[ContactCorrection(stranger.pk, stranger.value, consent=False, remove=True)],
        )
    stranger.refresh_from_db()
    assert stranger.consent is True


def test_nothing_to_change_writes_no_audit_row(world):
    correct_caregiver(
        actor=world.coordinator, caregiver=world.caregiver, **unchanged(world.caregiver)
    )
    assert not AuditEvent.objects.exists()


def test_removing_the_preferred_contact_makes_another_preferred(world):
    caregiver = world.caregiver
    phone = caregiver.contact_points.get(kind="phone")
    email = caregiver.contact_points.get(kind="email")
    assert phone.is_preferred and not email.is_preferred
    correct_caregiver(
        actor=world.coordinator,
        caregiver=caregiver,
        **unchanged(caregiver),
        contacts=[
            ContactCorrection(phone.pk, phone.value, consent=True, remove=True),
            ContactCorrection(email.pk, email.value, consent=True),
        ],
    )
    email.refresh_from_db()
    assert email.is_preferred


def test_two_contacts_corrected_to_the_same_number_are_refused(world):
    from tandem.directory.services import add_contact_point

    caregiver = world.caregiver
    phone = caregiver.contact_points.get(kind="phone")
    other = add_contact_point(
        caregiver=caregiver, kind="phone", value="+1 312 555 0150", consent=True
    )
    with pytest.raises(ValidationError) as refused:
        correct_caregiver(
            actor=world.coordinator,
            caregiver=caregiver,
            **unchanged(caregiver),
            contacts=[
                ContactCorrection(phone.pk, phone.value, consent=True),
                ContactCorrection(other.pk, "(312) 555-0101", consent=True),
            ],
        )
    assert list(refused.value.error_dict) == [f"contact_{other.pk}_value"]
