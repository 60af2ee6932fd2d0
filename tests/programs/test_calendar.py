"""Sessions in calendars: a family's file for one session, a family's feed of every
session they said yes to, the staff file of a session and a staff member's feed of the
sessions they may run, opened with signed tokens since calendar apps cannot sign in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from tandem.programs.calendar import family_feed_token, staff_feed_token
from tandem.programs.invitations import invitation_token, record_rsvp
from tandem.programs.services import cancel_session, local, session_zone, update_session
from tests.web.programs_cases import make_session


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def uids(response) -> set[str]:
    return {str(event["UID"]) for event in events(response)}


def uid(session) -> str:
    return f"program-session-{session.pk}@tandem.example.org"


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.TANDEM_PUBLIC_URL = "https://tandem.example.org"


def test_a_family_downloads_the_session_in_the_schools_time_zone(client, session, invite):
    invitation = invite(session)

    response = client.get(reverse("join:invitation-ics", args=[invitation_token(invitation.pk)]))

    [event] = events(response)
    assert event["DTSTART"].dt == local(session)
    assert event["DTSTART"].params["TZID"] == str(session_zone(session))
    assert event["DTEND"].dt == local(session, session.ends_at)
    assert str(event["SUMMARY"]) == "Families as partners: Reading report cards"
    assert str(event["LOCATION"]) == "Library"
    assert str(event["UID"]) == uid(session)
    assert invitation_token(invitation.pk) in str(event["DESCRIPTION"])  # their page
    assert Calendar.from_ical(response.content).walk("VTIMEZONE")
    assert "attachment" in response["Content-Disposition"]


def test_the_online_link_is_in_the_file_once_the_family_said_yes(client, world, program, invite):
    session = make_session(
        world, program=program, modality="virtual", virtual_link="https://meet.example.org/p"
    )
    invitation = invite(session)
    url = reverse("join:invitation-ics", args=[invitation_token(invitation.pk)])

    [before] = events(client.get(url))
    record_rsvp(invitation=invitation, coming=True, channel="web")
    [after] = events(client.get(url))

    assert "meet.example.org" not in before.to_ical().decode()
    assert str(after["URL"]) == "https://meet.example.org/p"


def test_a_familys_feed_has_every_session_they_said_yes_to(client, world, program, invite):
    coming = [make_session(world, program=program, title=f"Session {n}") for n in range(2)]
    declined = make_session(world, program=program, title="Not this one")
    for session in coming:
        record_rsvp(invitation=invite(session), coming=True, channel="web")
    record_rsvp(invitation=invite(declined), coming=False, channel="web")
    invite(make_session(world, program=program, title="No answer"))

    response = client.get(reverse("join:family-feed", args=[family_feed_token(world.caregiver.pk)]))

    assert uids(response) == {uid(s) for s in coming}
    assert "inline" in response["Content-Disposition"]


def test_a_moved_then_cancelled_session_updates_the_same_event(client, world, session, invite):
    record_rsvp(invitation=invite(session), coming=True, channel="web")
    feed = reverse("join:family-feed", args=[family_feed_token(world.caregiver.pk)])
    [first] = events(client.get(feed))

    update_session(
        actor=world.coordinator,
        session=session,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    [moved] = events(client.get(feed))
    cancel_session(actor=world.coordinator, session=session)
    [cancelled] = events(client.get(feed))

    assert first["UID"] == moved["UID"] == cancelled["UID"]
    assert (first["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 2)
    assert moved["DTSTART"].dt == first["DTSTART"].dt + timedelta(hours=1)
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_a_feed_token_opens_no_invitation_and_an_invitation_token_no_feed(
    client, world, session, invite
):
    invitation = invite(session)
    feed_token = family_feed_token(world.caregiver.pk)

    assert client.get(reverse("join:invitation", args=[feed_token])).status_code == 404
    wrong = reverse("join:family-feed", args=[invitation_token(invitation.pk)])
    assert client.get(wrong).status_code == 404
    staff = reverse("programs:staff-feed", args=[feed_token])
    assert client.get(staff).status_code == 404


def test_the_family_feed_reads_a_fixed_number_of_queries(
    client, world, program, invite, django_assert_max_num_queries
):
    feed = reverse("join:family-feed", args=[family_feed_token(world.caregiver.pk)])

    def say_yes(count):
        for n in range(count):
            session = make_session(world, program=program, title=f"S{n}")
            record_rsvp(invitation=invite(session), coming=True, channel="web")

    say_yes(1)
    with django_assert_max_num_queries(6) as few:
        client.get(feed)
    say_yes(6)
    with django_assert_max_num_queries(len(few)):
        assert len(events(client.get(feed))) == 7


def test_staff_download_a_session(client, world, session):
    client.force_login(world.coordinator)

    response = client.get(reverse("programs:session-ics", args=[session.pk]))

    [event] = events(response)
    assert str(event["UID"]) == uid(session)


def test_a_staff_feed_holds_the_sessions_the_user_may_run(client, world):
    elementary = make_session(world, "elementary")
    middle = make_session(world, "middle")
    other = make_session(world, "other_school")

    def feed(user):
        return uids(client.get(reverse("programs:staff-feed", args=[staff_feed_token(user.pk)])))

    assert feed(world.coordinator) == {uid(elementary)}
    assert feed(world.district_staff) == {uid(elementary), uid(middle)}
    assert feed(world.outsider) == {uid(other)}


def test_a_staff_feed_closes_when_the_user_is_deactivated(client, world):
    url = reverse("programs:staff-feed", args=[staff_feed_token(world.coordinator.pk)])
    assert client.get(url).status_code == 200

    world.coordinator.is_active = False
    world.coordinator.save()

    assert client.get(url).status_code == 404


def test_the_staff_feed_reads_a_fixed_number_of_queries(
    client, world, program, django_assert_max_num_queries
):
    url = reverse("programs:staff-feed", args=[staff_feed_token(world.district_staff.pk)])
    make_session(world, program=program)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for n in range(5):
        make_session(world, "middle", title=f"M{n}")
    with django_assert_max_num_queries(len(few)):
        assert len(events(client.get(url))) == 6


def test_the_rsvps_page_shows_the_users_feed(client, world, session):
    client.force_login(world.coordinator)

    page = client.get(reverse("programs:session-rsvps", args=[session.pk])).content.decode()

    assert reverse("programs:staff-feed", args=[staff_feed_token(world.coordinator.pk)]) in page
