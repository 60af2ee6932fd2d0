"""SMS segment counting: GSM-7 with its extension table, UCS-2 in UTF-16 code units."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.messaging.segments import (
    GSM_7,
    GSM_BASIC,
    GSM_EXTENSION,
    UCS_2,
    count,
    encoding_of,
    split,
    units_of,
)


def test_empty_text_takes_no_segment():
    result = count("")
    assert (result.segments, result.units, result.remaining_in_segment) == (0, 0, 160)
    assert split("") == []


@pytest.mark.parametrize(
    ("length", "segments", "remaining"),
    [(1, 1, 159), (160, 1, 0), (161, 2, 145), (306, 2, 0), (307, 3, 152), (459, 3, 0)],
)
def test_gsm_limits(length, segments, remaining):
    result = count("a" * length)
    assert result.encoding == GSM_7
    assert (result.segments, result.remaining_in_segment) == (segments, remaining)


@pytest.mark.parametrize(
    ("length", "segments", "remaining"),
    [(1, 1, 69), (70, 1, 0), (71, 2, 63), (134, 2, 0), (135, 3, 66)],
)
def test_ucs2_limits(length, segments, remaining):
    result = count("ж" * length)
    assert result.encoding == UCS_2
    assert (result.segments, result.remaining_in_segment) == (segments, remaining)


@pytest.mark.parametrize("character", [*"€[]{}~^|\\", "\f"])
def test_extension_characters_take_two_septets(character):
    result = count(character * 80)
    assert result.encoding == GSM_7
    assert (result.units, result.segments) == (160, 1)
    assert count(character * 81).segments == 2


def test_spanish_e_acute_is_gsm_but_a_acute_is_not():
    assert encoding_of("Reunión el martes, café") == UCS_2  # ó
    assert encoding_of("café, niño, ¿qué? ¡sí!") == UCS_2  # í
    assert encoding_of("café, niño, ¿qué? ¡Hola!") == GSM_7
    assert encoding_of("á") == UCS_2
    assert encoding_of("é") == GSM_7
    assert encoding_of("Ñandú") == UCS_2


def test_emoji_counts_two_code_units():
    result = count("Hi 👋")
    assert (result.encoding, result.characters, result.units) == (UCS_2, 4, 5)
    assert count("😀" * 35).segments == 1
    assert count("😀" * 36).segments == 2


def test_surrogate_pair_is_never_split():
    text = "a" * 66 + "😀" + "b" * 10  # the emoji would straddle units 67 and 68
    parts = split(text)
    assert parts[0] == "a" * 66
    assert parts[1].startswith("😀")
    result = count(text)
    assert (result.segments, result.used_in_segment) == (2, 12)


def test_escape_sequence_is_never_split():
    text = "a" * 152 + "€" + "b" * 10  # € needs 2 septets where 1 is left
    parts = split(text)
    assert parts[0] == "a" * 152
    assert parts[1] == "€" + "b" * 10
    assert count(text).segments == 2


def test_arabic_text_is_ucs2():
    text = "مرحبا، اجتماع أولياء الأمور يوم الثلاثاء"
    result = count(text)
    assert result.encoding == UCS_2
    assert result.units == len(text)
    assert result.segments == 1


def test_counter_fields_for_a_two_part_message():
    result = count("x" * 200)
    assert result.segment_limit == 153
    assert result.used_in_segment == 47
    assert result.remaining_in_segment == 106
    assert result.characters == 200


gsm_text = st.text(alphabet=GSM_BASIC + GSM_EXTENSION, max_size=800)
any_text = st.text(max_size=600)


@given(any_text)
def test_parts_join_back_to_the_text(text):
    assert "".join(split(text)) == text


@given(any_text)
def test_parts_match_the_count_and_fit_their_limit(text):
    result = count(text)
    parts = split(text)
    assert len(parts) == result.segments
    limit = 160 if result.encoding == GSM_7 else 70
    if len(parts) > 1:
        limit = result.segment_limit
    for part in parts:
        assert units_of(part, result.encoding) <= limit
    assert result.used_in_segment + result.remaining_in_segment == result.segment_limit


@given(any_text)
def test_no_part_ends_inside_a_surrogate_pair(text):
    for part in split(text):
        encoded = part.encode("utf-16-le")
        assert encoded.decode("utf-16-le") == part
        if encoded:
            last_unit = int.from_bytes(encoded[-2:], "little")
            assert not 0xD800 <= last_unit <= 0xDBFF


@given(gsm_text)
def test_gsm_units_count_extension_characters_twice(text):
    result = count(text)
    assert result.encoding == GSM_7
    assert result.units == len(text) + sum(text.count(c) for c in GSM_EXTENSION)


# A character of real text: lone surrogates cannot arrive (forms and webhooks are UTF-8).
one_character = st.characters(codec="utf-8")


@given(any_text, one_character)
def test_adding_a_character_never_reduces_segments(text, character):
    assert count(text + character).segments >= count(text).segments


@given(gsm_text, one_character.filter(lambda c: c not in GSM_BASIC + GSM_EXTENSION))
def test_one_non_gsm_character_switches_to_ucs2(text, character):
    result = count(text + character)
    assert result.encoding == UCS_2
    assert result.units == len((text + character).encode("utf-16-le")) // 2
