"""A family opens their invitation's link, no account needed: the session in their
language and its time zone, yes or no with what they need, a change of answer until the
deadline, and the session for their calendar."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from tandem.programs.invitations import invitation_token, record_rsvp
from tandem.programs.models import Invitation
from tandem.programs.services import cancel_session, local
from tests.web.programs_cases import make_session


@pytest.fixture
def invitation(session, invite):
    return invite(session)


def page_of(invitation) -> str:
    return reverse("join:invitation", args=[invitation_token(invitation.pk)])


def in_spanish(text: str) -> str:
    with translation.override("es"):
        return gettext(text)


def html(text: str) -> str:
    return text.replace("'", "&#x27;")


def test_the_page_opens_in_the_familys_language_with_the_session(client, session, invitation):
    page = client.get(page_of(invitation)).content.decode()

    assert '<html lang="es"' in page  # María reads Spanish
    with translation.override("es"):
        day = formats.date_format(local(session), "DATE_FORMAT")
    assert day in page and " de " in day  # in Spanish, in the school's time zone
    assert "10:00" in page and "Reading report cards" in page and "Library" in page
    assert html(in_spanish("Will you come?")) in page
    assert 'name="robots" content="noindex, nofollow"' in page


def test_a_family_says_yes_with_childcare_for_two_children_and_a_bus_voucher(client, invitation):
    response = client.post(
        page_of(invitation),
        {"answer": "yes", "childcare_ages": "3, 6", "needs_bus_voucher": "on"},
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == "yes" and invitation.channel == "web"
    assert invitation.childcare_ages == [3, 6] and invitation.needs_bus_voucher
    page = client.get(page_of(invitation)).content.decode()
    assert html(in_spanish("You said you will come.")) in page
    assert html(in_spanish("Thank you! We look forward to seeing you.")) in page


def test_somali_interpretation_is_offered_and_kept(client, world, session, invite):
    amina = invite(session, world.neighbour_household.caregivers.get())

    page = client.get(page_of(amina)).content.decode()
    response = client.post(page_of(amina), {"answer": "yes", "interpretation": "so"})

    assert 'value="so"' in page and "Soomaali" in page
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.interpretation == "so"


def test_only_what_the_session_offers_is_asked(client, invitation):
    page = client.get(page_of(invitation)).content.decode()

    assert 'name="needs_bus_voucher"' in page and 'name="childcare_ages"' in page
    assert 'name="needs_ride"' not in page  # bus vouchers only, no rides


def test_bad_ages_are_named_in_the_familys_language_and_nothing_changes(client, invitation):
    response = client.post(page_of(invitation), {"answer": "yes", "childcare_ages": "tres"})

    assert response.status_code == 400
    error = in_spanish("Give each child's age as a number, for example 3 6.")
    assert html(error) in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == "pending"


def test_an_answer_must_be_chosen(client, invitation):
    response = client.post(page_of(invitation), {"childcare_ages": "3"})

    assert response.status_code == 400
    assert html(in_spanish("Choose whether you will come.")) in response.content.decode()


def test_a_family_changes_its_answer_until_the_deadline(client, invitation):
    client.post(page_of(invitation), {"answer": "yes", "childcare_ages": "4"})
    client.post(page_of(invitation), {"answer": "no", "childcare_ages": "4"})

    invitation.refresh_from_db()
    assert invitation.response == "no" and invitation.childcare_ages == []


def test_after_the_deadline_the_answer_is_shown_and_cannot_change(client, session, invitation):
    record_rsvp(invitation=invitation, coming=True, channel="sms")
    session.rsvp_deadline = timezone.now() - timedelta(hours=1)
    session.save()

    page = client.get(page_of(invitation)).content.decode()
    refused = client.post(page_of(invitation), {"answer": "no"})

    assert 'name="answer"' not in page
    assert html(in_spanish("You said you will come.")) in page
    with translation.override("es"):
        passed = gettext(
            "The time to answer has passed. Please call the school if you would like to come."
        )
    assert html(passed) in page
    assert refused.status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == "yes"


def test_a_cancelled_session_says_so(client, world, session, invitation):
    cancel_session(actor=world.coordinator, session=session)

    page = client.get(page_of(invitation)).content.decode()

    assert html(in_spanish("This session was cancelled.")) in page
    assert 'name="answer"' not in page


def test_a_full_session_puts_the_family_on_the_wait_list(client, world, session, invite):
    session.capacity = 1
    session.save()
    record_rsvp(
        invitation=invite(session, world.neighbour_household.caregivers.get()),
        coming=True,
        channel="web",
    )
    invitation = invite(session)

    client.post(page_of(invitation), {"answer": "yes"})

    invitation.refresh_from_db()
    assert invitation.response == "waitlisted"
    page = client.get(page_of(invitation)).content.decode()
    assert html(in_spanish("You are on the wait list. We will tell you if a place opens.")) in page


def test_the_online_link_is_shown_once_the_family_said_yes(client, world, program, invite):
    session = make_session(
        world,
        program=program,
        modality="hybrid",
        virtual_link="https://meet.example.org/parents",
    )
    invitation = invite(session)

    before = client.get(page_of(invitation)).content.decode()
    client.post(page_of(invitation), {"answer": "yes"})
    after = client.get(page_of(invitation)).content.decode()

    assert "meet.example.org" not in before
    assert 'href="https://meet.example.org/parents"' in after


def test_a_link_that_is_not_ours_is_not_found(client, invitation):
    token = invitation_token(invitation.pk)
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), "1-nope", "nope"]:
        response = client.get(reverse("join:invitation", args=[bad]))
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert Invitation.objects.get().response == "pending"


def test_on_the_day_a_family_that_said_yes_checks_in_from_its_page(client, world, program, invite):
    from tandem.programs.checkin import checkin_url

    starts = timezone.now() + timedelta(minutes=1)  # today, wherever the clock stands
    today = make_session(world, program=program, starts_at=starts, rsvp_deadline=None)
    invitation = invite(today)
    token = invitation_token(invitation.pk)
    assert checkin_url(today.pk, token) not in client.get(page_of(invitation)).text  # no answer yet

    record_rsvp(invitation=invitation, coming=True, channel="web")

    assert html(checkin_url(today.pk, token)) in client.get(page_of(invitation)).text


def test_a_family_that_completed_the_program_finds_its_certificate(client, world, session, invite):
    from tandem.programs.attendance import check_in_caregiver
    from tandem.programs.services import add_session

    program = session.program
    program.sessions_to_complete = 1
    program.save()
    invitation = invite(session)
    path = reverse("join:certificate", args=[invitation_token(invitation.pk)])
    assert path not in client.get(page_of(invitation)).text
    past = timezone.now() - timedelta(days=7)
    held = add_session(
        actor=world.org_admin,
        program=program,
        school=world.elementary,
        title="Academics",
        starts_at=past,
        ends_at=past + timedelta(hours=2),
        place="Library",
        languages=["es"],
    )
    check_in_caregiver(session=held, caregiver=world.caregiver, method="roster", now=past)

    assert path in client.get(page_of(invitation)).text
    assert client.get(path).status_code == 200
