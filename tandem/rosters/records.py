"""A roster as read from its files, before it touches the database.

Both formats (OneRoster and Tandem's plain template) are read into a Roster: schools,
households, caregivers, students and staff, each keyed by its id in the source. Rows
with errors are already left out; `problems` says what was left out and why.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from tandem.rosters.fields import GRADE_ORDER
from tandem.rosters.problems import Problems

KIND_LABELS = {
    "schools": _("Schools"),
    "households": _("Households"),
    "caregivers": _("Caregivers"),
    "students": _("Students"),
    "staff": _("Staff"),
}
KINDS = tuple(KIND_LABELS)


@dataclass(slots=True)
class SchoolRecord:
    sourced_id: str
    name: str
    grade_band: str = ""  # "" lets the importer infer it from the students' grades


@dataclass(slots=True)
class ContactRecord:
    kind: str  # "phone" | "email", as ContactPoint.Kind
    value: str  # stored form: E.164 or lower-case email
    consent: bool
    preferred: bool = False


@dataclass(slots=True)
class CaregiverRecord:
    sourced_id: str
    given_name: str
    family_name: str
    # Only the fields the source gave: absent ones keep what Tandem already holds.
    fields: dict = field(default_factory=dict)
    contacts: list[ContactRecord] = field(default_factory=list)


@dataclass(slots=True)
class StudentRecord:
    sourced_id: str
    given_name: str
    family_name: str
    school_ref: str  # a school's sourced id, or its name for the plain template
    grade: str = ""


@dataclass(slots=True)
class StaffRecord:
    sourced_id: str
    given_name: str
    family_name: str
    role: str  # StaffMember.Role
    school_ref: str = ""
    email: str = ""
    phone: str = ""
    may_sign_in: bool = True


@dataclass(slots=True)
class HouseholdRecord:
    key: str  # the household's id in the source, or one derived from its first member
    name: str
    caregiver_ids: list[str] = field(default_factory=list)
    student_ids: list[str] = field(default_factory=list)
    # OneRoster has no households: they are inferred from guardian links, so an existing
    # household of any member is reused rather than matched by key alone.
    inferred: bool = False


@dataclass
class Roster:
    format: str  # "oneroster" | "plain"
    problems: Problems
    district_sourced_id: str | None = None
    schools: list[SchoolRecord] = field(default_factory=list)
    households: list[HouseholdRecord] = field(default_factory=list)
    caregivers: list[CaregiverRecord] = field(default_factory=list)
    students: list[StudentRecord] = field(default_factory=list)
    staff: list[StaffRecord] = field(default_factory=list)
    rows_read: int = 0
    # Set when the whole roster must not be imported, valid rows or not (another
    # organization's roster); the records are then emptied.
    blocked: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.problems.errors)

    @property
    def valid_rows(self) -> int:
        if self.blocked:
            return 0
        return max(self.rows_read - self.problems.rows_with_errors, 0)

    def clear_records(self) -> None:
        self.schools, self.households, self.caregivers, self.students, self.staff = (
            [],
            [],
            [],
            [],
            [],
        )

    def counts(self) -> dict[str, int]:
        return {
            "schools": len(self.schools),
            "households": len(self.households),
            "caregivers": len(self.caregivers),
            "students": len(self.students),
            "staff": len(self.staff),
            "rows": self.rows_read,
            "valid_rows": self.valid_rows,
            "errors": len(self.problems.errors),
            "warnings": len(self.problems.warnings),
        }


def mark_preferred(contacts: list[ContactRecord]) -> None:
    """The first phone is preferred, or the first email when there is no phone."""
    for contact in contacts:
        contact.preferred = False
    phones = [contact for contact in contacts if contact.kind == "phone"]
    if first := (phones or contacts or [None])[0]:
        first.preferred = True


class UnionFind:
    """Connected groups of ids (caregivers and students linked as guardian and child)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: str, second: str) -> None:
        first_root, second_root = self.find(first), self.find(second)
        if first_root != second_root:
            self.parent[second_root] = first_root


def infer_households(
    caregivers: list[CaregiverRecord],
    students: list[StudentRecord],
    links: list[tuple[str, str]],
) -> list[HouseholdRecord]:
    """One household per group of caregivers and students connected by guardian links.

    A household is named after its first caregiver's family name (file order), or its
    first student's when no caregiver is in the roster. Its key comes from the first
    student (or caregiver), which keeps it stable when a sibling or parent is added.
    """
    groups = UnionFind()
    caregiver_ids = [("c:" + caregiver.sourced_id) for caregiver in caregivers]
    student_ids = [("s:" + student.sourced_id) for student in students]
    for item in caregiver_ids + student_ids:
        groups.add(item)
    for caregiver_id, student_id in links:
        groups.union("s:" + student_id, "c:" + caregiver_id)

    households: dict[str, HouseholdRecord] = {}
    for student in students:
        root = groups.find("s:" + student.sourced_id)
        household = households.get(root)
        if household is None:
            household = households[root] = HouseholdRecord(
                key=f"oneroster:{student.sourced_id}", name=student.family_name, inferred=True
            )
        household.student_ids.append(student.sourced_id)
    named: set[str] = set()
    for caregiver in caregivers:
        root = groups.find("c:" + caregiver.sourced_id)
        household = households.get(root)
        if household is None:
            household = households[root] = HouseholdRecord(
                key=f"oneroster:{caregiver.sourced_id}", name="", inferred=True
            )
        if root not in named:
            household.name = caregiver.family_name or caregiver.given_name
            named.add(root)
        household.caregiver_ids.append(caregiver.sourced_id)
    for household in households.values():
        household.name = household.name or household.key.removeprefix("oneroster:")
    return list(households.values())


def duplicates(keys: list[tuple[str, int]]) -> dict[str, list[int]]:
    """Ids used on more than one row → the rows using them."""
    counts = Counter(key for key, _row in keys)
    rows: dict[str, list[int]] = {}
    for key, row in keys:
        if counts[key] > 1:
            rows.setdefault(key, []).append(row)
    return rows


_BAND_WORDS = (
    (("early childhood", "early learning", "preschool", "pre-k", "head start"), "early_childhood"),
    (("k-12", "k–12", "k12"), "k12"),
    (("k-8", "k–8", "k8"), "k8"),
    (("junior high", "jr. high", "jr high", "middle", "intermediate"), "middle"),
    (("high", "secondary"), "high"),
    (("elementary", "primary"), "elementary"),
)


def infer_grade_band(name: str, grades: set[str]) -> str:
    """A school's grade band from its students' grades, else from its name, else "other"."""
    ranks = [GRADE_ORDER.index(grade) for grade in grades if grade in GRADE_ORDER]
    if ranks:
        low, high, rank = min(ranks), max(ranks), GRADE_ORDER.index
        if high < rank("KG"):
            return "early_childhood"
        if low >= rank("09"):
            return "high"
        if low >= rank("05") and high <= rank("08"):
            return "middle"
        if high <= rank("06"):
            return "elementary"
        if high <= rank("08"):
            return "k8"
        if low <= rank("01") and high >= rank("12"):
            return "k12"
    lowered = name.casefold()
    for words, band in _BAND_WORDS:
        if any(word in lowered for word in words):
            return band
    return "other"
