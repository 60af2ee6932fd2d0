"""Who came: a session's attendance by role, language and school against the families
who said yes; a program's people across its sessions, how many came back, and who
completed it.

Counts are aggregates meant for reports: every count under TANDEM_MIN_GROUP_SIZE shows
as "fewer than N", and counts that would give one away by subtraction are hidden too
(`messaging.reach.suppress`, as in the listening report). The completion list names
people: only those who run the program see it. A fixed number of queries each.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from tandem.directory.languages import primary_subtag
from tandem.directory.models import Caregiver, School
from tandem.messaging.reach import SMALL, Cell, Line, suppress
from tandem.programs.models import Attendance, Invitation, Program, Session

Role = Attendance.Role
SAID_YES = Q(response=Invitation.Response.YES) & ~Q(channel=Invitation.Channel.WALK_IN)

# A session's columns: said yes; came of those; came without saying yes (walk-ins,
# guests, staff); everyone who came.
SESSION_COLUMNS = ("said_yes", "came_as_said", "walked_in", "came")


@dataclass
class Row:
    key: object  # a role, a language subtag, a school id (None: no school), a number
    cells: list[Cell]
    label: str = ""  # a role's or school's name


@dataclass
class Table:
    rows: list[Row]
    total: Row


@dataclass
class SessionAttendance:
    session: Session
    by_role: Table  # one column: came
    by_language: Table  # SESSION_COLUMNS
    by_school: Table  # SESSION_COLUMNS
    show_up: int | None  # percent of those who said yes who came; None when hidden
    minimum: int


def _cells(numbers) -> list[Cell]:
    return [Cell(n) for n in numbers]


def _sum(rows: list[list[int]], width: int) -> list[int]:
    return [sum(row[i] for row in rows) for i in range(width)]


def _lines(table: Table) -> list[Line]:
    """Each column adds up to its total; each row's came is its two parts."""
    width = len(table.total.cells)
    lines = [Line([row.cells[i] for row in table.rows], table.total.cells[i]) for i in range(width)]
    if width == len(SESSION_COLUMNS):
        lines += [Line(row.cells[1:3], row.cells[3]) for row in [*table.rows, table.total]]
    return lines


def _share(part: Cell, whole: Cell) -> int | None:
    if part.hidden or whole.hidden or not whole.value:
        return None
    return round(100 * part.value / whole.value)


def _school_names(ids) -> dict[int, str]:
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return {}
    return dict(School.objects.filter(pk__in=ids).values_list("pk", "name"))


def _order(rows: list[Row]) -> list[Row]:
    """Biggest shown groups first; hidden ones after, in a fixed order that gives
    nothing away."""

    def key(row: Row) -> tuple:
        cell = row.cells[-1]
        return (bool(cell.hidden), -(0 if cell.hidden else cell.value), str(row.key))

    return sorted(rows, key=key)


