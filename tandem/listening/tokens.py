"""Personal links and the keys that keep anonymous answers apart from people.

A link's token is a keyed digest of its invitation's id, so nothing secret is stored
and the same link can be written again into a reminder. The other keys are digests
under other salts: from the database alone none of them leads back to an invitation.
"""

from django.utils.crypto import salted_hmac

from tandem.web.signed_ids import sign, unsign

_LINK_SALT = "tandem.listening.link"
_ANONYMOUS_SALT = "tandem.listening.anonymous"
_PARTICIPANT_SALT = "tandem.listening.participant"


def invitation_token(invitation_id: int) -> str:
    return sign(_LINK_SALT, invitation_id)


def invitation_id_from(token: str) -> int | None:
    """The invitation a token was made for, or None when it was not made by us."""
    return unsign(_LINK_SALT, token)


def anonymous_key(invitation_id: int) -> str:
    """Finds an anonymous answer set while it is being filled in."""
    return salted_hmac(_ANONYMOUS_SALT, str(invitation_id), algorithm="sha256").hexdigest()


def participant_key(invitation_id: int) -> str:
    """A participant of an exchange, the same across their votes and statements."""
    return salted_hmac(_PARTICIPANT_SALT, str(invitation_id), algorithm="sha256").hexdigest()
