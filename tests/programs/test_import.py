"""Attendance from an online meeting's participant list: Zoom's participants report and
Microsoft Teams' attendance report are read by their headers, people are matched by
email then by exact full name, staff see the preview and confirm, those not found can
be added as guests, and a file we cannot read changes nothing."""

from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.directory.models import StaffMember
from tandem.programs.models import Attendance
from tandem.programs.participants_import import read_participants
from tandem.programs.services import local
from tests.programs.test_checkin import family, today_session
from tests.web.programs_cases import make_program

CHICAGO = ZoneInfo("America/Chicago")


def zoom_report(day: str) -> bytes:
    """Zoom's participants report with its meeting header, as exported (UTF-8, BOM)."""
    return (
        "\ufeffMeeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        f"81234567890,Parent College,{day} 09:55:12 AM,{day} 11:02:40 AM,cora@riverside.test,68,5\n"
        "\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
        "Recording Consent\n"
        f"María G (María García),Maria.Garcia@Example.com,{day} 10:02:33 AM,"
        f"{day} 10:30:00 AM,28,No,\n"
        f"Amina Hassan,,{day} 10:05:00 AM,{day} 11:00:00 AM,55,Yes,\n"
        f"Cora's iPad,cora@riverside.test,{day} 09:55:12 AM,{day} 11:02:40 AM,68,No,\n"
        f'"Díaz, Rosa",rosa.diaz@example.net,{day} 10:07:00 AM,{day} 11:00:00 AM,53,Yes,\n'
        f"María G (María García),maria.garcia@example.com,{day} 10:31:00 AM,"
        f"{day} 11:00:00 AM,29,No,\n"
    ).encode()


def teams_report(day: str) -> bytes:
    """Teams' attendance report: tab-separated UTF-16 with summary and activity parts."""
    text = (
        "1. Summary\n"
        "Meeting title\tEducator learning: families as partners\n"
        "Attended participants\t3\n"
        f"Start time\t{day}, 9:58:02\u202fAM\n"
        "\n"
        "2. Participants\n"
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
        f"Tess Teacher\t{day}, 10:01:12\u202fAM\t{day}, 11:00:00\u202fAM\t58m 48s\t"
        "Tess.Teacher@riverside.test\ttess.teacher@riverside.test\tAttendee\n"
        f"María García\t{day}, 10:03:00\u202fAM\t{day}, 11:00:00\u202fAM\t57m\t\t\tAttendee\n"
        f"Sam Visitor\t{day}, 10:04:00\u202fAM\t{day}, 10:50:00\u202fAM\t46m\t\t\tAttendee\n"
        "\n"
        "3. In-Meeting Activities\n"
        "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
        f"Tess Teacher\t{day}, 10:01:12\u202fAM\t{day}, 11:00:00\u202fAM\t58m\t\tAttendee\n"
    )
    return text.encode("utf-16")


def upload(client, session, content: bytes, name: str = "participants.csv"):
    return client.post(
        reverse("programs:session-import", args=[session.pk]),
        {"participants": SimpleUploadedFile(name, content, "text/csv")},
    )


def packed_list(page: str) -> str:
    start = page.index('name="list" value="') + len('name="list" value="')
    return page[start : page.index('"', start)]


def us_day(session, pattern: str = "%m/%d/%Y") -> str:
    return local(session).strftime(pattern)


def test_a_zoom_report_is_previewed_then_confirmed(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)

    preview = upload(client, session, zoom_report(us_day(session)))

    assert preview.status_code == 200
    page = preview.text
    assert "Who is on the Zoom list" in page
    assert "2 to check in, 0 already checked in, 2 not found in the directory." in page
    assert "María García" in page and "by email" in page and "by name" in page
    assert not Attendance.objects.exists()  # nothing until confirmed

    done = client.post(
        reverse("programs:session-import", args=[session.pk]),
        {"list": packed_list(page), "guest": ["3"], "language-3": "es"},
        follow=True,
    )

    assert "From the list: 2 checked in, 0 already checked in, 1 added as guests." in done.text
    maria = Attendance.objects.get(caregiver=world.caregiver)
    assert maria.method == "import"
    assert local(session, maria.checked_in_at).strftime("%H:%M:%S") == "10:02:33"  # first join
    amina = Attendance.objects.get(caregiver__given_name="Amina")
    assert amina.language == "so"
    guest = Attendance.objects.get(caregiver=None, staff=None)
    assert (guest.name, guest.language, guest.method) == ("Díaz, Rosa", "es", "import")
    assert Attendance.objects.count() == 3  # "Cora's iPad" was not added


