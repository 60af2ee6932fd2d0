"""A family's own pages: their household only, their contact preferences, their data."""

import json
from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.audit.models import AuditEvent
from tandem.directory.models import AvailabilityWindow, Caregiver, ContactPoint
from tandem.directory.services import add_caregiver, add_contact_point, add_student

OTHER_FAMILIES = ["Hassan", "Amina", "Ayaan", "Nguyen", "Minh", "Smith", "Sam", "555 0103"]


@pytest.fixture
def family_client(world, client):
    client.force_login(world.family)
    return client


def preferences_form(client) -> dict:
    """The contact-preferences form as the page fills it in, ready to post back."""
    response = client.get("/family/contact-preferences/")
    form = response.context["form"]
    availability = response.context["availability"]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = value
    for name, value in availability.management_form.initial.items():
        data[f"availability-{name}"] = value
    for window in availability.forms:
        for bound in window:
            if bound.value() not in (None, False, ""):
                data[bound.html_name] = (
                    str(bound.value())[:5] if "_at" in bound.name else bound.value()
                )
    return data


def test_the_family_page_shows_their_household(family_client):
    page = family_client.get("/family/").text
    for shown in ["García", "María", "Lucía", "Oak Elementary", "Grade 3", "(312) 555-0101"]:
        assert shown in page
    assert "maria.garcia@example.com" in page
    assert "Childcare" in page
    assert "Saturday" in page


def test_the_family_page_shows_no_other_household(family_client):
    for url in ["/family/", "/family/contact-preferences/", "/family/export/"]:
        page = family_client.get(url).text
        for other in OTHER_FAMILIES:
            assert other not in page, (url, other)


def test_students_show_name_school_and_grade_only(world, family_client):
    page = family_client.get("/family/").text
    assert "Lucía García" in page
    assert "Riverside Middle" not in page  # the feeder school is staff business


@pytest.mark.parametrize("persona", ["teacher", "coordinator", "partner_staff", "funder"])
def test_staff_do_not_get_family_pages(world, client, persona):
    client.force_login(getattr(world, persona))
    for url in ["/family/", "/family/contact-preferences/", "/family/export/"]:
        assert client.get(url).status_code == 403


def test_family_pages_ask_visitors_to_sign_in_first(db, client):
    response = client.get("/family/export/")
    assert response["Location"] == "/accounts/sign-in/?next=/family/export/"


def test_the_family_page_makes_the_same_queries_however_big_the_household(world, family_client):
    with CaptureQueriesContext(connection) as small:
        assert family_client.get("/family/").status_code == 200
    for number in range(4):
        caregiver = add_caregiver(
            household=world.household,
            given_name=f"Tía {number}",
            phone=f"+1 312 555 02{number:02d}",
            email=f"tia{number}@example.com",
            availability=[(day, time(17), time(19)) for day in range(3)],
        )
        add_contact_point(
            caregiver=caregiver, kind="phone", value=f"+1 312 555 03{number:02d}", consent=False
        )
        add_student(household=world.household, school=world.elementary, given_name=f"Kid {number}")

    with CaptureQueriesContext(connection) as big:
        page = family_client.get("/family/")
    assert "Tía 3" in page.text
    assert len(big.captured_queries) == len(small.captured_queries)


def test_viewing_the_family_page_is_audited_without_personal_data(world, family_client):
    family_client.get("/family/")
    event = AuditEvent.objects.get(action="family.household_viewed")
    assert event.actor == world.family
    assert event.object_id == str(world.household.pk)
    assert event.detail == {}


