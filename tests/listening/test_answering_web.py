"""A family answers on the web with its personal link, no account: named or anonymous,
one question per page, resumable, a last look, thanks; and every bad way in (a link that
is not ours, a closed campaign, a link used again, an answer too long) gets a clear page
and changes nothing."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.listening.answers import MAX_ANSWER_CHARS
from tandem.listening.models import Answer, AnswerSet, Invitation
from tandem.listening.questions import questions_in
from tandem.listening.services import close_campaign, request_question_translations
from tandem.listening.tokens import invitation_token

ANSWERS = [
    "The teachers greet us by name every morning.",
    "I want her to become a nurse and help our community.",
    "Send homework home in Spanish as well as English.",
    "It felt good to be asked what we think.",
]


@pytest.fixture
def invitation(campaign, invite):
    return invite(campaign)


@pytest.fixture
def token(invitation):
    return invitation_token(invitation.pk)


def start_url(token: str) -> str:
    return reverse("listen:start", args=[token])


def question_url(token: str, number: int) -> str:
    return reverse("listen:question", args=[token, number])


def answer_all(client, token: str, choice: str, answers=ANSWERS):
    """Choose, answer each question in turn with Next, then send; returns the last response."""
    response = client.post(start_url(token), {"choice": choice})
    assert response.status_code == 302
    assert response["Location"] == question_url(token, 1)
    for number, text in enumerate(answers, start=1):
        response = client.post(question_url(token, number), {"text": text, "go": "next"})
        assert response.status_code == 302
    assert response["Location"] == reverse("listen:review", args=[token])
    return client.post(response["Location"], follow=True)


def test_the_link_opens_a_welcome_page_that_offers_name_or_anonymity(client, token, campaign):
    response = client.get(start_url(token))
    assert response.status_code == 200
    page = response.text
    assert "Oak Elementary" in page
    assert 'name="choice" value="named"' in page
    assert 'name="choice" value="anonymous"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'content="noindex, nofollow"' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_family_answers_with_their_name_and_the_school_knows_it_is_theirs(
    client, world, token, invitation
):
    response = answer_all(client, token, "named")

    assert response.redirect_chain[-1][0] == reverse("listen:thanks", args=[token])
    assert "¡Gracias!" in response.text  # María reads Spanish
    answer_set = AnswerSet.objects.get()
    assert (answer_set.caregiver, answer_set.invitation) == (world.caregiver, invitation)
    assert answer_set.completed and not answer_set.anonymous
    assert answer_set.channel == AnswerSet.Channel.WEB
    assert [a.text for a in Answer.objects.order_by("question__position")] == ANSWERS
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED


def test_an_anonymous_family_leaves_nothing_that_leads_back_to_them(client, token, invitation):
    answer_all(client, token, "anonymous")

    answer_set = AnswerSet.objects.get()
    assert answer_set.anonymous and answer_set.completed
    assert answer_set.caregiver is None and answer_set.invitation is None
    assert answer_set.resume_key is None
    assert Answer.objects.filter(anonymous=True).count() == len(ANSWERS)
    audited = json.dumps(list(AuditEvent.objects.values("action", "detail")))
    assert not any(text[:20] in audited for text in ANSWERS)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED  # how far, never what


@pytest.mark.parametrize("choice", ["named", "anonymous"])
def test_reopening_the_link_goes_to_the_first_unanswered_question_with_answers_kept(
    client, token, choice
):
    client.post(start_url(token), {"choice": choice})
    client.post(question_url(token, 1), {"text": ANSWERS[0], "go": "next"})

    reopened = Client().get(start_url(token))  # later, on another phone

    assert reopened.status_code == 302
    assert reopened["Location"] == question_url(token, 2)
    first = client.get(question_url(token, 1))
    assert ANSWERS[0] in first.text
    assert client.get(reverse("listen:review", args=[token])).text.count(ANSWERS[0]) == 1


def test_back_keeps_the_answer_and_returns_to_the_question_before(client, token):
    client.post(start_url(token), {"choice": "named"})
    client.post(question_url(token, 1), {"text": ANSWERS[0], "go": "next"})

    response = client.post(question_url(token, 2), {"text": ANSWERS[1], "go": "back"})

    assert response["Location"] == question_url(token, 1)
    assert Answer.objects.count() == 2


def test_an_empty_answer_skips_the_question_and_removes_an_earlier_one(client, token):
    client.post(start_url(token), {"choice": "named"})
    client.post(question_url(token, 1), {"text": ANSWERS[0], "go": "next"})

    response = client.post(question_url(token, 1), {"text": "   ", "go": "next"})

    assert response["Location"] == question_url(token, 2)
    assert not Answer.objects.exists()


def test_a_reused_link_after_finishing_says_they_have_already_answered(client, token):
    answer_all(client, token, "named")

    for response in [
        client.get(start_url(token)),
        client.post(question_url(token, 1), {"text": "Something else", "go": "next"}),
        client.post(reverse("listen:review", args=[token])),
    ]:
        assert response.status_code == 200
        assert "Usted ya respondió. ¡Gracias!" in response.text
    assert Answer.objects.filter(text="Something else").count() == 0


@pytest.mark.parametrize(
    "bad_token",
    ["garbage", "12-AAAAAAAAAAAAAAAA", "-", invitation_token(999_999)],
)
def test_a_link_that_is_not_ours_gets_a_friendly_not_found_page(client, world, bad_token):
    response = client.get(start_url(bad_token))
    assert response.status_code == 404
    assert "This link is not valid" in response.text


def test_a_token_for_one_invitation_does_not_open_another(client, token, invitation):
    number, _sep, mac = token.partition("-")
    forged = f"{int(number) + 1}-{mac}"
    assert client.get(start_url(forged)).status_code == 404


def test_a_closed_campaign_says_so_and_takes_no_more_answers(client, world, token, campaign):
    client.post(start_url(token), {"choice": "anonymous"})
    close_campaign(actor=world.coordinator, campaign=campaign)

    opened = client.get(start_url(token))
    posted = client.post(question_url(token, 1), {"text": ANSWERS[0], "go": "next"})

    assert opened.status_code == posted.status_code == 410
    assert "Esta campaña de escucha ya está cerrada" in opened.text
    assert not Answer.objects.exists()
    assert AnswerSet.objects.get().resume_key is None


def test_a_campaign_past_its_last_day_is_closed(client, token, campaign):
    from tests.web.listening_cases import days_from_now

    type(campaign).objects.filter(pk=campaign.pk).update(closes_on=days_from_now(-1))
    response = client.get(start_url(token))
    assert response.status_code == 410
    assert "Esta campaña de escucha ya está cerrada" in response.text


def test_a_too_long_answer_shows_the_form_again_with_the_error_and_saves_nothing(client, token):
    client.post(start_url(token), {"choice": "named"})
    too_long = "a" * (MAX_ANSWER_CHARS + 1)

    response = client.post(question_url(token, 1), {"text": too_long, "go": "next"})

    assert response.status_code == 400
    assert f"el máximo es {MAX_ANSWER_CHARS}" in response.text
    assert 'aria-invalid="true"' in response.text
    assert too_long in response.text  # nothing they wrote is lost
    assert not Answer.objects.exists()


def test_sending_with_every_question_skipped_is_refused(client, token, invitation):
    answer_all(client, token, "named", answers=["", "", "", ""])
    response = client.post(reverse("listen:review", args=[token]))
    assert response.status_code == 400
    assert "Responda al menos una pregunta antes de terminar." in response.text
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED


def test_starting_without_a_choice_asks_for_one(client, token):
    response = client.post(start_url(token), {})
    assert response.status_code == 400
    assert "Elija cómo responder" in response.text
    assert not AnswerSet.objects.exists()


def test_questions_before_the_choice_send_the_family_to_the_welcome_page(client, token):
    response = client.get(question_url(token, 2))
    assert response["Location"] == start_url(token)


def test_a_question_number_past_the_last_is_not_found(client, token):
    client.post(start_url(token), {"choice": "named"})
    assert client.get(question_url(token, 5)).status_code == 404


def test_a_form_posted_without_its_csrf_token_is_refused(token):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(start_url(token), {"choice": "named"}).status_code == 403
    assert not AnswerSet.objects.exists()


def test_a_spanish_family_reads_the_page_and_the_questions_in_spanish(client, campaign, token):
    request_question_translations(campaign, ["es"])
    spanish = [text for _question, text in questions_in(campaign, "es")]
    assert spanish[0] == "¿Qué le hace sentir bienvenido(a) en esta escuela?"

    welcome = client.get(start_url(token))
    client.post(start_url(token), {"choice": "named"})
    first = client.get(question_url(token, 1))

    assert '<html lang="es"' in welcome.text
    for text in spanish:
        assert f'<li lang="es" dir="ltr">{text}</li>' in welcome.text.replace("&#x27;", "'")
    assert 'lang="es" dir="ltr">¿Qué le hace sentir bienvenido(a) en esta escuela?</label>' in (
        first.text
    )


def test_a_vietnamese_family_reads_the_questions_in_vietnamese_on_an_english_page(
    client, world, campaign, invite
):
    from tandem.directory.models import Caregiver

    thi = Caregiver.objects.get(household=world.middle_household)
    invitation = invite(campaign, caregiver=thi)
    request_question_translations(campaign, ["vi"])
    [(_question, vietnamese), *_rest] = questions_in(campaign, "vi")

    page = client.get(start_url(invitation_token(invitation.pk))).text

    assert '<html lang="en"' in page
    assert f'<li lang="vi" dir="ltr">{vietnamese}</li>' in page


def test_the_family_can_choose_another_page_language(client, token, campaign):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert '<html lang="ar" dir="rtl"' in client.get(start_url(token)).text


def test_the_last_look_costs_the_same_queries_however_many_answers(client, token, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request_question_translations(campaign, ["es"])
    client.post(start_url(token), {"choice": "named"})
    counts = []
    for number, text in enumerate(ANSWERS, start=1):
        client.post(question_url(token, number), {"text": text, "go": "next"})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("listen:review", args=[token])).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1
    assert counts[0] <= 7


def test_a_link_to_an_exchange_opens_the_exchange(client, exchange_campaign, invite):
    token = invitation_token(invite(exchange_campaign).pk)
    response = client.get(start_url(token))
    assert response["Location"] == reverse("listen:exchange", args=[token])
