"""A family answers an invitation by text, through Twilio's signed webhook: 1 (coming) or
2 (not), then what they need (only what the session offers), then the children's ages,
and a thank-you with the day and the place, all in their language. A reply that is
neither 1 nor 2, a late answer, a cancelled session and STOP each do the right thing.
The last test runs the whole way through the local SMS gateway and a live server."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from tandem.directory.models import ContactPoint
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.models import InboundMessage
from tandem.programs import rsvp_by_text
from tandem.programs.invitations import (
    closed_message,
    invitation_token,
    invite_to_session,
    record_rsvp,
    when_text,
    where_text,
)
from tandem.programs.models import Invitation, TextConversation
from tandem.programs.services import cancel_session, local
from tandem.smsgateway.server import GatewayControl
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.gateway import signed_webhook_settings, text_in
from tests.web.programs_cases import invitation_to, make_session

MARIA = "+13125550101"


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    signed_webhook_settings(settings)


@pytest.fixture
def invitation(session, invite):
    """María García (she reads Spanish), invited by text: the conversation waits for 1 or 2."""
    invitation = invite(session, channel="sms")
    assert _conversation(invitation).step == TextConversation.Step.ASKED
    return invitation


def text(client, body: str, sender: str = MARIA) -> str:
    """María texts `body`; returns what Tandem texted back (the TwiML reply)."""
    return text_in(client, body, sender)


def in_spanish(make):
    with translation.override("es"):
        return make()


def spanish_day(session) -> str:
    """The session's day as Spanish dates read ("14 de noviembre de 2026"): Django's own
    Spanish formats, so this holds whatever Tandem's catalog says."""
    with translation.override("es"):
        day = formats.date_format(local(session), "DATE_FORMAT")
    assert " de " in day
    return day


def _conversation(invitation) -> TextConversation:
    return TextConversation.objects.filter(invitation=invitation).latest("opened_at")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_yes_with_childcare_for_two_children_by_text(client, world, session, invitation):
    needs = in_spanish(lambda: rsvp_by_text.offered_needs(session, "es"))
    assert [need.key for need in needs] == ["childcare", "bus_voucher"]  # what it offers

    asked_needs = text(client, "1")
    asked_ages = text(client, "1")
    thanked = text(client, "3 6")

    assert _escaped(in_spanish(lambda: rsvp_by_text.needs_question(needs))) in asked_needs
    assert _escaped(in_spanish(rsvp_by_text.children_question)) in asked_ages
    assert _escaped(in_spanish(lambda: rsvp_by_text.thanks(session))) in thanked
    assert spanish_day(session) in thanked and "Library" in thanked
    invitation.refresh_from_db()
    assert invitation.response == "yes" and invitation.channel == "sms"
    assert invitation.childcare_ages == [3, 6]
    assert not invitation.needs_bus_voucher
    assert _conversation(invitation).closed_at is not None
    kept = InboundMessage.objects.order_by("id")
    assert [m.body for m in kept] == ["1", "1", "3 6"]
    assert {m.kind for m in kept} == {InboundMessage.Kind.CONVERSATION}
    assert all(m.thread is None for m in kept)


def test_a_yes_with_a_bus_voucher_and_no_childcare_ends_at_once(client, session, invitation):
    text(client, "1.")
    thanked = text(client, "2")

    assert "<Message>" in thanked and spanish_day(session) in thanked
    invitation.refresh_from_db()
    assert invitation.response == "yes"
    assert invitation.needs_bus_voucher and invitation.childcare_ages == []


def test_zero_needs_nothing(client, session, invitation):
    text(client, " 1 ")
    text(client, "0")

    invitation.refresh_from_db()
    assert invitation.response == "yes" and not invitation.needs_bus_voucher
    assert _conversation(invitation).closed_at is not None