def test_someone_checked_in_at_the_door_shows_as_already_checked_in(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)
    client.post(
        reverse("programs:session-check-in", args=[session.pk]),
        {"caregiver": world.caregiver.pk},
    )

    page = upload(client, session, zoom_report(us_day(session))).text

    assert "1 to check in, 1 already checked in, 2 not found in the directory." in page
    assert "Already checked in at" in page
    client.post(reverse("programs:session-import", args=[session.pk]), {"list": packed_list(page)})
    assert Attendance.objects.get(caregiver=world.caregiver).method == "walk_in"  # unchanged
    assert Attendance.objects.count() == 2


def test_a_teams_report_checks_in_staff_by_email_and_families_by_name(world, client):
    program = make_program(world, kind="joint", audience="families_and_educators")
    session = today_session(world, program=program)
    teacher = StaffMember.objects.create(
        organization=world.district,
        school=world.elementary,
        role=StaffMember.Role.TEACHER,
        given_name="Tess",
        family_name="Teacher",
        email="tess.teacher@riverside.test",
    )
    client.force_login(world.coordinator)

    page = upload(client, session, teams_report(us_day(session, "%m/%d/%y")), "att.csv").text

    assert "Who is on the Microsoft Teams list" in page
    assert "2 to check in, 0 already checked in, 1 not found in the directory." in page
    client.post(reverse("programs:session-import", args=[session.pk]), {"list": packed_list(page)})
    staff = Attendance.objects.get(staff=teacher)
    assert staff.role == "educator" and staff.method == "import"
    assert local(session, staff.checked_in_at).strftime("%H:%M") == "10:01"
    assert Attendance.objects.get(caregiver=world.caregiver).role == "family"
    assert Attendance.objects.count() == 2  # Sam Visitor was not ticked


def test_a_name_two_caregivers_share_matches_neither(world):
    from tandem.programs.participants_import import Participant, match_participants

    session = today_session(world)
    family(world, "María", "García")  # another María García in the district

    [match] = match_participants(session, [Participant("María García", "", None)])

    assert match.status == "unmatched"


def test_teams_older_report_counts_each_person_once_from_their_first_join():
    data = (
        "Full Name\tUser Action\tTimestamp\n"
        "Tess Teacher\tJoined\t10/18/2025, 10:01:12 AM\n"
        "Tess Teacher\tLeft\t10/18/2025, 10:20:00 AM\n"
        "Tess Teacher\tJoined\t10/18/2025, 10:25:00 AM\n"
    ).encode("utf-16")

    source, [tess] = read_participants(data, CHICAGO)

    assert source == "teams"
    assert tess.name == "Tess Teacher" and tess.joined.strftime("%H:%M:%S") == "10:01:12"


def test_a_file_we_cannot_read_says_what_is_wrong_and_changes_nothing(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)
    bad_files = {
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "This file is not a CSV file.",
        b"Date,Amount\n2025-10-18,12\n": "We could not find a column of names.",
        b"PK\x03\x04\x14\x00\x06\x00": "This looks like an Excel workbook.",
        b"Name (Original Name),User Email\n\n": "The list has no participants.",
    }

    for content, message in bad_files.items():
        response = upload(client, session, content)
        assert response.status_code == 400, message
        assert message in response.text

    missing = client.post(reverse("programs:session-import", args=[session.pk]), {})
    assert "Choose the participant list to upload." in missing.text
    forged = client.post(reverse("programs:session-import", args=[session.pk]), {"list": "x:y"})
    assert forged.status_code == 400
    assert "Please upload the file again." in forged.text
    assert not Attendance.objects.exists()


def test_a_bad_guest_language_adds_no_one(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)
    page = upload(client, session, zoom_report(us_day(session))).text

    response = client.post(
        reverse("programs:session-import", args=[session.pk]),
        {"list": packed_list(page), "guest": ["3"], "language-3": "not a language!"},
    )

    assert response.status_code == 400
    assert not Attendance.objects.exists()
