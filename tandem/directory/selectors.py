"""Reads for the staff directory: filtered households and caregivers, schools with counts.

Everything starts from `tandem.accounts.scopes`, so no list can hold a family the user
may not see. Caregiver filters are Exists subqueries on indexed columns: no DISTINCT
over joins, so the lists stay fast at hundreds of thousands of households.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from tandem.accounts.permissions import Action
from tandem.accounts.scopes import (
    visible_caregivers,
    visible_households,
    visible_organizations,
    visible_schools,
    visible_students,
)
from tandem.directory.languages import primary_subtag
from tandem.directory.models import (
    AvailabilityWindow,
    Caregiver,
    ContactPoint,
    Household,
    Organization,
    School,
    Student,
)
from tandem.directory.phones import normalize_phone

# What each need filter means on a caregiver row (partial indexes in models.py match).
NEEDS: dict[str, Q] = {
    "childcare": Q(needs_childcare=True),
    "transportation": Q(needs_transportation=True),
    "interpretation": Q(needs_interpretation=True),
    "accessibility": ~Q(accessibility_note=""),
}

# Availability windows are stored in the school's local time; a window counts when it
# overlaps the period.
_SCHOOL_DAY = (time(9), time(15))
_EVENING = (time(17), time(21))
AVAILABILITY: dict[str, Q] = {
    "weekday_daytime": Q(weekday__lte=4, starts_at__lt=_SCHOOL_DAY[1], ends_at__gt=_SCHOOL_DAY[0]),
    "weekday_evening": Q(weekday__lte=4, starts_at__lt=_EVENING[1], ends_at__gt=_EVENING[0]),
    "weekend": Q(weekday__gte=5),
}

# A longer search is not a name; more words add subqueries without narrowing much more.
MAX_SEARCH_WORDS = 4


@dataclass(frozen=True)
class DirectoryFilters:
    """What a staff member asked the directory for. Empty values mean "any"."""

    school: School | None = None
    language: str = ""  # a primary language subtag: "zh" matches zh-Hant and zh-Hans
    needs: tuple[str, ...] = ()
    not_reached: bool = False
    relationship: str = ""
    availability: str = ""
    search: str = ""

    def as_dict(self) -> dict:
        return {
            "school": self.school,
            "language": self.language,
            "needs": self.needs,
            "not_reached": self.not_reached,
            "relationship": self.relationship,
            "availability": self.availability,
            "search": self.search,
        }


NO_FILTERS = DirectoryFilters()


def households_for_directory(user, filters: DirectoryFilters = NO_FILTERS) -> QuerySet[Household]:
    """Households the user may list, matching every filter, with what a row shows.

    A household matches the caregiver filters when one of its caregivers matches them
    all ("a caregiver who speaks Vietnamese and needs childcare"), so this list and
    `caregivers_for_directory` always agree.
    """
    households = visible_households(user, Action.VIEW_DIRECTORY)
    if filters.school is not None:
        households = households.filter(_has_student_at(filters.school, "pk"))
    if filters.not_reached:
        households = households.filter(last_reached_at__isnull=True)
    caregiver_q = _caregiver_q(filters)
    if caregiver_q:
        households = households.filter(
            Exists(Caregiver.objects.filter(caregiver_q, household_id=OuterRef("pk")))
        )
    for household_ids in _households_found(user, filters.search):
        households = households.filter(pk__in=household_ids)
    return (
        households.select_related("organization")
        .prefetch_related(
            Prefetch(
                "caregivers",
                queryset=visible_caregivers(user, Action.VIEW_DIRECTORY).prefetch_related(
                    "contact_points"
                ),
            ),
            Prefetch("students", queryset=_students(user)),
        )
        .order_by("name", "id")
    )


def caregivers_for_directory(user, filters: DirectoryFilters = NO_FILTERS) -> QuerySet[Caregiver]:
    """Caregivers the user may list, one row each (for phoning lists)."""
    caregivers = visible_caregivers(user, Action.VIEW_DIRECTORY)
    if filters.school is not None:
        caregivers = caregivers.filter(_has_student_at(filters.school, "household_id"))
    if filters.not_reached:
        caregivers = caregivers.filter(household__last_reached_at__isnull=True)
    caregiver_q = _caregiver_q(filters)
    if caregiver_q:
        caregivers = caregivers.filter(caregiver_q)
    for household_ids in _households_found(user, filters.search):
        caregivers = caregivers.filter(household_id__in=household_ids)
    return (
        caregivers.select_related("household__organization")
        .prefetch_related(
            "contact_points",
            "availability",
            Prefetch("household__students", queryset=_students(user)),
        )
        .order_by("family_name", "given_name", "id")
    )


def households_for_page(user, action: Action = Action.VIEW_HOUSEHOLD) -> QuerySet[Household]:
    """Households with everything the household page shows, for `access_object`."""
    return (
        visible_households(user, action)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "caregivers",
                queryset=visible_caregivers(user, action).prefetch_related(
                    "contact_points", "availability"
                ),
            ),
            Prefetch(
                "students",
                queryset=visible_students(user, action).select_related("school__feeds_into"),
            ),
        )
    )


def schools_for_filter(user) -> list[School]:
    """The schools a user may filter the directory by: those in their scope."""
    return list(visible_schools(user, Action.VIEW_DIRECTORY).order_by("name", "id"))


def languages_in_use(user) -> list[str]:
    """Primary language subtags preferred by caregivers in the user's organizations.

    A DISTINCT over every caregiver reads them all; this walks the (organization,
    preferred_language) index from one tag to the next instead (a "loose index scan"),
    a handful of index probes however many families there are. A language of the
    organization that none of the user's own families speaks simply finds no one.
    """
    organization_ids = list(
        visible_organizations(user, Action.VIEW_DIRECTORY).values_list("id", flat=True)
    )
    if not organization_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_language_walk_sql(len(organization_ids)), organization_ids)
        return sorted({primary_subtag(tag) for (tag,) in cursor.fetchall()})


def _language_walk_sql(organizations: int) -> str:
    """The recursive query behind `languages_in_use`; only table names and "%s" go in."""
    caregiver = connection.ops.quote_name(Caregiver._meta.db_table)
    organization = connection.ops.quote_name(Organization._meta.db_table)
    placeholders = ", ".join(["%s"] * organizations)
    return f"""
        WITH RECURSIVE tags(organization_id, tag) AS (
            SELECT o.id, (SELECT MIN(c.preferred_language) FROM {caregiver} c
                          WHERE c.organization_id = o.id)
            FROM {organization} o WHERE o.id IN ({placeholders})
            UNION ALL
            SELECT t.organization_id, (SELECT MIN(c.preferred_language) FROM {caregiver} c
                                       WHERE c.organization_id = t.organization_id
                                       AND c.preferred_language > t.tag)
            FROM tags t WHERE t.tag IS NOT NULL
        )
        SELECT tag FROM tags WHERE tag IS NOT NULL
    """  # noqa: S608


@dataclass
class LanguageGroup:
    tag: str
    households: int | None  # None: fewer than the minimum group size, not shown


@dataclass
class SchoolSummary:
    school: School
    households: int | None
    languages: list[LanguageGroup] = field(default_factory=list)


def schools_for_directory(user) -> list[SchoolSummary]:
    """The schools the user may see, with feeder links and households per language.

    A household counts once per language its caregivers prefer. Groups smaller than
    TANDEM_MIN_GROUP_SIZE are reported as None so no page can show them.
    """
    schools = list(
        visible_schools(user, Action.VIEW_DIRECTORY)
        .select_related("organization", "feeds_into")
        .prefetch_related(Prefetch("feeder_schools", queryset=School.objects.order_by("name")))
        .order_by("organization__name", "name", "id")
    )
    # The schools are the user's own to see and only counts leave this function; not
    # repeating the scope's organization filter lets the (school, household) index
    # answer the totals on its own.
    students = Student.objects.filter(school_id__in=[school.pk for school in schools])
    totals = dict(
        students.order_by()
        .values("school_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("school_id", "n")
    )
    per_language: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = (
        students.order_by()
        .values("school_id", "household__caregivers__preferred_language")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("school_id", "household__caregivers__preferred_language", "n")
    )
    for school_id, tag, n in rows:
        if tag is not None:
            per_language[school_id].append((tag, n))
    return [
        SchoolSummary(
            school=school,
            households=_shown(totals.get(school.pk, 0)),
            languages=[
                LanguageGroup(tag, _shown(n))
                for tag, n in sorted(per_language[school.pk], key=lambda row: (-row[1], row[0]))
            ],
        )
        for school in schools
    ]


def _shown(count: int) -> int | None:
    return count if count >= settings.TANDEM_MIN_GROUP_SIZE else None


def _students(user):
    """Students a row may show: school staff see only their own school's students."""
    return visible_students(user, Action.VIEW_DIRECTORY).select_related("school")


