"""Facilitated listening sessions: when and where, who facilitates (and whether they
share the families' language and culture), who sits in to listen, how many came by role
and language, and the quotes and notes taken question by question.

Notes are answers (`Answer` with `session` set) so that themes and reports read them
with everything else; a speaker's name is kept only when they agreed to it.
"""

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag, parse_languages
from tandem.directory.models import School
from tandem.listening.answers import clean_answer_text, roster_names
from tandem.listening.models import (
    Answer,
    Attendance,
    Campaign,
    ListeningSession,
    Question,
    Role,
    SessionPerson,
)
from tandem.listening.screening import screen

RUN = Action.RUN_LISTENING
MAX_LANGUAGES = 12
MAX_ATTENDANCE = 10_000  # people of one role and language at one session
NOTE_KINDS = (Answer.Kind.QUOTE, Answer.Kind.NOTE)


def _check(actor, campaign: Campaign, school: School | None = None) -> None:
    if not can(actor, RUN, school or campaign.school or campaign.organization):
        raise PermissionDenied


def _closed(campaign: Campaign) -> bool:
    return campaign.status == Campaign.Status.CLOSED


def session_zone(session: ListeningSession) -> ZoneInfo:
    """Sessions are shown and entered in the time of the school that holds them."""
    school = session.school or session.campaign.school
    return ZoneInfo((school or session.campaign.organization).time_zone)


def create_session(
    *,
    actor,
    campaign: Campaign,
    starts_at: datetime | None,
    place: str,
    languages: Iterable[str] | str,
    interpretation: str = "",
    school: School | None = None,
) -> ListeningSession:
    """A session of `campaign`, at its school (or, for a district-wide campaign, at
    `school` or none). Raises ValidationError by field, changing nothing."""
    if campaign.school_id is not None:
        if school is not None and school.pk != campaign.school_id:
            raise PermissionDenied
        school = campaign.school
    elif school is not None and school.organization_id != campaign.organization_id:
        raise PermissionDenied
    _check(actor, campaign, school)
    errors: dict[str, str] = {}
    if _closed(campaign):
        errors["__all__"] = _("This campaign is closed.")
    place = " ".join((place or "").split())
    if not place:
        errors["place"] = _("Say where the session takes place.")
    elif len(place) > 200:
        errors["place"] = _("Keep the place under 200 characters.")
    if starts_at is None:
        errors["starts_at"] = _("Say when the session takes place.")
    try:
        tags = parse_languages(languages)
    except ValidationError as invalid:
        errors["languages"] = invalid.messages[0]
    else:
        if not tags:
            errors["languages"] = _("Name at least one language the session is held in.")
        elif len(tags) > MAX_LANGUAGES:
            errors["languages"] = _("Name at most %(limit)s languages.") % {"limit": MAX_LANGUAGES}
    interpretation = (interpretation or "").strip()
    if len(interpretation) > 300:
        errors["interpretation"] = _("Keep this under 300 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = ListeningSession.objects.create(
            campaign=campaign,
            organization_id=campaign.organization_id,
            school=school,
            starts_at=starts_at,
            place=place,
            languages=tags,
            interpretation=interpretation,
            created_by=actor,
        )
        record(actor=actor, action="listening.session_created", target=session)
    return session


def add_person(
    *,
    actor,
    session: ListeningSession,
    part: str,
    name: str,
    role: str = "",
    shares_language: bool = False,
    shares_culture: bool = False,
) -> SessionPerson:
    """A facilitator or a listener. Whether facilitators share the families' language
    and culture is recorded because it is what makes families speak freely."""
    _check(actor, session.campaign, session.school)
    errors: dict[str, str] = {}
    if part not in SessionPerson.Part.values:
        errors["part"] = _("Choose facilitator or listener.")
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Write their name.")
    elif len(name) > 200:
        errors["name"] = _("Keep the name under 200 characters.")
    role = " ".join((role or "").split())
    if len(role) > 100:
        errors["role"] = _("Keep the role under 100 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = SessionPerson.objects.create(
            session=session,
            part=part,
            name=name,
            role=role,
            shares_language=bool(shares_language),
            shares_culture=bool(shares_culture),
        )
        record(actor=actor, action="listening.session_person_added", target=session, part=part)
    return person


