"""Texts Tandem writes to families from its own catalog (invitations, reminders,
notices): where the catalog has every paragraph in a family's language, that version is
remembered as the approved translation, so it goes out at once; other languages go
through translation review like any message."""

from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from tandem.directory.languages import primary_subtag
from tandem.translation.services import remember


def in_catalog(language: str, paragraphs: Iterable[str]) -> bool:
    """Whether Tandem's catalog has each of `paragraphs` (English msgids) in `language`."""
    if primary_subtag(language) == "en":
        return True
    with translation.override(language):
        return all(_(paragraph) != paragraph for paragraph in paragraphs)


def remember_catalog_versions(
    *,
    organization,
    source_language: str,
    languages: Iterable[str],
    paragraphs: Iterable[str],
    make_text: Callable[[str], str],
) -> None:
    """Remember `make_text(language)` as the approved translation of
    `make_text(source_language)` for each of `languages` the catalog has."""
    paragraphs = list(paragraphs)
    if not in_catalog(source_language, paragraphs):
        return  # the staff's language is not in the catalog: nothing to pair
    source = make_text(source_language)
    for language in languages:
        same = primary_subtag(language) == primary_subtag(source_language)
        if same or not in_catalog(language, paragraphs):
            continue
        remember(
            organization=organization,
            source_language=source_language,
            target_language=language,
            source_text=source,
            approved_text=make_text(language),
        )
