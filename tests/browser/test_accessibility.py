"""WCAG 2.2 A and AA rules checked by axe-core in Chromium on the pages families and staff
use most, on a phone-sized screen, in English, Spanish and right-to-left Arabic.

axe-core ships inside the axe-playwright-python wheel; nothing is downloaded at run time.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.test_staff_directory import sign_in_as_staff

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page: Page) -> list[str]:
    """Each WCAG A/AA violation on the page: rule, impact and the first offending element."""
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": []}
    )
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): {violation['help']} — "
        f"{violation['nodes'][0]['html'][:160]}"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_public_pages_meet_wcag_aa(live_server, live_world, page: Page, language):
    page.context.add_cookies(
        [{"name": "tandem_language", "value": language, "url": live_server.url}]
    )
    found = []
    for path in ["/", "/accounts/sign-in/", "/accounts/staff/sign-in/"]:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []


def test_family_pages_meet_wcag_aa(live_server, live_world, page: Page, client):
    from django.conf import settings

    client.force_login(live_world.family)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    found = []
    for path in [
        "/family/",
        "/family/contact-preferences/",
        "/family/export/",
        "/messages/family/",
    ]:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []


def test_staff_pages_meet_wcag_aa(live_server, live_world, page: Page):
    from tandem.directory.models import Household
    from tandem.messaging.saved_lists import save_household_list

    sign_in_as_staff(page, live_server.url, "admin@riverside.test")
    household = live_world.household.pk
    saved = save_household_list(
        actor=live_world.org_admin,
        name="Needs a ride",
        households=Household.objects.filter(pk=household),
    )
    found = []
    for path in [
        "/directory/households/",
        "/directory/households/?language=es&not_reached=on",
        "/directory/caregivers/",
        "/directory/schools/",
        f"/directory/households/{household}/",
        f"/directory/households/{household}/edit/",
        "/directory/import/",
        "/directory/import/template/",
        "/accounts/security/",
        "/messages/",
        "/messages/new/",
        f"/messages/households/{household}/",
        "/messages/reach/",
        "/messages/lists/",
        f"/messages/new/?list={saved.pk}",
        "/translation/",
    ]:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []


def test_listening_pages_meet_wcag_aa(live_server, live_world, page: Page):
    from datetime import timedelta

    from django.utils import timezone

    from tandem.listening.answers import save_answer, start_answer_set
    from tandem.listening.sessions import create_session
    from tandem.listening.tokens import invitation_token
    from tests.web.listening_cases import invitation_for, make_campaign

    world = live_world
    campaign = make_campaign(world, "elementary")
    exchange = make_campaign(world, "elementary", template="share-and-rate")
    invitation = invitation_for(world, campaign)
    answer_set = start_answer_set(invitation=invitation, anonymous=True, channel="web")
    save_answer(
        answer_set=answer_set,
        question=campaign.protocol.questions.first(),
        text="Cuando la maestra me saluda por mi nombre.",
    )
    session = create_session(
        actor=world.coordinator,
        campaign=campaign,
        starts_at=timezone.now() + timedelta(days=3),
        place="Parent Center",
        languages=["en", "es"],
    )
    family_links = [
        f"/l/{invitation_token(invitation.pk)}/",
        f"/l/{invitation_token(invitation.pk)}/2/",
        f"/l/{invitation_token(invitation_for(world, exchange).pk)}/exchange/",
    ]
    found = []
    for path in family_links:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    sign_in_as_staff(page, live_server.url, "coordinator@riverside.test")
    for path in [
        "/listening/",
        "/listening/new/",
        f"/listening/{campaign.pk}/",
        f"/listening/{campaign.pk}/answers/",
        f"/listening/{campaign.pk}/themes/",
        f"/listening/{campaign.pk}/report/",
        f"/listening/{campaign.pk}/data-walk/",
        f"/listening/{campaign.pk}/follow-up/",
        f"/listening/sessions/{session.pk}/",
        f"/listening/sessions/{session.pk}/notes/1/",
        f"/listening/{exchange.pk}/statements/",
        f"/listening/{exchange.pk}/opinions/",
        "/listening/actions/",
    ]:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []


def test_programs_pages_meet_wcag_aa(live_server, live_world, page: Page):
    from tandem.programs.checkin import checkin_token
    from tandem.programs.invitations import invitation_token, record_rsvp
    from tests.web.programs_cases import invitation_to, make_session

    world = live_world
    session = make_session(world, "elementary", capacity=30)
    invitation = invitation_to(world, session)
    record_rsvp(invitation=invitation, coming=True, channel="web", needs={"childcare_ages": [4]})
    token = invitation_token(invitation.pk)
    found = []
    for path in [f"/p/{token}/", f"/p/checkin/{checkin_token(session.pk)}/"]:
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    sign_in_as_staff(page, live_server.url, "coordinator@riverside.test")
    program = session.program
    for path in [
        "/programs/",
        "/programs/new/",
        "/programs/new/parent-college/",
        "/programs/topics/",
        f"/programs/{program.pk}/",
        f"/programs/{program.pk}/attendance/",
        f"/programs/{program.pk}/feedback/",
        f"/programs/{program.pk}/outreach/",
        f"/programs/sessions/{session.pk}/",
        f"/programs/sessions/{session.pk}/edit/",
        f"/programs/sessions/{session.pk}/invite/",
        f"/programs/sessions/{session.pk}/rsvps/",
        f"/programs/sessions/{session.pk}/needs/",
        f"/programs/sessions/{session.pk}/roster/",
        f"/programs/sessions/{session.pk}/kiosk/",
        f"/programs/sessions/{session.pk}/import/",
        f"/programs/sessions/{session.pk}/attendance/",
        f"/programs/sessions/{session.pk}/assignments/",
        f"/programs/sessions/{session.pk}/feedback/",
        f"/programs/sessions/{session.pk}/scheduling/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() >= 1, path
        found += violations(page)
    assert found == []
