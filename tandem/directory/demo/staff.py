"""Who works in the demo district and at its partner nonprofit, one sign-in per person.

Every school has the people a Parent Center and a Family Action Team need: principal,
family engagement lead, parent coordinator, community representative, teachers,
counselor and office staff; the district has its family and community engagement (FACE)
office and an administrator; the nonprofit has program staff and a funder.
"""

import random
from dataclasses import dataclass

from tandem.accounts.roles import Role
from tandem.directory.demo.communities import COMMUNITIES, COMMUNITIES_BY_KEY
from tandem.directory.demo.families import ascii_name
from tandem.directory.demo.schools import SCHOOLS
from tandem.directory.languages import normalize_language_tag

# One password for every demo staff account, printed when the demo starts.
DEMO_PASSWORD = "tandem-demo-2026"  # noqa: S105 (printed for anyone trying the demo)
DISTRICT_EMAIL_DOMAIN = "riverside.example.org"
PARTNER_EMAIL_DOMAIN = "bridges.example.org"

SCHOOL_STAFF: tuple[tuple[Role, int], ...] = (
    (Role.PRINCIPAL, 1),
    (Role.FAMILY_ENGAGEMENT_LEAD, 1),
    (Role.PARENT_COORDINATOR, 1),
    (Role.COMMUNITY_REPRESENTATIVE, 1),
    (Role.TEACHER, 4),
    (Role.COUNSELOR, 1),
    (Role.OFFICE_STAFF, 1),
    (Role.PARENT_LEADER, 1),
)
DISTRICT_STAFF: tuple[tuple[Role, int], ...] = ((Role.ORG_ADMIN, 1), (Role.DISTRICT_FACE, 2))
PARTNER_STAFF: tuple[tuple[Role, int], ...] = ((Role.PARTNER_STAFF, 2), (Role.FUNDER, 1))
# Administrators, funders and parent leaders hold a role without being staff in the
# directory.
ROLES_WITHOUT_STAFF_RECORD = frozenset({Role.ORG_ADMIN, Role.FUNDER, Role.PARENT_LEADER})

# Staff are less often from immigrant communities than the families they serve.
STAFF_COMMUNITY_WEIGHTS = {
    "english": 65,
    "spanish": 20,
    "vietnamese": 3,
    "chinese_simplified": 2,
    "arabic": 3,
    "haitian": 3,
    "somali": 2,
    "tagalog": 2,
}


@dataclass(frozen=True)
class StaffPlan:
    role: Role
    organization: str  # "district" or "partner"
    school: str | None  # a key of schools.SCHOOLS
    given_name: str
    family_name: str
    email: str
    languages: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_staff_record(self) -> bool:
        return self.role not in ROLES_WITHOUT_STAFF_RECORD


def staff_plans(seed: int) -> list[StaffPlan]:
    """Everyone who signs in with a password, the same people for the same seed."""
    rng = random.Random(f"staff-{seed}")
    english = normalize_language_tag("en")
    emails: set[str] = set()

    def person(role: Role, organization: str, school: str | None, community_key: str):
        community = COMMUNITIES_BY_KEY[community_key]
        given_name = rng.choice(rng.choice((community.women, community.men)))
        family_name = rng.choice(community.family_names)
        domain = DISTRICT_EMAIL_DOMAIN if organization == "district" else PARTNER_EMAIL_DOMAIN
        local = f"{ascii_name(given_name)}.{ascii_name(family_name)}"
        email, suffix = f"{local}@{domain}", 1
        while email in emails:
            suffix += 1
            email = f"{local}{suffix}@{domain}"
        emails.add(email)
        language = normalize_language_tag(community.language)
        if language != english:
            languages = (english, language)
        elif rng.random() < 0.15:
            languages = (english, normalize_language_tag("es"))
        else:
            languages = (english,)
        return StaffPlan(role, organization, school, given_name, family_name, email, languages)

    def community_for(role: Role, community_language: str) -> str:
        if role in (Role.COMMUNITY_REPRESENTATIVE, Role.PARENT_LEADER):
            # A parent from the school's largest language community, hired to run the
            # Parent Center.
            return next(c.key for c in COMMUNITIES if c.language == community_language)
        if role == Role.PARENT_COORDINATOR and rng.random() < 0.5:
            return "spanish"
        keys = list(STAFF_COMMUNITY_WEIGHTS)
        return rng.choices(keys, weights=STAFF_COMMUNITY_WEIGHTS.values())[0]

    plans = []
    for organization, roles in (("district", DISTRICT_STAFF), ("partner", PARTNER_STAFF)):
        for role, count in roles:
            for _ in range(count):
                plans.append(person(role, organization, None, community_for(role, "en")))
    for school in SCHOOLS:
        for role, count in SCHOOL_STAFF:
            for _ in range(count):
                community = community_for(role, school.community_language)
                plans.append(person(role, "district", school.key, community))
    return plans
