"""No text reaches a family between 21:00 and 08:00 their time; it waits until 08:00."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.messaging.quiet_hours import held_until

CHICAGO = "America/Chicago"
NIGHT = (time(21), time(8))


def chicago(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(CHICAGO))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (chicago(2026, 11, 23, 20, 59), None),
        (chicago(2026, 11, 23, 21, 0), chicago(2026, 11, 24, 8, 0)),
        (chicago(2026, 11, 23, 23, 30), chicago(2026, 11, 24, 8, 0)),
        (chicago(2026, 11, 24, 3, 0), chicago(2026, 11, 24, 8, 0)),
        (chicago(2026, 11, 24, 7, 59), chicago(2026, 11, 24, 8, 0)),
        (chicago(2026, 11, 24, 8, 0), None),
    ],
)
def test_texts_wait_for_the_morning_in_the_family_time_zone(moment, expected):
    assert held_until(moment, CHICAGO, NIGHT) == expected


def test_the_same_instant_is_night_in_one_zone_and_day_in_another():
    instant = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)  # 21:30 in Chicago
    assert held_until(instant, CHICAGO, NIGHT) == chicago(2026, 11, 24, 8, 0)
    assert held_until(instant, "Asia/Manila", NIGHT) is None  # 11:30 in Manila


def test_the_morning_is_eight_local_even_across_a_daylight_saving_change():
    # The night of 7–8 March 2026 loses an hour in Chicago: 08:00 CDT is 13:00 UTC.
    release = held_until(chicago(2026, 3, 7, 22, 0), CHICAGO, NIGHT)
    assert release == chicago(2026, 3, 8, 8, 0)
    assert release.astimezone(UTC).hour == 13


def test_a_window_that_does_not_wrap_midnight():
    lunch = (time(12), time(13))
    assert held_until(chicago(2026, 11, 24, 12, 30), CHICAGO, lunch) == chicago(2026, 11, 24, 13)
    assert held_until(chicago(2026, 11, 24, 13, 0), CHICAGO, lunch) is None


def test_an_empty_window_holds_nothing():
    assert held_until(chicago(2026, 11, 24, 3, 0), CHICAGO, (time(8), time(8))) is None


@given(st.datetimes(timezones=st.just(ZoneInfo(CHICAGO))))
def test_a_held_text_is_released_at_the_next_eight_oclock_never_inside_the_night(moment):
    release = held_until(moment, CHICAGO, NIGHT)
    if release is None:
        assert time(8) <= moment.astimezone(ZoneInfo(CHICAGO)).time() < time(21)
    else:
        local = release.astimezone(ZoneInfo(CHICAGO))
        assert local.time() == time(8)
        assert release > moment
        assert (
            release - moment
        ).total_seconds() <= 12 * 3600  # 11 hours, 12 on the night clocks fall back
