"""Synthetic families for the demo district, as plain data and without the database.

`FamilyGenerator(seed).households(n)` yields the same households, in the same order, for
the same seed: names, languages, caregivers, students, contacts, availability and needs.
Every phone number, email address, language tag and self-described answer goes through
the directory's own normalizers, so the data is as valid as data entered by hand.

The phone numbers are fictional. All are in the 555 exchange: first the range the North
American Numbering Plan reserves for fiction (555-0100 to 555-0199) in area codes of the
Central time zone, then the same range in the other US area codes (together enough for
about 25,000 households), and only beyond that other 555 line numbers, an exchange set
aside for directory and information services rather than subscribers' phones. The demo
sends nothing anyway: SMS and email go to the local outbox. Email addresses use the
domains reserved for examples (RFC 2606).
"""

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import cache
from itertools import accumulate

import phonenumbers

from tandem.directory.demo.communities import ACCESSIBILITY_NOTES, COMMUNITIES, Community
from tandem.directory.demo.schools import GRADES, school_for
from tandem.directory.demographics import PREFER_NOT_TO_SAY, clean_self_described
from tandem.directory.languages import normalize_language_tag
from tandem.directory.services import normalize_contact

# Area codes of the Central time zone (the demo district is on America/Chicago).
CENTRAL_AREA_CODES = (
    312, 773, 872, 708, 630, 847, 224, 815, 779, 331, 217, 309, 618, 214, 469, 972, 945,
    817, 682, 713, 281, 832, 346, 512, 737, 210, 726, 254, 361, 409, 936, 979, 612, 651,
    763, 952, 218, 320, 507, 414, 262, 608, 920, 715, 314, 636, 816, 417, 573, 319, 515,
    563, 641, 712, 402, 531, 316, 620, 785, 913, 405, 539, 580, 918, 501, 479, 870, 504,
    225, 337, 318, 985, 615, 629, 901, 731, 205, 251, 256, 334, 601, 662, 769,
)  # fmt: skip
RESERVED_LINES = tuple(range(100, 200))
# 555-1212 is directory assistance in every area code.
OTHER_LINES = tuple(line for line in range(200, 10000) if line != 1212)

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

# When caregivers can usually take part (weekday, from, until), by the shape of their
# week; families name a few times that work rather than every day of the week.
AVAILABILITY_PATTERNS: dict[str, tuple[tuple[int, time, time], ...]] = {
    # Works 9 to 5: evenings and Saturday.
    "nine_to_five": (
        (1, time(18), time(20, 30)),
        (3, time(18), time(20, 30)),
        (5, time(10), time(14)),
    ),
    # Works nights and sleeps in the morning: the middle of the day.
    "night_shift": tuple((day, time(11), time(14)) for day in (1, 2, 3)),
    # Works all week: weekends only.
    "weekend_only": ((5, time(9), time(17)), (6, time(13), time(17))),
    # Works an early shift: late afternoons.
    "early_shift": ((0, time(15, 30), time(18, 30)), (2, time(15, 30), time(18, 30))),
    # At home or works part time: school hours.
    "school_hours": tuple((day, time(8, 30), time(14, 30)) for day in (0, 2, 4)),
    "not_given": (),
}
PATTERN_WEIGHTS = {
    "nine_to_five": 35,
    "night_shift": 12,
    "weekend_only": 10,
    "early_shift": 8,
    "school_hours": 15,
    "not_given": 20,
}
GRANDPARENT_PATTERN_WEIGHTS = {**PATTERN_WEIGHTS, "school_hours": 45, "nine_to_five": 15}

# Who looks after the children: relationships of the caregivers, and how often.
HOUSEHOLD_SHAPES: dict[tuple[str, ...], float] = {
    ("parent", "parent"): 45,
    ("parent",): 35.5,
    ("parent", "grandparent"): 7,
    ("grandparent",): 2.7,
    ("grandparent", "grandparent"): 1.8,
    ("guardian",): 2,
    ("guardian", "other"): 1,
    ("foster_parent",): 1,
    ("foster_parent", "foster_parent"): 1,
    ("other",): 3,
}


@dataclass(frozen=True, slots=True)
class CaregiverPlan:
    given_name: str
    family_name: str
    relationship: str
    language: str
    phone: str | None
    email: str | None
    sms_consent: bool
    email_consent: bool
    phone_verified: bool
    needs_childcare: bool
    needs_transportation: bool
    needs_interpretation: bool
    accessibility_note: str
    availability: tuple[tuple[int, time, time], ...]
    self_described: dict = field(hash=False)


@dataclass(frozen=True, slots=True)
class StudentPlan:
    given_name: str
    family_name: str
    grade: str
    school: str  # a key of schools.SCHOOLS


@dataclass(frozen=True, slots=True)
class HouseholdPlan:
    external_id: str
    name: str
    community: str
    caregivers: tuple[CaregiverPlan, ...]
    students: tuple[StudentPlan, ...]
    last_reached_ago: timedelta | None
    last_heard_ago: timedelta | None


