"""What the demo district holds for capacity building: a Parent College year half-way
through, with attendance, a certificate earned, and answers with needs to the next
session; an educators' series and a community of practice."""

from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.accounts.roles import Role
from tandem.directory.demo import build_demo_district
from tandem.directory.demo.district import FAMILY_PERSONA_EXTERNAL_ID
from tandem.programs.attendance_report import completions
from tandem.programs.models import Attendance, Facilitator, Invitation, Program, Session
from tandem.programs.services import PARENT_COLLEGE_TO_COMPLETE, session_zone


@pytest.fixture
def demo(db):
    return build_demo_district(households=200, seed=2026)


def test_last_years_parent_college_is_finished_with_a_certificate_earned(demo):
    last_year, this_year = (
        Program.objects.filter(kind=Program.Kind.PARENT_COLLEGE)
        .order_by("created_at", "id")
        .distinct()[:2]
    )
    now = timezone.now()

    for college in (last_year, this_year):
        sessions = list(college.sessions.all())
        assert len(sessions) == 9
        assert [school.name for school in college.schools.all()] == ["Lincoln Park Elementary"]
        # The template's calendar, untouched: Saturdays, September to April.
        assert all(s.starts_at.astimezone(session_zone(s)).weekday() == 5 for s in sessions)
        months = [s.starts_at.astimezone(session_zone(s)).month for s in sessions]
        assert months[0] == 9 and months[-1] == 4
    assert all(s.ends_at <= now for s in last_year.sessions.all())
    assert all(s.attendance.exists() for s in last_year.sessions.all()[:PARENT_COLLEGE_TO_COMPLETE])
    methods = set(Attendance.objects.values_list("method", flat=True))
    assert {"qr", "roster"} <= methods

    # Families of several languages came, many more than once; the persona completed.
    attendance = Attendance.objects.filter(session__program=last_year)
    languages = Counter(attendance.values_list("language", flat=True))
    assert len(languages) >= 3
    repeat = attendance.values("caregiver").annotate(n=Count("id")).filter(n__gte=2).count()
    assert repeat >= 5
    completed = [c.caregiver for c in completions(last_year)]
    assert [c.household.external_id for c in completed] == [FAMILY_PERSONA_EXTERNAL_ID]
    assert completed[0].given_name == "Guadalupe"
    # This year's sessions already held have their check-ins too.
    held = [s for s in this_year.sessions.all() if s.ends_at <= now]
    assert all(s.attendance.exists() for s in held)
    college = this_year

    # Staff and a peer parent leader facilitate; materials come in several languages.
    kinds = set(college.facilitators.values_list("kind", flat=True))
    assert {Facilitator.Kind.STAFF, Facilitator.Kind.PEER_PARENT_LEADER} <= kinds
    assert college.facilitators.filter(caregiver__isnull=False).exists()
    welcome = college.materials.filter(title="Parent College welcome guide")
    assert set(welcome.values_list("language", flat=True)) == {"en", "es", "so"}


def test_the_next_session_has_invitations_and_answers_with_needs(demo):
    upcoming = Session.objects.get(
        program__kind=Program.Kind.PARENT_COLLEGE,
        pk__in=Invitation.objects.values("session"),
        rsvp_deadline__gt=timezone.now(),
    )

    invitations = upcoming.invitations.all()
    assert invitations.count() == 20
    assert upcoming.rsvp_deadline > timezone.now()  # families can still answer
    coming = invitations.filter(response=Invitation.Response.YES)
    assert coming.count() >= 6
    assert invitations.filter(response=Invitation.Response.NO).exists()
    assert invitations.filter(response=Invitation.Response.PENDING).exists()
    assert [3, 6] in [i.childcare_ages for i in coming]
    assert coming.filter(needs_ride=True).exists()
    interpreted = set(coming.exclude(interpretation="").values_list("interpretation", flat=True))
    assert "es" in interpreted
    assert interpreted <= {"es", "so"}
    assert set(upcoming.interpretation) == {"es", "so"}
    assert coming.filter(channel=Invitation.Channel.PHONE).exclude(recorded_by=None).exists()


def test_educators_and_parent_coordinators_each_have_a_program_with_a_session(demo, client):
    educators = Program.objects.get(kind=Program.Kind.EDUCATOR_LEARNING)
    practice = Program.objects.get(kind=Program.Kind.COMMUNITY_OF_PRACTICE)

    assert educators.audience == Program.Audience.EDUCATORS
    assert educators.sessions.get().topic == "family_backgrounds"
    assert practice.audience == Program.Audience.PARENT_COORDINATORS
    assert not practice.schools.exists()
    session = practice.sessions.get()
    assert session.modality == Session.Modality.VIRTUAL and session.virtual_link
    assert session.starts_at > timezone.now()

    # The school's parent coordinator sees her school's programs, not the district's.
    coordinator = (
        Membership.objects.filter(
            role=Role.PARENT_COORDINATOR, school__name="Lincoln Park Elementary"
        )
        .select_related("user")
        .first()
        .user
    )
    client.force_login(coordinator)

    html = client.get("/programs/").content.decode()

    assert "Parent College" in html
    assert "Partnering with families: educator learning" in html
    # Organization-wide, for the district's family-engagement office, not one school's.
    assert "community of practice" not in html
