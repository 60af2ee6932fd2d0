"""Programs and their sessions: creating a program (or a Parent College year from its
calendar template), planning sessions with their logistics, moving and cancelling
them, facilitators and materials.

Times are entered and shown in the time zone of the school that holds the session (the
organization's for a central place)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag, parse_languages
from tandem.directory.models import Organization, School
from tandem.programs.models import Facilitator, Material, Program, Session
from tandem.programs.topics import BY_KEY

RUN = Action.RUN_PROGRAMS
MAX_SESSIONS = 60


def check(actor, target: Program | Session | School | Organization) -> None:
    """Raise PermissionDenied unless the actor may run programs where `target` is: a
    program's schools (all of them) or, for a program without schools, its organization."""
    if isinstance(target, Session):
        target = target.school or target.program
    if isinstance(target, Program):
        schools = list(target.schools.all())
        allowed = (
            all(can(actor, RUN, school) for school in schools)
            if schools
            else can(actor, RUN, target.organization)
        )
    else:
        allowed = can(actor, RUN, target)
    if not allowed:
        raise PermissionDenied


def session_zone(session: Session) -> ZoneInfo:
    return ZoneInfo((session.school or session.program.organization).time_zone)


def local(session: Session, at: datetime | None = None) -> datetime:
    """`at` (the session's start by default) in the session's time zone."""
    return timezone.localtime(at or session.starts_at, session_zone(session))


def create_program(
    *,
    actor,
    organization: Organization,
    name: str,
    kind: str,
    audience: str,
    schools: list[School] = (),
    languages: list[str] | str = ("en",),
    description: str = "",
    open_to_all_families: bool = False,
    sessions_to_complete: int | None = None,
) -> Program:
    schools = list(schools)
    for target in schools or [organization]:
        if target != organization and target.organization_id != organization.pk:
            raise PermissionDenied
        check(actor, target)
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the program a name.")
    if kind not in Program.Kind.values:
        errors["kind"] = _("Choose what kind of program this is.")
    if audience not in Program.Audience.values:
        errors["audience"] = _("Choose who the program is for.")
    try:
        tags = parse_languages(languages)
        if not tags:
            errors["languages"] = _("Name at least one language the program is held in.")
    except ValidationError as invalid:
        errors["languages"] = invalid.messages[0]
    if sessions_to_complete is not None and not 1 <= sessions_to_complete <= MAX_SESSIONS:
        errors["sessions_to_complete"] = _("Enter a number of sessions from 1 to %(most)s.") % {
            "most": MAX_SESSIONS
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        program = Program.objects.create(
            organization=organization,
            name=name,
            kind=kind,
            audience=audience,
            description=description.strip(),
            languages=tags,
            open_to_all_families=open_to_all_families,
            sessions_to_complete=sessions_to_complete,
            created_by=actor,
        )
        program.schools.set(schools)
        record(actor=actor, action="programs.program_created", target=program)
    return program


@dataclass(frozen=True)
class PlannedSession:
    """A session in a calendar template, before it is created."""

    title: str
    topic: str
    kind: str
    day: date
    starts: time
    ends: time


# Parent College (seed 003): year-long, monthly on Saturdays from September to April,
# workshops on these topics in this order, and University Day, a visit to a college.
PARENT_COLLEGE_TOPICS = [
    "academics",
    "report_cards",
    "empowerment",
    "college_access",
    "leadership_advocacy",
    "restorative_communities",
    "health_wellness",
    "parenting",
]
PARENT_COLLEGE_MONTHS = [9, 10, 11, 12, 1, 2, 3, 4]
PARENT_COLLEGE_TO_COMPLETE = 6  # of the eight workshops and University Day


def nth_saturday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(5 - first.weekday()) % 7 + 7 * (n - 1))


