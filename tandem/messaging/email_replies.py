"""Email replies: the tagged Reply-To address each email carries, and reading a reply —
who it answers, what the family wrote above the quoted message, whether a machine wrote it.

A tag (replies+d1234-5f0c…@in.example.org) names the delivery the family answers, signed
so that nobody can guess another household's; lower-case hex, because some mail systems
fold the case of addresses.
"""

import re
from collections.abc import Mapping

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from tandem.messaging.models import Delivery

_SALT = "tandem.messaging.email_replies"
_TAG = re.compile(
    r"^(?P<box>[^+@]+)\+d(?P<pk>\d{1,18})-(?P<signature>[0-9a-f]{16})@(?P<domain>.+)$"
)


def _signature(delivery_pk: int) -> str:
    return salted_hmac(_SALT, str(delivery_pk), algorithm="sha256").hexdigest()[:16]


def reply_address(delivery: Delivery) -> str | None:
    """The Reply-To of an email to a family: the organization's reply address (or the
    installation's) tagged with the delivery. None when no reply address is set: replies
    then go to the From address, outside Tandem."""
    base = delivery.organization.reply_email or settings.TANDEM_REPLY_EMAIL
    if not base:
        return None
    box, _at, domain = base.rpartition("@")
    return f"{box}+d{delivery.pk}-{_signature(delivery.pk)}@{domain}"


def tagged_delivery_id(addresses: list[str]) -> int | None:
    """The delivery a reply answers, from the first correctly signed tag among the
    addresses it was sent to."""
    for address in addresses:
        match = _TAG.match(address.strip().lower())
        if match and constant_time_compare(match["signature"], _signature(int(match["pk"]))):
            return int(match["pk"])
    return None


def untagged(address: str) -> str:
    """replies+d12-…@in.example.org → replies@in.example.org."""
    match = _TAG.match(address.strip().lower())
    return f"{match['box']}@{match['domain']}" if match else address.strip().lower()


def reply_text(*, text: str, html: str, languages: list[str]) -> str:
    """What the family wrote, without the message it quotes below ("El lun, 3 nov…
    escribió:", "> …") nor its signature; the whole text when nothing can be told apart."""
    body = (text or _html_to_text(html)).replace("\r\n", "\n")
    above = _above_quote(body)
    codes = sorted({language.split("-")[0].lower() for language in languages} | {"en", "es"})
    try:
        latest = EmailReplyParser(languages=codes).parse_reply(above)
    except Exception:  # a parser's failure must not lose the reply: keep all of it
        latest = None
    return (latest or above or body).strip()


# "-----Original Message-----", "-----Mensaje original-----", "---- Message d'origine ----"
_SEPARATOR = re.compile(r"^\s*-{3,}\s*\S.*\S\s*-{3,}\s*$")


def _above_quote(body: str) -> str:
    """The text above the first quoted line ("> …") or original-message separator, and
    above the attribution line just before it, which ends with a colon in every language
    ("On … wrote:", "El … escribió:", "Le … a écrit :", "… 写道：")."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">") or _SEPARATOR.match(line):
            end = index
            previous = index - 1
            while previous >= 0 and not lines[previous].strip():
                previous -= 1
            if previous >= 0 and lines[previous].rstrip().endswith((":", "：")):
                end = previous
            return "\n".join(lines[:end]).strip()
    return body


def _html_to_text(html: str) -> str:
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", html or "")
    return strip_tags(with_breaks)


# RFC 3834 and the headers vacation responders and mailing lists add in practice.
_AUTOMATIC_PRECEDENCE = {"auto_reply", "bulk", "junk", "list"}


def is_automatic(headers: Mapping[str, str]) -> bool:
    """An out-of-office answer or other machine-written mail: kept, but neither a reply
    in the thread nor a sign that the family answered."""
    lowered = {name.lower(): (value or "").strip().lower() for name, value in headers.items()}
    if lowered.get("auto-submitted", "no") != "no":
        return True
    if "x-autoreply" in lowered or "x-autorespond" in lowered:
        return True
    return lowered.get("precedence", "") in _AUTOMATIC_PRECEDENCE
