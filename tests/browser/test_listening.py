"""A parent coordinator listens to Oak Elementary's families: a campaign from the South
Dakota template; María answers by text in Spanish through the local SMS gateway, Lan
answers anonymously on the web in Vietnamese, Emma answers on the web in English; the
coordinator finds the themes, tags a need, turns it into an action item, and the PDF
report renders with no trace of the anonymous family."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.listening.answers import finish_answer_set, save_answer, start_answer_set
from tandem.listening.models import ActionItem, AnswerSet, Campaign, Invitation
from tandem.listening.services import ensure_invitations
from tandem.smsgateway.server import GatewayControl
from tests.browser.test_staff_directory import sign_in_as_staff
from tests.gateway import gateway_for

TOKEN = "listening-gateway-token"
ACCOUNT = "AC" + "6" * 32
SCHOOL_NUMBER = "+13125550000"
MARIA = "+13125550101"
LAN = "+13125550203"
EMMA = "+13125550201"
LINK = re.compile(r"http://[^\s]+/l/[0-9]+-[\w-]+/")

MARIA_SAYS = [
    "Cuando la secretaria me saluda en español y me explica todo.",
    "Quiero que vaya a la universidad y ayude a su comunidad.",
    "tuviera un autobús después de la tutoría; trabajo hasta las seis.",
    "Me sentí escuchada, gracias.",
]
LAN_SAYS = [
    "Khi có người phiên dịch tiếng Việt trong buổi họp.",
    "Tôi mong con tôi học đại học.",
    "có xe buýt đưa đón sau giờ học thêm.",
    "Tôi cảm thấy được lắng nghe.",
]
EMMA_SAYS = [
    "The teachers greet my kids by name every morning.",
    "A kind adult with a job she loves.",
    "ran a late bus after tutoring so my son can stay for help.",
    "Good, I felt heard.",
]
# Answers other families gave by text earlier in the week, so the engine has enough to
# group: six about a bus after tutoring, six about being greeted.
EARLIER = [
    ("en", "A bus home after the homework club would help us so much."),
    ("en", "My son misses tutoring because there is no late bus."),
    ("es", "Necesitamos transporte después de las clases de apoyo."),
    ("en", "Please add a late bus; we have no car after school."),
    ("es", "Un autobús por la tarde para los niños que se quedan a tutoría."),
    ("en", "The late bus was cut and now my daughter can't stay for tutoring."),
    ("en", "The office staff greet us warmly every day."),
    ("es", "Me siento bienvenida cuando me saludan en la entrada."),
    ("en", "The principal says hello to every family at the door."),
    ("en", "Teachers greet parents by name at drop-off."),
    ("es", "El personal de la oficina siempre nos recibe con una sonrisa."),
    ("en", "Being greeted with a smile in the morning makes us feel welcome."),
]


@pytest.fixture
def gateway(live_server, settings, immediate_tasks):
    with gateway_for(live_server, settings, token=TOKEN, account=ACCOUNT) as gateway:
        yield gateway


@pytest.fixture
def families(live_world):
    """Lan Tran (Vietnamese) and Emma Smith (English) join María García (Spanish) and
    Amina Hassan (Somali) at Oak Elementary; twelve more families answered earlier."""
    for name, given, language, phone in [
        ("Tran", "Lan", "vi", LAN),
        ("Smith", "Emma", "en", EMMA),
    ]:
        household = create_household(organization=live_world.district, name=name)
        add_caregiver(
            household=household,
            given_name=given,
            family_name=name,
            preferred_language=language,
            phone=phone,
        )
        add_student(household=household, school=live_world.elementary, given_name="K", grade="02")
    return live_world


def _earlier_answers(world, campaign: Campaign) -> None:
    """Families who answered by text before the coordinator sat down to read."""
    questions = list(campaign.protocol.questions.all())
    for number, (language, text) in enumerate(EARLIER):
        household = create_household(organization=world.district, name=f"Earlier {number}")
        caregiver = add_caregiver(household=household, given_name="P", preferred_language=language)
        add_student(household=household, school=world.elementary, given_name="C", grade="04")
        invitation = Invitation.objects.get(
            pk=ensure_invitations(campaign, [(caregiver.pk, "sms")])[caregiver.pk]
        )
        answer_set = start_answer_set(invitation=invitation, anonymous=False, channel="sms")
        question = questions[2] if number < 6 else questions[0]
        save_answer(answer_set=answer_set, question=question, text=text)
        finish_answer_set(answer_set=answer_set, invitation=invitation)


def review_invitation(page: Page, base_url: str, language: str, text: str) -> None:
    page.goto(f"{base_url}/translation/")
    rows = page.get_by_role("row").filter(has_text=language)
    rows.filter(has_text="wants to hear from families").get_by_role("link").first.click()
    page.get_by_role("textbox", name="Translation").fill(text)
    page.get_by_role("button", name="Approve").click()


def _answer_on_the_web(page: Page, link: str, answers: list[str], *, anonymous: bool) -> None:
    page.goto(link)
    name = "Answer anonymously" if anonymous else "Answer with my name"
    page.get_by_role("button", name=name).click()
    for text in answers:
        page.get_by_role("textbox").fill(text)
        page.get_by_role("button", name=re.compile("Next|Check my answers")).click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("main")).to_contain_text("Thank you")


def test_a_coordinator_listens_to_three_families_and_turns_a_need_into_action(
    live_server, families, gateway, page: Page, browser
):
    world = families
    base = live_server.url
    sign_in_as_staff(page, base, "coordinator@riverside.test")

    # A campaign from the South Dakota template, for Oak Elementary.
    page.goto(f"{base}/listening/new/")
    page.get_by_label(re.compile("South Dakota")).check()
    page.get_by_label("Name").fill("Spring listening")
    page.get_by_label("Answers accepted until").fill(
        (timezone.localdate() + timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Open the campaign").click()
    expect(page.locator("h1")).to_have_text("Spring listening")
    expect(page.locator("main")).to_contain_text("What makes you feel welcome at this school?")
    campaign = Campaign.objects.get()
    assert campaign.school == world.elementary

    # Every family gets its own link; Vietnamese and Somali copies are reviewed first.
    page.get_by_role("button", name="Invite the families").click()
    expect(page.locator("main")).to_contain_text("waits for reviewed translations")
    assert gateway.messages() == []
    # (The queue also holds the questions in those languages, for families to read.)
    review_invitation(page, base, "Vietnamese", "Trường muốn lắng nghe. Trả lời 1 hoặc 2.")
    review_invitation(page, base, "Somali", "Dugsiga wuxuu rabaa inuu maqlo. Ku jawaab 1 ama 2.")
    texts = {m["to"]: m["body"] for m in gateway.messages()}
    assert "quiere escuchar a las familias" in texts[MARIA]
    links = {number: LINK.search(texts[number]).group(0) for number in (MARIA, LAN, EMMA)}
    assert len(set(links.values())) == 3  # personal links, not a shared one

    # María answers by text, in Spanish, question by question.
    phone = GatewayControl(gateway.url)
    for body in ["1", *MARIA_SAYS]:
        assert phone.send_inbound(sender=MARIA, to=SCHOOL_NUMBER, body=body).status == 200
    replies = [m["body"] for m in gateway.messages(to=MARIA)][1:]
    assert "¿Qué le hace sentir bienvenido(a) en esta escuela?" in replies[0]
    assert len(replies) == 5

    # Lan answers anonymously on the web in Vietnamese, Emma with her name in English,
    # each on their own phone.
    for link, answers, anonymous in [
        (links[LAN], LAN_SAYS, True),
        (links[EMMA], EMMA_SAYS, False),
    ]:
        family_phone = browser.new_page(viewport={"width": 360, "height": 740})
        _answer_on_the_web(family_phone, link, answers, anonymous=anonymous)
        family_phone.close()
    lan = AnswerSet.objects.get(anonymous=True)
    assert lan.caregiver is None and lan.invitation is None and lan.resume_key is None
    assert lan.answers.first().language == "vi"
    assert AnswerSet.objects.filter(completed=True).count() == 3

    # The coordinator finds the themes, tags the bus theme a need, turns it into action.
    _earlier_answers(world, campaign)
    page.goto(f"{base}/listening/{campaign.pk}/themes/")
    page.get_by_role("button", name="Find themes").first.click()
    page.goto(f"{base}/listening/{campaign.pk}/themes/")
    bus = page.get_by_role("link", name=re.compile("bus|autobús|tutor", re.IGNORECASE)).first
    expect(bus).to_be_visible()
    label = bus.inner_text()
    bus.click()
    page.get_by_label("Need", exact=True).check()
    page.get_by_role("button", name="Save").first.click()
    page.goto(f"{base}/listening/{campaign.pk}/report/")
    expect(page.locator("section[aria-labelledby=needs]")).to_contain_text(label)
    page.get_by_role("link", name="Turn into action").first.click()
    page.get_by_label("What will the school do?").fill(
        "Run a late bus after tutoring on Tuesdays and Thursdays"
    )
    page.get_by_role("button", name="Add to the action plan").click()
    action = ActionItem.objects.get()
    assert action.theme.kind == "need" and action.school == world.elementary
    page.goto(f"{base}/listening/actions/")
    expect(page.locator("main")).to_contain_text("Run a late bus after tutoring")

    # The printable report: a real PDF, with the answers but nothing about Lan.
    response = page.request.get(f"{base}/listening/{campaign.pk}/report.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = " ".join(sheet.extract_text() for sheet in pdf.pages)
    assert "Spring listening" in text
    assert not re.search(r"\b(Lan|Tran)\b", text)
    for trace in ["5550203", "555 0203", links[LAN].rsplit("/", 2)[-2]]:
        assert trace not in text