def _has_student_at(school: School, household_field: str) -> Exists:
    # The school was chosen among visible_schools by the filter form, and the rows
    # filtered are visible households: this subquery reveals nothing more.
    return Exists(Student.objects.filter(school=school, household_id=OuterRef(household_field)))


def _caregiver_q(filters: DirectoryFilters) -> Q:
    q = Q()
    if filters.language:
        language = primary_subtag(filters.language)
        q &= Q(preferred_language=language) | Q(preferred_language__startswith=f"{language}-")
    for need in filters.needs:
        q &= NEEDS[need]
    if filters.relationship:
        q &= Q(relationship=filters.relationship)
    if filters.availability:
        q &= Q(
            Exists(
                AvailabilityWindow.objects.filter(
                    AVAILABILITY[filters.availability], caregiver_id=OuterRef("pk")
                )
            )
        )
    return q


def _contact_q(search: str) -> Q | None:
    """An exact phone number or email address, when the search is one (indexed lookup)."""
    search = search.strip()
    if "@" in search:
        return Q(kind=ContactPoint.Kind.EMAIL, value=search.lower())
    if sum(character.isdigit() for character in search) >= 7:
        try:
            value = normalize_phone(search, settings.TANDEM_DEFAULT_PHONE_REGION)
        except ValidationError:
            return None
        return Q(kind=ContactPoint.Kind.PHONE, value=value)
    return None


def _households_found(user, search: str) -> list[QuerySet]:
    """Household ids a search finds, one subquery per word; a household must be in all.

    A word finds a household by its name, a caregiver's or a visible student's name;
    a phone number or email address finds the household holding it. Each subquery is
    a UNION of index lookups (trigram indexes on PostgreSQL), never a scan of every
    household with an OR. The lists show every caregiver of a household found.
    """
    if not search:
        return []
    if (contact := _contact_q(search)) is not None:
        return [ContactPoint.objects.filter(contact).values("caregiver__household_id")]
    found = []
    for word in search.split()[:MAX_SEARCH_WORDS]:
        named = Q(given_name__icontains=word) | Q(family_name__icontains=word)
        found.append(
            Household.objects.filter(name__icontains=word)
            .values("pk")
            .order_by()
            .union(
                Caregiver.objects.filter(named).values("household_id").order_by(),
                _students_named(user, word).values("household_id").order_by(),
            )
        )
    return found


def _students_named(user, word: str) -> QuerySet[Student]:
    """Students matching a name, among those the user may see (never another school's)."""
    return visible_students(user, Action.VIEW_DIRECTORY).filter(
        Q(given_name__icontains=word) | Q(family_name__icontains=word)
    )
