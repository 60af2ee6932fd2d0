"""Quiet hours: no text message reaches a family between 21:00 and 08:00 their time
(TANDEM_QUIET_HOURS="21:00-08:00" by default); what falls inside waits until morning."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def quiet_window() -> tuple[time, time]:
    start, end = settings.TANDEM_QUIET_HOURS.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def held_until(moment: datetime, time_zone: str, window: tuple[time, time] | None = None):
    """When a text due at `moment` (aware) may go out in `time_zone`: None when it may go
    now, else the aware end of the quiet window. A window may wrap midnight (21:00-08:00)
    or not (12:00-13:00); an empty window (08:00-08:00) never holds anything."""
    start, end = window or quiet_window()
    if start == end:
        return None
    local = moment.astimezone(ZoneInfo(time_zone))
    now = local.time()
    wraps = start > end
    inside = (now >= start or now < end) if wraps else (start <= now < end)
    if not inside:
        return None
    day = local.date()
    if wraps and now >= start:
        day += timedelta(days=1)
    # Built from the local date and time, so a daylight-saving change is respected.
    return datetime.combine(day, end, tzinfo=ZoneInfo(time_zone))
