"""The roster on a coordinator's phone: invited families (coming first, then waiting,
then no answer) with a button each; checking in twice says when; a full session asks
before going over; walk-ins from the directory, guests by name, and staff members."""

import re

from django.urls import reverse

from tandem.directory.models import StaffMember
from tandem.programs.models import Attendance, Invitation
from tests.programs.test_checkin import family, say_yes, today_session
from tests.web.programs_cases import make_program


def roster(session) -> str:
    return reverse("programs:session-roster", args=[session.pk])


def check_in(session) -> str:
    return reverse("programs:session-check-in", args=[session.pk])


def test_coming_families_are_listed_first_then_waiting_then_no_answer(world, client, invite):
    session = today_session(world, capacity=1)
    say_yes(invite(session, family(world, "Zoe", "Coming")))
    say_yes(invite(session, family(world, "Yara", "Waiting")))  # the place is taken
    invite(session, family(world, "Xavi", "Silent"))
    client.force_login(world.coordinator)

    page = client.get(roster(session)).text

    assert Invitation.objects.get(caregiver__given_name="Yara").response == "waitlisted"
    assert page.index("Zoe Coming") < page.index("Yara Waiting") < page.index("Xavi Silent")
    assert "No answer yet (1)" in page


def test_a_tick_checks_a_family_in_and_the_row_says_when(world, client, invite):
    session = today_session(world)
    invitation = invite(session)
    client.force_login(world.coordinator)

    response = client.post(
        check_in(session), {"caregiver": world.caregiver.pk, "invitation": invitation.pk}
    )

    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.method == "roster" and attendance.checked_in_by == world.coordinator
    page = client.get(roster(session)).text
    assert "María García is checked in." in page
    assert re.search(r"Checked in at \d", page)


def test_checking_in_twice_says_when_and_changes_nothing(world, client, invite):
    session = today_session(world)
    invitation = invite(session)
    client.force_login(world.coordinator)
    posted = {"caregiver": world.caregiver.pk, "invitation": invitation.pk}
    client.post(check_in(session), posted)
    before = Attendance.objects.get()

    page = client.post(check_in(session), posted, follow=True).text

    assert re.search(r"María García: Already checked in at \d{1,2}:\d\d", page)
    assert list(Attendance.objects.all()) == [before]
    assert Attendance.objects.get().checked_in_at == before.checked_in_at


def test_a_full_session_asks_before_checking_in_anyway(world, client, invite):
    session = today_session(world, capacity=1)
    client.force_login(world.coordinator)
    client.post(check_in(session), {"caregiver": family(world, "Ana").pk})
    invitation = invite(session)
    posted = {"caregiver": world.caregiver.pk, "invitation": invitation.pk}

    asked = client.post(check_in(session), posted)

    assert asked.status_code == 409
    assert "This session is full (1 places). Check in anyway?" in asked.text
    assert "Check in María García anyway" in asked.text
    assert Attendance.objects.count() == 1
    client.post(check_in(session), {**posted, "over_capacity": "1"})
    assert Attendance.objects.count() == 2


def test_a_walk_in_is_found_in_the_directory_and_checked_in(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)

    found = client.get(roster(session), {"q": "amina"}).text
    assert "Amina Hassan" in found
    by_phone = client.get(roster(session), {"q": "555 0103"}).text
    assert "Amina Hassan" in by_phone
    amina = world.neighbour_household.caregivers.get()
    client.post(check_in(session), {"caregiver": amina.pk})

    attendance = Attendance.objects.get()
    assert attendance.caregiver == amina and attendance.method == "walk_in"
    assert attendance.language == "so" and attendance.school == world.elementary
    invitation = Invitation.objects.get(session=session, caregiver=amina)
    assert invitation.channel == "walk_in"


def test_no_one_outside_the_coordinators_scope_can_be_checked_in(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)
    elsewhere = [
        world.other_household.caregivers.get(),  # another district
        world.middle_household.caregivers.get(),  # the middle school's, not invited
    ]

    for caregiver in elsewhere:
        assert (
            caregiver.full_name not in client.get(roster(session), {"q": caregiver.given_name}).text
        )
        response = client.post(check_in(session), {"caregiver": caregiver.pk})
        assert response.status_code == 400
        assert "Choose someone from the list." in response.text
    assert not Attendance.objects.exists()


def test_a_guest_is_added_by_name_language_and_role(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)
    url = reverse("programs:session-guest", args=[session.pk])

    bad = client.post(url, {"guest-name": "", "guest-language": "es", "guest-role": "family"})
    assert bad.status_code == 400 and "Enter the name they gave." in bad.text
    client.post(url, {"guest-name": "Rosa Díaz", "guest-language": "es", "guest-role": "family"})

    guest = Attendance.objects.get()
    assert (guest.name, guest.language, guest.method, guest.caregiver) == (
        "Rosa Díaz",
        "es",
        "walk_in",
        None,
    )
    assert "Rosa Díaz" in client.get(roster(session)).text


def test_staff_members_check_in_to_an_educator_session(world, client):
    program = make_program(world, kind="educator_learning", audience="educators")
    session = today_session(world, program=program)
    teacher = StaffMember.objects.create(
        organization=world.district,
        school=world.elementary,
        role=StaffMember.Role.TEACHER,
        given_name="Tess",
        family_name="Teacher",
        languages=["en", "es"],
    )
    client.force_login(world.coordinator)

    assert "Tess Teacher" in client.get(roster(session), {"q": "tess"}).text
    client.post(check_in(session), {"staff": teacher.pk, "role": "educator"})
    again = client.post(check_in(session), {"staff": teacher.pk, "role": "educator"}, follow=True)

    attendance = Attendance.objects.get()
    assert attendance.staff == teacher and attendance.role == "educator"
    assert "Tess Teacher: Already checked in at" in again.text


def test_the_roster_reads_in_the_same_number_of_queries_for_more_families(
    world, client, invite, django_assert_max_num_queries
):
    session = today_session(world)
    client.force_login(world.coordinator)

    def grow(count: int, start: int) -> None:
        for n in range(start, start + count):
            caregiver = family(world, f"Parent{n}")
            invitation = invite(session, caregiver)
            if n % 2:
                say_yes(invitation)
                client.post(check_in(session), {"caregiver": caregiver.pk})

    grow(3, 0)
    client.post(
        reverse("programs:session-guest", args=[session.pk]),
        {"guest-name": "Rosa", "guest-language": "es", "guest-role": "family"},
    )
    with django_assert_max_num_queries(30) as few:
        client.get(roster(session), {"q": "parent"})
    queries = len(few)
    grow(12, 3)
    with django_assert_max_num_queries(queries):
        page = client.get(roster(session), {"q": "parent"})
    assert "Parent14" in page.text