def test_a_no_by_text_is_thanked_and_closes_the_question(client, invitation):
    reply = text(client, "2")

    assert (
        _escaped(
            in_spanish(
                lambda: gettext("Thank you for letting us know. We hope to see you another time.")
            )
        )
        in reply
    )
    invitation.refresh_from_db()
    assert invitation.response == "no" and invitation.channel == "sms"
    assert _conversation(invitation).closed_at is not None


def test_a_reply_that_is_neither_1_nor_2_gets_help_in_their_language_and_reaches_staff(
    client, world, invitation
):
    reply = text(client, "¿Hay estacionamiento?")

    help_text = in_spanish(
        lambda: gettext("To answer, reply 1 if you will come or 2 if you cannot.")
    )
    assert f"<Message>{_escaped(help_text)}</Message>" in reply
    message = InboundMessage.objects.get()
    assert message.kind == InboundMessage.Kind.REPLY  # staff read it in the thread
    assert message.thread is not None and message.thread.household == world.household
    invitation.refresh_from_db()
    assert invitation.response == "pending"
    assert _conversation(invitation).step == TextConversation.Step.ASKED


@pytest.mark.parametrize(
    ("body", "meaning"),
    [
        ("1", "1"),
        ("1.", "1"),
        (" #1 ", "1"),
        ("(2)", "2"),
        ("2!", "2"),
        ("yes", "1"),
        ("No", "2"),
        ("12", None),
        ("1 2", None),
        ("I have 2 kids", None),
        ("", None),
        ("maybe", None),
    ],
)
def test_what_counts_as_1_or_2(body, meaning):
    assert rsvp_by_text.choice(body) == meaning


def test_a_needs_reply_that_is_not_numbers_is_asked_again(client, world, session, invitation):
    text(client, "1")
    words = text(client, "necesito guardería")
    too_high = text(client, "7")

    question = in_spanish(
        lambda: rsvp_by_text.needs_question(rsvp_by_text.offered_needs(session, "es"))
    )
    for reply in (words, too_high):
        assert _escaped(question) in reply
    assert _conversation(invitation).step == TextConversation.Step.NEEDS
    # Words staff should read reach the thread.
    assert InboundMessage.objects.filter(kind=InboundMessage.Kind.REPLY).count() == 2


def test_ages_out_of_range_are_named_and_asked_again(client, invitation):
    text(client, "1")
    text(client, "1")
    reply = text(client, "3 25")

    assert "17" in reply  # childcare is for children from 0 to 17
    assert _escaped(in_spanish(rsvp_by_text.children_question)) in reply
    assert _conversation(invitation).step == TextConversation.Step.CHILDREN
    invitation.refresh_from_db()
    assert invitation.childcare_ages == []

    text(client, "3 6")
    invitation.refresh_from_db()
    assert invitation.childcare_ages == [3, 6]


def test_a_yes_to_a_full_session_is_told_it_is_on_the_wait_list(
    client, world, session, invitation, invite
):
    session.capacity = 1
    session.save()
    household = create_household(organization=world.district, name="Ortiz")
    add_student(household=household, school=world.elementary, given_name="Ana", grade="02")
    other = add_caregiver(household=household, given_name="Rosa", preferred_language="es")
    record_rsvp(invitation=invite(session, other), coming=True, channel="web")

    reply = text(client, "1")

    assert "<Message>" in reply
    invitation.refresh_from_db()
    assert invitation.response == "waitlisted"
    assert _conversation(invitation).closed_at is not None


def test_an_answer_after_the_deadline_is_told_the_time_has_passed(client, session, invitation):
    session.rsvp_deadline = timezone.now() - timedelta(minutes=1)
    session.save()

    reply = text(client, "1")

    assert _escaped(in_spanish(lambda: closed_message(session))) in reply
    invitation.refresh_from_db()
    assert invitation.response == "pending"
    assert _conversation(invitation).closed_at is not None
    # Staff see that the family wanted to come.
    assert InboundMessage.objects.get().kind == InboundMessage.Kind.REPLY
    # The question is closed: the next text is an ordinary reply, with no answer back.
    assert "<Message>" not in text(client, "1")


