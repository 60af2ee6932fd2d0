"""Reach: per school, language and channel, how many households the school side reached,
heard from, never reached, cannot reach, or lost to an opt-out; and the households a
coordinator should call because nothing reached them.

The dashboard is two aggregate queries whatever the district's size: one row per
(school, household) with its flags computed in the database, grouped per school and
for all schools together. Small groups are hidden by `suppress`, a pure function.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from tandem.accounts.permissions import Action, can
from tandem.accounts.scopes import visible_caregivers, visible_households, visible_schools
from tandem.directory.languages import primary_subtag
from tandem.directory.models import Caregiver, ContactPoint, Household, School, Student
from tandem.messaging.models import Delivery, InboundMessage

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
NO_CHANNEL = "none"  # no consented phone or email and no sign-in: Tandem cannot reach them
CHANNELS = (Delivery.Channel.SMS, Delivery.Channel.EMAIL, Delivery.Channel.WEB, NO_CHANNEL)
MEASURES = ("households", "reached", "replied", "never_reached", "bad_contact", "opted_out")
REACHED_STATUSES = (Delivery.Status.SENT, Delivery.Status.DELIVERED)

SMALL = "small"  # fewer households than the minimum group size
COMPLEMENT = "complement"  # hidden so that a small group cannot be worked out by subtraction


@dataclass(frozen=True)
class ReachFilters:
    """What the dashboard was asked for. Empty values mean "any"."""

    school: School | None = None
    language: str = ""  # a primary language subtag: "zh" matches zh-Hant
    channel: str = ""
    days: int = DEFAULT_PERIOD

    def since(self, now: datetime | None = None) -> datetime:
        return (now or timezone.now()) - timedelta(days=self.days)


@dataclass(eq=False)
class Cell:
    value: int
    hidden: str = ""  # "", SMALL or COMPLEMENT

    @property
    def shown(self) -> bool:
        return not self.hidden


@dataclass
class Row:
    key: str  # a language tag, a channel, or "" for a total
    cells: list[Cell]  # in MEASURES order

    def cell(self, measure: str) -> Cell:
        return self.cells[MEASURES.index(measure)]


@dataclass
class GroupReach:
    """One school, or all the user's schools together (`school` None)."""

    school: School | None
    total: Row
    by_language: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)
    can_list: bool = False  # may the user open the school's "not yet reached" list?


@dataclass
class Reach:
    schools: list[GroupReach]
    overall: GroupReach | None  # None when only one school is shown
    languages: list[str]  # every language found, before the language filter
    since: datetime


def reach_for(
    user, filters: ReachFilters | None = None, *, schools: list[School] | None = None
) -> Reach:
    """The reach dashboard for the schools the user may see reports of (`schools`, when
    the caller has them already)."""
    filters = filters or ReachFilters()
    since = filters.since()
    if schools is None:
        schools = list(visible_schools(user, Action.VIEW_REPORTS).order_by("name", "id"))
    if filters.school is not None:
        schools = [school for school in schools if school.pk == filters.school.pk]
    counts = _counts(user, [school.pk for school in schools], since) if schools else {}
    languages = sorted({language for rows in counts.values() for language, _c, _n in rows})
    groups = [
        _group(school, counts.get(school.pk, []), filters, can(user, Action.VIEW_DIRECTORY, school))
        for school in schools
    ]
    overall = _group(None, counts.get(None, []), filters) if len(schools) > 1 else None
    minimum = settings.TANDEM_MIN_GROUP_SIZE
    hide_small_rows(groups, overall, minimum)
    suppress(_lines(groups, overall), minimum)
    return Reach(schools=groups, overall=overall, languages=languages, since=since)


