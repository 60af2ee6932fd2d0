"""Staff correct a caregiver's language, relationship, needs and contact points."""

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.directory.models import Caregiver, ContactPoint


def edit_url(household) -> str:
    return reverse("directory:household-edit", kwargs={"pk": household.pk})


def form_data(caregiver: Caregiver, **changes) -> dict:
    """What the page posts for a caregiver when nothing is changed, plus `changes`."""
    prefix = f"caregiver-{caregiver.pk}"
    data = {
        "caregiver": str(caregiver.pk),
        f"{prefix}-preferred_language": caregiver.preferred_language,
        f"{prefix}-relationship": caregiver.relationship,
        f"{prefix}-accessibility_note": caregiver.accessibility_note,
        f"{prefix}-new_contact_kind": "",
        f"{prefix}-new_contact_value": "",
    }
    for need in ("needs_childcare", "needs_transportation", "needs_interpretation"):
        if getattr(caregiver, need):
            data[f"{prefix}-{need}"] = "on"
    for contact in caregiver.contact_points.all():
        data[f"{prefix}-contact_{contact.pk}_value"] = contact.value
        if contact.consent:
            data[f"{prefix}-contact_{contact.pk}_consent"] = "on"
    for key, value in changes.items():
        name = f"{prefix}-{key}"
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def snapshot(caregiver: Caregiver):
    caregiver = Caregiver.objects.get(pk=caregiver.pk)
    contacts = list(
        ContactPoint.objects.filter(caregiver=caregiver)
        .order_by("pk")
        .values_list("kind", "value", "consent", "consent_changed_at", "verified_at")
    )
    return (
        caregiver.preferred_language,
        caregiver.relationship,
        caregiver.needs_childcare,
        caregiver.needs_transportation,
        caregiver.accessibility_note,
        contacts,
    )


def test_the_edit_page_shows_a_form_per_caregiver(world, client):
    client.force_login(world.coordinator)
    response = client.get(edit_url(world.household))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="caregiver-{world.caregiver.pk}-preferred_language"' in page
    assert 'value="(312) 555-0101"' in page  # shown as people write it
    assert "Save María's details" in page


def test_corrections_are_saved_and_audited(world, client):
    caregiver = world.caregiver
    phone = caregiver.contact_points.get(kind="phone")
    before_consent_change = phone.consent_changed_at
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(world.household),
        form_data(
            caregiver,
            preferred_language="es-MX",
            relationship="guardian",
            needs_childcare=None,
            needs_transportation="on",
            accessibility_note="Large print, please",
            **{f"contact_{phone.pk}_consent": None},
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:household", kwargs={"pk": world.household.pk})

    caregiver.refresh_from_db()
    assert caregiver.preferred_language == "es-MX"
    assert caregiver.relationship == "guardian"
    assert not caregiver.needs_childcare and caregiver.needs_transportation
    assert caregiver.accessibility_note == "Large print, please"
    phone.refresh_from_db()
    assert phone.consent is False
    assert phone.consent_changed_at > before_consent_change

    event = AuditEvent.objects.get(action="directory.caregiver.correct")
    assert event.actor == world.coordinator
    assert event.object_id == str(caregiver.pk)
    assert event.detail["fields"] == [
        "accessibility_note",
        "needs_childcare",
        "needs_transportation",
        "preferred_language",
        "relationship",
    ]
    assert event.detail["consent_changed"] == 1
    assert "Large print" not in str(event.detail) and "es-MX" not in str(event.detail)


def test_a_bad_phone_is_named_and_nothing_changes(world, client):
    caregiver = world.caregiver
    phone = caregiver.contact_points.get(kind="phone")
    before = snapshot(caregiver)
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(world.household),
        form_data(
            caregiver, relationship="guardian", **{f"contact_{phone.pk}_value": "555-CALL-ME"}
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "“555-CALL-ME” is not a valid phone number." in page
    assert f'href="#id_caregiver-{caregiver.pk}-contact_{phone.pk}_value"' in page
    assert snapshot(caregiver) == before
    assert not AuditEvent.objects.filter(action="directory.caregiver.correct").exists()


def test_an_unknown_language_is_named_and_nothing_changes(world, client):
    before = snapshot(world.caregiver)
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(world.household), form_data(world.caregiver, preferred_language="klingonish")
    )
    assert response.status_code == 400
    assert "is not a language tag we recognize" in response.content.decode()
    assert snapshot(world.caregiver) == before


def test_a_new_contact_is_added_unverified_and_one_removed(world, client):
    caregiver = world.caregiver
    email = caregiver.contact_points.get(kind="email")
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(world.household),
        form_data(
            caregiver,
            new_contact_kind="phone",
            new_contact_value="312-555-0199",
            new_contact_consent="on",
            **{f"contact_{email.pk}_remove": "on"},
        ),
    )
    assert response.status_code == 302
    contacts = {(c.kind, c.value): c for c in caregiver.contact_points.all()}
    assert ("email", "maria.garcia@example.com") not in contacts
    added = contacts[("phone", "+13125550199")]
    assert added.consent and added.consent_changed_at is not None and added.verified_at is None
    event = AuditEvent.objects.get(action="directory.caregiver.correct")
    assert event.detail["contacts_added"] == 1 and event.detail["contacts_removed"] == 1


