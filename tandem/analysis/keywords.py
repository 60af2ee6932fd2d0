"""Distinctive keywords per theme: class-based TF-IDF over words, any script.

A word scores high for a theme when it is frequent in that theme's answers and rare in the
others' (BERTopic's c-TF-IDF). Chinese, Japanese and Thai have no spaces, so their runs of
characters are cut into overlapping pairs of characters.
"""

import re

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

SPANISH_STOP_WORDS = frozenset(
    [
        "a",
        "al",
        "algo",
        "algunas",
        "algunos",
        "ante",
        "antes",
        "como",
        "con",
        "contra",
        "cual",
        "cuando",
        "de",
        "del",
        "desde",
        "donde",
        "durante",
        "e",
        "el",
        "ella",
        "ellas",
        "ellos",
        "en",
        "entre",
        "era",
        "erais",
        "eran",
        "eras",
        "eres",
        "es",
        "esa",
        "esas",
        "ese",
        "eso",
        "esos",
        "esta",
        "estaba",
        "estado",
        "estais",
        "estamos",
        "estan",
        "estar",
        "estas",
        "este",
        "esto",
        "estos",
        "estoy",
        "fue",
        "fueron",
        "fui",
        "ha",
        "habia",
        "han",
        "has",
        "hasta",
        "hay",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "mas",
        "me",
        "mi",
        "mis",
        "mucho",
        "muchos",
        "muy",
        "nada",
        "ni",
        "no",
        "nos",
        "nosotros",
        "o",
        "os",
        "otra",
        "otras",
        "otro",
        "otros",
        "para",
        "pero",
        "poco",
        "por",
        "porque",
        "que",
        "quien",
        "quienes",
        "se",
        "sea",
        "sean",
        "ser",
        "si",
        "siempre",
        "sin",
        "sobre",
        "sois",
        "solo",
        "somos",
        "son",
        "soy",
        "su",
        "sus",
        "también",
        "tambien",
        "te",
        "tendria",
        "tener",
        "tengo",
        "ti",
        "tiene",
        "tienen",
        "todo",
        "todos",
        "tu",
        "tus",
        "un",
        "una",
        "uno",
        "unos",
        "usted",
        "ustedes",
        "vosotros",
        "y",
        "ya",
        "yo",
        "él",
        "más",
        "qué",
        "sí",
        "está",
        "están",
        "había",
        "sería",
        "mí",
        "tú",
        "cómo",
        "dónde",
        "cuándo",
    ]
)
FRENCH_STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "même",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "à",
        "m",
        "n",
        "s",
        "t",
        "y",
        "été",
        "être",
        "avoir",
        "est",
        "sont",
        "ai",
        "a",
    ]
)
GERMAN_STOP_WORDS = frozenset(
    [
        "aber",
        "als",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "bin",
        "bis",
        "bist",
        "da",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "doch",
        "du",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "er",
        "es",
        "für",
        "hat",
        "hatte",
        "ich",
        "ihr",
        "im",
        "in",
        "ist",
        "ja",
        "kann",
        "mein",
        "mich",
        "mir",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nur",
        "oder",
        "sich",
        "sie",
        "sind",
        "so",
        "um",
        "und",
        "uns",
        "von",
        "vor",
        "war",
        "was",
        "wie",
        "wir",
        "zu",
        "zum",
        "zur",
    ]
)
STOP_WORDS = ENGLISH_STOP_WORDS | SPANISH_STOP_WORDS | FRENCH_STOP_WORDS | GERMAN_STOP_WORDS

_WORD = re.compile(r"\w+", re.UNICODE)
# Scripts written without spaces between words: Han, kana, Hangul is spaced, Thai.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]+")


def tokenize(text: str) -> list[str]:
    """Lower-cased words without stop words or digits; unspaced scripts as character pairs."""
    tokens: list[str] = []
    for word in _WORD.findall(text.lower()):
        for part in _split_unspaced(word):
            if len(part) > 1 and part not in STOP_WORDS and not part.isdigit():
                tokens.append(part)
    return tokens


def _split_unspaced(word: str) -> list[str]:
    if not _UNSPACED.search(word):
        return [word]
    parts: list[str] = []
    for chunk in re.split(f"({_UNSPACED.pattern})", word):
        if _UNSPACED.fullmatch(chunk):
            parts.extend(chunk[i : i + 2] for i in range(max(1, len(chunk) - 1)))
        elif chunk:
            parts.append(chunk)
    return parts


def theme_keywords(texts: list[str], groups: list[int], count: int = 5) -> dict[int, list[str]]:
    """For each group number (>= 0) the `count` most distinctive words of its texts.

    Group -1 (answers in no theme) takes part as a background class but gets no keywords.
    """
    names = sorted(set(groups))
    if not texts or not names:
        return {}
    documents = [" ".join(tokenize(text)) for text in texts]
    # Words in a single answer tell little about a theme; keep them only for tiny inputs.
    min_df = 2 if len(texts) >= 20 else 1
    vectorizer = CountVectorizer(analyzer=str.split, min_df=min_df)
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:  # no words at all
        return {name: [] for name in names if name >= 0}
    vocabulary = vectorizer.get_feature_names_out()
    rows = np.asarray(groups)
    per_class = np.vstack([np.asarray(counts[rows == name].sum(axis=0)).ravel() for name in names])
    scores = _c_tf_idf(per_class)
    keywords: dict[int, list[str]] = {}
    for row, name in enumerate(names):
        if name < 0:
            continue
        order = np.lexsort((vocabulary, -scores[row]))  # ties broken alphabetically
        keywords[name] = [str(vocabulary[i]) for i in order[:count] if per_class[row, i] > 0]
    return keywords


def _c_tf_idf(per_class: np.ndarray) -> np.ndarray:
    totals = per_class.sum(axis=1, keepdims=True)
    term_frequency = per_class / np.maximum(totals, 1)
    average_words = max(totals.mean(), 1.0)
    idf = np.log(1 + average_words / np.maximum(per_class.sum(axis=0), 1))
    return term_frequency * idf


def label_for(keywords: list[str]) -> str:
    """A theme's label: its three most distinctive words."""
    return " · ".join(keywords[:3]) if keywords else "(no keywords)"
