"""iCalendar files and feeds of sessions: one session for a family (from their
invitation's link) or for staff, a family's feed of every session they said yes to, and
a staff member's feed of the sessions of the programs they may run.

Calendar apps cannot sign in, so a feed is opened with a signed token of its own (a
caregiver's or a staff member's id under a salt of its own, so neither opens the other
nor an invitation). Times carry the session's time zone (with its VTIMEZONE), so a
phone shows them right wherever it is. A session moved or cancelled keeps its UID and
gets a higher SEQUENCE, so calendars update the event rather than add another.
"""

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tandem.accounts.permissions import Action, scope_for
from tandem.audit.models import AuditEvent
from tandem.programs.invitations import invitation_url, offers_text, where_text
from tandem.programs.models import Invitation, Session
from tandem.programs.services import local
from tandem.programs.topics import BY_KEY
from tandem.web.signed_ids import sign, unsign

_FAMILY_FEED_SALT = "tandem.programs.family-calendar"
_STAFF_FEED_SALT = "tandem.programs.staff-calendar"
PRODID = "-//Tandem//Programs//EN"
# A feed shows what is coming and what happened in the last months.
FEED_PAST = timedelta(days=120)
# Changes that move, cancel or re-place a session, counted for SEQUENCE.
_REVISIONS = ("programs.session_changed", "programs.session_cancelled")


def family_feed_token(caregiver_id: int) -> str:
    return sign(_FAMILY_FEED_SALT, caregiver_id)


def caregiver_id_from(token: str) -> int | None:
    return unsign(_FAMILY_FEED_SALT, token)


def staff_feed_token(user_id: int) -> str:
    return sign(_STAFF_FEED_SALT, user_id)


def user_id_from(token: str) -> int | None:
    return unsign(_STAFF_FEED_SALT, token)


# Which sessions


def _with_related(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("program__organization", "school").order_by("starts_at", "id")


def sessions_for_family(caregiver_id: int, now=None) -> QuerySet[Session]:
    """Sessions the caregiver said yes to (cancelled ones too: the feed says so)."""
    now = now or timezone.now()
    coming = Invitation.objects.filter(
        session=OuterRef("pk"), caregiver_id=caregiver_id, response=Invitation.Response.YES
    )
    return _with_related(Session.objects.filter(Exists(coming), ends_at__gte=now - FEED_PAST))


def sessions_for_staff(user, now=None) -> QuerySet[Session]:
    """Sessions the user may run: at a school in their scope, or (for a session without
    a school) of a program they may see (`selectors.may_see_session`, for a list)."""
    from tandem.programs.selectors import visible_programs

    now = now or timezone.now()
    scope = scope_for(user, Action.RUN_PROGRAMS)
    if not scope:
        return Session.objects.none()
    allowed = (
        Q(program__organization_id__in=scope.organization_ids)
        | Q(school_id__in=scope.school_ids)
        | Q(school__isnull=True, program__in=visible_programs(user).values("pk"))
    )
    return _with_related(Session.objects.filter(allowed, ends_at__gte=now - FEED_PAST))


# Building the calendar


def revisions(session_ids: Iterable[int]) -> dict[int, int]:
    """How many times each session was moved, changed or cancelled (one query)."""
    rows = (
        AuditEvent.objects.filter(
            action__in=_REVISIONS,
            object_type=Session._meta.label_lower,
            object_id__in=[str(pk) for pk in session_ids],
        )
        .values("object_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {int(row["object_id"]): row["n"] for row in rows}


def _uid(session: Session) -> str:
    host = urlsplit(settings.TANDEM_PUBLIC_URL).hostname or "tandem"
    return f"program-session-{session.pk}@{host}"


def session_event(
    session: Session, *, sequence: int = 0, with_online_link: bool = True, link: str = ""
) -> Event:
    """The session as an event, in the active language; `link` is the family's page."""
    event = Event()
    event.add("uid", _uid(session))
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    event.add("dtstart", local(session))
    event.add("dtend", local(session, session.ends_at))
    event.add("summary", f"{session.program.name}: {session.title}")
    online = with_online_link and session.modality != Session.Modality.IN_PERSON
    if session.modality == Session.Modality.VIRTUAL:
        event.add("location", session.virtual_link if online else where_text(session))
    else:
        event.add("location", session.place)
    lines = []
    if session.topic in BY_KEY:
        lines.append(str(BY_KEY[session.topic].name))
    if offers := offers_text(session):
        lines.append(_("We offer: %(offers)s.") % {"offers": offers})
    if online and session.virtual_link:
        lines.append(_("To join online: %(link)s") % {"link": session.virtual_link})
        event.add("url", session.virtual_link)
    if link:
        lines.append(_("Your answer and what you need: %(link)s") % {"link": link})
    if lines:
        event.add("description", "\n\n".join(lines))
    cancelled = session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_file(events: list[Event], *, name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def invitation_calendar(invitation: Invitation) -> bytes:
    """The family's one-session file, in their language; the online link once they said yes."""
    session = invitation.session
    with translation.override(invitation.language):
        event = session_event(
            session,
            sequence=revisions([session.pk]).get(session.pk, 0),
            with_online_link=invitation.response == Invitation.Response.YES,
            link=invitation_url(invitation.pk),
        )
        return calendar_file([event])


def family_calendar(caregiver) -> bytes:
    sessions = list(sessions_for_family(caregiver.pk))
    links = dict(
        Invitation.objects.filter(caregiver=caregiver, session__in=sessions).values_list(
            "session_id", "pk"
        )
    )
    counts = revisions(s.pk for s in sessions)
    with translation.override(caregiver.preferred_language):
        events = [
            session_event(s, sequence=counts.get(s.pk, 0), link=invitation_url(links[s.pk]))
            for s in sessions
        ]
        return calendar_file(events, name=_("Sessions I am going to"))


def staff_calendar(user, sessions: list[Session] | None = None) -> bytes:
    """The sessions (all the user may run, by default) in the user's language."""
    sessions = list(sessions_for_staff(user)) if sessions is None else sessions
    counts = revisions(s.pk for s in sessions)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        events = [session_event(s, sequence=counts.get(s.pk, 0)) for s in sessions]
        return calendar_file(events, name=_("Program sessions"))
