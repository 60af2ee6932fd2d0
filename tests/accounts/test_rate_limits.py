"""How long a rate limit still holds: a pure rule, tested on its own."""

from datetime import UTC, datetime, timedelta

from tandem.accounts.selectors import seconds_until_allowed

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def minutes_ago(*minutes: int) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_under_the_limit_there_is_no_wait():
    assert seconds_until_allowed(minutes_ago(5, 10), limit=3, now=NOW) == 0


def test_at_the_limit_the_wait_lasts_until_the_oldest_counted_event_is_an_hour_old():
    assert seconds_until_allowed(minutes_ago(5, 10, 40), limit=3, now=NOW) == 20 * 60


def test_over_the_limit_the_newest_events_decide():
    events = minutes_ago(1, 2, 3, 50, 55)
    assert seconds_until_allowed(events, limit=3, now=NOW) == 57 * 60


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(rf, settings):
    from tandem.accounts.views import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(request) == "10.0.0.2"
    settings.TANDEM_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"  # never the client-chosen 6.6.6.6
