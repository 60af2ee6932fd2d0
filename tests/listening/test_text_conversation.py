"""A family answers a listening campaign by text, through Twilio's signed webhook: reply 1
(with their name) or 2 (anonymously), then each question in their language, 0 to skip.
An ordinary reply, STOP, a closed campaign and a retried webhook all do the right thing.
The last test runs the whole way through the local SMS gateway and a live server."""

import pytest
from django.core.management import call_command

from tandem.directory.models import ContactPoint
from tandem.listening.answers import answer_set_for, finish_answer_set, start_answer_set
from tandem.listening.models import Answer, AnswerSet, Invitation
from tandem.listening.questions import questions_in
from tandem.listening.services import (
    close_campaign,
    invite_families,
    request_question_translations,
)
from tandem.listening.tokens import invitation_token
from tandem.messaging.models import InboundMessage
from tandem.smsgateway.server import GatewayControl
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.gateway import signed_webhook_settings, text_in
from tests.web.listening_cases import days_from_now, make_campaign

MARIA = "+13125550101"
ANSWERS = [
    "Cuando la maestra nos saluda por nuestro nombre en la puerta.",
    "Que sea enfermera y que ayude a nuestra comunidad.",
    "Mandara la tarea en español también, no solo en inglés.",
    "Me sentí escuchada, por primera vez en mucho tiempo.",
]


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    signed_webhook_settings(settings)


@pytest.fixture
def invitation(campaign, invite):
    """María García, invited by text: the conversation waits for 1 or 2."""
    request_question_translations(campaign, ["es"])
    invitation = invite(campaign, channel="sms")
    assert invitation.conversation == Invitation.Conversation.CHOOSING
    return invitation


def text(client, body: str, sid: str = "", sender: str = MARIA) -> str:
    """María texts `body`; returns what Tandem texted back (the TwiML reply's text)."""
    return text_in(client, body, sender, sid)


def spanish_questions(campaign) -> list[str]:
    return [text for _question, text in questions_in(campaign, "es")]


def test_a_family_answers_every_question_by_text_with_their_name(
    client, world, campaign, invitation
):
    questions = spanish_questions(campaign)
    assert questions[0] == "¿Qué le hace sentir bienvenido(a) en esta escuela?"

    replies = [text(client, "1")] + [text(client, answer) for answer in ANSWERS]

    assert "(1/4)" in replies[0] and questions[0] in replies[0]
    for number, reply in enumerate(replies[1:-1], start=2):
        assert f"({number}/4)" in reply and questions[number - 1] in reply
    assert "<Message>" in replies[-1] and "(" not in replies[-1]
    answer_set = AnswerSet.objects.get()
    assert answer_set.caregiver == world.caregiver and not answer_set.anonymous
    assert answer_set.channel == AnswerSet.Channel.SMS and answer_set.completed
    assert [a.text for a in Answer.objects.order_by("question__position")] == ANSWERS
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED
    assert invitation.conversation == Invitation.Conversation.DONE
    kept = InboundMessage.objects.order_by("id")
    assert {m.kind for m in kept} == {InboundMessage.Kind.CONVERSATION}
    assert [m.body for m in kept] == ["1", *ANSWERS]  # named: kept, out of the thread
    assert all(m.thread is None for m in kept)


def test_an_anonymous_family_leaves_no_words_in_messaging_and_no_name_on_the_answers(
    client, invitation
):
    text(client, "2")
    for answer in ANSWERS:
        text(client, answer)

    answer_set = AnswerSet.objects.get()
    assert answer_set.anonymous and answer_set.completed
    assert answer_set.caregiver is None and answer_set.invitation is None
    assert answer_set.resume_key is None
    assert Answer.objects.filter(anonymous=True).count() == 4
    stored = list(InboundMessage.objects.order_by("id").values_list("body", flat=True))
    assert stored == ["2", "", "", "", ""]
    assert not InboundMessage.objects.exclude(language="").exclude(body="2").exists()


def test_zero_skips_a_question(client, campaign, invitation):
    text(client, "1")
    reply = text(client, "0")
    for answer in ANSWERS[1:]:
        text(client, answer)

    assert "(2/4)" in reply
    assert Answer.objects.count() == 3
    assert not Answer.objects.filter(question__position=0).exists()
    assert AnswerSet.objects.get().completed


