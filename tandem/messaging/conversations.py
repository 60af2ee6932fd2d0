"""Text conversations other apps hold with families: a listening campaign asks its
questions one text at a time. Each app registers a handler; a family's text that a
handler takes is answered at once (in the webhook's reply) and stays out of the thread."""

from collections.abc import Callable

from tandem.messaging.models import InboundMessage

# Returns the text to send back when it took the message, None when it is not its own.
Handler = Callable[[InboundMessage], str | None]

_HANDLERS: list[Handler] = []


def register(handler: Handler) -> None:
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)


def continue_conversation(inbound: InboundMessage) -> str | None:
    for handler in _HANDLERS:
        answer = handler(inbound)
        if answer is not None:
            return answer
    return None
