"""What an answer or statement holds that others should not see as written: phone
numbers, email addresses, names of children and caregivers from the roster, insults;
and whether it is very short or in another language than expected.

Nothing is deleted: the original is kept for the staff who run the campaign, and
shared views (reports, data walks, exchanges) show the masked text.
"""

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_noop

from tandem.messaging.languages import detect_language

MASK = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)


class Flag(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    NAME = "name"
    INSULT = "insult"
    SHORT = "short"
    OTHER_LANGUAGE = "other_language"


FLAG_LABELS = {  # shown to staff; the views translate them
    Flag.PHONE: gettext_noop("Phone number hidden"),
    Flag.EMAIL: gettext_noop("Email address hidden"),
    Flag.NAME: gettext_noop("Name hidden"),
    Flag.INSULT: gettext_noop("May be insulting"),
    Flag.SHORT: gettext_noop("One word"),
    Flag.OTHER_LANGUAGE: gettext_noop("In another language than expected"),
}


@dataclass(frozen=True)
class Screened:
    text: str
    masked_text: str
    language: str
    flags: list[str] = field(default_factory=list)


@cache
def _insults() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).parent / "data" / "insults.json").read_text("utf-8"))
    return {
        language: frozenset(word.casefold() for word in words)
        for language, words in data.items()
        if not language.startswith("_")
    }


def _contains_insult(text: str) -> bool:
    folded = text.casefold()
    words = set(_WORD.findall(folded))
    for vocabulary in _insults().values():
        for insult in vocabulary:
            if (" " in insult and insult in folded) or insult in words:
                return True
    return False


def _mask_phones(text: str, region: str) -> tuple[str, bool]:
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    for start, end in reversed(spans):
        text = text[:start] + MASK + text[end:]
    return text, bool(spans)


def _mask_names(text: str, names: frozenset[str]) -> tuple[str, bool]:
    """Whole words that are a name on the roster, written with a capital (so that "Hope"
    the name is hidden and "hope" the word is not)."""
    found = False

    def replace(match: re.Match) -> str:
        nonlocal found
        word = match.group(0)
        if word[:1].isupper() and word.casefold() in names:
            found = True
            return MASK
        return word

    return _WORD.sub(replace, text), found


def screen(
    text: str,
    *,
    names: frozenset[str] = frozenset(),
    expected_language: str = "",
    one_word_expected: bool = False,
    region: str = "",
) -> Screened:
    """Screen `text` (already stripped, not empty). `names` are casefolded given and
    family names from the roster of the families concerned."""
    flags: list[str] = []
    masked, found = _mask_phones(text, region or settings.TANDEM_DEFAULT_PHONE_REGION)
    if found:
        flags.append(Flag.PHONE)
    masked, count = _EMAIL.subn(MASK, masked)
    if count:
        flags.append(Flag.EMAIL)
    masked, found = _mask_names(masked, names)
    if found:
        flags.append(Flag.NAME)
    if _contains_insult(text):
        flags.append(Flag.INSULT)
    if len(_WORD.findall(text)) <= 1 and not one_word_expected:
        flags.append(Flag.SHORT)
    language = detect_language(text, expected=expected_language) or expected_language
    if expected_language and language.split("-")[0] != expected_language.split("-")[0]:
        flags.append(Flag.OTHER_LANGUAGE)
    return Screened(text=text, masked_text=masked, language=language, flags=flags)
