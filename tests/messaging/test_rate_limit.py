"""Texts leave no faster than the channel's rate, evenly spaced, and unpaced when 0."""

from tandem.messaging.rate_limit import Pace


class FakeTime:
    """A clock the pace can sleep on without the test waiting."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_sends_are_spaced_evenly_at_the_rate():
    time = FakeTime()
    pace = Pace(4, clock=time.clock, sleep=time.sleep)
    for _ in range(5):
        pace.wait()
    assert time.slept == [0.25, 0.25, 0.25, 0.25]
    assert time.now == 101.0


def test_time_already_spent_sending_counts_toward_the_interval():
    time = FakeTime()
    pace = Pace(2, clock=time.clock, sleep=time.sleep)
    pace.wait()
    time.now += 0.4  # the send itself took 0.4 s
    pace.wait()
    assert time.slept == [0.1]


def test_a_rate_of_zero_never_waits():
    time = FakeTime()
    pace = Pace(0, clock=time.clock, sleep=time.sleep)
    for _ in range(100):
        pace.wait()
    assert time.slept == []
