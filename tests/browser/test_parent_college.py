"""A parent coordinator runs a Parent College year in the demo district: she plans it from
the template at her school, invites twenty families saved in a list, the families answer
by text through the local SMS gateway (some with childcare needs), the needs summary
shows them, a mother checks in with her phone from the QR code on the kiosk page, the
attendance page shows who completed the series with a Spanish certificate, and an
assignment is reported back by text."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tandem.accounts.models import Membership
from tandem.accounts.roles import Role
from tandem.directory.demo import build_demo_district
from tandem.directory.demo.schools import SIGN_IN_SCHOOL, sourced_id
from tandem.directory.demo.staff import DEMO_PASSWORD
from tandem.directory.models import Caregiver, ContactPoint, Household, School
from tandem.messaging.saved_lists import save_household_list
from tandem.programs.attendance import check_in_caregiver
from tandem.programs.models import (
    Assignment,
    AssignmentReport,
    Attendance,
    Invitation,
    Program,
)
from tandem.smsgateway.server import GatewayControl
from tests.gateway import SCHOOL_NUMBER

CHECKIN_LINK = re.compile(r"http://[^\s\"<]+/p/checkin/[0-9]+-[\w-]+/")


@pytest.fixture
def demo(transactional_db):
    build_demo_district(households=150, seed=2026)
    school = School.objects.get(sourced_id=sourced_id(SIGN_IN_SCHOOL))
    coordinator = (
        Membership.objects.filter(school=school, role=Role.PARENT_COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    return school, coordinator


@pytest.fixture
def gateway(sms_gateway, immediate_tasks):
    return sms_gateway


def twenty_families(school: School, coordinator) -> list[Caregiver]:
    """Twenty of the school's families who read English or Spanish and take texts,
    saved as a list the way a coordinator keeps a directory search."""
    texted = ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE, consent=True)
    candidates = (
        Household.objects.filter(students__school=school, caregivers__contact_points__in=texted)
        .prefetch_related("caregivers")
        .distinct()
        .order_by("pk")
    )
    households = [
        household
        for household in candidates
        if all(c.preferred_language[:2] in ("en", "es") for c in household.caregivers.all())
    ][:20]
    assert len(households) == 20
    save_household_list(
        actor=coordinator,
        name="Parent College families",
        households=Household.objects.filter(pk__in=[h.pk for h in households]),
        school=school,
    )
    return list(
        Caregiver.objects.filter(household__in=households, contact_points__in=texted)
        .distinct()
        .order_by("pk")
    )


def phone_of(caregiver: Caregiver) -> str:
    return caregiver.contact_points.filter(kind=ContactPoint.Kind.PHONE, consent=True)[0].value


def test_a_coordinator_runs_a_parent_college_year_with_twenty_families(
    live_server, demo, gateway, page: Page, browser
):
    school, coordinator = demo
    base = live_server.url
    families = twenty_families(school, coordinator)
    spanish = [c for c in families if c.preferred_language.startswith("es")]
    assert len(spanish) >= 2, "the demo school has Spanish-speaking families"
    rosa, luis = spanish[0], spanish[1]
    number = {c.pk: phone_of(c) for c in families}
    school_number = SCHOOL_NUMBER

    page.goto(f"{base}/accounts/staff/sign-in/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The year from the template, at her school: monthly Saturdays and University Day.
    page.get_by_role("link", name="Programs").first.click()
    page.goto(f"{base}/programs/new/parent-college/")
    page.get_by_label("School", exact=True).select_option(label=school.name)
    page.get_by_role("button", name="Show the dates").click()
    expect(page.locator("main")).to_contain_text("University Day")
    page.get_by_role("button", name="Plan the year").click()
    program = Program.objects.filter(kind=Program.Kind.PARENT_COLLEGE).latest("created_at")
    sessions = list(program.sessions.order_by("starts_at"))
    assert len(sessions) == 9 and list(program.schools.all()) == [school]
    expect(page.locator("main")).to_contain_text("Reading and understanding report cards")

    # The next workshop is tonight (time moves on in this test: the first five took
    # place already, in the weeks before).
    now = timezone.now()
    session = sessions[5]
    session.starts_at, session.ends_at = now + timedelta(hours=3), now + timedelta(hours=5)
    session.rsvp_deadline = now + timedelta(hours=1)
    session.save()
    for weeks, earlier in zip(range(5, 0, -1), sessions[:5], strict=True):
        earlier.starts_at = now - timedelta(weeks=weeks)
        earlier.ends_at = earlier.starts_at + timedelta(hours=3)
        earlier.rsvp_deadline = earlier.starts_at - timedelta(days=2)
        earlier.save()

    # Twenty families invited from the saved list, each in their language.
    page.goto(f"{base}/programs/sessions/{session.pk}/invite/")
    page.get_by_label("A saved list of households").check()
    saved_list = page.get_by_label("Saved list", exact=True)
    choice = saved_list.locator("option", has_text="Parent College families").get_attribute("value")
    saved_list.select_option(choice)
    page.get_by_role("button", name="Send the invitation").click()
    texts = {m["to"]: m["body"] for m in gateway.messages()}
    assert set(texts) == set(number.values())
    assert Invitation.objects.filter(session=session).count() == len(families)
    assert re.search(r"Responda 1|responda 1", texts[number[rosa.pk]]), texts[number[rosa.pk]]
    assert "Reply 1" in next(
        texts[number[c.pk]] for c in families if c.preferred_language.startswith("en")
    )

    # Replies by text: Rosa comes and needs childcare for two children aged 3 and 6;
    # Luis comes with no needs; another family cannot come.
    phone = GatewayControl(gateway.url)
    for body in ["1", "1", "3 6"]:
        assert phone.send_inbound(sender=number[rosa.pk], to=school_number, body=body).status == 200
    for body in ["1", "0"]:
        assert phone.send_inbound(sender=number[luis.pk], to=school_number, body=body).status == 200
    other = next(c for c in families if c not in (rosa, luis))
    assert phone.send_inbound(sender=number[other.pk], to=school_number, body="2").status == 200
    answers = {i.caregiver_id: i for i in Invitation.objects.filter(session=session)}
    assert answers[rosa.pk].response == "yes" and answers[rosa.pk].childcare_ages == [3, 6]
    assert answers[luis.pk].response == "yes" and answers[other.pk].response == "no"
    rosa_replies = [m["body"] for m in gateway.messages(to=number[rosa.pk])][1:]
    assert len(rosa_replies) == 3 and re.search(r"\b3\b.*\b6\b", rosa_replies[1])

    # The needs summary for planners.
    page.goto(f"{base}/programs/sessions/{session.pk}/needs/")
    childcare = page.locator("section[aria-labelledby=childcare-title]")
    expect(childcare).to_contain_text("2")
    expect(page.locator("section[aria-labelledby=answers-title]")).to_contain_text("2")

    # Rosa came to the first five; tonight she checks in from the QR code at the door.
    for earlier in sessions[:5]:
        check_in_caregiver(
            session=earlier,
            caregiver=rosa,
            method=Attendance.Method.ROSTER,
            actor=coordinator,
            now=earlier.starts_at + timedelta(minutes=5),
        )
    page.goto(f"{base}/programs/sessions/{session.pk}/kiosk/")
    expect(page.locator("svg").first).to_be_visible()  # the QR code
    link = CHECKIN_LINK.search(page.content()).group(0)
    family_phone = browser.new_context(locale="es-US", viewport={"width": 360, "height": 740})
    mobile = family_phone.new_page()
    mobile.goto(link)
    mobile.get_by_role("textbox").fill(number[rosa.pk])
    mobile.get_by_role("button").last.click()
    expect(mobile.locator("main")).to_contain_text(rosa.given_name)
    mobile.goto(link)
    mobile.get_by_role("textbox").fill(number[rosa.pk])
    mobile.get_by_role("button").last.click()
    expect(mobile.locator("main")).to_contain_text(re.compile(r"\d{1,2}:\d{2}"))  # already
    family_phone.close()
    assert Attendance.objects.filter(session=session, caregiver=rosa).count() == 1
    assert Attendance.objects.get(session=session, caregiver=rosa).method == "qr"

    # Attendance: Rosa has completed the series; her certificate is in Spanish.
    page.goto(f"{base}/programs/{program.pk}/attendance/")
    completed = page.locator("section").filter(has_text="Completed")
    expect(completed).to_contain_text(rosa.full_name)
    href = completed.get_by_role("link", name=re.compile("Certificate")).first.get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Certificado" in text and rosa.given_name in text

    # An assignment for those who came, reported back by text.
    page.goto(f"{base}/programs/sessions/{session.pk}/assignments/")
    page.get_by_label("Assignment", exact=True).fill(
        "Say one affirming thing to your child each day and notice the reaction."
    )
    page.get_by_role("button", name="Save the assignment").click()
    assignment = Assignment.objects.get(session=session)
    if not assignment.message_id:
        page.get_by_role("button", name="Send to those who came").first.click()
    assignment.refresh_from_db()
    assert assignment.message_id
    # The assignment is her own words: its Spanish copy is reviewed before it goes.
    page.goto(f"{base}/translation/")
    rows = page.get_by_role("row").filter(has_text="Spanish").filter(has_text="affirming")
    rows.get_by_role("link").first.click()
    page.get_by_role("textbox", name="Translation").fill(
        f"Su tarea de “{session.title}”:\n\n"
        "Diga cada día algo positivo a su hijo o hija y observe su reacción.\n\n"
        "Responda por mensaje de texto con lo que pasó, o use su enlace:"
    )
    page.get_by_role("button", name="Approve").click()
    assert any("algo positivo" in m["body"] for m in gateway.messages(to=number[rosa.pk]))
    story = "Le dije que estaba orgullosa de ella y sonrió todo el día."
    assert phone.send_inbound(sender=number[rosa.pk], to=school_number, body=story).status == 200
    report = AssignmentReport.objects.get(assignment=assignment)
    assert report.caregiver_id == rosa.pk and report.done and report.channel == "sms"
    page.goto(f"{base}/programs/sessions/{session.pk}/assignments/")
    expect(page.locator("main")).to_contain_text(story)
