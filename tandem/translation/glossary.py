"""Education glossaries: Tandem's default terms (glossary.json) merged with an
organization's own, and the pure functions that apply them to machine drafts.

Before machine translation each glossary term in the original is replaced by a
placeholder the engine carries through; afterwards the placeholder becomes the approved
rendering. Reviewers see the terms found in the original as hints.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import langcodes

from tandem.directory.languages import primary_subtag
from tandem.translation.segments import normalize

DEFAULT_GLOSSARY_FILE = Path(__file__).with_name("glossary.json")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    rendering: str
    plural_rendering: str = ""
    note: str = ""
    target_language: str = ""
    term_id: int | None = None  # the organization's own term; None for Tandem's default

    @property
    def key(self) -> str:
        return normalize(self.term)

    @property
    def is_default(self) -> bool:
        return self.term_id is None


@cache
def default_glossary() -> dict[tuple[str, str], tuple[GlossaryEntry, ...]]:
    """(source language, target primary subtag) → Tandem's default entries."""
    data = json.loads(DEFAULT_GLOSSARY_FILE.read_text(encoding="utf-8"))
    source = data["source_language"]
    by_pair: dict[tuple[str, str], list[GlossaryEntry]] = {}
    for item in data["terms"]:
        for tag, rendering in item["renderings"].items():
            # The standard form, as the directory stores preferred languages: "tl" → "fil".
            language = _standard(tag)
            one, other = (
                (rendering["one"], rendering["other"])
                if isinstance(rendering, dict)
                else (rendering, "")
            )
            by_pair.setdefault((source, language), []).append(
                GlossaryEntry(
                    term=item["term"],
                    rendering=one,
                    plural_rendering=other,
                    note=item.get("note", ""),
                    target_language=language,
                )
            )
    return {pair: tuple(entries) for pair, entries in by_pair.items()}


def _standard(tag: str) -> str:
    try:
        return langcodes.standardize_tag(tag, macro=True)
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return tag


def default_entries(source_language: str, target_language: str) -> tuple[GlossaryEntry, ...]:
    pair = (primary_subtag(_standard(source_language)), primary_subtag(_standard(target_language)))
    return default_glossary().get(pair, ())


def default_languages() -> list[str]:
    return sorted({target for _source, target in default_glossary()})


def merge(defaults: tuple[GlossaryEntry, ...], own: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """The organization's terms, plus the defaults it has not replaced, by term."""
    merged = {entry.key: entry for entry in defaults}
    merged.update({entry.key: entry for entry in own})
    return sorted(merged.values(), key=lambda entry: entry.key)


def _pattern(entry: GlossaryEntry) -> re.Pattern:
    # Whole words or phrases, any case, with an English plural ending; hyphens and
    # spaces inside a phrase are interchangeable ("parent teacher conference").
    words = [re.escape(word) for word in re.split(r"[\s\-]+", entry.term.strip())]
    body = r"[\s\-]+".join(words)
    return re.compile(rf"(?<!\w)(?P<term>{body})(?P<plural>e?s)?(?!\w)", re.IGNORECASE)


def found_in(text: str, entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """The entries whose term appears in `text`: the reviewer's hints."""
    return [entry for entry in entries if _pattern(entry).search(text)]


@dataclass(frozen=True)
class Protected:
    text: str
    renderings: dict[str, str]  # placeholder → approved rendering


def protect(text: str, entries: list[GlossaryEntry], placeholder) -> Protected:
    """Replace every glossary term in `text` by `placeholder(n)`; longest terms first, so
    "parent-teacher conference" wins over a shorter term inside it."""
    renderings: dict[str, str] = {}
    for entry in sorted(entries, key=lambda entry: len(entry.term), reverse=True):

        def substitute(match: re.Match, entry: GlossaryEntry = entry) -> str:
            token = placeholder(len(renderings) + 1)
            plural = bool(match.group("plural")) and bool(entry.plural_rendering)
            renderings[token] = entry.plural_rendering if plural else entry.rendering
            return token

        text = _pattern(entry).sub(substitute, text)
    return Protected(text, renderings)


def restore(translated: str, protected: Protected) -> tuple[str, bool]:
    """Put the approved renderings where the engine left the placeholders. Returns the
    text and whether every placeholder came back."""
    complete = True
    for token, rendering in protected.renderings.items():
        pattern = re.compile(re.escape(token).replace(r"\ ", r"\s*").replace("/", r"\s*/"))
        translated, count = pattern.subn(lambda _match, r=rendering: r, translated)
        complete = complete and count > 0
    return translated, complete
