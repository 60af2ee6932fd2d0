"""Reads for the scheduling assistant and the outreach list.

The assistant compares candidate times for a session (the rule is in
`tandem.programs.reach`) over the caregivers the session is planned for: those invited
to it, or before any invitation, the caregivers of the families with a student at its
school (or its program's schools), always only those the planner may see. They are
loaded into arrays in a handful of queries whatever their number.

The outreach list is the caregivers invited to a program's sessions who never came to
anything the organization held: to call, or to hand to peer parent leaders.
"""

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, Substr

from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_households
from tandem.directory.models import AvailabilityWindow, Caregiver, ContactPoint, School, Student
from tandem.programs import reach
from tandem.programs.models import Attendance, Invitation, Program, Session
from tandem.programs.services import local

RUN = Action.RUN_PROGRAMS
SATURDAY, TUESDAY = 5, 1


# Candidates ---------------------------------------------------------------------------


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _offer(session: Session) -> dict:
    return {
        "childcare": session.childcare,
        "transportation": bool(session.transportation),
        "languages": tuple(dict.fromkeys([*session.languages, *session.interpretation])),
    }


def session_candidate(session: Session) -> reach.Candidate:
    """The session as planned: its day and time in its zone, and what it offers."""
    start = _minutes(local(session).time())
    length = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return reach.Candidate(
        weekday=local(session).weekday(),
        start=start,
        minutes=max(1, min(length, reach.DAY_MINUTES - start)),
        modality=session.modality,
        **_offer(session),
    )


def default_candidates(session: Session) -> list[reach.Candidate]:
    """The session as planned, then Saturday 10:00 in person with childcare and Tuesday
    18:00 virtual, each as long as the session and in its languages."""
    own = session_candidate(session)
    offer = _offer(session)
    return [
        own,
        reach.Candidate(
            weekday=SATURDAY,
            start=10 * 60,
            minutes=min(own.minutes, reach.DAY_MINUTES - 10 * 60),
            modality=Session.Modality.IN_PERSON,
            **(offer | {"childcare": True}),
        ),
        reach.Candidate(
            weekday=TUESDAY,
            start=18 * 60,
            minutes=min(own.minutes, reach.DAY_MINUTES - 18 * 60),
            modality=Session.Modality.VIRTUAL,
            languages=offer["languages"],
        ),
    ]


# Population ---------------------------------------------------------------------------


def session_schools(session: Session) -> list[int]:
    """The session's school, else its program's schools (none: the whole organization)."""
    if session.school_id:
        return [session.school_id]
    return list(session.program.schools.values_list("pk", flat=True))


def _first_school(school_ids: list[int]) -> Subquery:
    """The school of the household's first student (among `school_ids`, if any)."""
    students = Student.objects.filter(household_id=OuterRef("household_id"))
    if school_ids:
        students = students.filter(school_id__in=school_ids)
    return Subquery(students.order_by("pk").values("school_id")[:1])


def _ever_attended(organization_id: int, caregiver: str) -> Exists:
    return Exists(
        Attendance.objects.filter(
            caregiver_id=OuterRef(caregiver), session__program__organization_id=organization_id
        )
    )


def _integer(field) -> Cast:
    return Cast(field, IntegerField())


def _minutes_after_midnight(field: str) -> CombinedExpression:
    """A time as minutes after midnight, computed in the database ("18:30:00" → 1110)."""
    text = Cast(field, CharField())
    return _integer(Substr(text, 1, 2)) * 60 + _integer(Substr(text, 4, 2))


@dataclass(frozen=True)
class Planned:
    """The caregivers a session is planned for, as three queries of plain values."""

    # (caregiver id, preferred language, school id or None, needs childcare, needs
    # transportation)
    caregivers: QuerySet
    windows: QuerySet  # (caregiver id, weekday, start, end in minutes after midnight)
    attended: QuerySet  # ids of those who ever checked in to the organization's sessions
    invited: bool  # they are the session's invitees (else its schools' families)

    def population(self) -> reach.Population:
        return reach.population(
            _raw(self.caregivers), _raw(self.windows), (pk for (pk,) in _raw(self.attended))
        )


