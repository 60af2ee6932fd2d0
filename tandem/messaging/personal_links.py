"""Links made for one recipient: a message can end, in each caregiver's copy, with a
link that is theirs alone (their invitation to a listening campaign). The app that owns
the link registers a maker under a name; the message names it in `personal_link`, as
"name" or "name:what" (the maker reads what follows the colon itself)."""

from collections.abc import Callable, Iterable

from tandem.messaging.models import Message

# (message, [(caregiver id, channel), ...]) → {caregiver id: link}; one call per batch.
LinkMaker = Callable[[Message, list[tuple[int, str]]], dict[int, str]]

_MAKERS: dict[str, LinkMaker] = {}


def register(name: str, maker: LinkMaker) -> None:
    _MAKERS[name] = maker


def links_for(message: Message, recipients: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Each recipient's link, for a message that has them; {} for one that has none."""
    if not message.personal_link:
        return {}
    name = message.personal_link.partition(":")[0]
    return _MAKERS[name](message, list(recipients))


def with_link(text: str, link: str) -> str:
    return f"{text}\n\n{link}" if link else text
