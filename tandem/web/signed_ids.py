"""Links that name a row without storing a secret: "<id>-<keyed digest of the id>".

Each kind of link has its own salt, so a token made for one (a listening invitation)
opens nothing of another kind (a program invitation), and the same link can be written
again into a reminder."""

import base64
import hmac

from django.utils.crypto import salted_hmac

_MAC_CHARS = 16  # 96 bits of base64


def _mac(salt: str, row_id: int) -> str:
    digest = salted_hmac(salt, str(row_id), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:_MAC_CHARS]


def sign(salt: str, row_id: int) -> str:
    return f"{row_id}-{_mac(salt, row_id)}"


def unsign(salt: str, token: str) -> int | None:
    """The id a token was made for under `salt`, or None when it was not made by us."""
    number, _sep, mac = (token or "").partition("-")
    if not number.isdigit() or len(number) > 12:
        return None
    if not hmac.compare_digest(mac.encode(), _mac(salt, int(number)).encode()):
        return None
    return int(number)
