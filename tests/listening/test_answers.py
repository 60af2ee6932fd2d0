"""Answers as the services keep them: screened (personal data masked and flagged, insults,
one-word answers and unexpected languages flagged, nothing deleted), saved idempotently,
anonymous sets holding nothing that leads back to a person, and a closed campaign
refusing new answers."""

import pytest
from django.core.exceptions import ValidationError

from tandem.listening.answers import (
    MAX_ANSWER_CHARS,
    ClosedCampaign,
    answer_set_for,
    finish_answer_set,
    save_answer,
    start_answer_set,
)
from tandem.listening.models import Answer, AnswerSet, Invitation, Question
from tandem.listening.screening import MASK, Flag, screen
from tandem.listening.services import close_campaign
from tests.web.listening_cases import invitation_for, make_campaign


@pytest.fixture
def invitation(campaign, invite):
    return invite(campaign)


@pytest.fixture
def named(invitation):
    return start_answer_set(invitation=invitation, anonymous=False, channel="web")


def first_question(campaign) -> Question:
    return campaign.protocol.questions.get(position=0)


def answered(answer_set, text: str, question=None) -> Answer:
    return save_answer(
        answer_set=answer_set, question=question or first_question(answer_set.campaign), text=text
    )


@pytest.mark.parametrize(
    "text",
    [
        "Call me at 312-555-0199 about the bus, please.",
        "Llámeme al (312) 555 0199 por favor sobre el autobús.",
        "My cell is +1 773 555 0123 if you want to talk more.",
    ],
)
def test_a_phone_number_is_masked_and_flagged(text):
    screened = screen(text, region="US")
    assert Flag.PHONE in screened.flags
    assert MASK in screened.masked_text
    assert "555" not in screened.masked_text
    assert screened.text == text  # the original is kept for the campaign's staff


def test_an_email_address_is_masked_and_flagged():
    screened = screen("Write to maria.garcia+school@example.com any time you like.")
    assert Flag.EMAIL in screened.flags
    assert screened.masked_text == f"Write to {MASK} any time you like."


def test_roster_names_are_masked_when_written_as_names_only(named):
    answer = answered(named, "Lucía García loves her teacher and we hope it stays so.")
    assert Flag.NAME in answer.flags
    assert answer.masked_text == f"{MASK} {MASK} loves her teacher and we hope it stays so."
    assert answer.text.startswith("Lucía García")


def test_a_name_of_another_schools_family_is_not_taken_for_a_roster_name(named):
    answer = answered(named, "Sam Smith from the other district said the bus is late.")
    assert Flag.NAME not in answer.flags


@pytest.mark.parametrize(
    "text", ["The principal is an idiot about the buses.", "Esa regla es una mierda, la verdad."]
)
def test_an_insult_is_flagged_not_removed(text):
    screened = screen(text)
    assert Flag.INSULT in screened.flags
    assert screened.masked_text == text


def test_a_one_word_answer_is_flagged_short_unless_the_question_asks_for_one_word(world, named):
    assert Flag.SHORT in answered(named, "Nothing").flags
    dialogue = make_campaign(world, "elementary", template="alaska-family-dialogue")
    one_word = dialogue.protocol.questions.get(kind=Question.Kind.ONE_WORD)
    answer_set = start_answer_set(
        invitation=invitation_for(world, dialogue), anonymous=True, channel="web"
    )
    assert Flag.SHORT not in answered(answer_set, "Unidos", question=one_word).flags


def test_an_answer_in_another_language_than_expected_is_flagged(named):
    assert named.language == "es"
    english = answered(named, "The teachers always greet us warmly at the front door.")
    assert Flag.OTHER_LANGUAGE in english.flags
    assert english.language == "en"
    spanish = answered(named, "Los maestros siempre nos saludan con cariño en la puerta.")
    assert Flag.OTHER_LANGUAGE not in spanish.flags


def test_saving_a_question_again_replaces_the_answer(named):
    answered(named, "Primera respuesta a la pregunta, con calma.")
    answered(named, "Segunda respuesta, pensándolo mejor.")
    [answer] = Answer.objects.all()
    assert answer.text == "Segunda respuesta, pensándolo mejor."


def test_an_empty_answer_removes_the_earlier_one(named):
    answered(named, "Una respuesta que después quito.")
    assert answered(named, "   ") is None
    assert not Answer.objects.exists()


def test_a_too_long_answer_is_refused_and_nothing_is_saved(named):
    with pytest.raises(ValidationError):
        answered(named, "a" * (MAX_ANSWER_CHARS + 1))
    assert not Answer.objects.exists()


def test_a_question_of_another_protocol_is_refused(world, named):
    other = make_campaign(world, "elementary", template="alaska-family-dialogue")
    with pytest.raises(ValidationError):
        answered(named, "Una respuesta.", question=first_question(other))


def test_a_named_set_belongs_to_the_caregiver(world, named, invitation):
    assert (named.caregiver, named.invitation, named.resume_key) == (
        world.caregiver,
        invitation,
        None,
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED


def test_starting_twice_returns_the_first_set_whatever_the_second_choice(named, invitation):
    again = start_answer_set(invitation=invitation, anonymous=True, channel="sms")
    assert again == named and not again.anonymous
    assert AnswerSet.objects.count() == 1


def test_an_anonymous_set_keeps_no_person_and_loses_its_key_when_finished(invitation):
    answer_set = start_answer_set(invitation=invitation, anonymous=True, channel="web")
    assert answer_set.caregiver is None and answer_set.invitation is None
    assert answer_set.resume_key
    assert answer_set_for(invitation) == answer_set
    answer = answered(answer_set, "Nos sentimos bienvenidos cuando nos saludan.")
    assert answer.anonymous

    finish_answer_set(answer_set=answer_set, invitation=invitation)

    answer_set.refresh_from_db()
    assert answer_set.completed and answer_set.resume_key is None
    assert answer_set_for(invitation) is None


def test_closing_the_campaign_erases_the_key_of_anonymous_sets_under_way(
    world, campaign, invitation
):
    answer_set = start_answer_set(invitation=invitation, anonymous=True, channel="web")
    close_campaign(actor=world.coordinator, campaign=campaign)
    answer_set.refresh_from_db()
    assert answer_set.resume_key is None
    assert answer_set_for(invitation) is None


def test_a_closed_campaign_refuses_new_sets_and_answers(world, campaign, invite, named):
    from tandem.directory.models import Caregiver

    amina = invite(campaign, caregiver=Caregiver.objects.get(household=world.neighbour_household))
    close_campaign(actor=world.coordinator, campaign=campaign)
    named.campaign.refresh_from_db()
    amina.campaign.refresh_from_db()
    with pytest.raises(ClosedCampaign):
        answered(named, "Demasiado tarde para esta respuesta.")
    with pytest.raises(ClosedCampaign):
        start_answer_set(invitation=amina, anonymous=True, channel="web")
    assert not Answer.objects.exists()
    assert AnswerSet.objects.count() == 1


def test_finishing_without_any_answer_is_refused(named, invitation):
    with pytest.raises(ValidationError):
        finish_answer_set(answer_set=named, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED


def test_a_finished_set_takes_no_more_answers(named, invitation):
    answered(named, "Una respuesta completa y pensada.")
    finish_answer_set(answer_set=named, invitation=invitation)
    with pytest.raises(ValidationError):
        answered(named, "Otra cosa.")
    with pytest.raises(ValidationError):
        start_answer_set(invitation=invitation, anonymous=False, channel="web")
