"""Tandem's plain CSV template for households, caregivers and students, and its reader.

One row per caregiver–student pair, grouped by `household_id`: a household with two
caregivers and three children can be written as six rows, or as three rows (each with a
caregiver, a student, or both). A caregiver or student written on several rows is one
person (same `caregiver_id`/`student_id`, or the same name in the same household); a
value may be left blank on later rows, but two different values for one person are an
error. Blank cells never erase what Tandem already holds.
"""

import csv
import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tandem.directory.models import Caregiver, ContactPoint
from tandem.rosters import fields
from tandem.rosters.problems import Problems
from tandem.rosters.reading import RosterSource, Schema, normalize_header
from tandem.rosters.records import (
    CaregiverRecord,
    ContactRecord,
    HouseholdRecord,
    Roster,
    SchoolRecord,
    StudentRecord,
    infer_grade_band,
    mark_preferred,
)


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    help: str
    example: str
    aliases: tuple[str, ...] = ()
    required: bool = False


TEMPLATE_COLUMNS = (
    TemplateColumn(
        "household_id",
        _("Your id for the household; rows with the same id are one household. Required."),
        "H-1001",
        ("family_id", "household"),
        required=True,
    ),
    TemplateColumn(
        "household_name",
        _("How staff will see the household; blank: the first caregiver's last name."),
        "García",
    ),
    TemplateColumn(
        "caregiver_id",
        _("Your id for the caregiver; blank: the caregiver's name identifies them."),
        "P-501",
        ("parent_id", "guardian_id"),
    ),
    TemplateColumn(
        "caregiver_first_name",
        _("Caregiver's first (given) name; blank when the row is only about a student."),
        "María",
        ("caregiver_given_name", "parent_first_name", "guardian_first_name"),
    ),
    TemplateColumn(
        "caregiver_last_name",
        _("Caregiver's last (family) name."),
        "García",
        ("caregiver_family_name", "parent_last_name", "guardian_last_name"),
    ),
    TemplateColumn(
        "relationship",
        _("parent, grandparent, guardian, foster parent or other; blank: parent."),
        "parent",
    ),
    TemplateColumn(
        "language",
        _("Language for messages, as a language tag: en, es, vi, zh-Hant, so, ar…"),
        "es",
        ("preferred_language", "home_language"),
    ),
    TemplateColumn(
        "phone",
        _("Mobile number; numbers without + are read as numbers of your country."),
        "(312) 555-0101",
        ("mobile", "cell", "phone_number"),
    ),
    TemplateColumn(
        "sms_consent",
        _("yes if the caregiver agreed to text messages at this number; blank: no."),
        "yes",
        ("text_consent", "sms_ok"),
    ),
    TemplateColumn(
        "email",
        _("Email address; schools may email families about school matters."),
        "maria@example.com",
        ("email_address",),
    ),
    TemplateColumn("needs_childcare", _("yes or no: needs childcare to take part."), "yes"),
    TemplateColumn(
        "needs_transportation", _("yes or no: needs transportation to take part."), "no"
    ),
    TemplateColumn("needs_interpretation", _("yes or no: needs an interpreter at meetings."), "no"),
    TemplateColumn("accessibility_note", _("Anything that helps the caregiver take part."), ""),
    TemplateColumn(
        "student_id",
        _("Your id for the student; blank: the student's name identifies them."),
        "S-9001",
    ),
    TemplateColumn(
        "student_first_name",
        _("Student's first (given) name; blank when the row is only about a caregiver."),
        "Lucía",
        ("student_given_name", "child_first_name"),
    ),
    TemplateColumn(
        "student_last_name",
        _("Student's last (family) name."),
        "García",
        ("student_family_name", "child_last_name"),
    ),
    TemplateColumn(
        "school",
        _("The school's name as in Tandem (or its roster id); a new name creates the school."),
        "Oak Elementary",
        ("school_name",),
    ),
    TemplateColumn("grade", _("PK, K, 1 … 12; blank if not known."), "3", ("grade_level",)),
)

TEMPLATE_FILE_NAME = "tandem-households-template.csv"
SCHEMA = Schema(
    {column.name: column.aliases for column in TEMPLATE_COLUMNS},
    frozenset(column.name for column in TEMPLATE_COLUMNS if column.required),
)
RELATIONSHIPS = {
    "parent": Caregiver.Relationship.PARENT,
    "mother": Caregiver.Relationship.PARENT,
    "father": Caregiver.Relationship.PARENT,
    "grandparent": Caregiver.Relationship.GRANDPARENT,
    "grandmother": Caregiver.Relationship.GRANDPARENT,
    "grandfather": Caregiver.Relationship.GRANDPARENT,
    "guardian": Caregiver.Relationship.GUARDIAN,
    "fosterparent": Caregiver.Relationship.FOSTER_PARENT,
    "other": Caregiver.Relationship.OTHER,
}
# Free text and ids, and the most their fields hold.
_LIMITS = {
    "household_id": fields.ID_MAX_LENGTH,
    "caregiver_id": fields.ID_MAX_LENGTH,
    "student_id": fields.ID_MAX_LENGTH,
    "household_name": 200,
    "school": 200,
    "accessibility_note": 500,
}
_CAREGIVER_FIELDS = (
    ("relationship", "relationship"),
    ("language", "preferred_language"),
    ("needs_childcare", "needs_childcare"),
    ("needs_transportation", "needs_transportation"),
    ("needs_interpretation", "needs_interpretation"),
    ("accessibility_note", "accessibility_note"),
)