def test_an_answer_to_a_cancelled_session_is_told_it_was_cancelled(
    client, world, session, invitation
):
    cancel_session(actor=world.coordinator, session=session)

    reply = text(client, "1")

    assert _escaped(in_spanish(lambda: closed_message(session))) in reply
    invitation.refresh_from_db()
    assert invitation.response == "pending"


def test_stop_still_withdraws_consent_in_the_middle_of_the_questions(client, invitation):
    text(client, "1")
    reply = text(client, "STOP")

    assert "<Message>" in reply
    assert not ContactPoint.objects.get(value=MARIA).consent
    assert InboundMessage.objects.order_by("id").last().kind == InboundMessage.Kind.STOP
    assert _conversation(invitation).step == TextConversation.Step.NEEDS


def test_interpretation_is_offered_into_the_caregivers_language_only_when_the_session_has_it(
    world, session
):
    amina = world.neighbour_household.caregivers.get()
    offered = rsvp_by_text.offered_needs(session, amina.preferred_language)

    assert [need.key for need in offered] == ["childcare", "bus_voucher", "interpretation"]
    assert "Soomaali" in offered[-1].label  # the language's own name
    assert [n.key for n in rsvp_by_text.offered_needs(session, "vi")] == [
        "childcare",
        "bus_voucher",
    ]


def test_somali_interpretation_chosen_by_text_is_recorded(client, world, session):
    amina = world.neighbour_household.caregivers.get()
    invitation = invitation_to(world, session, amina, "sms")

    text(client, "1", sender="+13125550103")
    text(client, "3", sender="+13125550103")

    invitation.refresh_from_db()
    assert invitation.response == "yes" and invitation.interpretation == "so"


# The whole way: the invitation leaves through the messaging workers to the local SMS
# sms_gateway, and María's texts come back through it to a live server.


def test_invited_by_text_a_spanish_family_answers_with_childcare_through_the_gateway(
    live_server, live_world, sms_gateway
):
    world = live_world
    session = make_session(world, "elementary")
    invite_to_session(
        actor=world.coordinator, session=session, audience="school", school=world.elementary
    )
    # Somali is not in Tandem's catalog: a reviewer approves it (and Spanish, if the
    # catalog did not have it).
    for request in TranslationRequest.objects.filter(purpose="message").exclude(
        status=TranslationRequest.Status.APPROVED
    ):
        approve_translation(
            actor=world.coordinator, request=request, text=f"[{request.target_language}] Taller"
        )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    [invitation_text] = [m["body"] for m in sms_gateway.messages(to=MARIA)]
    invitation = Invitation.objects.get(caregiver=world.caregiver)
    assert f"{live_server.url}/p/{invitation_token(invitation.pk)}/" in invitation_text

    phone = GatewayControl(sms_gateway.url)
    for body in ["1", "1", "3 6"]:
        assert phone.send_inbound(sender=MARIA, to="+13125550000", body=body).status == 200

    replies = [m["body"] for m in sms_gateway.messages(to=MARIA)][1:]
    assert len(replies) == 3
    assert spanish_day(session) in replies[-1]
    with translation.override("es"):
        assert when_text(session) in replies[-1] and where_text(session) in replies[-1]
    invitation.refresh_from_db()
    assert invitation.response == "yes" and invitation.childcare_ages == [3, 6]
    assert invitation.channel == "sms"


@pytest.mark.parametrize("reply", ["sí", "Si", "SÍ.", "1", " #1 "])
def test_a_spanish_yes_is_understood_with_or_without_its_accent(reply):
    from tandem.programs.rsvp_by_text import YES, choice

    with translation.override("es"):
        assert choice(reply) == YES
        assert choice("tengo 2 hijos") is None
