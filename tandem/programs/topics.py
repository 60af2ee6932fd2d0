"""The topic catalog sessions are planned from: the Parent College workshop topics
(seed 003) and what to teach in family and educator capacity-building sessions
(seed 001, "What to teach"). Names are in Tandem's catalog, so they read in every
language Tandem ships."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    key: str
    area: str
    name: Promise


PARENT_COLLEGE = "parent_college"
FAMILY = "family"
EDUCATOR = "educator"

AREAS = {
    PARENT_COLLEGE: _("Parent College workshops"),
    FAMILY: _("Family capacity building"),
    EDUCATOR: _("Educator capacity building"),
}

TOPICS = [
    Topic("academics", PARENT_COLLEGE, _("Academics")),
    Topic("report_cards", PARENT_COLLEGE, _("Reading and understanding report cards")),
    Topic("empowerment", PARENT_COLLEGE, _("Empowerment")),
    Topic("college_access", PARENT_COLLEGE, _("College access, applications and financial aid")),
    Topic("leadership_advocacy", PARENT_COLLEGE, _("Leadership and advocacy")),
    Topic("restorative_communities", PARENT_COLLEGE, _("Restorative communities")),
    Topic("health_wellness", PARENT_COLLEGE, _("Health and wellness")),
    Topic("parenting", PARENT_COLLEGE, _("Parenting and child development")),
    Topic("university_day", PARENT_COLLEGE, _("University Day: a visit to a four-year college")),
    Topic(
        "navigating_education",
        FAMILY,
        _("Navigating the education system: key players, ways to take part, resources"),
    ),
    Topic("families_as_partners", FAMILY, _("The value of your role as partner and advocate")),
    Topic(
        "engaging_educators",
        FAMILY,
        _("Skills and confidence to work with educators and lead"),
    ),
    Topic(
        "digital_literacy",
        FAMILY,
        _("Digital literacy: talking with teachers, seeing progress, supporting learning"),
    ),
    Topic(
        "learning_at_home",
        FAMILY,
        _("Learning at home: literacy, math, college and career, mental health"),
    ),
    Topic(
        "partnership_value",
        EDUCATOR,
        _("What strong school–family partnerships look like and why they matter"),
    ),
    Topic(
        "family_backgrounds",
        EDUCATOR,
        _("Families' cultural backgrounds, lived experience and expertise"),
    ),
    Topic(
        "culturally_affirming_practice",
        EDUCATOR,
        _("Culturally affirming communication and partnering for learning"),
    ),
]

BY_KEY = {topic.key: topic for topic in TOPICS}


def topic_choices() -> list[tuple[str, list[tuple[str, Promise]]]]:
    """Grouped by area, for a select box."""
    return [
        (AREAS[area], [(t.key, t.name) for t in TOPICS if t.area == area])
        for area in (PARENT_COLLEGE, FAMILY, EDUCATOR)
    ]


def topic_name(key: str) -> str:
    topic = BY_KEY.get(key)
    return str(topic.name) if topic else ""
