"""Facilitated listening sessions: planning one, who facilitates and listens, attendance
by role and language, and notes taken question by question on a phone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.listening.models import Answer, Attendance, ListeningSession
from tandem.listening.sessions import add_person, create_session, record_note, set_attendance
from tests.web.listening_cases import make_campaign

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def session(world, campaign):
    return create_session(
        actor=world.coordinator,
        campaign=campaign,
        starts_at=datetime(2026, 10, 15, 18, 0, tzinfo=CHICAGO),
        place="Oak Elementary library",
        languages="en, es",
        interpretation="Spanish–English interpreter",
    )


def _notes_url(session, number=1):
    return reverse("listening:session-notes", args=[session.pk, number])


def _note(world, session, text="We feel welcome at the front desk.", **fields):
    question = session.campaign.protocol.questions.first()
    fields = {"kind": "quote", "role": "family", **fields}
    return record_note(
        actor=world.coordinator, session=session, question=question, text=text, **fields
    )


def test_a_coordinator_plans_a_session_in_the_schools_time(world, client, campaign):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:session-new", args=[campaign.pk]),
        {
            "starts_at": "2026-10-15T18:00",
            "place": "Library",
            "languages": "en, ES",
            "interpretation": "Headsets",
        },
    )

    session = ListeningSession.objects.get()
    assert response.url == reverse("listening:session", args=[session.pk])
    assert session.starts_at == datetime(2026, 10, 15, 18, 0, tzinfo=CHICAGO)
    assert session.languages == ["en", "es"]
    assert session.school == world.elementary
    assert AuditEvent.objects.filter(action="listening.session_created").exists()


def test_an_unknown_language_is_refused_by_name(world, client, campaign):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:session-new", args=[campaign.pk]),
        {"starts_at": "2026-10-15T18:00", "place": "Library", "languages": "en, klingonish"},
    )

    assert response.status_code == 400
    assert "klingonish" in response.content.decode()
    assert not ListeningSession.objects.exists()


def test_the_session_page_says_who_shares_the_families_language_and_culture(world, client, session):
    client.force_login(world.coordinator)
    client.post(
        reverse("listening:session-person-add", args=[session.pk]),
        {
            "part": "facilitator",
            "name": "Rosa Díaz",
            "shares_language": "on",
            "shares_culture": "on",
        },
    )
    client.post(
        reverse("listening:session-person-add", args=[session.pk]),
        {"part": "listener", "name": "Dr. Lee", "role": "Principal"},
    )

    page = client.get(reverse("listening:session", args=[session.pk])).content.decode()

    lee, rosa = session.people.order_by("name")
    assert (lee.part, lee.shares_language, lee.shares_culture) == ("listener", False, False)
    assert (rosa.part, rosa.shares_language, rosa.shares_culture) == ("facilitator", True, True)
    assert "Rosa Díaz" in page and "Principal" in page
    assert "Spanish–English interpreter" in page


def test_attendance_is_counted_by_role_and_language(world, client, session):
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:session-attendance", args=[session.pk]),
        {
            "count:family:es": "12",
            "count:family:en": "5",
            "count:educator:en": "3",
            "count:leader:en": "",
            "other_language": "so",
            "other:family": "2",
        },
    )

    assert response.status_code == 302
    counts = {(a.role, a.language): a.count for a in session.attendance.all()}
    assert counts == {
        ("family", "es"): 12,
        ("family", "en"): 5,
        ("educator", "en"): 3,
        ("family", "so"): 2,
    }
    page = client.get(reverse("listening:session", args=[session.pk])).content.decode()
    assert 'name="count:family:so" value="2"' in page


def test_bad_attendance_is_refused_with_a_clear_error_and_nothing_changes(world, client, session):
    set_attendance(actor=world.coordinator, session=session, counts={("family", "es"): 4})
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:session-attendance", args=[session.pk]),
        {
            "count:family:es": "-2",
            "count:educator:en": "lots",
            "other_language": "xx-nope",
            "other:leader": "1",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Attendance was not saved" in page
    assert "“-2” is not a number of people" in page
    assert "“lots” is not a number of people" in page
    assert "xx-nope" in page
    assert list(Attendance.objects.values_list("role", "language", "count")) == [
        ("family", "es", 4)
    ]


def test_attendance_roles_must_be_known(world, session):
    with pytest.raises(ValidationError, match="not a role"):
        set_attendance(actor=world.coordinator, session=session, counts={("mayor", "en"): 1})


def test_a_quote_is_kept_for_its_question_with_who_spoke(world, client, session):
    client.force_login(world.coordinator)
    url = _notes_url(session, 2)

    client.post(
        url, {"kind": "quote", "role": "family", "text": "I want my child to go to college."}
    )
    response = client.post(url, {"kind": "note", "role": "educator", "text": "Teachers nodded."})

    assert response.status_code == 302
    second = session.campaign.protocol.questions.get(position=1)
    quote, note = Answer.objects.filter(session=session).order_by("id")
    assert (quote.question, quote.kind, quote.role) == (second, "quote", "family")
    assert (note.kind, note.role) == ("note", "educator")
    assert quote.answer_set is None and quote.received_on.isoformat() == "2026-10-15"
    page = client.get(url).content.decode()
    assert page.index("Teachers nodded.") < page.index("I want my child to go to college.")
    assert AuditEvent.objects.filter(action="listening.note_recorded").count() == 2


def test_a_name_is_kept_only_when_the_speaker_agreed(world, client, session):
    client.force_login(world.coordinator)

    response = client.post(
        _notes_url(session),
        {
            "kind": "quote",
            "role": "family",
            "text": "The office staff smile.",
            "speaker_name": "Ana",
        },
        follow=True,
    )
    client.post(
        _notes_url(session),
        {
            "kind": "quote",
            "role": "family",
            "text": "I feel at home here.",
            "speaker_name": "Beto",
            "speaker_consented": "on",
        },
    )

    without, with_consent = Answer.objects.filter(session=session).order_by("id")
    assert without.speaker_name == "" and without.anonymous
    assert with_consent.speaker_name == "Beto" and not with_consent.anonymous
    assert "Saved without the name" in response.content.decode()


def test_a_phone_number_in_a_note_is_masked_for_shared_views(world, session):
    note = _note(world, session, text="Call me at 312-555-0199 about the bus, please.")

    assert "312-555-0199" in note.text
    assert "312-555-0199" not in note.masked_text
    assert "phone" in note.flags


def test_an_empty_note_is_refused(world, session):
    with pytest.raises(ValidationError, match="Write what was said"):
        _note(world, session, text="   ")
    assert not Answer.objects.exists()


def test_the_note_screen_moves_between_questions(world, client, session):
    client.force_login(world.coordinator)

    first = client.get(_notes_url(session, 1)).content.decode()
    last = client.get(_notes_url(session, 4)).content.decode()

    assert "What makes you feel welcome at this school?" in first
    assert "Facilitator guide" in first and "Appreciative inquiry" in first
    assert _notes_url(session, 2) in first and "Previous question" not in first
    assert _notes_url(session, 3) in last and "Next question" not in last
    assert client.get(_notes_url(session, 5)).status_code == 404


def test_a_note_can_be_deleted(world, client, session):
    note = _note(world, session)
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:session-note-delete", args=[session.pk]), {"note": note.pk}
    )

    assert response.url == _notes_url(session, 1)
    assert not Answer.objects.exists()
    assert AuditEvent.objects.filter(action="listening.note_deleted").exists()


def test_the_note_screen_reads_a_fixed_number_of_queries(
    world, client, session, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    for n in range(3):
        _note(world, session, text=f"Quote number {n} about welcome.")
    client.get(_notes_url(session))
    with django_assert_max_num_queries(14) as few:
        client.get(_notes_url(session))
    for n in range(30):
        _note(world, session, text=f"Another quote {n} about welcome.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_notes_url(session))


def test_the_session_page_reads_a_fixed_number_of_queries(
    world, client, session, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    add_person(actor=world.coordinator, session=session, part="facilitator", name="Rosa")
    client.get(reverse("listening:session", args=[session.pk]))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("listening:session", args=[session.pk]))
    for n in range(10):
        add_person(actor=world.coordinator, session=session, part="listener", name=f"L{n}")
        _note(world, session, text=f"Quote {n} about welcome.")
    set_attendance(
        actor=world.coordinator,
        session=session,
        counts={("family", t): 2 for t in ["vi", "so", "ar"]},
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("listening:session", args=[session.pk]))


def test_a_teacher_cannot_take_notes(world, client, session):
    client.force_login(world.teacher)
    assert client.get(_notes_url(session)).status_code == 403
    with pytest.raises(PermissionDenied):
        record_note(
            actor=world.teacher,
            session=session,
            question=session.campaign.protocol.questions.first(),
            kind="note",
            role="family",
            text="A note.",
        )


def test_another_organizations_staff_do_not_see_the_session(world, client, session):
    client.force_login(world.outsider)

    assert client.get(reverse("listening:session", args=[session.pk])).status_code == 404
    assert client.get(_notes_url(session)).status_code == 404
    other = make_campaign(world, "other_school")
    assert client.get(reverse("listening:session-new", args=[other.pk])).status_code == 200