def _counts(user, school_ids: list[int], since: datetime) -> dict[int | None, list]:
    """(school id, or None for all schools) → [(language, channel, counts per measure)]."""
    households = visible_households(user, Action.VIEW_REPORTS)
    flags = (
        Student.objects.filter(school_id__in=school_ids, household_id__in=households.values("pk"))
        .annotate(**_household_flags(since))
        .values_list(
            "school_id",
            "household_id",
            "language",
            "channel",
            "reached",
            "replied",
            "never_reached",
            "failed",
            "opted_out",
        )
        .order_by()
    )
    inner, params = flags.query.sql_with_params()
    measures = """
        COUNT(DISTINCT household_id),
        COUNT(DISTINCT CASE WHEN reached = 1 THEN household_id END),
        COUNT(DISTINCT CASE WHEN replied = 1 THEN household_id END),
        COUNT(DISTINCT CASE WHEN never_reached = 1 THEN household_id END),
        COUNT(DISTINCT CASE WHEN failed = 1 OR (channel = %s AND opted_out = 0)
                            THEN household_id END),
        COUNT(DISTINCT CASE WHEN opted_out = 1 THEN household_id END)
    """
    # Only Django's own SQL and "%s" placeholders go into the text.
    sql = f"""
        WITH flags AS ({inner})
        SELECT school_id, language, channel, {measures} FROM flags
        GROUP BY school_id, language, channel
        UNION ALL
        SELECT NULL, language, channel, {measures} FROM flags
        GROUP BY language, channel
    """  # noqa: S608
    result: dict[int | None, list] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, NO_CHANNEL, NO_CHANNEL])
        for school_id, language, channel, *numbers in cursor.fetchall():
            result[school_id].append((language or "", channel, numbers))
    return result


def _household_flags(since: datetime) -> dict:
    """What the dashboard needs to know of each student's household, as 0/1 columns.

    A household's language is its first caregiver's (the one added first); its channel
    the best any caregiver can be reached on, in the order messages use (audiences.py).
    """
    household = OuterRef("household_id")
    caregivers = Caregiver.objects.filter(household_id=household)
    contacts = ContactPoint.objects.filter(caregiver__household_id=household)
    sent = Delivery.objects.filter(household_id=household, status__in=REACHED_STATUSES)
    Channel = Delivery.Channel
    return {
        "language": Subquery(caregivers.order_by("id").values("preferred_language")[:1]),
        "channel": Case(
            When(Exists(contacts.filter(kind="phone", consent=True)), then=Value(Channel.SMS)),
            When(Exists(contacts.filter(kind="email", consent=True)), then=Value(Channel.EMAIL)),
            When(Exists(caregivers.filter(user__isnull=False)), then=Value(Channel.WEB)),
            default=Value(NO_CHANNEL),
            output_field=CharField(),
        ),
        "reached": _flag(
            Q(household__last_reached_at__gte=since) | Exists(sent.filter(sent_at__gte=since))
        ),
        "replied": _flag(
            Q(household__last_heard_at__gte=since)
            | Exists(
                InboundMessage.objects.filter(
                    household_id=household,
                    kind=InboundMessage.Kind.REPLY,
                    received_at__gte=since,
                )
            )
        ),
        "never_reached": _flag(
            Q(household__last_reached_at__isnull=True) & ~Exists(sent.filter(sent_at__isnull=False))
        ),
        "failed": _flag(
            Exists(
                Delivery.objects.filter(
                    household_id=household, status=Delivery.Status.FAILED, created_at__gte=since
                )
            )
        ),
        "opted_out": _flag(Exists(contacts.filter(OPTED_OUT))),
    }


# A phone whose consent to texts was withdrawn after it was given (by STOP, or by the
# family or staff): a number added without consent is stamped before it is created.
OPTED_OUT = Q(kind=ContactPoint.Kind.PHONE, consent=False, consent_changed_at__gt=F("created_at"))


