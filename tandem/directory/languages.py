"""Preferred languages as BCP 47 tags: validation, normalization and display names."""

from collections.abc import Iterable

import langcodes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_language_tag(value: str) -> str:
    """Return the standard form of a BCP 47 tag ("ES-mx" → "es-MX", "spa" → "es").

    Raises ValidationError naming the value when it is not a tag for a real language.
    """
    raw = (value or "").strip().replace("_", "-")
    if not raw:
        raise ValidationError(_("A language is required."), code="required")
    try:
        tag = langcodes.standardize_tag(raw, macro=True)
        language = langcodes.Language.get(tag)
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        language = None
    if language is None or not language.is_valid() or not language.has_name_data():
        raise ValidationError(
            _("“%(value)s” is not a language tag we recognize (for example: en, es, vi, so)."),
            code="unknown_language",
            params={"value": value},
        )
    return tag


def language_name(tag: str, in_language: str = "en") -> str:
    """The language's own name for a tag, as shown to staff in their UI language."""
    try:
        return langcodes.Language.get(tag).display_name(in_language)
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return tag


def autonym(tag: str) -> str:
    """The language's name in that language ("Español", "Tiếng Việt")."""
    return language_name(tag, tag)


def parse_languages(languages: Iterable[str] | str) -> list[str]:
    """Tags from a list or from text such as "en, es vi", normalized, each once, in order.
    Raises ValidationError naming the first tag that is not a language."""
    if isinstance(languages, str):
        languages = languages.replace(",", " ").split()
    tags: list[str] = []
    for value in languages:
        tag = normalize_language_tag(value)
        if tag not in tags:
            tags.append(tag)
    return tags


def primary_subtag(tag: str) -> str:
    """ "es-MX" → "es", "zh-Hant" → "zh": languages match on it for glossaries,
    reviewers, reports and reach."""
    return (tag or "").strip().replace("_", "-").split("-", 1)[0].lower()