def remove_person(*, actor, person: SessionPerson) -> None:
    session = person.session
    _check(actor, session.campaign, session.school)
    with transaction.atomic():
        person.delete()
        record(actor=actor, action="listening.session_person_removed", target=session)


def set_attendance(
    *, actor, session: ListeningSession, counts: dict[tuple[str, str], object]
) -> list[Attendance]:
    """Replace the session's attendance with `counts`: (role, language tag) → number of
    people. Zeros are dropped; tags written two ways are added up. Any bad entry raises
    ValidationError and nothing changes."""
    _check(actor, session.campaign, session.school)
    totals: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    for (role, language), count in counts.items():
        if role not in Role.values:
            problems.append(_("“%(role)s” is not a role.") % {"role": role})
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            problems.append(
                _("“%(count)s” is not a number of people: write 0 or a whole number.")
                % {"count": count}
            )
            continue
        if count > MAX_ATTENDANCE:
            problems.append(
                _("%(count)s people is more than one session holds.") % {"count": count}
            )
            continue
        if count == 0:
            continue
        try:
            tag = normalize_language_tag(language)
        except ValidationError as invalid:
            problems.extend(invalid.messages)
            continue
        totals[role, tag] = totals.get((role, tag), 0) + count
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        session.attendance.all().delete()
        rows = Attendance.objects.bulk_create(
            Attendance(session=session, role=role, language=language, count=count)
            for (role, language), count in sorted(totals.items())
        )
        record(
            actor=actor,
            action="listening.attendance_set",
            target=session,
            people=sum(totals.values()),
        )
    return rows


def _session_day(session: ListeningSession):
    return timezone.localtime(session.starts_at, session_zone(session)).date()


def record_note(
    *,
    actor,
    session: ListeningSession,
    question: Question,
    kind: str,
    role: str,
    text: str,
    speaker_name: str = "",
    speaker_consented: bool = False,
) -> Answer:
    """A quote or note heard at the session in answer to `question`, screened like every
    answer (phone numbers, emails and roster names masked for shared views). The
    speaker's name is kept only when they agreed to it; otherwise it is dropped here."""
    campaign = session.campaign
    _check(actor, campaign, session.school)
    if question.protocol_id != campaign.protocol_id:
        raise ValidationError(_("This question is not part of this campaign."))
    errors: dict[str, str | list[str]] = {}
    if _closed(campaign):
        errors["__all__"] = _("This campaign is closed.")
    if kind not in NOTE_KINDS:
        errors["kind"] = _("Choose a quote or a note.")
    if role not in Role.values:
        errors["role"] = _("Say who spoke: a family, an educator or a leader.")
    try:
        text = clean_answer_text(text)
    except ValidationError as invalid:
        errors["text"] = invalid.messages
    else:
        if not text:
            errors["text"] = _("Write what was said.")
    speaker_name = " ".join((speaker_name or "").split())[:200] if speaker_consented else ""
    if errors:
        raise ValidationError(errors)
    screened = screen(
        text,
        names=roster_names(campaign),
        one_word_expected=question.kind == Question.Kind.ONE_WORD,
    )
    fallback = session.languages[0] if len(session.languages) == 1 else campaign.language
    with transaction.atomic():
        note = Answer.objects.create(
            campaign=campaign,
            organization_id=campaign.organization_id,
            school_id=session.school_id or campaign.school_id,
            question=question,
            answer_set=None,
            session=session,
            kind=kind,
            role=role,
            speaker_name=speaker_name,
            text=screened.text,
            masked_text=screened.masked_text,
            language=screened.language or fallback,
            flags=screened.flags,
            anonymous=not speaker_name,
            received_on=_session_day(session),
        )
        record(actor=actor, action="listening.note_recorded", target=note, session=session.pk)
        transaction.on_commit(lambda: _translate_later(note.pk))
    return note


def _translate_later(answer_id: int) -> None:
    from tandem.listening.tasks import translate_answer

    translate_answer.enqueue(answer_id)


def delete_note(*, actor, note: Answer) -> None:
    """Take back a note written by mistake (only notes taken at a session)."""
    if note.session_id is None:
        raise PermissionDenied
    session = note.session
    _check(actor, session.campaign, session.school)
    with transaction.atomic():
        record(actor=actor, action="listening.note_deleted", target=note, session=session.pk)
        note.delete()
