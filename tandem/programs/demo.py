"""The demo district's capacity building at the elementary school the printed sign-ins
belong to: last school year's Parent College, finished — families of several languages
came, the family persona to six sessions, so her certificate is ready — and this year's
from the same calendar template, with check-ins at the sessions already held and the
next session's invitations and answers that carry needs; plus an educators'
professional-learning series and the parent coordinators' community of practice, each
with a session. Everything goes through the services, as users would have made it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.accounts.roles import Role
from tandem.directory.demo.district import FAMILY_PERSONA_EXTERNAL_ID
from tandem.directory.demo.schools import SIGN_IN_SCHOOL, sourced_id
from tandem.directory.models import Caregiver, Organization, School, StaffMember
from tandem.programs.attendance import check_in_caregiver
from tandem.programs.invitations import ensure_invitations, record_rsvp
from tandem.programs.models import Attendance, Facilitator, Invitation, Program, Session
from tandem.programs.services import (
    add_facilitator,
    add_material,
    add_session,
    create_parent_college,
    create_program,
    update_session,
)

FAMILIES = 20  # invited to the next session; the first twelve came to earlier ones
CAME_BEFORE = 12
# Which of the six past sessions each of the first twelve families came to: the first
# (the family persona) to all six, a few most of the way, the rest now and then.
ATTENDED = [
    (0, 1, 2, 3, 4, 5),
    (0, 1, 2, 3, 5),
    (0, 2, 3, 4),
    (1, 2, 4, 5),
    (0, 1),
    (3, 4, 5),
    (0, 3),
    (2, 5),
    (1,),
    (4, 5),
    (0,),
    (5,),
]
# Answers to the next session, held in English with interpreters: (family number,
# coming, channel, needs). Families who speak Spanish or Somali ask for interpretation.
ANSWERS = [
    (0, True, Invitation.Channel.SMS, {"childcare_ages": [3, 6]}),
    (1, True, Invitation.Channel.WEB, {"needs_ride": True}),
    (2, True, Invitation.Channel.PHONE, {"needs_bus_voucher": True}),
    (3, True, Invitation.Channel.SMS, {"childcare_ages": [4]}),
    (4, False, Invitation.Channel.SMS, None),
    (5, True, Invitation.Channel.WEB, {"needs_ride": True}),
    (6, True, Invitation.Channel.WEB, {"childcare_ages": [2, 5, 8]}),
    (12, True, Invitation.Channel.SMS, {}),
    (13, False, Invitation.Channel.WEB, None),
    (14, True, Invitation.Channel.SMS, {"needs_ride": True}),
]
INTERPRETED = ("es", "so")


def install_demo_programs(district: Organization) -> None:
    admin = (
        Membership.objects.filter(organization=district, role=Role.ORG_ADMIN, school=None)
        .select_related("user")
        .first()
        .user
    )
    school = School.objects.get(organization=district, sourced_id=sourced_id(SIGN_IN_SCHOOL))
    coordinator = (
        Membership.objects.filter(school=school, role=Role.PARENT_COORDINATOR)
        .select_related("user")
        .first()
    )
    coordinator = coordinator.user if coordinator else admin
    families = _families(school)
    college = _parent_college(admin, coordinator, school, families)
    _facilitators(admin, college, school, families)
    _educator_series(admin, school)
    _community_of_practice(admin, district)


def _this_school_year(today: date) -> int:
    return today.year if today.month >= 7 else today.year - 1


def _parent_college(admin, coordinator, school: School, families: list[Caregiver]) -> Program:
    """Last school year's Parent College, finished (the family persona completed it),
    and this year's, with check-ins at the sessions already held and answers to the
    next one. In May and June, when this year's has ended, the next year's is planned."""
    now = timezone.now()
    year = _this_school_year(timezone.localdate())
    last_year = _college_year(admin, school, year - 1)
    _check_in(coordinator, families, list(last_year.sessions.order_by("position")), ATTENDED)
    college = _college_year(admin, school, year)
    sessions = list(college.sessions.order_by("position"))
    held = [s for s in sessions if s.ends_at <= now]
    _check_in(coordinator, families, held, [a for a in ATTENDED if a] if held else [])
    upcoming = next((s for s in sessions if s.rsvp_deadline > now), None)
    if upcoming is None:
        college = _college_year(admin, school, year + 1)
        upcoming = college.sessions.order_by("position").first()
    # A guest speaker from the university: in English, with interpreters.
    update_session(
        actor=admin,
        session=upcoming,
        languages=["en"],
        interpretation=list(INTERPRETED),
        childcare_seats=15,
    )
    invitations = ensure_invitations(
        upcoming, [(caregiver.pk, "sms") for caregiver in families[:FAMILIES]]
    )
    for number, coming, channel, needs in ANSWERS:
        if number >= len(families):
            continue
        caregiver = families[number]
        language = caregiver.preferred_language.split("-")[0]
        if coming and language in INTERPRETED:
            needs = {**needs, "interpretation": language}
        record_rsvp(
            invitation=Invitation.objects.get(pk=invitations[caregiver.pk]),
            coming=coming,
            channel=channel,
            needs=needs,
            actor=coordinator if channel == Invitation.Channel.PHONE else None,
        )
    return college


def _college_year(admin, school: School, year: int) -> Program:
    return create_parent_college(
        actor=admin,
        school=school,
        school_year_starts=year,
        languages=["en", "es"],
        place=f"{school.name}, Parent Center",
    )


def _check_in(coordinator, families: list[Caregiver], held: list[Session], attended) -> None:
    """Family number i came to the sessions at the positions in attended[i] (those held)."""
    for number, (caregiver, positions) in enumerate(zip(families, attended, strict=False)):
        for index in positions:
            if index >= len(held):
                continue
            session = held[index]
            check_in_caregiver(
                session=session,
                caregiver=caregiver,
                # Some scanned the QR code at the door; staff ticked the others' names.
                method=Attendance.Method.QR if number % 2 else Attendance.Method.ROSTER,
                actor=None if number % 2 else coordinator,
                now=session.starts_at + timedelta(minutes=3 * number),
            )


def _families(school: School) -> list[Caregiver]:
    """Caregivers of the school's families, the family persona first, then one of each
    language in turn so the demo hears several (the district's when the school has too
    few)."""
    by_language: dict[str, list[Caregiver]] = {}
    seen: set[int] = set()
    for queryset in (
        Caregiver.objects.filter(household__students__school=school),
        Caregiver.objects.filter(organization_id=school.organization_id),
    ):
        for caregiver in queryset.select_related("household").order_by(
            "household__external_id", "id"
        )[:400]:
            if caregiver.pk not in seen:
                seen.add(caregiver.pk)
                by_language.setdefault(caregiver.preferred_language, []).append(caregiver)
        if len(seen) >= FAMILIES:
            break
    queues = sorted(by_language.values(), key=lambda queue: (-len(queue), queue[0].pk))
    chosen: list[Caregiver] = []
    while len(chosen) < FAMILIES and any(queues):
        for queue in queues:
            if queue and len(chosen) < FAMILIES:
                chosen.append(queue.pop(0))
    chosen.sort(key=lambda caregiver: caregiver.household.external_id != FAMILY_PERSONA_EXTERNAL_ID)
    return chosen


def _facilitators(admin, college: Program, school: School, families: list[Caregiver]) -> None:
    staff = {
        member.role: member
        for member in StaffMember.objects.filter(
            school=school,
            role__in=[
                StaffMember.Role.PARENT_COORDINATOR,
                StaffMember.Role.COMMUNITY_REPRESENTATIVE,
            ],
        ).order_by("id")
    }
    for role, part in [
        (StaffMember.Role.PARENT_COORDINATOR, Facilitator.Part.LEAD),
        (StaffMember.Role.COMMUNITY_REPRESENTATIVE, Facilitator.Part.CO),
    ]:
        member = staff.get(role)
        if member is not None:
            add_facilitator(
                actor=admin,
                program=college,
                name=str(member),
                kind=Facilitator.Kind.STAFF,
                part=part,
                user=member.user,
                languages=member.languages,
            )
    if len(families) > 1:  # a parent who came to most sessions co-leads the next ones
        add_facilitator(
            actor=admin,
            program=college,
            name="",
            kind=Facilitator.Kind.PEER_PARENT_LEADER,
            part=Facilitator.Part.CO,
            caregiver=families[1],
            languages=[families[1].preferred_language],
        )
    for title, language, url in [
        ("Parent College welcome guide", "en", "https://example.org/parent-college/welcome-en.pdf"),
        ("Parent College welcome guide", "es", "https://example.org/parent-college/welcome-es.pdf"),
        ("Parent College welcome guide", "so", "https://example.org/parent-college/welcome-so.pdf"),
        ("Reading your child's report card", "en", "https://example.org/report-cards/en.pdf"),
        ("Reading your child's report card", "es", "https://example.org/report-cards/es.pdf"),
    ]:
        add_material(actor=admin, program=college, title=title, language=language, url=url)


def _next(weekday: int, at: time, zone: ZoneInfo) -> datetime:
    """That weekday in the week after this one (0 is Monday), at `at` in `zone`."""
    today = timezone.localtime(timezone.now(), zone).date()
    return datetime.combine(today + timedelta(days=(weekday - today.weekday()) % 7 + 7), at, zone)


def _educator_series(admin, school: School) -> None:
    program = create_program(
        actor=admin,
        organization=school.organization,
        name="Partnering with families: educator learning",
        kind=Program.Kind.EDUCATOR_LEARNING,
        audience=Program.Audience.EDUCATORS,
        schools=[school],
        languages=["en"],
        description=(
            "Before families and educators meet as partners, educators learn what strong "
            "partnerships look like, the strengths families bring, and how to plan events "
            "with families rather than for them."
        ),
    )
    starts = _next(1, time(15, 30), ZoneInfo(school.time_zone))  # a Tuesday after school
    add_session(
        actor=admin,
        program=program,
        school=school,
        title="Families' funds of knowledge",
        topic="family_backgrounds",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        place=f"{school.name}, library",
        languages=["en"],
        food=True,
    )


def _community_of_practice(admin, district: Organization) -> None:
    program = create_program(
        actor=admin,
        organization=district,
        name="Parent coordinators' community of practice",
        kind=Program.Kind.COMMUNITY_OF_PRACTICE,
        audience=Program.Audience.PARENT_COORDINATORS,
        languages=["en", "es"],
        description="Monthly development and coaching for every school's parent coordinator.",
    )
    starts = _next(3, time(9), ZoneInfo(district.time_zone))  # a Thursday morning
    add_session(
        actor=admin,
        program=program,
        title="Reaching the families we have not heard from",
        topic="partnership_value",
        kind=Session.Kind.COMMUNITY,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        modality=Session.Modality.VIRTUAL,
        virtual_link="https://meet.example.org/riverside-coordinators",
        languages=["en", "es"],
    )
