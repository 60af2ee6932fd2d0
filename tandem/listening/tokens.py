"""Personal links and the keys that keep anonymous answers apart from people.

A link's token is a keyed digest of its invitation's id, so nothing secret is stored
and the same link can be written again into a reminder. The other keys are digests
under other salts: from the database alone none of them leads back to an invitation.
"""

import base64
import hmac

from django.utils.crypto import salted_hmac

_LINK_SALT = "tandem.listening.link"
_ANONYMOUS_SALT = "tandem.listening.anonymous"
_PARTICIPANT_SALT = "tandem.listening.participant"
_MAC_CHARS = 16  # 96 bits of base64


def _mac(salt: str, invitation_id: int) -> str:
    digest = salted_hmac(salt, str(invitation_id), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:_MAC_CHARS]


def invitation_token(invitation_id: int) -> str:
    return f"{invitation_id}-{_mac(_LINK_SALT, invitation_id)}"


def invitation_id_from(token: str) -> int | None:
    """The invitation a token was made for, or None when it was not made by us."""
    number, _sep, mac = (token or "").partition("-")
    if not number.isdigit() or len(number) > 12:
        return None
    if not hmac.compare_digest(mac.encode(), _mac(_LINK_SALT, int(number)).encode()):
        return None
    return int(number)


def anonymous_key(invitation_id: int) -> str:
    """Finds an anonymous answer set while it is being filled in."""
    return salted_hmac(_ANONYMOUS_SALT, str(invitation_id), algorithm="sha256").hexdigest()


def participant_key(invitation_id: int) -> str:
    """A participant of an exchange, the same across their votes and statements."""
    return salted_hmac(_PARTICIPANT_SALT, str(invitation_id), algorithm="sha256").hexdigest()
