"""The gateway's memory: messages it accepted, what it refused, and how it should misbehave.

One lock guards everything; each request holds it for a few dictionary operations only.
"""

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

API_VERSION = "2010-04-01"


def new_sid(prefix: str = "SM") -> str:
    return prefix + uuid.uuid4().hex


def rfc2822(epoch: float) -> str:
    """Twilio's date format: "Thu, 24 Aug 2023 05:01:45 +0000"."""
    return format_datetime(datetime.fromtimestamp(int(epoch), UTC))


@dataclass
class Outage:
    status: int  # 429 or 503
    remaining: int | None  # requests still to refuse; None: until turned off


@dataclass
class Settings:
    """What a run of the gateway is told; changeable while it runs."""

    status_callbacks: bool = True
    inbound_webhook: str | None = None
    # Twilio blocks a number that texted STOP (21610) until it texts START. Off by default
    # so tests see whether Tandem itself stops sending.
    honor_opt_out: bool = False
    latency: float = 0.0  # seconds each API request waits, to exercise client timeouts


@dataclass
class Store:
    lock: threading.Lock = field(default_factory=threading.Lock)
    messages: list[dict] = field(default_factory=list)  # outbound, oldest first
    by_sid: dict[str, dict] = field(default_factory=dict)
    by_to: dict[str, list[dict]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    rejected: list[dict] = field(default_factory=list)  # refused sends: to, code, at
    inbound: list[dict] = field(default_factory=list)  # simulated texts from families
    # Accepted, then fail when the carrier tries: number -> (error code, final status).
    failing: dict[str, tuple[int, str]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)  # refused at once with 21610
    outage: Outage | None = None
    settings: Settings = field(default_factory=Settings)
    _date_cache: tuple[int, str] = (0, "")

    def now(self) -> tuple[float, str]:
        epoch = time.time()
        second = int(epoch)
        if self._date_cache[0] != second:
            self._date_cache = (second, rfc2822(epoch))
        return epoch, self._date_cache[1]

    def take_outage(self) -> int | None:
        """The status to refuse this request with, if an outage is on."""
        outage = self.outage
        if outage is None:
            return None
        with self.lock:
            outage = self.outage
            if outage is None:
                return None
            if outage.remaining is not None:
                outage.remaining -= 1
                if outage.remaining <= 0:
                    self.outage = None
            return outage.status

    def add(self, message: dict) -> None:
        with self.lock:
            message["_seq"] = len(self.messages)
            self.messages.append(message)
            self.by_sid[message["sid"]] = message
            self.by_to.setdefault(message["to"], []).append(message)
            self.counts[message["to"]] += 1

    def reject(self, to: str, code: int) -> None:
        with self.lock:
            self.rejected.append({"to": to, "code": code, "at": time.time()})

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.by_sid.clear()
            self.by_to.clear()
            self.counts.clear()
            self.rejected.clear()
            self.inbound.clear()
            self.failing.clear()
            self.blocked.clear()
            self.outage = None


def public(message: dict) -> dict:
    """A message as Twilio's API shows it (without the gateway's bookkeeping)."""
    return {key: value for key, value in message.items() if not key.startswith("_")}
