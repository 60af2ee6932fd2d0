"""Small roster files for the tests, written as a district would export them: OneRoster
1.2 CSV folders built from a few dicts, and Tandem's plain template filled in."""

import csv
import io
import zipfile
from pathlib import Path

from tandem.rosters.plain import TEMPLATE_COLUMNS

ORGS_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "name",
    "type",
    "identifier",
    "parentSourcedId",
]
USERS_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "resourceSourcedIds",
    "preferredFirstName",
    "preferredMiddleName",
    "preferredLastName",
    "primaryOrgSourcedId",
    "pronouns",
    "preferredLanguages",
]
ROLES_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
]
DEMOGRAPHICS_HEADER = [
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
]
MANIFEST = [
    ["propertyName", "value"],
    ["manifest.version", "1.0"],
    ["oneroster.version", "1.2"],
    ["file.academicSessions", "absent"],
    ["file.orgs", "bulk"],
    ["file.users", "bulk"],
    ["file.roles", "bulk"],
    ["file.demographics", "bulk"],
    ["file.enrollments", "absent"],
]
TEMPLATE_HEADER = [column.name for column in TEMPLATE_COLUMNS]


def user(sourced_id: str, given: str, family: str, **values) -> dict:
    return {
        "sourcedId": sourced_id,
        "givenName": given,
        "familyName": family,
        "enabledUser": "true",
        **values,
    }


def role(user_id: str, role_name: str, org_id: str, **values) -> dict:
    return {
        "sourcedId": f"r-{user_id}-{role_name}",
        "userSourcedId": user_id,
        "roleType": "primary",
        "role": role_name,
        "orgSourcedId": org_id,
        **values,
    }


def small_district() -> dict[str, list[dict]]:
    """Two schools, three families (one with two children and two guardians), a teacher.

    The García guardians are listed on their children's rows; the Hassan and Nguyen
    guardians list their children themselves: OneRoster allows both.
    """
    return {
        "orgs": [
            {"sourcedId": "d1", "name": "Riverside Unified", "type": "district"},
            {"sourcedId": "s-oak", "name": "Oak Elementary", "type": "school"},
            {"sourcedId": "s-rms", "name": "Riverside Middle", "type": "school"},
        ],
        "users": [
            user("stu-1", "Lucía", "García", grades="03", agentSourcedIds="par-1,par-2"),
            user("stu-2", "Mateo", "García", grades="07", agentSourcedIds="par-1"),
            user("stu-3", "Ayaan", "Hassan", grades="01"),
            user("stu-4", "Minh", "Nguyen", grades="08"),
            user(
                "par-1",
                "María",
                "García",
                sms="(312) 555-0101",
                email="Maria@Example.com",
                preferredLanguages="es",
            ),
            user("par-2", "José", "García", phone="312-555-0199", preferredLanguages="spa"),
            user(
                "par-3",
                "Amina",
                "Hassan",
                sms="+1 312 555 0103",
                preferredLanguages="so",
                agentSourcedIds="stu-3",
            ),
            user(
                "par-4",
                "Thi",
                "Nguyen",
                phone="+1 312 555 0104",
                preferredLanguages="vi",
                agentSourcedIds="stu-4",
            ),
            user("tea-1", "Tess", "Teacher", email="tess@riverside.test"),
        ],
        "roles": [
            role("stu-1", "student", "s-oak"),
            role("stu-2", "student", "s-rms"),
            role("stu-3", "student", "s-oak"),
            role("stu-4", "student", "s-rms"),
            role("par-1", "parent", "s-oak"),
            role("par-2", "guardian", "s-oak"),
            role("par-3", "parent", "s-oak"),
            role("par-4", "relativeCaregiver", "s-rms"),
            role("tea-1", "teacher", "s-oak"),
        ],
        "demographics": [
            {
                "sourcedId": "par-1",
                "birthDate": "1985-02-03",
                "sex": "female",
                "hispanicOrLatinoEthnicity": "true",
                "white": "false",
            },
            {"sourcedId": "stu-1", "birthDate": "2016-05-06", "sex": "female", "asian": "true"},
        ],
    }


def csv_text(header: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def oneroster_files(data: dict[str, list[dict]] | None = None) -> dict[str, str]:
    """File name → CSV text of a OneRoster export of `data` (default: small_district)."""
    data = small_district() if data is None else data
    manifest = io.StringIO()
    csv.writer(manifest, lineterminator="\r\n").writerows(MANIFEST)
    return {
        "manifest.csv": manifest.getvalue(),
        "orgs.csv": csv_text(ORGS_HEADER, data["orgs"]),
        "users.csv": csv_text(USERS_HEADER, data["users"]),
        "roles.csv": csv_text(ROLES_HEADER, data["roles"]),
        "demographics.csv": csv_text(DEMOGRAPHICS_HEADER, data["demographics"]),
    }


def write_files(folder: Path, files: dict[str, str | bytes], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (folder / name).write_bytes(data)
    return folder


def write_oneroster(folder: Path, data: dict | None = None, encoding: str = "utf-8") -> Path:
    return write_files(folder, oneroster_files(data), encoding)


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"export/{name}", content)
    return buffer.getvalue()


def template_row(**values) -> dict:
    return {name: values.get(name, "") for name in TEMPLATE_HEADER}


def template_text(rows: list[dict], header: list[str] | None = None) -> str:
    return csv_text(header or TEMPLATE_HEADER, rows)
