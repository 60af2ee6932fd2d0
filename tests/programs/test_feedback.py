"""Feedback after a session: three questions and a comment on the family's personal
link, in their language, kept without who gave it; once per attendance; results per
session and per program, hidden for groups under the minimum size."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

# Imported first: loading the matrix loads every matrix_* module, whose helpers these are.
import tests.web.test_permission_matrix  # noqa: F401
from tandem.audit.models import AuditEvent
from tandem.messaging.models import Delivery, Message
from tandem.messaging.personal_links import links_for
from tandem.messaging.reach import COMPLEMENT, SMALL
from tandem.programs.attendance import add_guest
from tandem.programs.feedback import (
    AlreadyGiven,
    give_feedback,
    program_results,
    request_feedback,
    session_results,
)
from tandem.programs.models import Attendance, FeedbackResponse
from tests.web.matrix_programs_assignments import came, past_session, token_for
from tests.web.programs_cases import invitation_to, make_program

PUBLIC = "https://tandem.example.org"
YES, SOMEWHAT, NO = 3, 2, 1
COMMENT = "La guardería fue una gran ayuda; pude concentrarme en el taller."


@pytest.fixture(autouse=True)
def feedback_settings(settings):
    settings.TANDEM_PUBLIC_URL = PUBLIC
    settings.TANDEM_MIN_GROUP_SIZE = 5


@pytest.fixture
def session(world):
    return past_session(world)


@pytest.fixture
def url(world, session):
    came(world, session)
    return reverse("join:feedback", args=[token_for(session, world.caregiver)])


def in_spanish(msgid: str) -> str:
    with translation.override("es"):
        return translation.gettext(msgid)


def answers(world, session, count: int, language: str = "es", given=(YES, YES, YES), comment=""):
    """`count` guests at the session who each give the same feedback."""
    for number in range(count):
        attendance = add_guest(
            actor=world.coordinator, session=session, name=f"Guest {number}", language=language
        )
        give_feedback(
            attendance=attendance,
            felt_welcome=given[0],
            learned_something=given[1],
            would_come_again=given[2],
            comment=comment,
        )


# Answering.


def test_the_questions_are_in_spanish_and_the_answer_keeps_no_one(client, world, session, url):
    page = client.get(url).content.decode()
    assert '<html lang="es"' in page
    assert "Sí" in page and "Enviar mis respuestas" in page  # Spanish from Tandem's catalog
    assert in_spanish("I felt welcome") in page

    response = client.post(
        url,
        {
            "felt_welcome": YES,
            "learned_something": SOMEWHAT,
            "would_come_again": YES,
            "comment": COMMENT,
        },
    )

    assert response.status_code == 200
    assert "¡Gracias!" in response.content.decode()
    feedback = FeedbackResponse.objects.get()
    assert (feedback.felt_welcome, feedback.learned_something, feedback.would_come_again) == (
        YES,
        SOMEWHAT,
        YES,
    )
    assert (feedback.session, feedback.role, feedback.language) == (session, "family", "es")
    assert feedback.comment == COMMENT and feedback.given_on == timezone.localdate()
    # Nothing on the response, or about it in the audit log, leads back to María.
    stored = {f.name for f in FeedbackResponse._meta.concrete_fields}
    assert stored == {
        "id",
        "session",
        "role",
        "language",
        "felt_welcome",
        "learned_something",
        "would_come_again",
        "comment",
        "given_on",
    }
    assert not AuditEvent.objects.filter(object_type="programs.feedbackresponse").exists()
    assert Attendance.objects.get(caregiver=world.caregiver).feedback_given


def test_a_second_submission_is_thanked_and_changes_nothing(client, world, url):
    client.post(url, {"felt_welcome": YES, "comment": COMMENT})

    again = client.post(url, {"felt_welcome": NO, "comment": "Otra cosa."})

    assert again.status_code == 200
    assert in_spanish("You already gave feedback, thank you") in again.content.decode()
    feedback = FeedbackResponse.objects.get()
    assert feedback.felt_welcome == YES and feedback.comment == COMMENT
    attendance = Attendance.objects.get(caregiver=world.caregiver)
    with pytest.raises(AlreadyGiven):
        give_feedback(attendance=attendance, felt_welcome=NO)
    assert FeedbackResponse.objects.count() == 1


def test_someone_who_did_not_come_is_refused_politely(client, world, session):
    amina = world.neighbour_household.caregivers.get()
    invitation_to(world, session, amina)
    url = reverse("join:feedback", args=[token_for(session, amina)])

    response = client.post(url, {"felt_welcome": YES})

    assert response.status_code == 403
    assert "no record that you were there" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_an_empty_submission_says_what_is_missing(client, url):
    response = client.post(url, {})

    assert response.status_code == 400
    assert in_spanish("Answer at least one question, or write a comment.") in (
        response.content.decode()
    )
    assert not FeedbackResponse.objects.exists()


def test_an_answer_off_the_scale_is_refused(world, session):
    attendance = came(world, session)

    with pytest.raises(ValidationError) as refused:
        give_feedback(attendance=attendance, felt_welcome=7)

    assert "felt_welcome" in refused.value.message_dict
    attendance.refresh_from_db()
    assert not attendance.feedback_given


# Asking.


def test_those_who_came_are_asked_with_a_link_of_their_own(world, session):
    came(world, session)

    message = request_feedback(actor=world.coordinator, session=session)

    assert message.audience == Message.Audience.LIST
    assert list(message.saved_list.households.all()) == [world.household]
    assert "Reading report cards" in message.body
    links = links_for(message, [(world.caregiver.pk, Delivery.Channel.SMS)])
    assert links == {
        world.caregiver.pk: f"{PUBLIC}/p/{token_for(session, world.caregiver)}/feedback/"
    }


def test_asking_before_the_session_or_when_everyone_answered_is_refused(world, session):
    upcoming = past_session(world, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        request_feedback(actor=world.coordinator, session=upcoming)
    assert "once the session has taken place" in refused.value.messages[0]

    give_feedback(attendance=came(world, session), felt_welcome=YES)
    with pytest.raises(ValidationError) as refused:
        request_feedback(actor=world.coordinator, session=session)
    assert "Everyone who came has given feedback already" in refused.value.messages[0]
    assert not Message.objects.exists()


def test_staff_ask_from_the_session_page(client, world, session):
    came(world, session)
    client.force_login(world.coordinator)

    response = client.post(reverse("programs:session-feedback", args=[session.pk]))

    assert response.status_code == 302
    assert Message.objects.get().personal_link == f"programs-feedback:{session.pk}"


# Results.


def test_fewer_answers_than_the_minimum_show_neither_numbers_nor_comments(client, world, session):
    answers(world, session, 4, comment=COMMENT)
    client.force_login(world.coordinator)

    page = client.get(reverse("programs:session-feedback", args=[session.pk])).content.decode()

    assert "Too few answers to show (fewer than 5)" in page
    assert COMMENT not in page and "100%" not in page
    results = session_results(session)
    assert results.overall.hidden == SMALL and results.overall.comments == []


def test_at_the_minimum_the_shares_and_comments_show(client, world, session):
    answers(world, session, 4, given=(YES, YES, SOMEWHAT), comment=COMMENT)
    answers(world, session, 1, given=(NO, YES, None))
    client.force_login(world.coordinator)

    page = client.get(reverse("programs:session-feedback", args=[session.pk])).content.decode()

    assert "Too few answers" not in page and COMMENT in page
    [welcome, learned, again] = session_results(session).overall.questions
    assert (welcome.yes, welcome.somewhat, welcome.no) == (80, 0, 20)
    assert learned.yes == 100
    assert (again.answered, again.somewhat) == (4, 100)


def test_a_small_language_group_is_hidden_and_so_is_the_one_that_would_give_it_away(world, session):
    answers(world, session, 7, language="es")
    answers(world, session, 2, language="so")

    results = session_results(session)

    assert results.overall.responses.value == 9 and not results.overall.hidden
    hidden = {group.language: group.hidden for group in results.by_language}
    assert hidden == {"so": SMALL, "es": COMPLEMENT}


def test_program_results_gather_every_session_and_hide_what_would_give_a_small_one_away(
    client, world
):
    program = make_program(world)
    first, second, third = (
        past_session(world, program=program, starts_at=timezone.now() - timedelta(days=days))
        for days in (21, 14, 7)
    )
    answers(world, first, 6, given=(YES, YES, YES), comment="Muy útil.")
    answers(world, second, 6, given=(NO, SOMEWHAT, YES))
    answers(world, third, 2, given=(YES, YES, YES), comment="Pocas personas.")

    results = program_results(program)

    assert results.overall.responses.value == 14
    welcome = results.overall.questions[0]
    assert (welcome.counts[YES], welcome.counts[NO]) == (8, 6)
    # The third session is too small; the first is hidden too, or the program's total
    # less the two others would give the third away.
    assert [g.hidden for g in results.by_session] == [COMPLEMENT, "", SMALL]
    assert sorted(results.overall.comments) == ["Muy útil."] * 6 + ["Pocas personas."] * 2
    # The session's own page hides what the program's page hides.
    for group in results.by_session:
        assert session_results(group.session).overall.hidden == group.hidden
    client.force_login(world.coordinator)
    page = client.get(reverse("programs:program-feedback", args=[program.pk])).content.decode()
    assert "Muy útil." in page and "Too few answers to show (fewer than 5)" in page


def test_the_program_page_reads_in_a_fixed_number_of_queries(client, world):
    program = make_program(world)
    client.force_login(world.coordinator)
    url = reverse("programs:program-feedback", args=[program.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    answers(world, past_session(world, program=program), 5, comment="Bien.")
    few = queries()
    for days in (2, 3, 4):
        when = timezone.now() - timedelta(days=days)
        answers(world, past_session(world, program=program, starts_at=when), 6, language="so")

    assert queries() == few
