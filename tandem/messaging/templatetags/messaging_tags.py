"""Template filters for messaging pages: which way a language's text runs."""

import langcodes
from django import template

register = template.Library()

# Scripts written right to left (ISO 15924), and languages usually written in one.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand"})


@register.filter
def direction(tag: str) -> str:
    """ "rtl" for Arabic, Hebrew, Persian, Urdu, Pashto…; "ltr" otherwise;
    "auto" when the tag is unknown, so the browser decides from the text."""
    if not tag:
        return "auto"
    try:
        script = langcodes.Language.get(tag).maximize().script
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return "auto"
    if not script:
        return "auto"
    return "rtl" if script in RTL_SCRIPTS else "ltr"
