"""Pacing sends per channel: providers and carriers cap how fast one number may send
(a US long code about 1 text a second; toll-free and short codes more). Each sender
process takes its share of the channel's rate (TANDEM_SMS_RATE_PER_SECOND divided by
TANDEM_SEND_WORKERS); 0 means no pacing (the local gateway, or a provider that queues)."""

import time
from collections.abc import Callable


class Pace:
    """Lets at most `rate` actions a second through, evenly spaced."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval
