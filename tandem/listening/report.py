"""The strengths-and-needs report of a campaign: its top strengths and needs with counts
and quotes, and who took part, in which languages, against the school's families.

Every count under TANDEM_MIN_GROUP_SIZE shows as "fewer than N", and counts that would
give such a one away by subtraction are hidden too (`messaging.reach.suppress`). Quotes
are masked text in the campaign's language with nothing beside them: no name, date,
channel or language, so an anonymous answer cannot be traced; the only dates are months.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.text import Truncator

from tandem.directory.languages import primary_subtag
from tandem.directory.models import Caregiver, School, Student
from tandem.listening.answers import ANSWER_PURPOSE
from tandem.listening.models import (
    ActionItem,
    Answer,
    AnswerSet,
    Attendance,
    Campaign,
    Role,
    Theme,
)
from tandem.listening.screening import Flag
from tandem.messaging.reach import Cell, Line, suppress
from tandem.translation.models import TranslationRequest

TOP_THEMES = 5
QUOTES_PER_THEME = 3
QUOTE_CHARS = 280
_CANDIDATES = 8  # answers read per theme to find its quotes
_NOT_QUOTES = {Flag.INSULT, Flag.SHORT}
_SAID = [Answer.Kind.ANSWER, Answer.Kind.QUOTE]  # facilitators' notes are not counted

# A language row's cells, in order: answer sets finished, started and not finished,
# family members at sessions, all three together, and the school's caregivers.
COLUMNS = ("completed", "started", "attended", "participants", "families")


@dataclass
class ThemeSummary:
    theme: Theme
    answers: Cell
    quotes: list[str]
    actions: list[ActionItem] = field(default_factory=list)


@dataclass
class LanguageRow:
    language: str  # a primary subtag; "" when not known
    cells: list[Cell]  # in COLUMNS order
    participant_share: int | None = None  # percent; None when a count is hidden
    family_share: int | None = None

    @property
    def completed(self) -> Cell:
        return self.cells[0]

    @property
    def started(self) -> Cell:
        return self.cells[1]

    @property
    def attended(self) -> Cell:
        return self.cells[2]

    @property
    def participants(self) -> Cell:
        return self.cells[3]

    @property
    def families(self) -> Cell:
        return self.cells[4]


@dataclass
class RoleRow:
    role: Role
    attended: Cell


@dataclass
class Participation:
    """One school's participation, or the campaign's as a whole (`school` None)."""

    school: School | None
    languages: list[LanguageRow]
    total: LanguageRow
    roles: list[RoleRow]
    attended: Cell  # everyone at sessions, all roles


@dataclass
class Report:
    campaign: Campaign
    school: School | None  # what the report is about; None: the whole district
    strengths: list[ThemeSummary]
    needs: list[ThemeSummary]
    participation: Participation
    schools: list[Participation]  # a district-wide report's breakdown per school
    first_month: date | None
    last_month: date | None
    minimum: int

    @property
    def district_wide(self) -> bool:
        return self.school is None


def strengths_and_needs(campaign: Campaign, school: School | None = None) -> Report:
    """The report of `campaign`, at `school` (one school of a district-wide campaign)
    or, by default, wherever the campaign listened; a fixed number of queries."""
    school = campaign.school or school
    minimum = settings.TANDEM_MIN_GROUP_SIZE
    strengths, needs = _themes(campaign, school, minimum)
    overall, schools = _participation(campaign, school, minimum)
    period = _answers(campaign, school).aggregate(first=Min("received_on"), last=Max("received_on"))
    return Report(
        campaign=campaign,
        school=school,
        strengths=strengths,
        needs=needs,
        participation=overall,
        schools=schools,
        first_month=_month(period["first"]),
        last_month=_month(period["last"]),
        minimum=minimum,
    )


def _month(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def _at(queryset: QuerySet, campaign: Campaign, school: School | None, name: str = "school"):
    """Rows at `school` when it is one school of a district-wide campaign (a school's
    own campaign holds only its school's rows)."""
    if school is None or campaign.school_id:
        return queryset
    return queryset.filter(**{name: school})


def _answers(campaign: Campaign, school: School | None) -> QuerySet[Answer]:
    return _at(Answer.objects.filter(campaign=campaign, kind__in=_SAID), campaign, school)


# Strengths and needs.


def _themes(
    campaign: Campaign, school: School | None, minimum: int
) -> tuple[list[ThemeSummary], list[ThemeSummary]]:
    said = Q(answers__kind__in=_SAID)
    if school is not None and not campaign.school_id:
        said &= Q(answers__school=school)
    themes = list(
        Theme.objects.filter(campaign=campaign, kind__in=[Theme.Kind.STRENGTH, Theme.Kind.NEED])
        .annotate(answer_count=Count("answers", filter=said))
        .filter(answer_count__gt=0)
        .order_by("-answer_count", "label", "id")
    )
    strengths = [t for t in themes if t.kind == Theme.Kind.STRENGTH][:TOP_THEMES]
    needs = [t for t in themes if t.kind == Theme.Kind.NEED][:TOP_THEMES]
    quotes = _quotes(campaign, school, [t.pk for t in strengths + needs])
    actions: dict[int, list[ActionItem]] = defaultdict(list)
    for action in ActionItem.objects.filter(theme__in=needs).order_by("created_at", "id"):
        actions[action.theme_id].append(action)

    def summary(theme: Theme) -> ThemeSummary:
        count = Cell(theme.answer_count)
        if count.value < minimum:
            count.hidden = "small"
        return ThemeSummary(theme, count, quotes.get(theme.pk, []), actions.get(theme.pk, []))

    return [summary(t) for t in strengths], [summary(t) for t in needs]


def _quotes(campaign: Campaign, school: School | None, theme_ids: list[int]) -> dict:
    """theme id → up to QUOTES_PER_THEME masked quotes in the campaign's language: said
    in it, or translated into it (answers waiting for a translation are left out)."""
    if not theme_ids:
        return {}
    language = primary_subtag(campaign.language)
    in_language = Q(language=language) | Q(language__startswith=f"{language}-")
    candidates = list(
        _answers(campaign, school)
        .filter(theme_id__in=theme_ids)
        .annotate(
            foreign=Case(When(in_language, then=Value(0)), default=Value(1)),
            rank=Window(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[F("foreign").asc(), F("id").asc()],
                output_field=IntegerField(),
            ),
        )
        .filter(rank__lte=_CANDIDATES)
        .values_list("pk", "theme_id", "masked_text", "foreign", "flags")
        .order_by("theme_id", "rank")
    )
    translated = dict(
        TranslationRequest.objects.filter(
            organization_id=campaign.organization_id,
            purpose=ANSWER_PURPOSE,
            target_language=campaign.language,
            object_id__in=[str(pk) for pk, _t, _m, foreign, _f in candidates if foreign],
            status__in=[
                TranslationRequest.Status.APPROVED,
                TranslationRequest.Status.MACHINE_DRAFT,
            ],
        )
        .exclude(draft_text="")
        .values_list("object_id", "draft_text")
    )
    quotes: dict[int, list[str]] = defaultdict(list)
    for pk, theme_id, masked, foreign, flags in candidates:
        text = translated.get(str(pk)) if foreign else masked
        chosen = quotes[theme_id]
        quote = Truncator(text or "").chars(QUOTE_CHARS)
        if quote and quote not in chosen and not _NOT_QUOTES & set(flags or []):
            chosen.append(quote)
    for chosen in quotes.values():
        del chosen[QUOTES_PER_THEME:]
    return quotes


# Participation.


def _participation(
    campaign: Campaign, school: School | None, minimum: int
) -> tuple[Participation, list[Participation]]:
    """The report's participation and, district-wide, each school's; suppressed
    together, so that no number in one table gives a small one away in another."""
    per_school = school is None
    counts: dict = defaultdict(lambda: defaultdict(lambda: [0] * len(COLUMNS)))
    roles: dict = defaultdict(lambda: defaultdict(int))
    sets = _at(AnswerSet.objects.filter(campaign=campaign, role=Role.FAMILY), campaign, school)
    attendance = _at(
        Attendance.objects.filter(session__campaign=campaign), campaign, school, "session__school"
    )
    for school_id, language, completed, number in (
        sets.values_list("school_id", "language", "completed").annotate(n=Count("id")).order_by()
    ):
        for key in _keys(school_id, per_school):
            counts[key][primary_subtag(language)][0 if completed else 1] += number
    for school_id, role, language, number in (
        attendance.values_list("session__school_id", "role", "language")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        for key in _keys(school_id, per_school):
            roles[key][role] += number
            if role == Role.FAMILY:
                counts[key][primary_subtag(language)][2] += number
    schools = _schools(campaign, [key for key in counts if key is not None])
    for key, by_language in _families(campaign, school, schools).items():
        for language, number in by_language.items():
            counts[key][language][4] += number

    overall = _group(school, counts[None], roles[None])
    groups = [_group(s, counts[s.pk], roles[s.pk]) for s in schools]
    # District-wide, hide the district's cells rather than a school's: they hide least.
    lines = _lines(overall, total_first=bool(groups))
    lines += [line for group in groups for line in _lines(group)]
    suppress(lines + _across(overall, groups), minimum)
    for group in [overall, *groups]:
        _finish(group)
    return overall, groups


def _keys(school_id: int | None, per_school: bool) -> list[int | None]:
    """Where a count goes: the report as a whole, and its school when broken down."""
    return [None, school_id] if per_school and school_id else [None]


def _schools(campaign: Campaign, school_ids: list[int]) -> list[School]:
    """District-wide: the organization's schools where someone took part."""
    if not school_ids:
        return []
    return list(
        School.objects.filter(organization_id=campaign.organization_id, pk__in=school_ids)
        .only("pk", "name", "organization_id")
        .order_by("name", "id")
    )


def _families(campaign: Campaign, school: School | None, schools: list[School]) -> dict:
    """(None for the whole report, or a school's id) → language → caregivers with a
    student at the school (district-wide: at any of the organization's schools)."""
    result: dict = defaultdict(lambda: defaultdict(int))
    students = Student.objects.filter(household_id=OuterRef("household_id"))
    if school is not None:
        students = students.filter(school=school)
    for language, number in (
        Caregiver.objects.filter(Exists(students), organization_id=campaign.organization_id)
        .values_list("preferred_language")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[None][primary_subtag(language)] += number
    if schools:
        for school_id, language, number in (
            Student.objects.filter(school__in=schools)
            .values_list("school_id", "household__caregivers__preferred_language")
            .annotate(n=Count("household__caregivers", distinct=True))
            .order_by()
        ):
            if language is not None:
                result[school_id][primary_subtag(language)] += number
    return result


def _group(school: School | None, by_language: dict, by_role: dict) -> Participation:
    rows = []
    totals = [0] * len(COLUMNS)
    for language, numbers in by_language.items():
        numbers[3] = numbers[0] + numbers[1] + numbers[2]
        rows.append(LanguageRow(language, [Cell(n) for n in numbers]))
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
    total = LanguageRow("", [Cell(n) for n in totals])
    # Families at sessions are one number in two tables: one cell, so both show alike.
    role_rows = [
        RoleRow(role, total.attended if role == Role.FAMILY else Cell(by_role.get(role, 0)))
        for role in Role
    ]
    return Participation(school, rows, total, role_rows, Cell(sum(by_role.values())))


def _lines(group: Participation, total_first: bool = False) -> list[Line]:
    """Within one table: each column adds up to its total, each row's participants are
    its answer sets and attendance, and the roles add up to everyone at sessions."""
    lines = [
        Line([row.cells[index] for row in group.languages], group.total.cells[index])
        for index in range(len(COLUMNS))
    ]
    lines += [Line(row.cells[:3], row.cells[3]) for row in [*group.languages, group.total]]
    lines.append(Line([row.attended for row in group.roles], group.attended))
    for line in lines:
        line.total_first = total_first
    return lines


def _across(overall: Participation, groups: list[Participation]) -> list[Line]:
    """District-wide, each school's cells add up to (about) the district's. Not the
    families: the district's count also holds schools where no one took part."""
    if not groups:
        return []
    lines = []
    for index in range(COLUMNS.index("families")):
        for whole in overall.languages:
            members = [
                row.cells[index]
                for group in groups
                for row in group.languages
                if row.language == whole.language
            ]
            lines.append(Line(members, whole.cells[index], total_first=True))
        members = [group.total.cells[index] for group in groups]
        lines.append(Line(members, overall.total.cells[index], total_first=True))
    for index, whole in enumerate(overall.roles):
        members = [group.roles[index].attended for group in groups]
        lines.append(Line(members, whole.attended, total_first=True))
    lines.append(Line([group.attended for group in groups], overall.attended, total_first=True))
    return lines


def _finish(group: Participation) -> None:
    """Shares of what is shown, and rows in an order that only shown numbers decide."""
    for row in [*group.languages, group.total]:
        row.participant_share = _share(row.participants, group.total.participants)
        row.family_share = _share(row.families, group.total.families)
    group.languages.sort(
        key=lambda row: (-_shown(row.participants), -_shown(row.families), row.language)
    )


def _shown(cell: Cell) -> int:
    return 0 if cell.hidden else cell.value


def _share(part: Cell, whole: Cell) -> int | None:
    if part.hidden or whole.hidden or not whole.value:
        return None
    return round(100 * part.value / whole.value)
