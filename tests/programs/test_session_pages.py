"""Planning a session (times typed in its school's time zone), its hub page, changing
it (families told about a move) and cancelling it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tandem.directory.services import create_school
from tandem.messaging.models import Message
from tandem.programs.invitations import record_rsvp
from tandem.programs.models import Session
from tests.web.programs_cases import make_program, make_session

CHICAGO = ZoneInfo("America/Chicago")


def _form(on, **fields) -> dict:
    return {
        "topic": "report_cards",
        "title": "",
        "kind": "workshop",
        "day": on.isoformat(),
        "starts_at": "10:00",
        "ends_at": "12:00",
        "modality": "in_person",
        "place": "Parent Center",
        "virtual_link": "",
        "languages": "en, es",
        "interpretation": "so",
        "childcare": "on",
        "childcare_seats": "12",
        "transportation": "rides_and_vouchers",
        "food": "on",
        "accessibility": "Step-free entrance",
        "capacity": "30",
        "rsvp_deadline": "",
        **fields,
    }


def _saturday():
    """A Saturday a week or two ahead, in the personas' schools' time zone."""
    today = timezone.localtime(timezone.now(), CHICAGO).date()
    return today + timedelta(days=(5 - today.weekday()) % 7 + 7)


def test_a_coordinator_plans_a_session_in_her_schools_time(world, client, program):
    day = _saturday()
    client.force_login(world.coordinator)
    form = client.get(f"/programs/{program.pk}/sessions/new/").content.decode()
    assert "America/Chicago time" in form

    response = client.post(
        f"/programs/{program.pk}/sessions/new/",
        _form(day, school=world.elementary.pk, rsvp_deadline=f"{day - timedelta(days=2)}T18:00"),
    )

    session = Session.objects.get()
    assert response.status_code == 302 and response.url == f"/programs/sessions/{session.pk}/"
    assert session.starts_at == datetime.combine(day, time(10), CHICAGO)
    assert session.ends_at == datetime.combine(day, time(12), CHICAGO)
    assert session.rsvp_deadline == datetime.combine(day - timedelta(days=2), time(18), CHICAGO)
    assert session.title == "Reading and understanding report cards"  # from the topic
    assert session.school == world.elementary
    assert session.interpretation == ["so"] and session.childcare_seats == 12
    assert session.transportation == "rides_and_vouchers" and session.capacity == 30


def test_a_session_at_a_school_in_another_time_zone_is_typed_and_shown_in_its_time(world, client):
    harbor = create_school(
        organization=world.district,
        name="Harbor Elementary",
        grade_band="elementary",
        time_zone="America/New_York",
    )
    program = make_program(world, name="Harbor families")
    program.schools.set([harbor])
    new_york = ZoneInfo("America/New_York")
    day = _saturday()
    client.force_login(world.org_admin)
    assert (
        "America/New_York time"
        in client.get(f"/programs/{program.pk}/sessions/new/").content.decode()
    )

    client.post(f"/programs/{program.pk}/sessions/new/", _form(day, school=harbor.pk))

    session = Session.objects.get()
    assert session.starts_at == datetime.combine(day, time(10), new_york)
    html = client.get(f"/programs/sessions/{session.pk}/").content.decode()
    assert "10 a.m.–noon" in html and "America/New_York" in html


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"ends_at": "09:00"}, "The session must end after it starts."),
        ({"day": ""}, "Enter the date of the session."),
        ({"starts_at": "ten"}, "Enter a time, for example 10:00."),
        ({"modality": "virtual", "virtual_link": ""}, "Give the link to join online."),
        ({"modality": "hybrid", "virtual_link": "not a link"}, "Enter a link that starts with"),
        ({"place": ""}, "Say where the session is held."),
        ({"languages": ""}, "Name at least one language the session is held in."),
        ({"interpretation": "so, zz-nonsense-tag"}, "zz-nonsense-tag"),
        ({"topic": "knitting"}, "Choose a topic from the catalog."),
        ({"topic": "", "title": ""}, "Give the session a title."),
        ({"capacity": "-3"}, "Ensure this value is greater than or equal to 1."),
        ({"childcare": "", "childcare_seats": "5"}, "Tick childcare to offer seats."),
        ({"rsvp_deadline": "2099-01-01T18:00"}, "The time to answer must be before the session"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_planned(
    world, client, program, fields, error
):
    client.force_login(world.coordinator)

    response = client.post(
        f"/programs/{program.pk}/sessions/new/",
        _form(_saturday(), school=world.elementary.pk, **fields),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert 'class="field__error"' in html
    assert not Session.objects.exists()


def test_the_session_page_shows_the_details_counts_and_time_in_the_schools_zone(
    world, client, session, invite
):
    record_rsvp(
        invitation=invite(session),
        coming=True,
        channel="web",
        needs={"childcare_ages": [3, 6], "interpretation": "es"},
    )
    client.force_login(world.coordinator)

    html = client.get(f"/programs/sessions/{session.pk}/").content.decode()

    assert "Reading report cards" in html and "Families as partners" in html
    assert "10 a.m.–noon" in html and "America/Chicago time" in html
    assert "<dt>Coming</dt><dd>1</dd>" in html and "<dt>Invited</dt><dd>1</dd>" in html
    assert "Somali" in html and "Bus vouchers" in html and "Library" in html
    assert "Reading and understanding report cards" in html  # the topic from the catalog


def test_a_session_outside_the_coordinators_scope_is_not_found(world, client):
    middle = make_session(world, "middle")
    client.force_login(world.coordinator)

    for url in ("", "edit/", "cancel/"):
        assert client.get(f"/programs/sessions/{middle.pk}/{url}").status_code == 404


def _edit(client, user, session, **fields):
    client.force_login(user)
    local = session.starts_at.astimezone(CHICAGO)
    data = _form(
        local.date(),
        topic="report_cards",
        title=session.title,
        place=session.place,
        childcare_seats="",
        capacity="",
        transportation="bus_vouchers",
        accessibility="",
    )
    data.update(fields)
    return client.post(f"/programs/sessions/{session.pk}/edit/", data)


def test_the_edit_form_shows_the_session_in_its_own_time(world, client, session):
    client.force_login(world.coordinator)

    html = client.get(f"/programs/sessions/{session.pk}/edit/").content.decode()

    assert 'value="10:00"' in html and 'value="12:00"' in html
    assert "America/Chicago time" in html


def test_changing_the_capacity_tells_no_one(world, client, session, invite):
    record_rsvp(invitation=invite(session), coming=True, channel="web")

    response = _edit(client, world.coordinator, session, capacity="25")

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.capacity == 25
    assert not Message.objects.exists()


def test_moving_a_session_tells_the_families_coming(
    world, client, session, invite, django_capture_on_commit_callbacks
):
    record_rsvp(invitation=invite(session), coming=True, channel="web")

    with django_capture_on_commit_callbacks(execute=False):
        response = _edit(client, world.coordinator, session, starts_at="14:00", ends_at="16:00")

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.starts_at.astimezone(CHICAGO).time() == time(14)
    assert Message.objects.count() == 1
    assert "has changed" in Message.objects.get().body


def test_a_bad_change_is_refused_by_name_and_nothing_changes(world, client, session):
    before = session.starts_at

    response = _edit(client, world.coordinator, session, ends_at="08:00")

    session.refresh_from_db()
    assert response.status_code == 400
    assert "The session must end after it starts." in response.content.decode()
    assert session.starts_at == before


def test_cancelling_asks_first_then_cancels_and_tells_families(
    world, client, session, invite, django_capture_on_commit_callbacks
):
    record_rsvp(invitation=invite(session), coming=True, channel="web")
    client.force_login(world.coordinator)

    confirm = client.get(f"/programs/sessions/{session.pk}/cancel/").content.decode()
    assert "Cancel Reading report cards?" in confirm
    assert Session.objects.get().status == Session.Status.SCHEDULED

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/programs/sessions/{session.pk}/cancel/")

    assert response.status_code == 302
    assert Session.objects.get().status == Session.Status.CANCELLED
    assert "is cancelled" in Message.objects.get().body
    page = client.get(f"/programs/sessions/{session.pk}/").content.decode()
    assert "Cancelled" in page and "Change</a>" not in page
    assert client.get(f"/programs/sessions/{session.pk}/edit/").status_code == 302
