"""Assignments: given at a session, sent to those who came with a link of their own,
reported back by text (through Twilio's signed webhook) or on the web page in the
family's language, recorded by staff for an educator; facilitators see completion and
the stories shared."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from twilio.request_validator import RequestValidator

# Imported first: loading the matrix loads every matrix_* module, whose helpers these are.
import tests.web.test_permission_matrix  # noqa: F401
from tandem.directory.models import StaffMember
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.models import Delivery, InboundMessage, Message
from tandem.messaging.personal_links import links_for
from tandem.programs.assignments import (
    give_assignment,
    progress,
    report_assignment,
    send_assignment,
)
from tandem.programs.attendance import check_in_staff
from tandem.programs.models import AssignmentReport, TextConversation
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.web.matrix_programs_assignments import came, past_session, token_for

TOKEN = "webhook-token"
PUBLIC = "https://tandem.example.org"
MARIA = "+13125550101"
COUNSELOR = "Meet your child's counselor and ask one question about this year."
SPANISH = (
    "Su tarea de “Reading report cards”:\n\n"
    "Conozca al consejero de su hijo y hágale una pregunta sobre este año.\n\n"
    "Responda por mensaje de texto con lo que pasó, o use su enlace:"
)
STORY = "Fui a ver a la consejera el martes. Me explicó las clases de Lucía y me dio su número."
_sids = (f"SM{n:032x}" for n in itertools.count(1))


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TANDEM_TWILIO_AUTH_TOKEN = TOKEN
    settings.TANDEM_PUBLIC_URL = PUBLIC


@pytest.fixture
def session(world):
    return past_session(world)


@pytest.fixture
def assignment(world, session):
    came(world, session)
    return give_assignment(actor=world.coordinator, session=session, text=COUNSELOR, language="en")


def family(world, name, language="es", phone=None):
    household = create_household(organization=world.district, name=name)
    add_student(household=household, school=world.elementary, given_name="Kid", grade="02")
    return add_caregiver(
        household=household, given_name=name, preferred_language=language, phone=phone
    )


def sent_in_spanish(world, assignment, capture) -> Message:
    """The assignment sent, its Spanish version approved by a reviewer (the message is
    released when that commits: `capture` is django_capture_on_commit_callbacks)."""
    message = send_assignment(actor=world.coordinator, assignment=assignment)
    request = TranslationRequest.objects.get(object_id=str(message.pk), target_language="es")
    with capture(execute=True):
        approve_translation(actor=world.coordinator, request=request, text=SPANISH)
    message.refresh_from_db()
    return message


def text(client, body: str, sender: str = MARIA) -> str:
    """María texts `body`; returns what Tandem texted back (the TwiML reply)."""
    path = reverse("sms:inbound")
    params = {"MessageSid": next(_sids), "From": sender, "To": "+13125550000", "Body": body}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, params)
    response = client.post(path, params, headers={"x-twilio-signature": signature})
    assert response.status_code == 200
    return response.text


def in_spanish(msgid: str) -> str:
    with translation.override("es"):
        return translation.gettext(msgid)


# Giving and sending.


def test_an_assignment_goes_to_the_households_of_those_who_came(world, assignment):
    message = send_assignment(actor=world.coordinator, assignment=assignment)

    assert message.audience == Message.Audience.LIST
    assert list(message.saved_list.households.all()) == [world.household]
    assert message.personal_link == f"programs-assignment:{assignment.pk}"
    assert COUNSELOR in message.body
    assert message.body.endswith("Reply by text with what happened, or use your link:")
    assignment.refresh_from_db()
    assert assignment.message == message


def test_each_recipient_gets_their_own_link_and_by_text_the_question_what_happened(
    world, session, assignment
):
    message = send_assignment(actor=world.coordinator, assignment=assignment)

    links = links_for(message, [(world.caregiver.pk, Delivery.Channel.SMS)])

    token = token_for(session, world.caregiver)
    assert links == {world.caregiver.pk: f"{PUBLIC}/p/{token}/assignment/{assignment.pk}/"}
    conversation = TextConversation.objects.get(caregiver=world.caregiver)
    assert conversation.kind == TextConversation.Kind.ASSIGNMENT
    assert conversation.step == TextConversation.Step.STORY
    assert conversation.assignment == assignment and conversation.closed_at is None


def test_a_household_member_who_did_not_come_reports_for_the_one_who_did(
    client, world, session, assignment
):
    father = add_caregiver(
        household=world.household, given_name="José", preferred_language="es", phone="+13125550199"
    )
    message = send_assignment(actor=world.coordinator, assignment=assignment)

    links = links_for(message, [(father.pk, Delivery.Channel.SMS)])

    token = token_for(session, world.caregiver)
    assert links[father.pk].endswith(f"/p/{token}/assignment/{assignment.pk}/")
    text(client, STORY, sender="+13125550199")
    report = AssignmentReport.objects.get()
    assert report.caregiver == world.caregiver and report.story == STORY


def test_sending_without_anyone_checked_in_says_so_and_sends_nothing(world, session):
    assignment = give_assignment(
        actor=world.coordinator, session=session, text=COUNSELOR, language="en"
    )

    with pytest.raises(ValidationError) as refused:
        send_assignment(actor=world.coordinator, assignment=assignment)

    assert "check people in first" in refused.value.messages[0]
    assert not Message.objects.exists()


def test_an_empty_or_too_long_assignment_is_refused_naming_the_problem(world, session):
    for text_, problem in [("  ", "Write the assignment"), ("x" * 1001, "1001 characters")]:
        with pytest.raises(ValidationError) as refused:
            give_assignment(actor=world.coordinator, session=session, text=text_, language="en")
        assert problem in refused.value.message_dict["text"][0]
    assert not session.assignments.exists()


def test_a_report_by_day_before_the_session_is_refused(world, session):
    with pytest.raises(ValidationError) as refused:
        give_assignment(
            actor=world.coordinator,
            session=session,
            text=COUNSELOR,
            language="en",
            report_by=timezone.localdate() - timedelta(days=10),
        )
    assert "report_by" in refused.value.message_dict


# Reporting back by text.


def test_a_text_reply_is_the_story_and_is_thanked_in_spanish(client, world, assignment):
    message = send_assignment(actor=world.coordinator, assignment=assignment)
    links_for(message, [(world.caregiver.pk, Delivery.Channel.SMS)])

    reply = text(client, STORY)

    thanks = in_spanish(
        "Thank you for telling us what happened! The session's facilitators will read it."
    )
    assert thanks in reply
    report = AssignmentReport.objects.get()
    assert (report.caregiver, report.done, report.story) == (world.caregiver, True, STORY)
    assert report.channel == AssignmentReport.Channel.SMS and report.language == "es"
    inbound = InboundMessage.objects.get()
    assert inbound.kind == InboundMessage.Kind.CONVERSATION and inbound.thread is None
    assert TextConversation.objects.get().closed_at is not None


def test_after_reporting_a_text_goes_to_the_household_thread(client, world, assignment):
    message = send_assignment(actor=world.coordinator, assignment=assignment)
    links_for(message, [(world.caregiver.pk, Delivery.Channel.SMS)])
    text(client, STORY)

    reply = text(client, "Lucía llega tarde hoy.")

    assert "<Message>" not in reply
    latest = InboundMessage.objects.order_by("id").last()
    assert latest.kind == InboundMessage.Kind.REPLY
    assert latest.thread.household == world.household
    assert AssignmentReport.objects.get().story == STORY


# Reporting back on the web.


def test_the_web_page_shows_the_assignment_in_spanish_and_takes_the_report(
    client, world, session, assignment, django_capture_on_commit_callbacks
):
    sent_in_spanish(world, assignment, django_capture_on_commit_callbacks)
    url = reverse("join:assignment", args=[token_for(session, world.caregiver), assignment.pk])

    page = client.get(url)

    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="es"' in html
    assert "Conozca al consejero de su hijo" in html
    assert "Todavía no" in html and "Enviar" in html  # Spanish from Tandem's catalog
    assert in_spanish("Your assignment") in html

    response = client.post(url, {"done": "done", "story": STORY}, follow=True)

    assert in_spanish("Thank you! We have your report.") in response.content.decode()
    report = AssignmentReport.objects.get()
    assert (report.caregiver, report.done, report.story) == (world.caregiver, True, STORY)
    assert report.channel == AssignmentReport.Channel.WEB and report.language == "es"


def test_not_yet_on_the_web_keeps_the_text_question_open_and_a_later_report_replaces_it(
    client, world, session, assignment
):
    message = send_assignment(actor=world.coordinator, assignment=assignment)
    links_for(message, [(world.caregiver.pk, Delivery.Channel.SMS)])
    url = reverse("join:assignment", args=[token_for(session, world.caregiver), assignment.pk])
    client.post(url, {"done": "not_yet"})
    assert not AssignmentReport.objects.get().done

    text(client, STORY)

    report = AssignmentReport.objects.get()
    assert report.done and report.story == STORY and report.channel == "sms"


def test_the_page_without_a_choice_says_what_is_missing_and_keeps_nothing(
    client, world, session, assignment
):
    url = reverse("join:assignment", args=[token_for(session, world.caregiver), assignment.pk])

    response = client.post(url, {"story": STORY})

    assert response.status_code == 400
    assert in_spanish("Say whether it is done or not yet.") in response.content.decode()
    assert not AssignmentReport.objects.exists()


def test_someone_invited_who_did_not_come_is_told_politely(client, world, session, assignment):
    amina = world.neighbour_household.caregivers.get()
    from tests.web.programs_cases import invitation_to

    invitation_to(world, session, amina)
    url = reverse("join:assignment", args=[token_for(session, amina), assignment.pk])

    response = client.get(url)

    assert response.status_code == 403
    assert "no record that you were there" in response.content.decode()
    assert client.post(url, {"done": "done"}).status_code == 403
    assert not AssignmentReport.objects.exists()


def test_an_assignment_of_another_session_is_not_found(client, world, session, assignment):
    other = give_assignment(
        actor=world.coordinator, session=past_session(world), text=COUNSELOR, language="en"
    )
    url = reverse("join:assignment", args=[token_for(session, world.caregiver), other.pk])

    assert client.get(url).status_code == 404


# What facilitators see.


def _educator(world, session):
    teacher = StaffMember.objects.create(
        organization=world.district,
        school=world.elementary,
        role=StaffMember.Role.TEACHER,
        given_name="Tess",
        family_name="Teacher",
        languages=["en"],
    )
    check_in_staff(actor=world.coordinator, session=session, staff=teacher, role="educator")
    return teacher


def test_staff_record_an_educators_report_and_see_completion_and_stories(
    client, world, session, assignment
):
    teacher = _educator(world, session)
    others = [family(world, f"Family {n}") for n in range(2)]
    for caregiver in others:
        came(world, session, caregiver)
    report_assignment(
        assignment=assignment, caregiver=world.caregiver, done=True, story=STORY, channel="web"
    )
    report_assignment(assignment=assignment, caregiver=others[0], done=False, channel="sms")
    client.force_login(world.coordinator)
    url = reverse("programs:session-assignments", args=[session.pk])

    response = client.post(
        url,
        {
            "do": "report",
            "assignment": assignment.pk,
            "person": f"s{teacher.pk}",
            "done": "done",
            "story": "We planned the spring fair with three parents on the committee.",
        },
    )

    assert response.status_code == 302
    report = AssignmentReport.objects.get(staff=teacher)
    assert report.channel == AssignmentReport.Channel.STAFF and report.done
    page = client.get(url).content.decode()
    assert "3 of 4 who came (75%)" in page  # María, a family not yet, the teacher
    assert "2 (50%)" in page
    assert STORY in page and 'lang="es"' in page
    assert "We planned the spring fair" in page
    [item] = progress(session)
    assert (item.attendees, item.reported, item.done) == (4, 3, 2)


def test_staff_give_and_send_from_the_page(client, world, session):
    came(world, session)
    client.force_login(world.coordinator)
    url = reverse("programs:session-assignments", args=[session.pk])

    response = client.post(
        url, {"do": "give", "text": COUNSELOR, "language": "en", "send_now": "on"}, follow=True
    )

    assert response.status_code == 200
    assignment = session.assignments.get()
    assert assignment.message is not None
    assert "0 of 1 who came (0%)" in response.content.decode()


def test_a_bad_form_on_the_staff_page_names_the_problem(client, world, session):
    client.force_login(world.coordinator)
    url = reverse("programs:session-assignments", args=[session.pk])

    response = client.post(url, {"do": "give", "text": "", "language": "xx-nope"})

    assert response.status_code == 400
    assert "not a language tag we recognize" in response.content.decode()
    assert not session.assignments.exists()


def test_the_staff_page_reads_in_a_fixed_number_of_queries(client, world, session):
    client.force_login(world.coordinator)
    url = reverse("programs:session-assignments", args=[session.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    came(world, session)
    give_assignment(actor=world.coordinator, session=session, text=COUNSELOR, language="en")
    few = queries()
    for n in range(4):
        caregiver = family(world, f"Family {n}")
        came(world, session, caregiver)
        for assignment in session.assignments.all():
            report_assignment(
                assignment=assignment, caregiver=caregiver, done=True, story="Sí", channel="web"
            )
    give_assignment(actor=world.coordinator, session=session, text="Another one.", language="en")
    _educator(world, session)

    assert queries() == few