def template_csv() -> str:
    """The template: its header row and one example household."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in TEMPLATE_COLUMNS])
    writer.writerow([column.example for column in TEMPLATE_COLUMNS])
    return buffer.getvalue()


def is_plain(source: RosterSource) -> bool:
    return len(source.files) == 1


def normalize_school(value: str) -> str:
    return " ".join(value.split()).casefold()


@dataclass
class _Person:
    row: int
    household: str
    record: CaregiverRecord | StudentRecord
    # column → (value as written, row) for the values this person was given
    seen: dict[str, tuple[str, int]]


def parse_plain(
    source: RosterSource, *, phone_region: str = "US", known_schools: frozenset[str] = frozenset()
) -> Roster:
    """Read the single CSV file of `source` as Tandem's template.

    `known_schools` holds the organization's schools, by normalized name and roster id,
    so a school name not among them can be announced as new before anything is written.
    """
    problems = Problems()
    roster = Roster("plain", problems)
    file = next(iter(source.files.values()), None)
    if file is None:
        problems.add("", None, "", "no_roster_files")
        return roster
    reader = _RowReader(file.name, phone_region, known_schools, problems)
    for row, values in source.read_table(file.name, SCHEMA, problems, warn_unknown=True):
        roster.rows_read += 1
        reader.read(row, values)
    reader.finish(roster)
    return roster


class _RowReader:
    def __init__(
        self, file: str, region: str, known_schools: frozenset[str], problems: Problems
    ) -> None:
        self.file = file
        self.region = region
        self.known_schools = known_schools
        self.problems = problems
        self.caregivers: dict[str, _Person] = {}
        self.students: dict[str, _Person] = {}
        self.households: dict[str, HouseholdRecord] = {}
        self.new_schools: dict[str, SchoolRecord] = {}
        self.school_grades: dict[str, set[str]] = {}

    def read(self, row: int, values: dict[str, str]) -> None:
        household = values["household_id"]
        if not household:
            self.problems.add(self.file, row, "household_id", "required")
        for column, limit in _LIMITS.items():
            if len(values.get(column, "")) > limit:
                self.problems.add(self.file, row, column, "too_long", limit=limit)
        caregiver = self.caregiver(row, household, values) if self.has_caregiver(values) else None
        student = self.student(row, household, values) if self.has_student(values) else None
        if (
            caregiver is None
            and student is None
            and not self.problems.row_has_error(self.file, row)
        ):
            self.problems.add(self.file, row, "", "no_person")
        if self.problems.row_has_error(self.file, row):
            return
        for people, person in [(self.caregivers, caregiver), (self.students, student)]:
            if person is not None:
                self.check_same_person(people, person)
        if self.problems.row_has_error(self.file, row):
            return
        self.add(household, values, caregiver, student)

    @staticmethod
    def has_caregiver(values: dict[str, str]) -> bool:
        return bool(values.get("caregiver_first_name") or values.get("caregiver_last_name"))

    @staticmethod
    def has_student(values: dict[str, str]) -> bool:
        return bool(values.get("student_first_name") or values.get("student_last_name"))

    def caregiver(self, row: int, household: str, values: dict[str, str]) -> _Person:
        given = self.value(row, "caregiver_first_name", fields.read_name, values, required=True)
        family = self.value(row, "caregiver_last_name", fields.read_name, values)
        sourced_id = values.get("caregiver_id") or _derived_id(
            household, "caregiver", given, family
        )
        record = CaregiverRecord(sourced_id, given or "", family or "")
        seen = {}
        for column, field_name in _CAREGIVER_FIELDS:
            if values.get(column):
                value = self.value(row, column, self.reader(column), values)
                if value is not None:
                    record.fields[field_name] = value
                    seen[column] = (values[column], row)
        phone = self.value(row, "phone", self.phone, values)
        consent = self.value(row, "sms_consent", fields.read_boolean, values) or False
        email = self.value(row, "email", fields.read_email, values)
        if phone:
            record.contacts.append(ContactRecord(ContactPoint.Kind.PHONE, phone, consent))
            seen["phone"] = (values["phone"], row)
        if email:
            record.contacts.append(ContactRecord(ContactPoint.Kind.EMAIL, email, consent=True))
            seen["email"] = (values["email"], row)
        return _Person(row, household, record, seen)

    def student(self, row: int, household: str, values: dict[str, str]) -> _Person:
        given = self.value(row, "student_first_name", fields.read_name, values, required=True)
        family = self.value(row, "student_last_name", fields.read_name, values)
        grade = self.value(row, "grade", fields.read_grade, values) or ""
        school = values.get("school", "")
        if not school:
            self.problems.add(self.file, row, "school", "required")
        sourced_id = values.get("student_id") or _derived_id(household, "student", given, family)
        record = StudentRecord(sourced_id, given or "", family or "", school, grade)
        seen = {"school": (school, row)}
        if grade:
            seen["grade"] = (values["grade"], row)
        return _Person(row, household, record, seen)

    def reader(self, column: str):
        if column == "relationship":
            return self.relationship
        if column == "language":
            return fields.read_language
        if column == "accessibility_note":
            return lambda value: value  # its length is checked with the row's other texts
        return fields.read_boolean

    def relationship(self, value: str) -> str:
        try:
            return RELATIONSHIPS[normalize_header(value)]
        except KeyError as unknown:
            raise fields.BadValue("unknown_relationship", value=value) from unknown

    def phone(self, value: str) -> str:
        return fields.read_phone(value, self.region)

    def value(self, row: int, column: str, reader, values: dict[str, str], required=False):
        raw = values.get(column, "")
        if not raw:
            if required:
                self.problems.add(self.file, row, column, "required")
            return None
        try:
            return reader(raw)
        except fields.BadValue as bad:
            self.problems.add(self.file, row, column, bad.code, **bad.params)
            return None

    def check_same_person(self, people: dict[str, _Person], person: _Person) -> None:
        """A person written again must agree with what earlier rows said about them."""
        earlier = people.get(person.record.sourced_id)
        if earlier is None:
            return
        if earlier.household != person.household:
            self.problems.add(
                self.file,
                person.row,
                "household_id",
                "conflicting_value",
                value=person.household,
                other_row=earlier.row,
            )
        for column, (value, _row) in person.seen.items():
            before = earlier.seen.get(column)
            if before is not None and before[0] != value:
                self.problems.add(
                    self.file,
                    person.row,
                    column,
                    "conflicting_value",
                    value=value,
                    other_row=before[1],
                )

    def add(self, household_id: str, values, caregiver: _Person | None, student: _Person | None):
        household = self.households.get(household_id)
        if household is None:
            household = self.households[household_id] = HouseholdRecord(
                household_id, values.get("household_name", "")
            )
        if caregiver is not None:
            self.merge(self.caregivers, caregiver, household.caregiver_ids)
            if not household.name:
                household.name = caregiver.record.family_name
        if student is not None:
            self.place_in_school(student)
            self.merge(self.students, student, household.student_ids)

    def merge(self, people: dict[str, _Person], person: _Person, member_ids: list[str]):
        earlier = people.get(person.record.sourced_id)
        if earlier is None:
            people[person.record.sourced_id] = person
            member_ids.append(person.record.sourced_id)
            return
        for column, seen in person.seen.items():
            earlier.seen.setdefault(column, seen)
        if isinstance(person.record, CaregiverRecord):
            for name, value in person.record.fields.items():
                earlier.record.fields.setdefault(name, value)
            known = {(contact.kind, contact.value) for contact in earlier.record.contacts}
            earlier.record.contacts.extend(
                contact
                for contact in person.record.contacts
                if (contact.kind, contact.value) not in known
            )
        elif not earlier.record.grade:
            earlier.record.grade = person.record.grade

    def place_in_school(self, student: _Person) -> None:
        name = student.record.school_ref
        key = normalize_school(name)
        if key not in self.known_schools:
            school = self.new_schools.get(key)
            if school is None:
                school = self.new_schools[key] = SchoolRecord(f"plain:{key}", name)
                self.problems.warn(self.file, student.row, "school", "new_school", value=name)
            student.record.school_ref = school.sourced_id
        self.school_grades.setdefault(student.record.school_ref, set()).add(student.record.grade)

    def finish(self, roster: Roster) -> None:
        roster.caregivers = [person.record for person in self.caregivers.values()]
        for caregiver in roster.caregivers:
            mark_preferred(caregiver.contacts)
        roster.students = [person.record for person in self.students.values()]
        roster.households = list(self.households.values())
        for household in roster.households:
            if not household.name:
                first_student = self.students[household.student_ids[0]].record
                household.name = first_student.family_name or first_student.given_name
        for school in self.new_schools.values():
            grades = self.school_grades.get(school.sourced_id, set())
            school.grade_band = infer_grade_band(school.name, grades)
        roster.schools = list(self.new_schools.values())


def _derived_id(household: str, kind: str, given: str | None, family: str | None) -> str:
    """An id for a person the file gives no id for: household and name, case-blind (a
    digest of them when they would not fit the roster id field)."""
    name = " ".join(f"{given or ''} {family or ''}".split()).casefold()
    derived = f"plain:{household}:{kind}:{name}"
    if len(derived) > fields.ID_MAX_LENGTH:
        derived = "plain:" + hashlib.sha256(derived.encode()).hexdigest()
    return derived
