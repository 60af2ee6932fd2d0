"""How many SMS segments a text takes, for the writer's counter and the gateways.

GSM 03.38: the default alphabet costs one septet a character, its extension table two
(escape + character). Any character outside both sends the whole text as UCS-2, where
each UTF-16 code unit counts (an emoji is two). A multipart text loses room to the
concatenation header, and a part never ends between the two halves of a surrogate pair
or of an escape sequence: such a character moves whole to the next part.
"""

from dataclasses import dataclass
from typing import Literal

GSM_7 = "GSM-7"
UCS_2 = "UCS-2"

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"

SINGLE_LIMIT = {GSM_7: 160, UCS_2: 70}
MULTIPART_LIMIT = {GSM_7: 153, UCS_2: 67}

_GSM_COST = {character: 1 for character in GSM_BASIC} | {
    character: 2 for character in GSM_EXTENSION
}


@dataclass(frozen=True)
class SegmentCount:
    """What the writer's counter shows: "1 of 2 segments, 40 left"."""

    encoding: Literal["GSM-7", "UCS-2"]
    segments: int
    characters: int  # Unicode code points in the text
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2) in the whole text
    used_in_segment: int  # units in the last (current) segment
    remaining_in_segment: int  # units still free in the current segment
    segment_limit: int  # units one segment holds: 160/153 (GSM-7) or 70/67 (UCS-2)


def encoding_of(text: str) -> Literal["GSM-7", "UCS-2"]:
    return GSM_7 if all(character in _GSM_COST for character in text) else UCS_2


def _costs(text: str) -> tuple[Literal["GSM-7", "UCS-2"], list[int]]:
    try:
        return GSM_7, [_GSM_COST[character] for character in text]
    except KeyError:
        return UCS_2, [2 if ord(character) > 0xFFFF else 1 for character in text]


def _parts(costs: list[int], limit: int) -> list[tuple[int, int, int]]:
    """Greedy packing into parts of `limit` units: (start, end, units) per part."""
    parts = []
    start = used = 0
    for index, cost in enumerate(costs):
        if used + cost > limit:
            parts.append((start, index, used))
            start, used = index, 0
        used += cost
    parts.append((start, len(costs), used))
    return parts


def count(text: str) -> SegmentCount:
    encoding, costs = _costs(text)
    units = sum(costs)
    if units <= SINGLE_LIMIT[encoding]:
        limit = SINGLE_LIMIT[encoding]
        return SegmentCount(
            encoding=encoding,
            segments=1 if text else 0,
            characters=len(text),
            units=units,
            used_in_segment=units,
            remaining_in_segment=limit - units,
            segment_limit=limit,
        )
    limit = MULTIPART_LIMIT[encoding]
    parts = _parts(costs, limit)
    last_units = parts[-1][2]
    return SegmentCount(
        encoding=encoding,
        segments=len(parts),
        characters=len(text),
        units=units,
        used_in_segment=last_units,
        remaining_in_segment=limit - last_units,
        segment_limit=limit,
    )


def split(text: str) -> list[str]:
    """The text of each segment, in order; joined they give back the text."""
    encoding, costs = _costs(text)
    if not text:
        return []
    if sum(costs) <= SINGLE_LIMIT[encoding]:
        return [text]
    return [text[start:end] for start, end, _ in _parts(costs, MULTIPART_LIMIT[encoding])]


def units_of(text: str, encoding: Literal["GSM-7", "UCS-2"]) -> int:
    """Units `text` takes in `encoding` (GSM-7 only for text that fits it)."""
    if encoding == GSM_7:
        return sum(_GSM_COST[character] for character in text)
    return len(text.encode("utf-16-le")) // 2
