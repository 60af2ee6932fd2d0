"""Reading a OneRoster 1.2 CSV roster (1.1 files are read too) into a Roster.

orgs.csv gives schools; users.csv gives people; roles.csv says who is a student, a
guardian or staff and where; guardians and students are linked through users.csv
`agentSourcedIds` (either side may list the other). Caregivers and students connected
by those links form one household. enrollments.csv is read only to find the school of a
student that roles.csv and users.csv leave without one; demographics.csv only for
guardians (students' demographics are never kept). Birth dates and places of birth are
never read. Any other file (classes, courses, academicSessions…) is ignored.

SMS consent: a guardian's number in the `sms` column is one they gave for text messages,
so it is imported with consent; a number only in the `phone` column is imported without
consent. Tandem never texts a number without consent.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from tandem.directory.demographics import clean_self_described
from tandem.directory.models import ContactPoint
from tandem.rosters import fields
from tandem.rosters.oneroster_format import (
    DEMOGRAPHICS,
    ENROLLMENTS,
    GUARDIAN_ROLES,
    MANIFEST,
    ORGS,
    RACE_COLUMNS,
    READ_FILES,
    ROLES,
    SCHEMAS,
    SEX_TO_GENDER,
    STAFF_ROLES,
    STUDENT_ROLE,
    USERS,
)
from tandem.rosters.problems import Problems
from tandem.rosters.reading import RosterSource, normalize_header
from tandem.rosters.records import (
    CaregiverRecord,
    ContactRecord,
    Roster,
    SchoolRecord,
    StaffRecord,
    StudentRecord,
    duplicates,
    infer_grade_band,
    infer_households,
)

SCHOOL_NAME_MAX_LENGTH = 200  # School.name


def is_oneroster(source: RosterSource) -> bool:
    return source.get(USERS) is not None or source.get(MANIFEST) is not None


@dataclass(slots=True)
class _User:
    row: int
    values: dict[str, str]
    roles: list["_Role"] = field(default_factory=list)


@dataclass(slots=True)
class _Role:
    row: int | None  # None: from a users.csv role column (OneRoster 1.1)
    kind: str  # normalized role name
    org_id: str
    primary: bool


def parse_oneroster(
    source: RosterSource,
    *,
    phone_region: str = "US",
    district_sourced_id: str | None = None,
    today: date | None = None,
) -> Roster:
    """Read every file of `source`; never raises for bad input (see Roster.problems)."""
    parser = _Parser(source, phone_region, district_sourced_id, today or date.today())
    parser.run()
    return parser.roster


class _Parser:
    def __init__(
        self, source: RosterSource, region: str, district_sourced_id: str | None, today: date
    ) -> None:
        self.source = source
        self.region = region
        self.expected_district = district_sourced_id
        self.today = today
        self.problems = Problems()
        self.roster = Roster("oneroster", self.problems)
        self.org_types: dict[str, str] = {}  # valid orgs: id → type
        self.left_out_orgs: set[str] = set()
        self.school_names: dict[str, str] = {}
        self.users: dict[str, _User] = {}
        self.user_ids_seen: set[str] = set()
        self.enrollment_schools: dict[str, str] | None = None
        self.roles_missing = False
        self.former: set[str] = set()  # users whose roles have all ended or not yet begun

    def rows(self, name: str):
        for row, values in self.source.read_table(name, SCHEMAS[name], self.problems):
            self.roster.rows_read += 1
            yield row, values

    def run(self) -> None:
        self.read_manifest()
        for required in (ORGS, USERS):
            if self.source.get(required) is None:
                self.problems.add(required, None, "", "missing_file", file=required)
        self.read_orgs()
        self.read_users()
        if self.source.get(ROLES) is not None:
            self.read_roles()
        elif self.users and not any(user.values.get("role") for user in self.users.values()):
            self.problems.add(ROLES, None, "", "missing_file", file=ROLES)
            self.roles_missing = True
        demographics = self.read_demographics()
        self.build_records(demographics)
        if self.roster.blocked:
            self.roster.clear_records()

    def read_manifest(self) -> None:
        for row, values in self.rows(MANIFEST):
            name, value = values["propertyName"], values["value"].strip().lower()
            if name.startswith("file.") and value in ("bulk", "delta"):
                file_name = name.removeprefix("file.") + ".csv"
                if self.source.get(file_name) is None and file_name in READ_FILES:
                    self.problems.add(
                        MANIFEST, row, "value", "manifest_lists_missing_file", file=file_name
                    )
            elif name == "oneroster.version" and value not in ("1.1", "1.2"):
                self.problems.warn(MANIFEST, row, "value", "unsupported_version", value=value)

    def read_orgs(self) -> None:
        rows = []
        for row, values in self.rows(ORGS):
            if values.get("status", "").lower() == "tobedeleted":
                self.problems.warn(ORGS, row, "status", "to_be_deleted")
                continue
            if self.has_usable_id(ORGS, row, values["sourcedId"]):
                rows.append((row, values))
        repeated = self.report_duplicates(ORGS, [(v["sourcedId"], row) for row, v in rows])
        districts = []
        for row, values in rows:
            org_id = values["sourcedId"]
            org_type = values["type"].strip().lower()
            name = self.read(ORGS, row, "name", self.school_name, values["name"])
            if org_id not in repeated and not values["name"]:
                self.problems.add(ORGS, row, "name", "required")
            if org_id in repeated or self.problems.row_has_error(ORGS, row):
                self.left_out_orgs.add(org_id)
                continue
            self.org_types[org_id] = org_type
            if org_type == "school":
                self.school_names[org_id] = name
            elif org_type == "district":
                districts.append((row, org_id))
        self.check_district(districts)

    def check_district(self, districts: list[tuple[int, str]]) -> None:
        """A roster of another organization is refused outright, valid rows or not."""
        ids = [org_id for _row, org_id in districts]
        if self.expected_district and ids and self.expected_district not in ids:
            row, org_id = districts[0]
            self.problems.add(
                ORGS,
                row,
                "sourcedId",
                "other_district",
                value=org_id,
                expected=self.expected_district,
            )
            self.roster.blocked = True
        elif len(ids) == 1:
            self.roster.district_sourced_id = ids[0]

    def read_users(self) -> None:
        rows = []
        for row, values in self.rows(USERS):
            user_id = values["sourcedId"]
            if not self.has_usable_id(USERS, row, user_id):
                continue
            self.user_ids_seen.add(user_id)
            if values.get("status", "").lower() == "tobedeleted":
                self.problems.warn(USERS, row, "status", "to_be_deleted")
                continue
            rows.append((row, values))
        repeated = self.report_duplicates(USERS, [(v["sourcedId"], row) for row, v in rows])
        for row, values in rows:
            if values["sourcedId"] not in repeated:
                self.users[values["sourcedId"]] = _User(row, values)
        for user in self.users.values():
            if role := user.values.get("role", ""):
                org_ids = split_ids(user.values.get("orgSourcedIds", ""))
                user.roles.append(
                    _Role(None, role_key(role), org_ids[0] if org_ids else "", primary=True)
                )

    def read_roles(self) -> None:
        role_rows: dict[str, list[_Role]] = {}
        for row, values in self.rows(ROLES):
            user_id, org_id = values["userSourcedId"], values["orgSourcedId"]
            if values.get("status", "").lower() == "tobedeleted":
                continue
            kind = role_key(values["role"])
            if user_id not in self.users:
                if user_id not in self.user_ids_seen:
                    self.problems.warn(ROLES, row, "userSourcedId", "unknown_user", value=user_id)
                continue
            if kind not in GUARDIAN_ROLES and kind not in STAFF_ROLES and kind != STUDENT_ROLE:
                self.problems.add(ROLES, row, "role", "unknown_role", value=values["role"])
                continue
            if org_id not in self.org_types and org_id not in self.left_out_orgs:
                self.problems.add(ROLES, row, "orgSourcedId", "unknown_org", value=org_id)
                continue
            if (values.get("beginDate") or values.get("endDate")) and not self.is_current(
                row, values
            ):
                self.former.add(user_id)
                continue
            primary = values.get("roleType", "").strip().lower() != "secondary"
            role_rows.setdefault(user_id, []).append(_Role(row, kind, org_id, primary))
        for user_id, roles in role_rows.items():
            # Roles from roles.csv replace a 1.1 role column; primary roles come first.
            self.users[user_id].roles = sorted(roles, key=lambda role: not role.primary)

    def is_current(self, row: int, values: dict[str, str]) -> bool:
        """A role that ended before today or starts after it does not place anyone."""
        begin = self.read_date(row, "beginDate", values.get("beginDate", ""))
        end = self.read_date(row, "endDate", values.get("endDate", ""))
        return not ((begin and begin > self.today) or (end and end < self.today))

    def read_date(self, row: int, column: str, value: str) -> date | None:
        try:
            return fields.read_date(value)
        except fields.BadValue as bad:
            self.problems.warn(ROLES, row, column, bad.code, **bad.params)
            return None

    def read_demographics(self) -> dict[str, tuple[int, dict]]:
        answers: dict[str, tuple[int, dict]] = {}
        for row, values in self.rows(DEMOGRAPHICS):
            user_id = values["sourcedId"]
            user = self.users.get(user_id)
            if user is None or not any(role.kind in GUARDIAN_ROLES for role in user.roles):
                continue  # students' and staff's demographics are not kept
            races = []
            for column, option in RACE_COLUMNS.items():
                value = values.get(column, "")
                try:
                    if fields.read_boolean(value):
                        races.append(option)
                except fields.BadValue:
                    self.problems.warn(
                        DEMOGRAPHICS, row, column, "invalid_demographic", value=value
                    )
            described = {}
            if races:
                described["race_ethnicity"] = races
            if gender := SEX_TO_GENDER.get(values.get("sex", "").strip().lower()):
                described["gender"] = [gender]
            if described:
                answers[user_id] = (row, clean_self_described(described))
        return answers

    def build_records(self, demographics: dict[str, tuple[int, dict]]) -> None:
        roster = self.roster
        students: dict[str, StudentRecord] = {}
        caregivers: dict[str, CaregiverRecord] = {}
        staff: list[StaffRecord] = []
        for user_id, user in self.users.items():
            kinds = {role.kind for role in user.roles}
            if not kinds:
                if user_id in self.former:
                    self.problems.warn(USERS, user.row, "role", "no_current_role")
                elif not self.roles_missing:  # else one problem says it for every row
                    self.problems.add(USERS, user.row, "role", "no_role")
                continue
            given = self.read(
                USERS,
                user.row,
                "givenName",
                fields.read_name,
                user.values.get("preferredFirstName") or user.values["givenName"],
            )
            family = self.read(
                USERS,
                user.row,
                "familyName",
                fields.read_name,
                user.values.get("preferredLastName") or user.values.get("familyName", ""),
            )
            if not given:
                self.problems.add(USERS, user.row, "givenName", "required")
            student = guardian = None
            if STUDENT_ROLE in kinds:
                student = self.student(user, given, family)
            if relationship := next(
                (GUARDIAN_ROLES[role.kind] for role in user.roles if role.kind in GUARDIAN_ROLES),
                None,
            ):
                guardian = self.caregiver(user, given, family, relationship, demographics)
            member = self.staff_member(user, given, family)
            if self.problems.row_has_error(USERS, user.row):
                continue
            if student:
                students[user_id] = student
            if guardian:
                caregivers[user_id] = guardian
            if member:
                staff.append(member)

        links = self.links(students, caregivers)
        roster.students = list(students.values())
        roster.caregivers = list(caregivers.values())
        roster.staff = staff
        roster.households = infer_households(roster.caregivers, roster.students, links)
        grades: dict[str, set[str]] = {}
        for student in roster.students:
            grades.setdefault(student.school_ref, set()).add(student.grade)
        roster.schools = [
            SchoolRecord(org_id, name, infer_grade_band(name, grades.get(org_id, set())))
            for org_id, name in self.school_names.items()
        ]

    def student(self, user: _User, given: str, family: str) -> StudentRecord | None:
        grade = self.read(
            USERS, user.row, "grades", fields.read_grades, user.values.get("grades", "")
        )
        school = self.school_of(user, [r for r in user.roles if r.kind == STUDENT_ROLE])
        if school is None:
            return None
        return StudentRecord(user.values["sourcedId"], given, family, school, grade or "")

    def school_of(self, user: _User, roles: list[_Role]) -> str | None:
        """The first school among the user's roles, primary org, orgs and enrollments."""
        candidates = [role.org_id for role in roles]
        candidates.append(user.values.get("primaryOrgSourcedId", ""))
        candidates.extend(split_ids(user.values.get("orgSourcedIds", "")))
        left_out = None
        for org_id in filter(None, candidates):
            if self.org_types.get(org_id) == "school":
                return org_id
            if org_id in self.left_out_orgs:
                left_out = org_id
        enrolled = self.enrollments().get(user.values["sourcedId"])
        if enrolled and self.org_types.get(enrolled) == "school":
            return enrolled
        if left_out:
            self.problems.add(USERS, user.row, "", "school_left_out", value=left_out)
        else:
            self.problems.add(USERS, user.row, "", "no_school")
        return None

    def enrollments(self) -> dict[str, str]:
        """Each user's first school in enrollments.csv, read only when first needed."""
        if self.enrollment_schools is None:
            self.enrollment_schools = {}
            for _row, values in self.rows(ENROLLMENTS):
                if values.get("status", "").lower() != "tobedeleted":
                    self.enrollment_schools.setdefault(
                        values["userSourcedId"], values["schoolSourcedId"]
                    )
        return self.enrollment_schools

    def caregiver(
        self,
        user: _User,
        given: str,
        family: str,
        relationship: str,
        demographics: dict[str, tuple[int, dict]],
    ) -> CaregiverRecord:
        values, row = user.values, user.row
        caregiver_fields: dict = {"relationship": relationship}
        if language := values.get("preferredLanguages", ""):
            caregiver_fields["preferred_language"] = self.read(
                USERS, row, "preferredLanguages", fields.read_language, language
            )
        if answers := demographics.get(values["sourcedId"]):
            caregiver_fields["self_described"] = answers[1]
        return CaregiverRecord(
            values["sourcedId"], given, family, caregiver_fields, self.contacts(user)
        )

    def contacts(self, user: _User) -> list[ContactRecord]:
        values, row = user.values, user.row
        contacts = []
        sms = self.read(USERS, row, "sms", self.phone, values.get("sms", ""))
        phone = self.read(USERS, row, "phone", self.phone, values.get("phone", ""))
        if sms:
            contacts.append(
                ContactRecord(ContactPoint.Kind.PHONE, sms, consent=True, preferred=True)
            )
        if phone and phone != sms:
            contacts.append(
                ContactRecord(ContactPoint.Kind.PHONE, phone, consent=False, preferred=not sms)
            )
        if email := self.read(USERS, row, "email", fields.read_email, values.get("email", "")):
            contacts.append(
                ContactRecord(ContactPoint.Kind.EMAIL, email, consent=True, preferred=not contacts)
            )
        return contacts

    def phone(self, value: str) -> str:
        return fields.read_phone(value, self.region)

    def staff_member(self, user: _User, given: str, family: str) -> StaffRecord | None:
        roles = [role for role in user.roles if role.kind in STAFF_ROLES]
        if not roles:
            return None
        values, row = user.values, user.row
        role = roles[0]
        school = next((r.org_id for r in roles if self.org_types.get(r.org_id) == "school"), "")
        email = self.read(USERS, row, "email", fields.read_email, values.get("email", ""))
        phone = self.read(USERS, row, "phone", self.phone, values.get("phone", ""))
        enabled = values.get("enabledUser", "").strip().lower() != "false"
        return StaffRecord(
            values["sourcedId"],
            given,
            family,
            STAFF_ROLES[role.kind],
            school,
            email or "",
            phone or "",
            may_sign_in=enabled,
        )

    def links(
        self, students: dict[str, StudentRecord], caregivers: dict[str, CaregiverRecord]
    ) -> list[tuple[str, str]]:
        """(caregiver id, student id) pairs, from agentSourcedIds on either side.

        An id that is not in users.csv at all is reported; one whose row was left out
        for its own problems is not reported again.
        """
        links: dict[tuple[str, str], None] = {}
        for user_id, user in self.users.items():
            agents = split_ids(user.values.get("agentSourcedIds", ""))
            if user_id in students:
                for agent in agents:
                    if agent in caregivers:
                        links[(agent, user_id)] = None
                    elif agent not in self.user_ids_seen:
                        self.problems.warn(
                            USERS, user.row, "agentSourcedIds", "missing_guardian", value=agent
                        )
            if user_id in caregivers:
                for agent in agents:
                    if agent in students:
                        links[(user_id, agent)] = None
                    elif agent not in self.user_ids_seen:
                        self.problems.warn(
                            USERS, user.row, "agentSourcedIds", "missing_student", value=agent
                        )
        return list(links)

    def has_usable_id(self, file: str, row: int, sourced_id: str) -> bool:
        if not sourced_id:
            self.problems.add(file, row, "sourcedId", "required")
            return False
        return self.read(file, row, "sourcedId", fields.read_id, sourced_id) is not None

    @staticmethod
    def school_name(value: str) -> str:
        return fields.read_name(value, SCHOOL_NAME_MAX_LENGTH)

    def read(self, file: str, row: int, column: str, reader, value: str):
        """`reader(value)`, or None with the problem recorded; "" stays ""."""
        if not value:
            return ""
        try:
            return reader(value)
        except fields.BadValue as bad:
            self.problems.add(file, row, column, bad.code, **bad.params)
            return None

    def report_duplicates(self, file: str, keys: list[tuple[str, int]]) -> set[str]:
        repeated = duplicates(keys)
        for key, rows in repeated.items():
            for row in rows:
                other = next(other for other in rows if other != row)
                self.problems.add(
                    file, row, "sourcedId", "duplicate_id", value=key, other_row=other
                )
        return set(repeated)


@lru_cache(maxsize=256)
def role_key(value: str) -> str:
    """“relativeCaregiver”, “Relative Caregiver” and “relative_caregiver” are one role."""
    return normalize_header(value)


def split_ids(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