def parent_college_calendar(school_year_starts: int) -> list[PlannedSession]:
    """The second Saturday of each month from September to April, 9:00 to 12:00, one
    topic each, and University Day on the fourth Saturday of April, 8:00 to 15:00."""
    planned = []
    for month, key in zip(PARENT_COLLEGE_MONTHS, PARENT_COLLEGE_TOPICS, strict=True):
        year = school_year_starts if month >= 9 else school_year_starts + 1
        planned.append(
            PlannedSession(
                title=str(BY_KEY[key].name),
                topic=key,
                kind=Session.Kind.WORKSHOP,
                day=nth_saturday(year, month, 2),
                starts=time(9),
                ends=time(12),
            )
        )
    planned.append(
        PlannedSession(
            title=str(BY_KEY["university_day"].name),
            topic="university_day",
            kind=Session.Kind.FIELD_TRIP,
            day=nth_saturday(school_year_starts + 1, 4, 4),
            starts=time(8),
            ends=time(15),
        )
    )
    return planned


def create_parent_college(
    *,
    actor,
    school: School,
    school_year_starts: int,
    languages: list[str] | str = ("en", "es"),
    place: str = "",
    childcare: bool = True,
    food: bool = True,
    transportation: str = Session.Transportation.BUS_VOUCHERS,
) -> Program:
    """A Parent College year at one school, from the calendar template: open to
    families outside the school, with childcare, food and bus vouchers unless told
    otherwise (seed 004: weekends for 9-to-5 workers, bus vouchers, central places)."""
    this_year = timezone.localdate().year
    if not this_year - 2 <= school_year_starts <= this_year + 2:
        raise ValidationError(
            {"school_year_starts": _("Choose a school year from two years ago to two years ahead.")}
        )
    with transaction.atomic():
        program = create_program(
            actor=actor,
            organization=school.organization,
            name=_("Parent College %(start)s–%(end)s")
            % {"start": school_year_starts, "end": school_year_starts + 1},
            kind=Program.Kind.PARENT_COLLEGE,
            audience=Program.Audience.FAMILIES,
            schools=[school],
            languages=languages,
            open_to_all_families=True,
            sessions_to_complete=PARENT_COLLEGE_TO_COMPLETE,
        )
        zone = ZoneInfo(school.time_zone)
        Session.objects.bulk_create(
            Session(
                program=program,
                school=school,
                position=position,
                title=planned.title,
                topic=planned.topic,
                kind=planned.kind,
                starts_at=datetime.combine(planned.day, planned.starts, zone),
                ends_at=datetime.combine(planned.day, planned.ends, zone),
                modality=Session.Modality.IN_PERSON,
                place=place or school.name,
                languages=program.languages,
                childcare=childcare,
                food=food,
                transportation=transportation,
                rsvp_deadline=datetime.combine(planned.day - timedelta(days=2), time(18), zone),
            )
            for position, planned in enumerate(parent_college_calendar(school_year_starts))
        )
    return program


# What a session form may set, with what staff enter (times are in the session's zone).
SESSION_FIELDS = (
    "title",
    "topic",
    "kind",
    "starts_at",
    "ends_at",
    "modality",
    "place",
    "virtual_link",
    "languages",
    "interpretation",
    "childcare",
    "childcare_seats",
    "transportation",
    "food",
    "accessibility",
    "capacity",
    "rsvp_deadline",
)


