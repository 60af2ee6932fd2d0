"""Starting a listening campaign from a shipped template, inviting a school's families
with their personal links, closing it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.listening.models import Campaign, Invitation, Protocol
from tandem.listening.services import shipped_templates
from tandem.listening.tokens import invitation_id_from
from tandem.messaging import delivery
from tandem.messaging.models import Message
from tandem.messaging.senders import ChannelSender
from tandem.smsgateway.server import running_gateway
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation

LINK = re.compile(r"/l/([0-9]+-[\w-]+)/")


def _template(key: str) -> Protocol:
    return next(p for p in shipped_templates() if p.template_key == key)


def _open(client, user, **fields):
    client.force_login(user)
    data = {
        "protocol": _template("south-dakota").pk,
        "name": "Spring listening",
        "school": user.memberships.first().school_id or "",
        "closes_on": (timezone.localdate() + timedelta(days=21)).isoformat(),
        **fields,
    }
    return client.post("/listening/new/", data)


def test_a_coordinator_opens_a_campaign_from_the_south_dakota_template(world, client):
    response = _open(client, world.coordinator)

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == f"/listening/{campaign.pk}/"
    assert campaign.school == world.elementary
    assert campaign.protocol.organization == world.district  # the template, copied
    assert campaign.protocol.questions.first().text == (
        "What makes you feel welcome at this school?"
    )
    page = client.get(response.url).content.decode()
    assert "What is the vision that you have for your child as an adult?" in page
    assert "sit quietly and listen" in page  # the facilitator guide


def test_the_templates_are_copied_once_per_organization(world, client):
    _open(client, world.coordinator)
    _open(client, world.coordinator, name="Fall listening")

    assert Protocol.objects.filter(organization=world.district).count() == 1
    assert Campaign.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"name": "  "}, "Give the campaign a name."),
        ({"closes_on": "2020-01-01"}, "The last day for answers is in the past."),
        ({"closes_on": "next friday"}, "Enter a date"),
        ({"protocol": ""}, "Choose the questions to ask."),
    ],
)
def test_bad_input_names_what_is_wrong_and_opens_nothing(world, client, fields, field_error):
    response = _open(client, world.coordinator, **fields)

    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Campaign.objects.exists()


def test_school_staff_cannot_open_a_campaign_at_another_school(world, client):
    response = _open(client, world.coordinator, school=world.middle.pk)

    assert response.status_code == 400
    assert not Campaign.objects.exists()


@pytest.fixture
def send_now(settings):
    """Texts go to the local SMS gateway on loopback; background work is not run by
    itself: `_deliver` sends as a worker would."""
    with running_gateway(auth_token="t", account_sid="AC" + "4" * 32, status_callbacks=False) as gw:
        settings.TANDEM_TWILIO_API_BASE = gw.url
        settings.TANDEM_TWILIO_ACCOUNT_SID = "AC" + "4" * 32
        settings.TANDEM_TWILIO_AUTH_TOKEN = "t"
        settings.TANDEM_TWILIO_FROM = "+13125550000"
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        settings.TANDEM_QUIET_HOURS = "00:00-00:00"
        yield gw


def _deliver() -> None:
    for message in Message.objects.filter(released_at__isnull=False):
        delivery.send_due(message.pk, sender=ChannelSender())


def _invite(client, user, campaign, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/listening/{campaign.pk}/invite/")


def test_each_family_is_invited_in_its_language_with_a_link_of_its_own(
    world, client, campaign, send_now, django_capture_on_commit_callbacks
):
    response = _invite(client, world.coordinator, campaign, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    message = Message.objects.get()
    # Somali is not a language Tandem ships: the invitation waits for a reviewer.
    assert message.status == Message.Status.AWAITING_REVIEW
    somali = TranslationRequest.objects.get(object_id=str(message.pk), target_language="so")
    with django_capture_on_commit_callbacks(execute=True):
        approve_translation(
            actor=world.org_admin, request=somali, text="Dugsiga ayaa doonaya inuu idin maqlo."
        )
    _deliver()

    texts = {m["to"]: m["body"] for m in send_now.messages()}
    maria, amina = texts["+13125550101"], texts["+13125550103"]
    assert "quiere escuchar a las familias" in maria  # Spanish, from Tandem's own catalog
    assert "responda 1" in maria
    maria_token, amina_token = LINK.search(maria).group(1), LINK.search(amina).group(1)
    assert maria_token != amina_token
    invitation = Invitation.objects.get(pk=invitation_id_from(maria_token))
    assert invitation.caregiver == world.caregiver
    assert invitation.conversation == Invitation.Conversation.CHOOSING
    assert invitation.language == "es"
    # Staff see how far families got.
    page = client.get(f"/listening/{campaign.pk}/").content.decode()
    assert "Invited" in page


def test_inviting_twice_keeps_one_invitation_per_caregiver(
    world, client, campaign, send_now, django_capture_on_commit_callbacks
):
    for _ in range(2):
        _invite(client, world.coordinator, campaign, django_capture_on_commit_callbacks)
        somali = TranslationRequest.objects.filter(target_language="so").last()
        with django_capture_on_commit_callbacks(execute=True):
            approve_translation(actor=world.org_admin, request=somali, text="Dugsiga.")
        _deliver()

    assert Message.objects.count() == 2
    assert Invitation.objects.filter(caregiver=world.caregiver).count() == 1


def test_a_closed_campaign_invites_no_one(
    world, client, campaign, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    client.post(f"/listening/{campaign.pk}/close/")
    response = _invite(client, world.coordinator, campaign, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert not Message.objects.exists()
    assert "This campaign is closed." in client.get(response.url).content.decode()


def test_the_campaign_list_reads_in_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    from tests.web.listening_cases import make_campaign

    for _ in range(5):
        make_campaign(world, "elementary")
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get("/listening/")
    assert response.content.decode().count("Spring listening") == 5


def test_a_district_wide_campaign_invites_one_school_at_a_time(
    world, client, send_now, django_capture_on_commit_callbacks
):
    client.force_login(world.org_admin)
    client.post(
        "/listening/new/",
        {
            "protocol": _template("south-dakota").pk,
            "name": "District listening",
            "school": "",
            "closes_on": (timezone.localdate() + timedelta(days=21)).isoformat(),
        },
    )
    campaign = Campaign.objects.get(school=None)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(f"/listening/{campaign.pk}/invite/")
    assert "Choose the school whose families to invite." in client.get(refused.url).text
    assert not Message.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/listening/{campaign.pk}/invite/", {"school": world.middle.pk})
    message = Message.objects.get()
    assert message.school == world.middle
    vietnamese = TranslationRequest.objects.get(object_id=str(message.pk), target_language="vi")
    with django_capture_on_commit_callbacks(execute=True):
        approve_translation(actor=world.org_admin, request=vietnamese, text="Trường muốn nghe.")
    _deliver()
    [invitation] = Invitation.objects.filter(campaign=campaign)
    assert invitation.school == world.middle  # the Nguyen grandmother, at the middle school
    assert invitation.caregiver.household == world.middle_household


def test_an_earlier_invitation_still_carries_links_after_inviting_again(
    world, client, campaign, send_now, django_capture_on_commit_callbacks
):
    from tandem.listening.services import invitation_links

    for _ in range(2):
        _invite(client, world.coordinator, campaign, django_capture_on_commit_callbacks)
    first, second = Message.objects.order_by("id")
    recipient = [(world.caregiver.pk, "sms")]

    assert invitation_links(first, recipient) == invitation_links(second, recipient)
    assert "/l/" in invitation_links(first, recipient)[world.caregiver.pk]
