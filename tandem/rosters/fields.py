"""Reading one value of a roster cell: grades, languages, phones, emails, yes/no, dates.

Each reader returns the stored form or raises BadValue with the problem's code, so the
parsers can name file, row and column around it. Nothing here touches the database.
"""

import re
from datetime import date
from functools import lru_cache

import langcodes
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tandem.directory.languages import normalize_language_tag
from tandem.directory.phones import normalize_phone

NAME_MAX_LENGTH = 100  # Caregiver, Student and StaffMember names
ID_MAX_LENGTH = 255  # sourced_id and external_id
EMAIL_MAX_LENGTH = 254  # ContactPoint.value, StaffMember.email


class BadValue(Exception):
    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# OneRoster (CEDS) grades from youngest to oldest.
GRADE_ORDER = ("IT", "PR", "PK", "TK", "KG", *(f"{number:02d}" for number in range(1, 14)))
_OTHER_GRADES = {"PS": "PS", "UG": "UG", "OTHER": "Other"}
_GRADE_WORDS = {
    "k": "KG",
    "kg": "KG",
    "kinder": "KG",
    "kindergarten": "KG",
    "0": "KG",
    "00": "KG",
    "pk": "PK",
    "prek": "PK",
    "prekindergarten": "PK",
    "tk": "TK",
    "transitionalkindergarten": "TK",
    "it": "IT",
    "infant": "IT",
    "pr": "PR",
    "preschool": "PR",
    "ps": "PS",
    "postsecondary": "PS",
    "ug": "UG",
    "ungraded": "UG",
    "other": "Other",
}
_GRADE_NUMBER = re.compile(r"^(?:grade|gr|g)?0?(\d{1,2})(?:st|nd|rd|th)?(?:grade)?$")


@lru_cache(maxsize=256)
def read_grade(value: str) -> str:
    """A OneRoster (CEDS) grade code from what exports write: “K”, “1st”, “Grade 3”, “09”."""
    key = re.sub(r"[\s\-_.]", "", value.casefold())
    if key in _GRADE_WORDS:
        return _GRADE_WORDS[key]
    if match := _GRADE_NUMBER.match(key):
        number = int(match.group(1))
        if 1 <= number <= 13:
            return f"{number:02d}"
        if number == 0:
            return "KG"
    raise BadValue("invalid_grade", value=value)


@lru_cache(maxsize=256)
def read_grades(value: str) -> str:
    """The first grade of a OneRoster grades list (“09,10” → “09”); "" when blank."""
    first = next((part.strip() for part in value.split(",") if part.strip()), "")
    return read_grade(first) if first else ""


@lru_cache(maxsize=1024)
def read_language(value: str) -> str:
    """The first tag of a language list, standardized (“spa” → “es”).

    Exports often write the language's name instead (“Spanish”, “Español”, “Haitian
    Creole”); a name that langcodes knows is read as its tag.
    """
    first = next((part.strip() for part in re.split(r"[,;]", value) if part.strip()), "")
    try:
        return normalize_language_tag(first)
    except ValidationError:
        pass
    try:
        return normalize_language_tag(langcodes.find(first).to_tag())
    except (LookupError, ValidationError) as unknown:
        raise BadValue("unknown_language", value=value) from unknown


# North American numbers as rosters write them: 312-555-0101, (312) 555 0101, +1 312…
_NANP_NUMBER = re.compile(r"^(?:\+?1[\s.-]?)?\(?([2-9]\d{2})\)?[\s.-]?([2-9]\d{2})[\s.-]?(\d{4})$")
NANP_REGIONS = frozenset({"US", "CA", "PR", "VI", "GU", "AS", "MP"})


def read_phone(value: str, region: str) -> str:
    """The E.164 form of a phone number, as directory.phones would store it.

    A roster holds tens of thousands of numbers and phonenumbers takes a while over
    each, so the common North American forms take a short cut: whether such a number
    is in service depends only on its area code and exchange (the last four digits are
    free), so phonenumbers is asked once per area code and exchange.
    """
    north_american = region in NANP_REGIONS or value.startswith("+1")
    if north_american and (match := _NANP_NUMBER.match(value.strip())):
        area, exchange, line = match.groups()
        # Written without +1, a number is read as one of `region` (the way
        # phonenumbers does): +1 876 is Jamaica, while 876… is not a US number.
        dialled_from = "" if value.lstrip().startswith("+") else region
        if _nanp_exchange_in_service(area + exchange, dialled_from):
            return f"+1{area}{exchange}{line}"
        raise BadValue("invalid_phone", value=value)
    try:
        return normalize_phone(value, region)
    except ValidationError as invalid:
        raise BadValue("invalid_phone", value=value) from invalid


@lru_cache(maxsize=16_384)
def _nanp_exchange_in_service(area_and_exchange: str, region: str) -> bool:
    number = f"{area_and_exchange}0100" if region else f"+1{area_and_exchange}0100"
    try:
        normalize_phone(number, region or "US")
    except ValidationError:
        return False
    return True


def read_email(value: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError as invalid:
        raise BadValue("invalid_email", value=value) from invalid
    if len(email) > EMAIL_MAX_LENGTH:
        raise BadValue("too_long", limit=EMAIL_MAX_LENGTH)
    return email


_TRUE = {"true", "t", "yes", "y", "1", "x", "si", "sí", "oui"}
_FALSE = {"false", "f", "no", "n", "0", ""}


def read_boolean(value: str) -> bool:
    key = value.strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue("invalid_boolean", value=value)


def read_id(value: str) -> str:
    """An id from the source (sourcedId, household_id), kept as written."""
    if len(value) > ID_MAX_LENGTH:
        raise BadValue("too_long", limit=ID_MAX_LENGTH)
    return value


def read_name(value: str, limit: int = NAME_MAX_LENGTH) -> str:
    name = " ".join(value.split())
    if len(name) > limit:
        raise BadValue("too_long", limit=limit)
    return name


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_SLASHED_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")


def read_date(value: str) -> date | None:
    """A date from ISO 8601 or the slashed forms spreadsheets write; None when blank.

    “2024-08-15”, “2024/8/15”, “8/15/2024” and “15/8/2024” are read; “3/4/2024” could be
    March or April and raises ambiguous_date rather than guessing.
    """
    text = value.strip()
    if not text:
        return None
    if match := _ISO_DATE.match(text):
        return _make_date(text, *(int(part) for part in match.groups()))
    match = _SLASHED_DATE.match(text)
    if match is None:
        raise BadValue("unreadable_date", value=value)
    first, second, third = (int(part) for part in match.groups())
    if len(match.group(1)) == 4:
        return _make_date(text, first, second, third)
    year = third + 2000 if third < 100 else third
    if first > 12 >= second:
        return _make_date(text, year, second, first)
    if second > 12 >= first:
        return _make_date(text, year, first, second)
    if first == second:
        return _make_date(text, year, first, second)
    raise BadValue("ambiguous_date", value=value)


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as invalid:
        raise BadValue("unreadable_date", value=text) from invalid