def clean_session(values: dict) -> dict:
    """The values checked together; raises ValidationError naming each field at fault."""
    errors = {}
    cleaned = dict(values)
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the session a title.")
    cleaned["title"] = (values.get("title") or "").strip()
    if values.get("topic") and values["topic"] not in BY_KEY:
        errors["topic"] = _("Choose a topic from the catalog.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Enter when the session starts.")
    if ends is None:
        errors["ends_at"] = _("Enter when the session ends.")
    elif starts is not None and ends <= starts:
        errors["ends_at"] = _("The session must end after it starts.")
    deadline = values.get("rsvp_deadline")
    if deadline is not None and starts is not None and deadline > starts:
        errors["rsvp_deadline"] = _("The time to answer must be before the session starts.")
    modality = values.get("modality") or Session.Modality.IN_PERSON
    if modality != Session.Modality.IN_PERSON and not values.get("virtual_link"):
        errors["virtual_link"] = _("Give the link to join online.")
    if modality != Session.Modality.VIRTUAL and not (values.get("place") or "").strip():
        errors["place"] = _("Say where the session is held.")
    for field in ("languages", "interpretation"):
        try:
            cleaned[field] = parse_languages(values.get(field) or [])
        except ValidationError as invalid:
            errors[field] = invalid.messages[0]
    if not errors.get("languages") and not cleaned.get("languages"):
        errors["languages"] = _("Name at least one language the session is held in.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def add_session(*, actor, program: Program, school: School | None = None, **values) -> Session:
    check(actor, school or program)
    if school is not None and school.organization_id != program.organization_id:
        raise PermissionDenied
    cleaned = clean_session(values)
    with transaction.atomic():
        session = Session.objects.create(
            program=program,
            school=school,
            position=program.sessions.count(),
            **{k: v for k, v in cleaned.items() if k in SESSION_FIELDS and v is not None},
        )
        record(actor=actor, action="programs.session_added", target=session)
    return session


# Changes families who said yes (or are waiting) must hear about.
NOTICEABLE = ("starts_at", "ends_at", "place", "modality", "virtual_link")


def update_session(*, actor, session: Session, **values) -> Session:
    """Change a session; when its time, place or way of joining changes, everyone
    invited who has not said no is told, each in their language."""
    from tandem.programs.notices import tell_session_changed
    from tandem.programs.reminders import schedule_reminders

    check(actor, session)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    current = {field: getattr(session, field) for field in SESSION_FIELDS}
    cleaned = clean_session(current | values)
    changed = [field for field in NOTICEABLE if cleaned.get(field) != current[field]]
    with transaction.atomic():
        for field in SESSION_FIELDS:
            if field in cleaned:
                setattr(session, field, cleaned[field])
        session.save()
        record(actor=actor, action="programs.session_changed", target=session, fields=changed)
        if changed:
            tell_session_changed(actor=actor, session=session, changed=changed)
        if "starts_at" in changed:
            schedule_reminders(session)
    return session


def cancel_session(*, actor, session: Session) -> Session:
    from tandem.programs.notices import tell_session_cancelled

    check(actor, session)
    if session.status == Session.Status.CANCELLED:
        return session
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
        session.status = Session.Status.CANCELLED
        record(actor=actor, action="programs.session_cancelled", target=session)
        tell_session_cancelled(actor=actor, session=session)
    return session


def add_facilitator(
    *,
    actor,
    program: Program,
    name: str,
    kind: str,
    part: str = Facilitator.Part.LEAD,
    session: Session | None = None,
    user=None,
    caregiver=None,
    languages: list[str] | str = (),
) -> Facilitator:
    check(actor, program)
    errors = {}
    name = (name or (caregiver.full_name if caregiver else "")).strip()
    if not name:
        errors["name"] = _("Enter the facilitator's name.")
    if kind not in Facilitator.Kind.values:
        errors["kind"] = _("Choose who the facilitator is.")
    if part not in Facilitator.Part.values:
        errors["part"] = _("Choose facilitator or co-facilitator.")
    if caregiver is not None and caregiver.organization_id != program.organization_id:
        raise PermissionDenied
    try:
        tags = parse_languages(languages)
    except ValidationError as invalid:
        errors["languages"] = invalid.messages[0]
    if errors:
        raise ValidationError(errors)
    facilitator = Facilitator.objects.create(
        program=program,
        session=session,
        user=user,
        caregiver=caregiver,
        name=name,
        kind=kind,
        part=part,
        languages=tags,
    )
    record(actor=actor, action="programs.facilitator_added", target=program)
    return facilitator


def add_material(
    *, actor, program: Program, title: str, language: str, url: str, session=None
) -> Material:
    from django.core.validators import URLValidator

    check(actor, program)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the material a title.")
    try:
        language = normalize_language_tag(language)
    except ValidationError as invalid:
        errors["language"] = invalid.messages[0]
    try:
        URLValidator(schemes=["http", "https"])(url or "")
    except ValidationError:
        errors["url"] = _("Enter a link that starts with https://.")
    if errors:
        raise ValidationError(errors)
    material = Material.objects.create(
        program=program, session=session, title=title, language=language, url=url
    )
    record(actor=actor, action="programs.material_added", target=program)
    return material
