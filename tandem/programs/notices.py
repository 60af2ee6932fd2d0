"""(being written) Telling families about changes: a session moved or cancelled, a
place freed from the wait list."""


def tell_session_changed(*, actor, session, changed: list[str]) -> None:
    raise NotImplementedError


def tell_session_cancelled(*, actor, session) -> None:
    raise NotImplementedError


def tell_place_freed(*, invitation) -> None:
    raise NotImplementedError