@cache
def _other_us_area_codes() -> tuple[int, ...]:
    """Every other US area code that phonenumbers accepts with a 555-01XX number."""
    codes = []
    for area_code in range(200, 1000):
        if area_code in CENTRAL_AREA_CODES:
            continue
        number = phonenumbers.parse(f"+1{area_code}5550100")
        if phonenumbers.is_valid_number(number) and (
            phonenumbers.region_code_for_number(number) == "US"
        ):
            codes.append(area_code)
    return tuple(codes)


def fictional_phone(index: int) -> str:
    """The `index`-th fictional number (see the module docstring), in E.164."""
    tiers = (
        (CENTRAL_AREA_CODES, RESERVED_LINES),
        (_other_us_area_codes(), RESERVED_LINES),
        (CENTRAL_AREA_CODES + _other_us_area_codes(), OTHER_LINES),
    )
    for area_codes, lines in tiers:
        size = len(area_codes) * len(lines)
        if index < size:
            # Walk the area codes first, so neighbouring families differ in more than
            # the last digit.
            area_code = area_codes[index % len(area_codes)]
            line = lines[index // len(area_codes)]
            return normalize_contact("phone", f"+1{area_code}555{line:04d}")
        index -= size
    raise ValueError("The demo has run out of fictional phone numbers.")


def phone_capacity() -> int:
    codes = len(CENTRAL_AREA_CODES) + len(_other_us_area_codes())
    return codes * len(RESERVED_LINES) + codes * len(OTHER_LINES)


def ascii_name(name: str) -> str:
    """A name as letters a–z only, for an email address ("Nguyễn Thị" → "nguyenthi")."""
    decomposed = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed.lower() if "a" <= char <= "z")


