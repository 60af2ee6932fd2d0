"""Background work for programs; thin, it calls the services."""

from django.tasks import task


@task
def send_session_reminder(session_id: int, kind: str, starts_at: str) -> int | None:
    """Remind the families who said yes (the day before or the morning of); nothing
    when the session was moved, cancelled, or reminded already."""
    from tandem.programs.reminders import send_reminder

    message = send_reminder(session_id=session_id, kind=kind, starts_at=starts_at)
    return message.pk if message else None
