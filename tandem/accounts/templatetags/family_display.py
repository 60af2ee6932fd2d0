"""Template filters for family pages: language names and contacts as people read them."""

from django import template
from django.utils.translation import get_language

from tandem.directory.display import contact_value, language_label

register = template.Library()


@register.filter
def language(tag: str) -> str:
    """ "Tiếng Việt (vietnamita)": the language's own name, then in the page's language."""
    return language_label(tag, get_language() or "en")


@register.filter
def contact(contact_point, region: str) -> str:
    """`{{ point|contact:organization.phone_region }}`: a number as people there write it."""
    return contact_value(contact_point, region)