def session_attendance(session: Session) -> SessionAttendance:
    """Three queries: attendance, the families who said yes, the schools' names."""
    said_yes = Invitation.objects.filter(
        SAID_YES, session=session, caregiver_id=OuterRef("caregiver_id")
    )
    came = (
        Attendance.objects.filter(session=session)
        .annotate(as_said=Exists(said_yes))
        .values_list("role", "language", "school_id", "as_said")
        .annotate(n=Count("id"))
        .order_by()
    )
    roles: Counter = Counter()
    languages: dict = defaultdict(lambda: [0, 0, 0, 0])
    schools: dict = defaultdict(lambda: [0, 0, 0, 0])
    for role, language, school_id, as_said, number in came:
        roles[role] += number
        for numbers in (languages[primary_subtag(language)], schools[school_id]):
            numbers[1 if as_said else 2] += number
            numbers[3] += number
    for language, school_id, number in (
        Invitation.objects.filter(SAID_YES, session=session)
        .values_list("language", "school_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        languages[primary_subtag(language)][0] += number
        schools[school_id][0] += number

    width = len(SESSION_COLUMNS)
    total = Row("", _cells(_sum(list(languages.values()), width)))
    came_total = total.cells[3]  # one number in three tables: one cell, shown alike
    by_role = Table(
        [Row(role, [Cell(roles[role])], label) for role, label in Role.choices if roles[role]],
        Row("", [came_total]),
    )
    by_language = Table([Row(key, _cells(n)) for key, n in languages.items()], total)
    names = _school_names(schools)
    by_school = Table(
        [Row(key, _cells(n), names.get(key, "")) for key, n in schools.items()],
        Row("", total.cells),
    )
    minimum = settings.TANDEM_MIN_GROUP_SIZE
    suppress(_lines(by_role) + _lines(by_language) + _lines(by_school), minimum)
    by_language.rows = _order(by_language.rows)
    by_school.rows = _order(by_school.rows)
    return SessionAttendance(
        session=session,
        by_role=by_role,
        by_language=by_language,
        by_school=by_school,
        show_up=_share(total.cells[1], total.cells[0]),
        minimum=minimum,
    )


# A program across its sessions.


@dataclass
class SessionLine:
    session: Session
    said_yes: Cell
    came: Cell


@dataclass
class Completion:
    caregiver: Caregiver
    sessions: int


@dataclass
class ProgramAttendance:
    program: Program
    sessions: list[SessionLine]
    by_role: Table  # people (each once, however many sessions they came to)
    by_language: Table
    by_school: Table
    repeat: Table  # directory people by how many sessions they came to
    returning: Cell  # came to two sessions or more
    returning_share: int | None
    completed: list[Completion] = field(default_factory=list)
    minimum: int = 0

    @property
    def gives_certificates(self) -> bool:
        return self.program.sessions_to_complete is not None


def _hide_small(cells: list[Cell], minimum: int) -> None:
    for cell in cells:
        if 0 < cell.value < minimum:
            cell.hidden = SMALL


def program_attendance(program: Program) -> ProgramAttendance:
    """Four queries: the sessions with their counts, every attendance row, the schools'
    names and the people who completed."""
    minimum = settings.TANDEM_MIN_GROUP_SIZE
    sessions = list(
        Session.objects.filter(program=program)
        .select_related("school", "program__organization")
        .annotate(
            said_yes_count=Count(
                "invitations",
                filter=Q(invitations__response=Invitation.Response.YES)
                & ~Q(invitations__channel=Invitation.Channel.WALK_IN),
                distinct=True,
            ),
            came_count=Count("attendance", distinct=True),
        )
        .order_by("starts_at", "position", "id")
    )
    lines = [SessionLine(s, Cell(s.said_yes_count), Cell(s.came_count)) for s in sessions]
    _hide_small([cell for line in lines for cell in (line.said_yes, line.came)], minimum)

    people: dict[tuple, tuple[str, str, int | None]] = {}
    visits: Counter = Counter()
    for pk, caregiver_id, staff_id, role, language, school_id in (
        Attendance.objects.filter(session__program=program)
        .order_by("checked_in_at", "id")
        .values_list("pk", "caregiver_id", "staff_id", "role", "language", "school_id")
    ):
        if caregiver_id:
            person = ("c", caregiver_id)
        elif staff_id:
            person = ("s", staff_id)
        else:
            person = ("g", pk)  # a guest: known by name only, counted once per visit
        people.setdefault(person, (role, primary_subtag(language), school_id))
        if person[0] != "g":
            visits[person] += 1

    roles, languages, schools = Counter(), Counter(), Counter()
    for role, language, school_id in people.values():
        roles[role] += 1
        languages[language] += 1
        schools[school_id] += 1
    total = Cell(len(people))
    by_role = Table(
        [Row(role, [Cell(roles[role])], label) for role, label in Role.choices if roles[role]],
        Row("", [total]),
    )
    by_language = Table([Row(k, [Cell(n)]) for k, n in languages.items()], Row("", [total]))
    names = _school_names(schools)
    by_school = Table(
        [Row(k, [Cell(n)], names.get(k, "")) for k, n in schools.items()], Row("", [total])
    )

    times = Counter(visits.values())
    most = max(times, default=0)
    repeat = Table(
        [Row(k, [Cell(times.get(k, 0))]) for k in range(1, most + 1)],
        Row("", [Cell(len(visits))]),
    )
    returning = Cell(sum(n for k, n in times.items() if k >= 2))
    once = repeat.rows[0].cells[0] if repeat.rows else Cell(0)
    suppress(
        _lines(by_role)
        + _lines(by_language)
        + _lines(by_school)
        + _lines(repeat)
        + [Line([once, returning], repeat.total.cells[0])],
        minimum,
    )
    by_language.rows = _order(by_language.rows)
    by_school.rows = _order(by_school.rows)
    return ProgramAttendance(
        program=program,
        sessions=lines,
        by_role=by_role,
        by_language=by_language,
        by_school=by_school,
        repeat=repeat,
        returning=returning,
        returning_share=_share(returning, repeat.total.cells[0]),
        completed=completions(program, visits),
        minimum=minimum,
    )


def completions(program: Program, visits: Counter | None = None) -> list[Completion]:
    """Caregivers who came to at least the program's sessions to complete, by name."""
    needed = program.sessions_to_complete
    if needed is None:
        return []
    if visits is None:
        visits = Counter(
            dict(
                (("c", pk), n)
                for pk, n in Attendance.objects.filter(
                    session__program=program, caregiver__isnull=False
                )
                .values_list("caregiver_id")
                .annotate(n=Count("id"))
                .order_by()
            )
        )
    done = {pk: n for (kind, pk), n in visits.items() if kind == "c" and n >= needed}
    if not done:
        return []
    caregivers = Caregiver.objects.filter(pk__in=done).order_by("family_name", "given_name", "id")
    return [Completion(caregiver, done[caregiver.pk]) for caregiver in caregivers]


def has_completed(program: Program, caregiver_id: int) -> bool:
    needed = program.sessions_to_complete
    if needed is None:
        return False
    attended = Attendance.objects.filter(session__program=program, caregiver_id=caregiver_id)
    return attended.count() >= needed


def attended_sessions(program: Program, caregiver_id: int) -> list[tuple[Session, datetime]]:
    """The sessions of the program the caregiver came to, in order, with the check-in."""
    return [
        (attendance.session, attendance.checked_in_at)
        for attendance in Attendance.objects.filter(
            session__program=program, caregiver_id=caregiver_id
        )
        .select_related("session__school", "session__program__organization")
        .order_by("session__starts_at", "id")
    ]
