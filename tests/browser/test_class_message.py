"""A teacher writes to a class of English, Spanish and Vietnamese families; a reviewer
approves the drafts; the local SMS gateway gets one text per consenting caregiver in
their language; a Spanish reply reads in English in the teacher's thread, original beside it."""

import pytest
from playwright.sync_api import Page, expect

from tandem.directory.services import add_caregiver, add_student, create_household
from tests.browser.test_staff_directory import sign_in_as_staff
from tests.gateway import gateway_for

TOKEN = "browser-gateway-token"
ACCOUNT = "AC" + "5" * 32
ENGLISH = "Report cards go home on Friday."
SPANISH = "Las boletas de calificaciones llegan a casa el viernes."
VIETNAMESE = "Phiếu điểm sẽ được gửi về nhà vào thứ Sáu."


@pytest.fixture
def gateway(live_server, settings):
    with gateway_for(live_server, settings, token=TOKEN, account=ACCOUNT) as gateway:
        yield gateway


@pytest.fixture
def third_grade(live_world):
    """María García (Spanish, grade 3) plus an English and a Vietnamese family, and a
    father who never agreed to texts."""
    for name, given, language, phone, consent in [
        ("Smith", "Emma", "en", "+1 312 555 0201", True),
        ("Tran", "Lan", "vi", "+1 312 555 0203", True),
        ("Okafor", "Chidi", "en", "+1 312 555 0204", False),
    ]:
        household = create_household(organization=live_world.district, name=name)
        add_caregiver(
            household=household,
            given_name=given,
            family_name=name,
            preferred_language=language,
            phone=phone,
            sms_consent=consent,
        )
        add_student(household=household, school=live_world.elementary, given_name="K", grade="03")


def review(page: Page, base_url: str, language: str, text: str) -> None:
    page.goto(f"{base_url}/translation/")
    page.get_by_role("row").filter(has_text=language).get_by_role("link").first.click()
    page.get_by_role("textbox", name="Translation").fill(text)
    page.get_by_role("button", name="Approve").click()


def test_a_class_message_reaches_each_family_in_its_language_and_a_reply_comes_back(
    live_server, live_world, third_grade, gateway, immediate_tasks, browser, page: Page
):
    sign_in_as_staff(page, live_server.url, "teacher@riverside.test")
    page.goto(f"{live_server.url}/messages/new/")
    page.get_by_label("Grade").select_option(label="Grade 3")
    page.get_by_label("Message", exact=True).fill(ENGLISH)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("main")).to_contain_text("Waiting for review")
    assert gateway.messages() == []  # nothing leaves before the translations are reviewed

    reviewer = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in_as_staff(reviewer, live_server.url, "coordinator@riverside.test")
    reviewer.goto(f"{live_server.url}/translation/")
    queue = reviewer.locator("main")
    expect(queue).to_contain_text(ENGLISH)
    review(reviewer, live_server.url, "Spanish", SPANISH)
    review(reviewer, live_server.url, "Vietnamese", VIETNAMESE)

    texts = {message["to"]: message["body"] for message in gateway.messages()}
    assert texts == {
        "+13125550101": SPANISH,
        "+13125550201": ENGLISH,
        "+13125550203": VIETNAMESE,
    }
    assert set(gateway.counts().values()) == {1}

    reply = "Gracias, Lucía estará allí el viernes."
    assert gateway.send_inbound(sender="+13125550101", body=reply).status == 200
    review(reviewer, live_server.url, "English", "Thank you, Lucía will be there on Friday.")

    page.goto(f"{live_server.url}/messages/households/{live_world.household.pk}/")
    thread = page.locator("main")
    expect(thread).to_contain_text("Thank you, Lucía will be there on Friday.")
    expect(thread).to_contain_text(reply)