def test_a_family_changes_its_contact_preferences(world, family_client):
    phone = ContactPoint.objects.get(caregiver=world.caregiver, kind="phone")
    data = preferences_form(family_client)
    data.update(
        {
            "language": "vi",
            "new_phone": "(312) 555-0177",
            "new_phone_consent": "on",
            "needs_transportation": "on",
            "accessibility_note": "Step-free entrance please",
            "availability-1-weekday": "2",
            "availability-1-starts_at": "18:00",
            "availability-1-ends_at": "20:30",
            "race_ethnicity": ["hispanic_latino"],
            "race_ethnicity_own_words": "Mexicana",
            "gender": "prefer_not_to_say",
            "preferred_contact": str(phone.pk),
        }
    )
    data.pop(f"consent_{phone.pk}", None)  # no more text messages to the old number

    response = family_client.post("/family/contact-preferences/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    caregiver = Caregiver.objects.get(pk=world.caregiver.pk)
    assert caregiver.preferred_language == "vi"
    assert caregiver.needs_transportation and caregiver.needs_childcare
    assert caregiver.accessibility_note == "Step-free entrance please"
    assert caregiver.self_described == {
        "race_ethnicity": ["hispanic_latino"],
        "race_ethnicity_own_words": "Mexicana",
        "gender": ["prefer_not_to_say"],
    }
    phone.refresh_from_db()
    assert not phone.consent and phone.consent_changed_at is not None
    added = ContactPoint.objects.get(caregiver=caregiver, value="+13125550177")
    assert added.consent and added.verified_at is None
    assert sorted(
        AvailabilityWindow.objects.filter(caregiver=caregiver).values_list(
            "weekday", "starts_at", "ends_at"
        )
    ) == [(2, time(18), time(20, 30)), (5, time(9), time(13))]

    event = AuditEvent.objects.get(action="family.contact_preferences_changed")
    assert event.object_id == str(caregiver.pk)
    text = json.dumps(event.detail, ensure_ascii=False)
    for personal in ["0177", "Mexicana", "Step-free", "hispanic", "vi", "María"]:
        assert personal not in text.replace("availability", "")
    assert "preferred_language" in event.detail["changed"]


def test_a_language_can_be_typed_by_name_or_code(world, family_client):
    data = preferences_form(family_client)
    data.update({"language": "other", "language_other": "Khmer"})
    assert family_client.post("/family/contact-preferences/", data).status_code == 302
    assert Caregiver.objects.get(pk=world.caregiver.pk).preferred_language == "km"


def unchanged(world) -> tuple:
    caregiver = Caregiver.objects.get(pk=world.caregiver.pk)
    return (
        caregiver.preferred_language,
        caregiver.needs_transportation,
        list(ContactPoint.objects.filter(caregiver=caregiver).values_list("value", "consent")),
        list(caregiver.availability.values_list("weekday", "starts_at", "ends_at")),
    )


@pytest.mark.parametrize(
    ("change", "field_label", "message"),
    [
        ({"new_phone": "555-12"}, "Add a mobile number", "is not a valid phone number"),
        ({"new_email": "maria@"}, "Add an email address", "is not a valid email address"),
        (
            {"language": "other", "language_other": "notalanguage"},
            "Another language",
            "is not a language tag we recognize",
        ),
        (
            {
                "availability-1-weekday": "1",
                "availability-1-starts_at": "18:00",
                "availability-1-ends_at": "17:00",
            },
            "Until",
            "must be after the start",
        ),
        ({"gender": "martian"}, "How do you describe your gender?", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    world, family_client, change, field_label, message
):
    before = unchanged(world)
    data = preferences_form(family_client)
    data.update({"needs_transportation": "on", **change})

    response = family_client.post("/family/contact-preferences/", data)

    assert response.status_code == 200
    assert message in response.text
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert field_label in summary and message in summary
    assert unchanged(world) == before
    assert not AuditEvent.objects.filter(action="family.contact_preferences_changed").exists()


def test_an_existing_window_can_be_removed(world, family_client):
    data = preferences_form(family_client)
    data["availability-0-DELETE"] = "on"
    assert family_client.post("/family/contact-preferences/", data).status_code == 302
    assert not AvailabilityWindow.objects.filter(caregiver=world.caregiver).exists()


def test_the_export_holds_the_household_and_nothing_of_others(world, family_client):
    family_client.get("/family/")  # leaves an audit event about the household

    response = family_client.get("/family/export/?format=json")

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["household"]["name"] == "García"
    [caregiver] = data["caregivers"]
    assert caregiver["given_name"] == "María"
    assert caregiver["preferred_language"] == "es"
    assert caregiver["needs"]["childcare"] is True
    assert {c["value"] for c in caregiver["contact_points"]} == {
        "+13125550101",
        "maria.garcia@example.com",
    }
    assert caregiver["availability"] == [{"weekday": 5, "starts_at": "09:00", "ends_at": "13:00"}]
    assert [s["given_name"] for s in data["students"]] == ["Lucía"]
    assert "family.household_viewed" in {event["action"] for event in data["audit_events"]}
    raw = response.content.decode()
    for other in OTHER_FAMILIES:
        assert other not in raw


def test_the_export_is_audited_without_personal_data(world, family_client):
    family_client.get("/family/export/?format=json")
    event = AuditEvent.objects.get(action="family.household_exported")
    assert event.detail == {"format": "json", "caregivers": 1, "students": 1}


def test_the_readable_export_offers_the_download(world, family_client):
    family_client.get("/family/")
    page = family_client.get("/family/export/").text
    assert 'href="/family/export/?format=json"' in page
    assert "María García" in page
    assert "Opened the family page" in page  # the log of who looked, in words


def test_the_family_page_speaks_spanish(world, family_client):
    page = family_client.get("/family/", HTTP_ACCEPT_LANGUAGE="es").text
    assert '<html lang="es"' in page
    assert "Estudiantes" in page
    assert "Cambiar cómo le contactamos" in page


def test_the_family_page_reads_right_to_left_in_arabic(world, family_client):
    page = family_client.get("/family/", HTTP_ACCEPT_LANGUAGE="ar").text
    assert 'dir="rtl"' in page
    assert "الطلاب" in page


def test_the_family_reads_who_looked_at_its_household_in_its_language(world, client):
    """Staff views of the household appear on the family's page by name, with what was
    done in words, never as audit codes."""
    client.force_login(world.coordinator)
    assert client.get(f"/directory/households/{world.household.pk}/").status_code == 200
    client.logout()
    client.force_login(world.family)
    client.get("/family/")

    page = client.get("/family/export/", headers={"accept-language": "es"}).text

    assert "Vio el hogar en el directorio escolar" in page
    assert "Abrió la página de la familia" in page
    assert f"{world.coordinator.name}, personal" in page
    assert "Usted" in page
    assert "directory.household.view" not in page
    json_export = client.get("/family/export/?format=json", headers={"accept-language": "es"})
    data = json.loads(json_export.content)
    staff_view = next(e for e in data["audit_events"] if e["action"] == "directory.household.view")
    assert staff_view["by"] == f"{world.coordinator.name}, personal"
    assert staff_view["record"] == "Su hogar"
