"""STOP, START and HELP in an inbound text, and the one reply each gets.

Carrier rules (CTIA) and the TCPA: the keyword must be the whole message, in any case,
with any spacing, punctuation or accents around it; a sentence that mentions "stop" is a
reply for a person to read. Plain "YES" is not START here: families answer RSVPs with it.
"""

import enum
import re
import unicodedata

from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Keyword(enum.StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


KEYWORDS: dict[Keyword, frozenset[str]] = {
    Keyword.STOP: frozenset(
        {
            "STOP",
            "STOPALL",
            "UNSUBSCRIBE",
            "CANCEL",
            "END",
            "QUIT",
            "REVOKE",
            "OPTOUT",
            "PARAR",
            "ALTO",
            "DETENER",
            "CANCELAR",
            "BAJA",
        }
    ),
    Keyword.START: frozenset({"START", "UNSTOP", "INICIAR", "COMENZAR", "ALTA"}),
    Keyword.HELP: frozenset({"HELP", "INFO", "AYUDA"}),
}
_BY_WORD = {word: keyword for keyword, words in KEYWORDS.items() for word in words}

# Anything that is not a letter or digit at either end: spaces, punctuation, emoji.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_INSIDE = re.compile(r"[\s\-_.]+")


def normalize(body: str) -> str:
    """Upper case, accents and compatibility forms folded, edges trimmed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", body)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_EDGES.sub("", bare).split()).upper()


def classify(body: str) -> Keyword | None:
    """The keyword an inbound text is, or None for an ordinary reply.

    Separators inside the word are forgiven ("OPT-OUT", "stop all"), other words are not.
    """
    word = normalize(body)
    return _BY_WORD.get(word) or _BY_WORD.get(_INSIDE.sub("", word))


# Each reply stays within one GSM-7 segment (160 characters) for an organization name of
# up to 40 characters; translations must avoid characters outside GSM-7 (Spanish á, í, ó,
# ú are outside it, é and ñ are inside).
_REPLIES = {
    Keyword.STOP: _(
        "%(organization)s: You are unsubscribed and will get no more messages. "
        "Reply START to subscribe again."
    ),
    Keyword.START: _(
        "%(organization)s: You will get messages again. Reply HELP for help, STOP to unsubscribe."
    ),
    Keyword.HELP: _(
        "%(organization)s school messages. For help, reply to this text or call "
        "your school. Msg & data rates may apply. Reply STOP to unsubscribe."
    ),
}


def reply_for(keyword: Keyword, *, organization: str, language: str) -> str:
    """The confirmation (STOP, START) or help text (HELP) in the family's language."""
    with translation.override(language):
        return str(_REPLIES[keyword]) % {"organization": organization}
