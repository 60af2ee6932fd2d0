"""Which programs and sessions a user may see, and what the program pages read from
them, in a fixed number of queries whatever the number of programs or families.

A program is in the scope of whoever may run programs at one of its schools or across
its organization; a session, of whoever may run programs at its school (at its
program, for a session without a school). Changing either is decided again by the
services (`services.check`), which ask for all of a program's schools.
"""

from datetime import datetime
from itertools import groupby

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tandem.accounts.permissions import Action, can, scope_for
from tandem.accounts.scopes import visible_caregivers, visible_schools, visible_staff
from tandem.directory.models import School
from tandem.programs.invitations import when_text
from tandem.programs.models import Attendance, Invitation, Material, Program, Session
from tandem.programs.services import session_zone

RUN = Action.RUN_PROGRAMS
Response = Invitation.Response
CHOICES_SHOWN = 300  # people offered in a facilitator list


def visible_programs(user) -> QuerySet[Program]:
    scope = scope_for(user, RUN)
    if not scope:
        return Program.objects.none()
    at_a_school = Program.schools.through.objects.filter(
        program_id=OuterRef("pk"), school_id__in=scope.school_ids
    )
    return Program.objects.filter(
        Q(organization_id__in=scope.organization_ids) | Q(Exists(at_a_school))
    )


def access_program(user, pk) -> Program:
    """The program if `user` may see it; 404 otherwise (as if it did not exist)."""
    program = (
        visible_programs(user)
        .select_related("organization")
        .filter(pk=pk if str(pk).isdigit() else -1)
        .first()
    )
    if program is None:
        raise Http404
    return program


def may_see_session(user, session: Session) -> bool:
    if session.school_id is not None:
        return can(user, RUN, session.school)
    return visible_programs(user).filter(pk=session.program_id).exists()


def access_session(user, pk) -> Session:
    """The session (with its program, organization and school) if `user` may see it;
    404 otherwise."""
    session = (
        Session.objects.select_related("program__organization", "school")
        .filter(pk=pk if str(pk).isdigit() else -1)
        .first()
    )
    if session is None or not may_see_session(user, session):
        raise Http404
    return session


def _count(queryset: QuerySet, link: str) -> Coalesce:
    """How many rows of `queryset` point at the outer row through `link`, as a subquery
    (several counts on one row without multiplying joins)."""
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with how many families were invited, are coming, wait, said no, came."""
    invitations = Invitation.objects.all()
    return sessions.annotate(
        invited=_count(invitations, "session"),
        coming=_count(invitations.filter(response=Response.YES), "session"),
        waitlisted=_count(invitations.filter(response=Response.WAITLISTED), "session"),
        declined=_count(invitations.filter(response=Response.NO), "session"),
        attended=_count(Attendance.objects.all(), "session"),
    )


def describe(session: Session) -> Session:
    """Adds what pages show of a session's time: `when` (day and hours in the active
    language) and `zone` (the time zone it is written in)."""
    session.when = when_text(session)
    session.zone = str(session_zone(session))
    return session


def program_list(user, now: datetime | None = None) -> list[Program]:
    """The programs the user may see, newest first, each with its schools, number of
    sessions and next session (with how many are coming) — four queries in all."""
    now = now or timezone.now()
    upcoming = Session.objects.filter(
        program=OuterRef("pk"), status=Session.Status.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at", "id")
    programs = list(
        visible_programs(user)
        .select_related("organization")
        .prefetch_related("schools")
        .annotate(
            session_count=_count(
                Session.objects.exclude(status=Session.Status.CANCELLED), "program"
            ),
            next_session_id=Subquery(upcoming.values("pk")[:1]),
        )
    )
    next_ids = [p.next_session_id for p in programs if p.next_session_id]
    sessions = {
        session.pk: describe(session)
        for session in with_counts(
            Session.objects.filter(pk__in=next_ids).select_related(
                "school", "program__organization"
            )
        )
    }
    for program in programs:
        program.next_session = sessions.get(program.next_session_id)
    return programs


def curriculum(program: Program) -> list[Session]:
    """The program's sessions in order, each with its counts and local time."""
    return [
        describe(session)
        for session in with_counts(
            program.sessions.select_related("school", "program__organization")
        )
    ]


def materials_by_title(program: Program) -> list[tuple[str, list[Material]]]:
    """The program's materials, one entry per title with its versions by language."""
    materials = program.materials.select_related("session").order_by("title", "language", "id")
    return [(title, list(versions)) for title, versions in groupby(materials, lambda m: m.title)]


def program_school_ids(program: Program) -> list[int]:
    return [school.pk for school in program.schools.all()]


def facilitator_candidates(user, program: Program) -> tuple[QuerySet, QuerySet]:
    """Who may be added as a facilitator from the directory: staff of the program's
    schools (or organization), and caregivers in the user's scope who came to one of
    the organization's programs — the peer parent leaders."""
    school_ids = program_school_ids(program)
    staff = visible_staff(user, RUN).filter(organization=program.organization)
    if school_ids:
        staff = staff.filter(Q(school_id__in=school_ids) | Q(school__isnull=True))
    came = Attendance.objects.filter(
        caregiver_id=OuterRef("pk"), session__program__organization=program.organization
    )
    caregivers = (
        visible_caregivers(user, RUN).filter(organization=program.organization).filter(Exists(came))
    )
    return _first(staff), _first(caregivers)


def _first(people: QuerySet, most: int = CHOICES_SHOWN) -> QuerySet:
    """The first `most` by name, as a queryset a form can still look a choice up in."""
    order = ("given_name", "family_name", "id")
    return people.model.objects.filter(
        pk__in=Subquery(people.order_by(*order).values("pk")[:most])
    ).order_by(*order)


def program_schools_in_scope(user, program: Program) -> QuerySet[School]:
    """The program's schools where the user may plan a session."""
    return (
        visible_schools(user, RUN)
        .filter(pk__in=program_school_ids(program) or [-1])
        .order_by("name")
    )
