"""Texts cut into paragraphs, and the normalized form and key that memory lookups use.

Pure functions: no Django, no database. A paragraph is the unit of reuse, so a message
that repeats last week's closing paragraph finds it in the translation memory.
"""

import hashlib
import re
import unicodedata

_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines), stripped, empty ones dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _BLANK_LINES.split(text) if part.strip()]


def join_paragraphs(parts: list[str]) -> str:
    return "\n\n".join(parts)


def normalize(text: str) -> str:
    """What counts as "the same text": Unicode NFC, runs of spaces as one, case folded."""
    text = unicodedata.normalize("NFC", text or "")
    return _SPACES.sub(" ", text).strip().casefold()


def segment_key(text: str) -> str:
    """A fixed-length key for exact lookups of a normalized text."""
    return hashlib.sha256(normalize(text).encode()).hexdigest()