def _raw(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list queryset as the database sends them. Django's
    per-value converters (booleans and times on SQLite) would make loading a large
    population several times slower; the columns read here need none: ids, text,
    booleans, and times already turned into minutes by the database."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # filtered by nothing the user may see
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def planned_for(user, session: Session) -> Planned:
    """The caregivers the session is planned for that `user` may see: those invited to
    it or, before any invitation, those of the families at its schools. Each is counted
    at their invitation's school, else their household's first student's school among
    the session's schools."""
    organization_id = session.program.organization_id
    households = visible_households(user, RUN).filter(organization_id=organization_id)
    schools = session_schools(session)
    invited = Invitation.objects.filter(session=session).exists()
    if invited:
        caregivers = (
            Invitation.objects.filter(session=session, household__in=households)
            .annotate(
                home_school=Coalesce(
                    "school_id", _first_school(schools), output_field=IntegerField()
                ),
            )
            .values_list(
                "caregiver_id",
                "caregiver__preferred_language",
                "home_school",
                "caregiver__needs_childcare",
                "caregiver__needs_transportation",
            )
        )
        windows = AvailabilityWindow.objects.filter(
            caregiver__program_invitations__session=session,
            caregiver__program_invitations__household__in=households,
        )
    else:
        if schools:
            households = households.filter(
                Exists(Student.objects.filter(household_id=OuterRef("pk"), school_id__in=schools))
            )
        caregivers = (
            Caregiver.objects.filter(organization_id=organization_id, household__in=households)
            .annotate(home_school=_first_school(schools))
            .values_list(
                "pk",
                "preferred_language",
                "home_school",
                "needs_childcare",
                "needs_transportation",
            )
        )
        windows = AvailabilityWindow.objects.filter(
            caregiver__organization_id=organization_id, caregiver__household__in=households
        )
    return Planned(
        caregivers=caregivers.order_by(),
        windows=windows.order_by().values_list(
            "caregiver_id",
            "weekday",
            _minutes_after_midnight("starts_at"),
            _minutes_after_midnight("ends_at"),
        ),
        attended=Attendance.objects.filter(
            session__program__organization_id=organization_id,
            caregiver_id__isnull=False,
            caregiver__household__in=households,
        )
        .order_by()
        .values_list("caregiver_id"),
        invited=invited,
    )


@dataclass(frozen=True)
class Comparison:
    """The candidates' reach over a session's population."""

    everyone: reach.Reach  # the population itself (`reach.census`)
    invited: bool  # the population is the session's invitees (else its schools' families)
    reaches: list[reach.Reach]
    best: int | None  # position of the best candidate
    schools: dict[int, School]  # the schools named in the counts

    @property
    def languages(self) -> list[str]:
        """Primary subtags in the population, the largest group first."""
        counts = self.everyone.by_language
        return sorted(counts, key=lambda tag: (-counts[tag], tag))

    @property
    def school_ids(self) -> list[int | None]:
        counts = self.everyone.by_school
        return sorted(
            counts, key=lambda pk: (pk is None, self.schools[pk].name if pk else "", pk or 0)
        )


def compare_candidates(user, session: Session, candidates: list[reach.Candidate]) -> Comparison:
    """What each candidate would reach among the caregivers the session is planned for,
    that `user` may see."""
    planned = planned_for(user, session)
    people = planned.population()
    reaches = reach.compare(people, candidates)
    school_ids = [pk for pk in people.schools if pk is not None]
    return Comparison(
        everyone=reach.census(people),
        invited=planned.invited,
        reaches=reaches,
        best=reach.best(reaches),
        schools=School.objects.in_bulk(school_ids) if school_ids else {},
    )


# Outreach -----------------------------------------------------------------------------


def never_came(user, program: Program) -> QuerySet[Caregiver]:
    """Caregivers invited to any of the program's sessions who never checked in to any
    session the organization held, that `user` may see; with `phones` and
    `invitations_here` (their invitations to the program, soonest session first)."""
    organization_id = program.organization_id
    households = visible_households(user, RUN).filter(organization_id=organization_id)
    invited = Invitation.objects.filter(caregiver_id=OuterRef("pk"), session__program=program)
    return (
        Caregiver.objects.filter(organization_id=organization_id, household__in=households)
        .filter(Exists(invited), ~_ever_attended(organization_id, "pk"))
        .prefetch_related(
            Prefetch(
                "contact_points",
                queryset=ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE),
                to_attr="phones",
            ),
            Prefetch(
                "program_invitations",
                queryset=Invitation.objects.filter(session__program=program).order_by(
                    "session__starts_at", "session_id"
                ),
                to_attr="invitations_here",
            ),
        )
        .order_by("family_name", "given_name", "pk")
    )


def program_sessions(program: Program) -> dict[int, Session]:
    return {
        session.pk: session
        for session in program.sessions.select_related("school", "program__organization")
    }


def households_of(caregivers: QuerySet[Caregiver]) -> Q:
    """A filter for the households of `caregivers`."""
    return Q(pk__in=caregivers.order_by().values("household_id"))
