"""How directory values read on staff pages: language names, phone numbers, needs."""

from functools import lru_cache

import phonenumbers
from django.utils.translation import gettext as _

from tandem.directory.demographics import PREFER_NOT_TO_SAY
from tandem.directory.languages import autonym, language_name
from tandem.directory.models import Caregiver, ContactPoint


@lru_cache(maxsize=2048)
def language_label(tag: str, ui_language: str) -> str:
    """ "Tiếng Việt (Vietnamese)": the language's own name, then in the reader's language."""
    own = autonym(tag)
    translated = language_name(tag, ui_language)
    return own if own.casefold() == translated.casefold() else f"{own} ({translated})"


def contact_value(contact: ContactPoint, region: str) -> str:
    """A phone number as people of `region` write it, an email address as stored.

    A number of another country keeps its +code, so reading it back with the
    organization's region gives the same number.
    """
    if contact.kind != ContactPoint.Kind.PHONE:
        return contact.value
    try:
        number = phonenumbers.parse(contact.value)
    except phonenumbers.NumberParseException:
        return contact.value
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def needs_of(caregivers: list[Caregiver]) -> list[str]:
    """The needs any of these caregivers has, as short labels, in a stable order."""
    needs = []
    if any(caregiver.needs_childcare for caregiver in caregivers):
        needs.append(_("Childcare"))
    if any(caregiver.needs_transportation for caregiver in caregivers):
        needs.append(_("Transportation"))
    if any(caregiver.needs_interpretation for caregiver in caregivers):
        needs.append(_("Interpretation"))
    if any(caregiver.accessibility_note for caregiver in caregivers):
        needs.append(_("Accessibility"))
    return needs


def demographics_shared(caregiver: Caregiver) -> bool:
    """Did the caregiver describe themselves? "Prefer not to say" alone is not sharing."""
    return any(
        answer != [PREFER_NOT_TO_SAY] for answer in (caregiver.self_described or {}).values()
    )