def test_an_ordinary_reply_while_choosing_goes_to_the_household_thread(client, world, invitation):
    reply = text(client, "hello")

    assert "<Message>" not in reply
    message = InboundMessage.objects.get()
    assert message.kind == InboundMessage.Kind.REPLY
    assert message.thread is not None and message.thread.household == world.household
    invitation.refresh_from_db()
    assert invitation.conversation == Invitation.Conversation.CHOOSING
    assert not AnswerSet.objects.exists()


def test_stop_still_withdraws_consent_in_the_middle_of_the_questions(client, invitation):
    text(client, "1")
    reply = text(client, "STOP")

    assert "<Message>" in reply
    assert not ContactPoint.objects.get(value=MARIA).consent
    assert InboundMessage.objects.order_by("id").last().kind == InboundMessage.Kind.STOP
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.next_position == 0


def test_an_answer_after_the_last_day_is_told_the_campaign_has_closed(client, campaign, invitation):
    text(client, "1")
    type(campaign).objects.filter(pk=campaign.pk).update(closes_on=days_from_now(-1))

    reply = text(client, ANSWERS[0])

    assert "Esta campaña de escucha ya está cerrada" in reply  # in Spanish
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.conversation == Invitation.Conversation.DONE


def test_after_the_campaign_is_closed_a_text_is_an_ordinary_reply(
    client, world, campaign, invitation
):
    text(client, "2")
    close_campaign(actor=world.coordinator, campaign=campaign)

    text(client, ANSWERS[0])

    assert not Answer.objects.exists()
    assert InboundMessage.objects.order_by("id").last().kind == InboundMessage.Kind.REPLY
    assert AnswerSet.objects.get().resume_key is None


def test_a_retried_webhook_adds_nothing(client, invitation):
    text(client, "1", sid="SM" + "1" * 32)
    text(client, "1", sid="SM" + "1" * 32)
    text(client, ANSWERS[0], sid="SM" + "2" * 32)
    retried = text(client, ANSWERS[0], sid="SM" + "2" * 32)

    assert "<Message>" not in retried
    assert InboundMessage.objects.count() == 2
    assert Answer.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.next_position == 1


def test_after_finishing_on_the_web_a_text_is_an_ordinary_reply_again(
    client, world, campaign, invitation
):
    text(client, "1")
    text(client, ANSWERS[0])
    finish_answer_set(answer_set=answer_set_for(invitation), invitation=invitation)

    reply = text(client, "Lucía está enferma hoy y no irá a la escuela.")

    assert "<Message>" not in reply
    message = InboundMessage.objects.order_by("id").last()
    assert message.kind == InboundMessage.Kind.REPLY
    assert message.thread.household == world.household


def test_a_family_that_chose_anonymity_on_the_web_is_not_told_otherwise_by_text(client, invitation):
    start_answer_set(invitation=invitation, anonymous=True, channel="web")

    reply = text(client, "1")

    assert "no llevarán su nombre" in reply
    assert AnswerSet.objects.get().anonymous


# The whole way: the invitation leaves through the messaging workers to the local SMS
# sms_gateway, and María's texts come back through it to a live server.


def test_invited_by_text_a_spanish_family_answers_through_the_gateway(
    live_server, live_world, sms_gateway
):
    world = live_world
    campaign = make_campaign(world, "elementary")
    invite_families(actor=world.coordinator, campaign=campaign)
    # Amina Hassan reads Somali, which Tandem does not ship: a reviewer approves it.
    for request in TranslationRequest.objects.filter(purpose="message", target_language="so"):
        approve_translation(actor=world.coordinator, request=request, text="[so] Dugsiga…")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker

    [invitation_text] = [m["body"] for m in sms_gateway.messages(to=MARIA)]
    invitation = Invitation.objects.get(caregiver=world.caregiver)
    link = f"{live_server.url}/l/{invitation_token(invitation.pk)}/"
    assert link in invitation_text

    # María's phone, over the gateway's HTTP control API: each text on its own connection,
    # so none is left open to the live server when the test ends.
    phone = GatewayControl(sms_gateway.url)
    for body in ["1", *ANSWERS]:
        assert phone.send_inbound(sender=MARIA, to="+13125550000", body=body).status == 200

    questions = spanish_questions(campaign)
    assert questions[0] == "¿Qué le hace sentir bienvenido(a) en esta escuela?"
    replies = [m["body"] for m in sms_gateway.messages(to=MARIA)][1:]
    assert len(replies) == 5
    for reply, question in zip(replies, questions, strict=False):
        assert question in reply
    answer_set = AnswerSet.objects.get(campaign=campaign)
    assert answer_set.completed and answer_set.caregiver == world.caregiver
    assert answer_set.answers.count() == 4
