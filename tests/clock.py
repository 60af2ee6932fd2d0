"""Times for tests that must not depend on when the suite runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


def next_noon(zone: ZoneInfo | str) -> datetime:
    """The next noon in `zone`: never before now (a message composed now is due by then)
    and outside quiet hours, as a worker would send."""
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    now = timezone.now().astimezone(zone)
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon if noon >= now else noon + timedelta(days=1)