def test_a_changed_number_is_no_longer_verified(world, client):
    from django.utils import timezone

    phone = world.caregiver.contact_points.get(kind="phone")
    ContactPoint.objects.filter(pk=phone.pk).update(verified_at=timezone.now())
    client.force_login(world.coordinator)
    client.post(
        edit_url(world.household),
        form_data(world.caregiver, **{f"contact_{phone.pk}_value": "(312) 555-0188"}),
    )
    phone.refresh_from_db()
    assert phone.value == "+13125550188"
    assert phone.verified_at is None


def test_a_new_contact_that_repeats_one_on_record_is_refused(world, client):
    before = snapshot(world.caregiver)
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(world.household),
        form_data(
            world.caregiver, new_contact_kind="email", new_contact_value="MARIA.GARCIA@example.com"
        ),
    )
    assert response.status_code == 400
    assert "already has this number or address" in response.content.decode()
    assert snapshot(world.caregiver) == before


def test_posting_for_a_caregiver_of_another_household_is_refused(world, client):
    other = world.neighbour_household.caregivers.get()
    before = snapshot(other)
    client.force_login(world.coordinator)
    data = form_data(other, relationship="guardian")
    response = client.post(edit_url(world.household), data)
    assert response.status_code == 400
    assert snapshot(other) == before


@pytest.mark.parametrize("persona", ["teacher", "partner_staff", "funder", "family"])
def test_those_who_may_not_correct_are_refused(persona, world, client):
    client.force_login(getattr(world, persona))
    assert client.get(edit_url(world.household)).status_code == 403
    before = snapshot(world.caregiver)
    response = client.post(
        edit_url(world.household), form_data(world.caregiver, relationship="other")
    )
    assert response.status_code == 403
    assert snapshot(world.caregiver) == before


def test_outsider_and_other_school_staff_get_404(world, client):
    client.force_login(world.outsider)
    assert client.get(edit_url(world.household)).status_code == 404
    client.force_login(world.coordinator)
    before = snapshot(world.middle_household.caregivers.get())
    data = form_data(world.middle_household.caregivers.get(), relationship="other")
    assert client.post(edit_url(world.middle_household), data).status_code == 404
    assert snapshot(world.middle_household.caregivers.get()) == before


def test_a_number_from_another_country_keeps_its_code_and_survives_a_save(world, client):
    from tandem.directory.services import add_contact_point

    mexican = add_contact_point(
        caregiver=world.caregiver, kind="phone", value="+52 55 1234 5678", consent=True
    )
    client.force_login(world.coordinator)
    page = client.get(edit_url(world.household)).content.decode()
    assert 'value="+52 55 1234 5678"' in page
    data = form_data(world.caregiver, **{f"contact_{mexican.pk}_value": "+52 55 1234 5678"})
    assert client.post(edit_url(world.household), data).status_code == 302
    mexican.refresh_from_db()
    assert mexican.value == "+525512345678"
    assert not AuditEvent.objects.filter(action="directory.caregiver.correct").exists()
