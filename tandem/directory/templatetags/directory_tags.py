"""Template filters for directory pages: language names, phone numbers, needs."""

from django import template
from django.utils.translation import get_language

from tandem.directory import display, languages

register = template.Library()


@register.filter
def contact_value(contact, region: str) -> str:
    """`{{ contact|contact_value:organization.phone_region }}`"""
    return display.contact_value(contact, region)


@register.filter
def needs_of(caregivers) -> list[str]:
    """Needs of any of a household's caregivers."""
    return display.needs_of(list(caregivers))


@register.filter
def needs_of_one(caregiver) -> list[str]:
    return display.needs_of([caregiver])


@register.filter
def demographics_shared(caregiver) -> bool:
    return display.demographics_shared(caregiver)


@register.filter
def autonym(tag: str) -> str:
    return languages.autonym(tag)


@register.filter
def language_name(tag: str) -> str:
    """The language's name in the reader's language."""
    return languages.language_name(tag, get_language() or "en")
