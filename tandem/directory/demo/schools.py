"""The demo district's six schools and how students move through them.

Three elementary attendance zones feed two middle schools, which both feed one high
school, so siblings in one household often attend schools linked by feeder transitions.
"""

from dataclasses import dataclass

# Grades in age order (OneRoster codes), and which kind of school teaches each.
GRADES = ("PK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
ELEMENTARY_GRADES = frozenset(GRADES[:7])
MIDDLE_GRADES = frozenset(GRADES[7:10])


@dataclass(frozen=True)
class SchoolPlan:
    key: str
    name: str
    grade_band: str
    feeds_into: str | None
    # The language, besides English, of the Community Representative who staffs the
    # school's Parent Center: that of the largest community in its attendance zone.
    community_language: str
    # The partner nonprofit runs programs here and sees families' contacts.
    partner_school: bool


# In build order: a school comes after the school it feeds into.
SCHOOLS: tuple[SchoolPlan, ...] = (
    SchoolPlan("riverside_high", "Riverside High School", "high", None, "es", False),
    SchoolPlan("roosevelt", "Roosevelt Middle School", "middle", "riverside_high", "es", True),
    SchoolPlan(
        "dolores_huerta", "Dolores Huerta Middle School", "middle", "riverside_high", "so", False
    ),
    SchoolPlan("lincoln_park", "Lincoln Park Elementary", "elementary", "roosevelt", "es", True),
    SchoolPlan("cedar_grove", "Cedar Grove Elementary", "elementary", "roosevelt", "vi", False),
    SchoolPlan("rosa_parks", "Rosa Parks Elementary", "elementary", "dolores_huerta", "so", True),
)

# The elementary school of each attendance zone and the middle school it feeds.
ZONE_ELEMENTARY = ("lincoln_park", "cedar_grove", "rosa_parks")
ZONE_MIDDLE = ("roosevelt", "roosevelt", "dolores_huerta")
HIGH_SCHOOL = "riverside_high"
# The school whose staff the printed demo sign-ins belong to: the family persona's.
SIGN_IN_SCHOOL = "lincoln_park"


def school_for(grade: str, zone: int) -> str:
    """The school a student in `grade` living in attendance `zone` attends."""
    if grade in ELEMENTARY_GRADES:
        return ZONE_ELEMENTARY[zone]
    if grade in MIDDLE_GRADES:
        return ZONE_MIDDLE[zone]
    return HIGH_SCHOOL


def sourced_id(key: str) -> str:
    """The school's id in the district's student information system."""
    return f"RUSD-{key.replace('_', '-').upper()}"
