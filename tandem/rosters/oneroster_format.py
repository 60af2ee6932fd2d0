"""What a OneRoster 1.2 CSV export holds, as Tandem reads it: the files, their columns
(with the spellings real exports use) and the role and demographic vocabularies."""

from tandem.directory.models import Caregiver, StaffMember
from tandem.rosters.reading import Schema

MANIFEST = "manifest.csv"
ORGS = "orgs.csv"
USERS = "users.csv"
ROLES = "roles.csv"
ENROLLMENTS = "enrollments.csv"
DEMOGRAPHICS = "demographics.csv"
READ_FILES = (MANIFEST, ORGS, USERS, ROLES, ENROLLMENTS, DEMOGRAPHICS)

GUARDIAN_ROLES = {
    "parent": Caregiver.Relationship.PARENT,
    "guardian": Caregiver.Relationship.GUARDIAN,
    "relativecaregiver": Caregiver.Relationship.OTHER,
    "relative": Caregiver.Relationship.OTHER,  # OneRoster 1.1
}
# Least privilege: assistants and proctors read like teachers; site and system
# administrators hold a school's keeper role, never an organization-wide one.
STAFF_ROLES = {
    "teacher": StaffMember.Role.TEACHER,
    "aide": StaffMember.Role.TEACHER,
    "proctor": StaffMember.Role.TEACHER,
    "counselor": StaffMember.Role.COUNSELOR,
    "principal": StaffMember.Role.PRINCIPAL,
    "siteadministrator": StaffMember.Role.OFFICE_STAFF,
    "administrator": StaffMember.Role.OFFICE_STAFF,  # OneRoster 1.1
    "systemadministrator": StaffMember.Role.OFFICE_STAFF,
    "districtadministrator": StaffMember.Role.DISTRICT_FACE,
}
STUDENT_ROLE = "student"

SCHEMAS = {
    MANIFEST: Schema(
        {"propertyName": ("property", "name"), "value": ()},
        frozenset({"propertyName", "value"}),
    ),
    ORGS: Schema(
        {
            "sourcedId": ("id", "orgSourcedId", "sourceId"),
            "status": (),
            "name": ("orgName", "schoolName"),
            "type": ("orgType",),
        },
        frozenset({"sourcedId", "name", "type"}),
        frozenset({"dateLastModified", "identifier", "parentSourcedId"}),
    ),
    USERS: Schema(
        {
            "sourcedId": ("id", "sourceId"),
            "status": (),
            "enabledUser": ("enabled",),
            "givenName": ("firstName", "first", "fname"),
            "familyName": ("lastName", "last", "lname", "surname"),
            "preferredFirstName": ("preferredGivenName",),
            "preferredLastName": ("preferredFamilyName",),
            "email": ("emailAddress", "e-mail", "mail"),
            "sms": ("mobile", "mobilePhone", "cell", "cellPhone"),
            "phone": ("phoneNumber", "telephone", "homePhone"),
            "agentSourcedIds": ("agents", "agentIds", "agentSourcedId"),
            "grades": ("grade", "gradeLevel"),
            "preferredLanguages": (
                "preferredLanguage",
                "language",
                "languages",
                "homeLanguage",
                "metadata.preferredLanguage",
                "metadata.preferredLanguages",
            ),
            "primaryOrgSourcedId": ("primaryOrg",),
            "orgSourcedIds": ("orgs", "orgSourcedId"),
            "role": ("roles", "userRole"),
        },
        frozenset({"sourcedId", "givenName"}),
        frozenset(
            {
                "dateLastModified",
                "username",
                "userIds",
                "middleName",
                "identifier",
                "password",
                "userMasterIdentifier",
                "resourceSourcedIds",
                "preferredMiddleName",
                "pronouns",
                "birthDate",
            }
        ),
    ),
    ROLES: Schema(
        {
            "status": (),
            "userSourcedId": ("user", "userId"),
            "roleType": (),
            "role": (),
            "orgSourcedId": ("org", "orgId", "schoolSourcedId"),
            "beginDate": ("startDate",),
            "endDate": (),
        },
        frozenset({"userSourcedId", "role", "orgSourcedId"}),
        frozenset({"sourcedId", "dateLastModified", "userProfileSourcedId"}),
    ),
    ENROLLMENTS: Schema(
        {
            "status": (),
            "schoolSourcedId": ("school", "schoolId"),
            "userSourcedId": ("user", "userId"),
            "role": (),
        },
        frozenset({"schoolSourcedId", "userSourcedId"}),
        frozenset(
            {"sourcedId", "dateLastModified", "classSourcedId", "primary", "beginDate", "endDate"}
        ),
    ),
    DEMOGRAPHICS: Schema(
        {
            "sourcedId": ("userSourcedId", "id"),
            "status": (),
            "sex": (),
            "americanIndianOrAlaskaNative": (),
            "asian": (),
            "blackOrAfricanAmerican": (),
            "nativeHawaiianOrOtherPacificIslander": (),
            "white": (),
            "hispanicOrLatinoEthnicity": (),
        },
        frozenset({"sourcedId"}),
        frozenset(
            {
                "dateLastModified",
                "birthDate",
                "demographicRaceTwoOrMoreRaces",
                "countryOfBirthCode",
                "stateOfBirthAbbreviation",
                "cityOfBirth",
                "publicSchoolResidenceStatus",
            }
        ),
    ),
}

# demographics.csv columns → directory.demographics race_ethnicity options.
RACE_COLUMNS = {
    "americanIndianOrAlaskaNative": "american_indian_alaska_native",
    "asian": "asian",
    "blackOrAfricanAmerican": "black_african_american",
    "nativeHawaiianOrOtherPacificIslander": "native_hawaiian_pacific_islander",
    "white": "white",
    "hispanicOrLatinoEthnicity": "hispanic_latino",
}
# OneRoster records sex, not gender; only the two values that map without guessing are
# carried over, and "unspecified" or "other" leave the answer empty for the family.
SEX_TO_GENDER = {"female": "woman", "male": "man"}
