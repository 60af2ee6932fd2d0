"""Text conversations other apps hold with families: a listening campaign asks its
questions one text at a time, a program asks "1 yes, 2 no". Each app registers a
handler; a family's text that a handler takes is answered at once (in the webhook's
reply) and stays out of the thread, unless the handler hands it on with `AlsoForThread`.

When a family has conversations open in several apps, the one opened last answers first:
a reply goes to the question the family was asked most recently."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tandem.messaging.models import InboundMessage


@dataclass(frozen=True)
class AlsoForThread:
    """An answer to send back while the message still goes to the household's thread
    (a reply the conversation could not use, which staff should read)."""

    text: str


# Returns the text to send back when it took the message, None when it is not its own.
Handler = Callable[[InboundMessage], str | AlsoForThread | None]
# When the caregiver's open conversation with this app began, None when there is none.
OpenedAt = Callable[[int], datetime | None]

_HANDLERS: list[tuple[Handler, OpenedAt | None]] = []


def register(handler: Handler, opened_at: OpenedAt | None = None) -> None:
    if all(known is not handler for known, _opened in _HANDLERS):
        _HANDLERS.append((handler, opened_at))


def _latest_first(caregiver_id: int) -> list[Handler]:
    def opened(entry: tuple[Handler, OpenedAt | None]) -> float:
        when = entry[1](caregiver_id) if entry[1] else None
        return when.timestamp() if when else float("-inf")

    return [handler for handler, _o in sorted(_HANDLERS, key=opened, reverse=True)]


def continue_conversation(inbound: InboundMessage) -> str | AlsoForThread | None:
    handlers = (
        _latest_first(inbound.caregiver_id) if inbound.caregiver_id else [h for h, _o in _HANDLERS]
    )
    for handler in handlers:
        answer = handler(inbound)
        if answer is not None:
            return answer
    return None