def _flag(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _group(
    school: School | None, rows: list, filters: ReachFilters, can_list: bool = False
) -> GroupReach:
    """Rows by language and by channel, and their total, after the language and channel
    filters (each household has one language and one channel, so rows add up)."""
    kept = [
        (language, channel, numbers)
        for language, channel, numbers in rows
        if (not filters.language or primary_subtag(language) == filters.language)
        and (not filters.channel or channel == filters.channel)
    ]
    by_language: dict[str, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    by_channel: dict[str, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    total = [0] * len(MEASURES)
    for language, channel, numbers in kept:
        for index, number in enumerate(numbers):
            by_language[language][index] += number
            by_channel[channel][index] += number
            if school is not None:
                total[index] += number
    if school is None:
        # All schools together: a household with students at two schools counts once, so
        # the total is the sum over one partition (languages), not over the schools.
        for numbers in by_language.values():
            total = [a + b for a, b in zip(total, numbers, strict=True)]
    return GroupReach(
        school=school,
        total=_row("", total),
        by_language=[
            _row(key, numbers)
            for key, numbers in sorted(by_language.items(), key=lambda item: (-item[1][0], item[0]))
        ],
        by_channel=[_row(key, by_channel[key]) for key in CHANNELS if key in by_channel],
        can_list=can_list,
    )


def _row(key: str, numbers: list[int]) -> Row:
    return Row(key, [Cell(number) for number in numbers])


@dataclass
class Line:
    """Cells whose `total` is the sum of `members` (or, across schools, about the sum:
    a household with students at two schools counts once in the total)."""

    members: list[Cell]
    total: Cell
    # Across schools, hide the all-schools cell rather than a school's: it is in no
    # school's table, so hiding it hides the least.
    total_first: bool = False


def _lines(groups: list[GroupReach], overall: GroupReach | None) -> list[Line]:
    """Per table and measure, its rows and its total; across schools, per language,
    channel and measure, each school's cell and the all-schools cell."""
    lines = []
    for group in [*groups, overall] if overall else groups:
        for rows in (group.by_language, group.by_channel):
            for index in range(len(MEASURES)):
                lines.append(Line([row.cells[index] for row in rows], group.total.cells[index]))
    if overall is None:
        return lines
    for attribute in ("by_language", "by_channel"):
        for total_row in getattr(overall, attribute):
            for index in range(len(MEASURES)):
                members = [
                    row.cells[index]
                    for group in groups
                    for row in getattr(group, attribute)
                    if row.key == total_row.key
                ]
                lines.append(Line(members, total_row.cells[index], total_first=True))
    for index in range(len(MEASURES)):
        members = [group.total.cells[index] for group in groups]
        lines.append(Line(members, overall.total.cells[index], total_first=True))
    return lines


def hide_small_rows(groups: list[GroupReach], overall: GroupReach | None, minimum: int) -> None:
    """A row whose group of households is small shows nothing, not even a zero: "none of
    these three families replied" is about three families."""
    for group in [*groups, overall] if overall else groups:
        for row in [group.total, *group.by_language, *group.by_channel]:
            if row.cells[0].value < minimum:
                for cell in row.cells:
                    cell.hidden = SMALL


def suppress(lines: list[Line], minimum: int) -> None:
    """Hide every count of fewer than `minimum` households, then hide more cells until
    no line gives a hidden count away: with its total shown, the hidden members add up
    to the total less the shown ones, so there must be two or more of them and their sum
    must not be a small group itself; with its total hidden, a member must be hidden too,
    or adding them up gives the total.

    The next cell hidden is the line's smallest non-zero member shown (hiding a zero
    would hide nothing), or its total when there is none or the line prefers it.
    """
    for line in lines:
        for cell in [*line.members, line.total]:
            if 0 < cell.value < minimum:
                cell.hidden = SMALL
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not _gives_away(line, minimum):
                continue
            shown = [cell for cell in line.members if cell.shown and cell.value > 0]
            if line.total.shown and (line.total_first or not shown):
                pick = line.total
            elif shown:
                pick = min(shown, key=lambda cell: cell.value)
            else:
                continue  # every other member is zero: nothing more to hide
            pick.hidden = COMPLEMENT
            changed = True


def _gives_away(line: Line, minimum: int) -> bool:
    hidden = [cell for cell in line.members if cell.hidden]
    if line.total.hidden:
        return not hidden and line.total.value > 0
    hidden_sum = sum(cell.value for cell in hidden)
    return len(hidden) == 1 or 0 < hidden_sum < minimum


# The "not yet reached" list.


def households_not_reached(
    user, school: School, *, days: int = DEFAULT_PERIOD, now: datetime | None = None
) -> QuerySet[Household]:
    """Households at `school` the user may list that nothing reached in the period
    (never reached first), with their caregivers' contacts, availability and needs."""
    since = (now or timezone.now()) - timedelta(days=days)
    sent = Delivery.objects.filter(
        household_id=OuterRef("pk"), status__in=REACHED_STATUSES, sent_at__gte=since
    )
    return (
        visible_households(user, Action.VIEW_DIRECTORY)
        .filter(Exists(Student.objects.filter(school=school, household_id=OuterRef("pk"))))
        .filter(Q(last_reached_at__isnull=True) | Q(last_reached_at__lt=since))
        .exclude(Exists(sent))
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "caregivers",
                queryset=visible_caregivers(user, Action.VIEW_DIRECTORY).prefetch_related(
                    "contact_points", "availability"
                ),
            )
        )
        .order_by(F("last_reached_at").asc(nulls_first=True), "name", "id")
    )