class FamilyGenerator:
    """Deterministic synthetic households: the same seed gives the same district."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.phones_used = 0
        self.emails_used = 0
        self.languages = {c.key: normalize_language_tag(c.language) for c in COMMUNITIES}
        self._community_weights = list(accumulate(c.weight for c in COMMUNITIES))
        self._shapes = list(HOUSEHOLD_SHAPES)
        self._shape_weights = list(accumulate(HOUSEHOLD_SHAPES.values()))

    def households(self, count: int) -> Iterator[HouseholdPlan]:
        """`count` households: the family persona first, then synthetic ones."""
        for number in range(1, count + 1):
            external_id = f"RUSD-H{number:07d}"
            if number == 1:
                yield self._family_persona(external_id)
            else:
                yield self._household(external_id)

    # Pieces shared by the persona and the synthetic households.

    def _next_phone(self) -> str:
        phone = fictional_phone(self.phones_used)
        self.phones_used += 1
        return phone

    def _next_email(self, given_name: str, family_name: str) -> str:
        self.emails_used += 1
        domain = self.rng.choice(EMAIL_DOMAINS)
        local = f"{ascii_name(given_name) or 'family'}.{ascii_name(family_name) or 'home'}"
        return normalize_contact("email", f"{local}{self.emails_used}@{domain}")

    def _family_persona(self, external_id: str) -> HouseholdPlan:
        """The household a visitor signs in as: a Spanish-speaking family with children
        at an elementary school and at the middle school it feeds."""
        language = self.languages["spanish"]
        mother = CaregiverPlan(
            given_name="Guadalupe",
            family_name="Ramírez",
            relationship="parent",
            language=language,
            phone=self._next_phone(),
            email=normalize_contact("email", "guadalupe.ramirez@example.com"),
            sms_consent=True,
            email_consent=True,
            phone_verified=False,
            needs_childcare=True,
            needs_transportation=False,
            needs_interpretation=True,
            accessibility_note="",
            availability=AVAILABILITY_PATTERNS["nine_to_five"],
            self_described=clean_self_described(
                {"race_ethnicity": ["hispanic_latino"], "gender": ["woman"]}
            ),
        )
        father = CaregiverPlan(
            given_name="Jorge",
            family_name="Ramírez",
            relationship="parent",
            language=language,
            phone=self._next_phone(),
            email=None,
            sms_consent=True,
            email_consent=False,
            phone_verified=False,
            needs_childcare=False,
            needs_transportation=False,
            needs_interpretation=True,
            accessibility_note="",
            availability=AVAILABILITY_PATTERNS["night_shift"],
            self_described={},
        )
        return HouseholdPlan(
            external_id=external_id,
            name="Ramírez",
            community="spanish",
            caregivers=(mother, father),
            students=(
                StudentPlan("Sofía", "Ramírez", "03", "lincoln_park"),
                StudentPlan("Mateo", "Ramírez", "07", "roosevelt"),
            ),
            last_reached_ago=timedelta(days=3, hours=2),
            last_heard_ago=timedelta(days=5, hours=6),
        )

    # Synthetic households.

    def _household(self, external_id: str) -> HouseholdPlan:
        rng = self.rng
        community = rng.choices(COMMUNITIES, cum_weights=self._community_weights)[0]
        zone = rng.choices(range(3), weights=community.zone_weights)[0]
        shape = rng.choices(self._shapes, cum_weights=self._shape_weights)[0]
        family_name = rng.choice(community.family_names)
        students = self._students(community, family_name, zone)
        young_children = any(s.grade in ("PK", "KG", "01", "02") for s in students)
        caregivers = tuple(
            self._caregiver(
                community,
                relationship,
                family_name,
                primary=position == 0,
                young_children=young_children or len(students) > 2,
            )
            for position, relationship in enumerate(shape)
        )
        reached = rng.random() < 0.6
        reached_ago = timedelta(minutes=rng.randrange(120 * 24 * 60)) if reached else None
        heard_ago = (
            reached_ago + timedelta(minutes=rng.randrange(30 * 24 * 60))
            if reached_ago is not None and rng.random() < 0.5
            else None
        )
        return HouseholdPlan(
            external_id=external_id,
            name=caregivers[0].family_name,
            community=community.key,
            caregivers=caregivers,
            students=students,
            last_reached_ago=reached_ago,
            last_heard_ago=heard_ago,
        )

    def _students(self, community: Community, family_name: str, zone: int) -> tuple:
        rng = self.rng
        count = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        positions = [rng.randrange(len(GRADES))]
        while len(positions) < count:
            # Siblings are usually two to four years apart; twins now and then.
            gap = 0 if rng.random() < 0.03 else rng.randint(1, 5)
            position = positions[-1] + rng.choice((gap, -gap))
            if not 0 <= position < len(GRADES):
                position = positions[-1] - (position - positions[-1])
            if 0 <= position < len(GRADES):
                positions.append(position)
        students = []
        for position in positions:
            grade = GRADES[position]
            given_name = rng.choice(community.children)
            students.append(StudentPlan(given_name, family_name, grade, school_for(grade, zone)))
        return tuple(students)

    def _caregiver(
        self,
        community: Community,
        relationship: str,
        household_family_name: str,
        *,
        primary: bool,
        young_children: bool,
    ) -> CaregiverPlan:
        rng = self.rng
        woman = rng.random() < (0.7 if primary or relationship == "grandparent" else 0.35)
        given_name = rng.choice(community.women if woman else community.men)
        family_name = household_family_name
        if relationship in ("grandparent", "guardian", "other", "foster_parent") and (
            rng.random() < 0.4
        ):
            family_name = rng.choice(community.family_names)
        language = self._language(community, relationship)
        phone = self._next_phone() if rng.random() < (0.97 if primary else 0.85) else None
        email_rate = 0.75 if language == "en" else 0.35
        email = self._next_email(given_name, family_name) if rng.random() < email_rate else None
        if phone is None and email is None:
            phone = self._next_phone()
        pattern_weights = (
            GRANDPARENT_PATTERN_WEIGHTS if relationship == "grandparent" else PATTERN_WEIGHTS
        )
        pattern = rng.choices(list(pattern_weights), weights=pattern_weights.values())[0]
        return CaregiverPlan(
            given_name=given_name,
            family_name=family_name,
            relationship=relationship,
            language=language,
            phone=phone,
            email=email,
            sms_consent=rng.random() < 0.9,
            email_consent=rng.random() < 0.85,
            phone_verified=phone is not None and rng.random() < 0.3,
            needs_childcare=rng.random() < (0.4 if young_children and primary else 0.08),
            needs_transportation=rng.random() < (0.25 if relationship == "grandparent" else 0.12),
            needs_interpretation=language != "en" and rng.random() < 0.85,
            accessibility_note=(
                rng.choice(ACCESSIBILITY_NOTES)
                if rng.random() < (0.08 if relationship == "grandparent" else 0.025)
                else ""
            ),
            availability=AVAILABILITY_PATTERNS[pattern],
            self_described=self._self_described(community, woman),
        )

    def _language(self, community: Community, relationship: str) -> str:
        rng = self.rng
        if community.key == "english":
            return self.languages["english"]
        if relationship == "foster_parent" and rng.random() < 0.85:
            return self.languages["english"]
        # Some parents who grew up here prefer English; grandparents rarely do.
        prefers_english = 0.03 if relationship == "grandparent" else 0.18
        return self.languages["english" if rng.random() < prefers_english else community.key]

    def _self_described(self, community: Community, woman: bool) -> dict:
        rng = self.rng
        if rng.random() >= 0.35:
            return {}
        if rng.random() < 0.1:
            race = [PREFER_NOT_TO_SAY]
        else:
            race = list(rng.choice(community.race_ethnicity))
        roll = rng.random()
        if roll < 0.08:
            gender = PREFER_NOT_TO_SAY
        elif roll < 0.09:
            gender = "nonbinary"
        else:
            gender = "woman" if woman else "man"
        return clean_self_described({"race_ethnicity": race, "gender": [gender]})
