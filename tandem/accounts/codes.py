"""One-time sign-in codes and the keyed hashes that stand in for codes, contacts and
client addresses in the database (pure functions, no queries)."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

CODE_DIGITS = 6


def new_code() -> str:
    """Six random digits, leading zeros kept."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalize_code(value: str) -> str:
    """What a person typed, without the spaces or dashes phones like to add."""
    return "".join(character for character in (value or "") if character.isdigit())


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 keyed with SECRET_KEY: equal values match, the value cannot be read back,
    and a stolen database alone cannot be searched for a known phone number."""
    return salted_hmac(f"tandem.accounts.{purpose}", value, algorithm="sha256").hexdigest()


def destination_hash(kind: str, value: str) -> str:
    return keyed_hash("destination", f"{kind}:{value}")


def client_hash(address: str) -> str:
    return keyed_hash("client", address or "unknown")


def code_hash(code: str, *, sign_in_id: int) -> str:
    return keyed_hash("code", f"{sign_in_id}:{code}")


def code_matches(code: str, stored_hash: str, *, sign_in_id: int) -> bool:
    """Constant-time comparison; a code that was never drawn (empty hash) matches nothing."""
    if not stored_hash or len(code) != CODE_DIGITS:
        return False
    return constant_time_compare(code_hash(code, sign_in_id=sign_in_id), stored_hash)


def staff_failure_key(email: str, address: str) -> str:
    return keyed_hash("staff-sign-in", f"{(email or '').strip().lower()}|{address or 'unknown'}")
