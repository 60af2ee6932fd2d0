"""Reminders to the families who said yes: the day before at 17:00 and the morning of the
session, in the session's time zone.

The morning reminder goes at 08:00, when texts may go out again after quiet hours
(TANDEM_QUIET_HOURS, "21:00-08:00" by default). A session that starts before 10:00
would leave families less than two hours, so its reminder goes two hours before the
start instead; delivery still holds a text due inside quiet hours until they end, so
the reminder is planned only when that leaves at least an hour before the start (a
9:00 workshop is reminded at 08:00; an 8:00 University Day only the day before).

Reminders are background tasks planned when families are invited and again when a
session is moved (`schedule_reminders`), with `run_after` where the task backend can
wait. When one runs it checks that the session still starts when it was planned for
and is not cancelled (a moved session has its own reminders), and that it was not sent
already (a session invited twice plans its reminders twice). It then writes ONE message
to the households that said yes, each copy with the caregiver's own link.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.audit.models import AuditEvent
from tandem.audit.services import record
from tandem.messaging.quiet_hours import held_until
from tandem.programs.invitations import when_text, where_text
from tandem.programs.models import Invitation, Session
from tandem.programs.notices import ONLINE, online_text, sender_of, write_to_households
from tandem.programs.services import local

DAY_BEFORE, MORNING_OF = "day_before", "morning_of"
DAY_BEFORE_AT = time(17)
MORNING_AT = time(8)
EARLY_START = time(10)
EARLY_LEAD = timedelta(hours=2)
LEAST_NOTICE = timedelta(hours=1)
SENT = "programs.reminder_sent"

_TOMORROW = gettext_noop("Reminder: %(program)s: %(title)s is tomorrow, %(when)s, %(where)s.")
_TODAY = gettext_noop("Reminder: %(program)s: %(title)s is today, %(when)s, %(where)s.")
_ASK = gettext_noop("If you cannot come after all, please tell us with your link:")


def reminder_times(starts: datetime) -> dict[str, datetime]:
    """When to remind families of a session starting at `starts` (aware, in the
    session's zone): the day before at 17:00 and the morning of (see the module's
    docstring); a reminder quiet hours would hold too close to the start is left out."""
    zone = starts.tzinfo
    times = {
        DAY_BEFORE: datetime.combine(starts.date() - timedelta(days=1), DAY_BEFORE_AT, zone),
    }
    if starts.time() >= EARLY_START:
        morning = datetime.combine(starts.date(), MORNING_AT, zone)
    else:
        morning = starts - EARLY_LEAD
    arrives = held_until(morning, str(zone)) or morning
    if arrives <= starts - LEAST_NOTICE:
        times[MORNING_OF] = morning
    return times


def schedule_reminders(session: Session, *, now: datetime | None = None) -> list[str]:
    """Plan the session's reminders still to come, once the current transaction commits;
    returns their kinds. With a task backend that cannot wait (tests run tasks at once),
    nothing is planned: `send_reminder` is called directly there."""
    from tandem.programs.tasks import send_session_reminder

    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED:
        return []
    if not send_session_reminder.get_backend().supports_defer:
        return []
    planned = []
    starts = session.starts_at.isoformat()
    for kind, at in reminder_times(local(session)).items():
        if at <= now:
            continue
        transaction.on_commit(
            lambda kind=kind, at=at: send_session_reminder.using(run_after=at).enqueue(
                session.pk, kind, starts
            )
        )
        planned.append(kind)
    return planned


def send_reminder(*, session_id: int, kind: str, starts_at: str, now: datetime | None = None):
    """Remind the families who said yes, when the session still starts at `starts_at`
    (ISO), is not cancelled or over, and this reminder has not gone yet. Returns the
    message, or None when there was nothing to send."""
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related(
                "program__organization",
                "program__created_by",
                "school",
                "invitation_message__author",
            )
            .filter(pk=session_id)
            .first()
        )
        if (
            session is None
            or session.status != Session.Status.SCHEDULED
            or session.starts_at != datetime.fromisoformat(starts_at)
            or session.starts_at <= now
            or kind not in (DAY_BEFORE, MORNING_OF)
            or _already_sent(session, kind, starts_at)
        ):
            return None
        coming = Invitation.objects.filter(session=session, response=Invitation.Response.YES)
        if not coming.exists():
            return None
        message = write_to_households(
            author=sender_of(session),
            session=session,
            invitations=coming,
            paragraphs=[_TOMORROW if kind == DAY_BEFORE else _TODAY, ONLINE, _ASK],
            make_text=lambda language: reminder_text(session, kind, language),
            notice=kind,
            personal_link=True,
        )
        record(
            actor=None,
            action=SENT,
            target=session,
            kind=kind,
            starts_at=starts_at,
            message=message.pk if message else None,
        )
    return message


def reminder_text(session: Session, kind: str, language: str) -> str:
    with translation.override(language):
        first = _(_TOMORROW if kind == DAY_BEFORE else _TODAY) % {
            "program": session.program.name,
            "title": session.title,
            "when": when_text(session),
            "where": where_text(session),
        }
        return "\n\n".join(p for p in (first, online_text(session), _(_ASK)) if p)


def _already_sent(session: Session, kind: str, starts_at: str) -> bool:
    return AuditEvent.objects.filter(
        action=SENT,
        object_type=Session._meta.label_lower,
        object_id=str(session.pk),
        detail__kind=kind,
        detail__starts_at=starts_at,
    ).exists()
