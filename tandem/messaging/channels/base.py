"""What every channel promises: one send, one `SendResult` that says whether to record the
message as accepted, give up on it, or try again later."""

from dataclasses import dataclass
from typing import ClassVar, Protocol

ACCEPTED, PERMANENT, TRANSIENT = "accepted", "permanent", "transient"

# Codes of transient failures the channels report besides the provider's own.
CONNECTION = "connection"  # nothing reached the provider: safe to send again
TIMEOUT = "timeout"  # the request may have reached it: look it up before sending again


@dataclass(frozen=True)
class SendResult:
    kind: str  # ACCEPTED, PERMANENT or TRANSIENT
    provider_id: str = ""  # Twilio's SM… sid, an email's Message-ID
    segments: int = 0
    code: str = ""  # the provider's error code ("21211", "550") or CONNECTION / TIMEOUT
    reason: str = ""  # the provider's words, for staff

    @classmethod
    def accepted(cls, provider_id: str = "", segments: int = 0) -> "SendResult":
        return cls(ACCEPTED, provider_id=provider_id, segments=segments)

    @classmethod
    def permanent(cls, code: str, reason: str) -> "SendResult":
        """Sending again cannot help: a bad number, an opted-out number, a bounced address."""
        return cls(PERMANENT, code=code, reason=reason)

    @classmethod
    def transient(cls, code: str, reason: str) -> "SendResult":
        """Try again later: an outage, a rate limit, a network failure."""
        return cls(TRANSIENT, code=code, reason=reason)

    @property
    def is_accepted(self) -> bool:
        return self.kind == ACCEPTED

    @property
    def is_permanent(self) -> bool:
        return self.kind == PERMANENT

    @property
    def is_transient(self) -> bool:
        return self.kind == TRANSIENT


class ProviderUnavailable(Exception):
    """A question to the provider (not a send) could not be answered now."""


class Channel(Protocol):
    name: ClassVar[str]

    def send(self, *, to: str, body: str, subject: str = "") -> SendResult: ...


class WebInboxChannel:
    """The family reads the message in Tandem's web inbox: storing it is delivering it."""

    name: ClassVar[str] = "web"

    def send(self, *, to: str, body: str, subject: str = "") -> SendResult:
        return SendResult.accepted()
