"""Feedback after a session: three questions (I felt welcome, I learned something I will
use, I would come again: no, somewhat or yes) and a comment, on the family's personal
link, in their language, without an account.

Anonymous by structure: a response keeps the session, the role, the language and the
day, never who gave it; the attendance row only remembers that feedback was given, so a
second submission changes nothing. Nothing here writes an audit row about a response
(its time would tie it to the attendance).

Results are counted per session and language over the whole program at once, and
suppressed together (`messaging.reach.suppress`): a group of fewer than
TANDEM_MIN_GROUP_SIZE responses shows neither its numbers nor its comments, and no
shown number, on the program's page or a session's, gives a hidden one away.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.audit.services import record
from tandem.directory.languages import primary_subtag
from tandem.directory.models import Household
from tandem.messaging.models import Message
from tandem.messaging.reach import SMALL, Cell, Line, suppress
from tandem.programs.assignments import (
    attendee_invitations,
    attendee_list,
    reporters,
)
from tandem.programs.invitations import invitation_token
from tandem.programs.models import Attendance, FeedbackResponse, Program, Session
from tandem.programs.services import check, local
from tandem.translation.catalog import remember_catalog_versions

PERSONAL_LINK = "programs-feedback"
MAX_COMMENT_CHARS = 2000
QUESTIONS = ("felt_welcome", "learned_something", "would_come_again")
Scale = FeedbackResponse.Scale

_ASK = gettext_noop(
    "Thank you for coming to “%(title)s”. How was it? Three quick questions; your "
    "answers do not carry your name:"
)


class AlreadyGiven(ValidationError):
    """This attendance's feedback was given before; nothing was changed."""


def feedback_text(session: Session, language: str) -> str:
    with translation.override(language):
        return _(_ASK) % {"title": session.title}


# Asking.


def request_feedback(*, actor, session: Session, language: str = "en") -> Message:
    """Write to the households of those who came and have not given feedback yet; each
    copy carries the caregiver's own link to the questions."""
    from tandem.messaging.compose import compose_message, recipient_languages

    check(actor, session)
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Ask for feedback once the session has taken place."))
    came = Attendance.objects.filter(session=session, caregiver__isnull=False)
    waiting = came.filter(feedback_given=False)
    if not waiting.exists():
        if came.exists():
            raise ValidationError(_("Everyone who came has given feedback already."))
        raise ValidationError(
            _("No family who came to this session is on record yet: check people in first.")
        )
    households = Household.objects.filter(pk__in=waiting.values("caregiver__household_id"))
    organization = session.program.organization
    saved = attendee_list(actor=actor, session=session, households=households)
    try:
        draft = Message(
            organization=organization,
            author=actor,
            audience=Message.Audience.LIST,
            saved_list=saved,
        )
        remember_catalog_versions(
            organization=organization,
            source_language=language,
            languages=recipient_languages(draft),
            paragraphs=[_ASK],
            make_text=lambda tag: feedback_text(session, tag),
        )
        message = compose_message(
            actor=actor,
            organization=organization,
            audience=Message.Audience.LIST,
            saved_list=saved,
            body=feedback_text(session, language),
            language=language,
            personal_link=f"{PERSONAL_LINK}:{session.pk}",
        )
    except (ValidationError, PermissionDenied):
        saved.delete()  # the list was made for this message alone
        raise
    record(
        actor=actor,
        action="programs.feedback_requested",
        target=session,
        organization_id=organization.pk,
    )
    return message


def feedback_url(invitation_id: int) -> str:
    return settings.TANDEM_PUBLIC_URL.rstrip("/") + reverse(
        "join:feedback", args=[invitation_token(invitation_id)]
    )


def feedback_links(message: Message, recipients: list[tuple[int, str]]) -> dict[int, str]:
    """Each recipient's link to the questions (the `personal_links` maker): the link of
    the household member who came."""
    _name, _sep, session_id = message.personal_link.partition(":")
    session = Session.objects.filter(pk=int(session_id) if session_id.isdigit() else -1).first()
    if session is None:
        return {}
    reporting = reporters(session, [pk for pk, _channel in recipients])
    invitations = attendee_invitations(session, set(reporting.values()))
    return {pk: feedback_url(invitations[reporter]) for pk, reporter in reporting.items()}


# Answering.


def clean_answer(name: str, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value not in Scale.values:
        raise ValidationError({name: _("Choose yes, somewhat or no.")})
    return value


def give_feedback(
    *,
    attendance: Attendance,
    felt_welcome=None,
    learned_something=None,
    would_come_again=None,
    comment: str = "",
    now: datetime | None = None,
) -> FeedbackResponse:
    """Keep one response for the attendance, without who gave it. Raises AlreadyGiven
    when it was given before (nothing changes), ValidationError naming what is wrong."""
    errors = {}
    answers = {}
    given = {
        "felt_welcome": felt_welcome,
        "learned_something": learned_something,
        "would_come_again": would_come_again,
    }
    for name, value in given.items():
        try:
            answers[name] = clean_answer(name, value)
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        errors["comment"] = _("Keep it under %(limit)s characters (it is %(length)s).") % {
            "limit": MAX_COMMENT_CHARS,
            "length": len(comment),
        }
    if not errors and not comment and all(value is None for value in answers.values()):
        errors["__all__"] = _("Answer at least one question, or write a comment.")
    if attendance.feedback_given:
        raise AlreadyGiven(_("You already gave feedback, thank you."))
    if errors:
        raise ValidationError(errors)
    session = attendance.session
    with transaction.atomic():
        # A conditional update: two submissions at once keep one response.
        if (
            Attendance.objects.filter(pk=attendance.pk, feedback_given=False).update(
                feedback_given=True
            )
            != 1
        ):
            raise AlreadyGiven(_("You already gave feedback, thank you."))
        response = FeedbackResponse.objects.create(
            session=session,
            role=attendance.role,
            language=attendance.language,
            comment=comment,
            given_on=local(session, now or timezone.now()).date(),
            **answers,
        )
    attendance.feedback_given = True
    return response


# Results.


@dataclass
class QuestionResult:
    name: str
    label: str
    counts: dict[int, int]  # Scale value → responses

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def share(self, value: int) -> int | None:
        return round(100 * self.counts[value] / self.answered) if self.answered else None

    @property
    def yes(self) -> int | None:
        return self.share(Scale.YES)

    @property
    def somewhat(self) -> int | None:
        return self.share(Scale.SOMEWHAT)

    @property
    def no(self) -> int | None:
        return self.share(Scale.NO)


@dataclass
class Group:
    """Responses of one group: the whole, a language, or a session."""

    responses: Cell
    questions: list[QuestionResult]
    language: str = ""  # a primary subtag when the group is a language
    session: Session | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def hidden(self) -> str:
        return self.responses.hidden

    @property
    def too_few(self) -> bool:
        return self.responses.hidden == SMALL


@dataclass
class Results:
    program: Program
    overall: Group
    by_language: list[Group]
    by_session: list[Group]
    session_languages: dict[int, list[Group]]  # session id → its groups per language
    minimum: int

    def for_session(self, session: Session) -> "SessionResults":
        group = next(g for g in self.by_session if g.session.pk == session.pk)
        return SessionResults(
            session=session,
            overall=group,
            by_language=self.session_languages[session.pk],
            minimum=self.minimum,
        )


@dataclass
class SessionResults:
    session: Session
    overall: Group
    by_language: list[Group]
    minimum: int


# One count per response, then per question and answer.
_COUNTS = {"n": Count("id")} | {
    f"{question}_{value}": Count("id", filter=Q(**{question: value}))
    for question in QUESTIONS
    for value in Scale.values
}


def _labels() -> dict[str, str]:
    return {name: str(FeedbackResponse._meta.get_field(name).verbose_name) for name in QUESTIONS}


def _group(numbers: list[int] | None, labels: dict[str, str], **fields) -> Group:
    numbers = numbers or [0] * len(_COUNTS)
    questions = []
    for index, question in enumerate(QUESTIONS):
        counts = {
            value: numbers[1 + index * len(Scale.values) + offset]
            for offset, value in enumerate(Scale.values)
        }
        questions.append(QuestionResult(question, labels[question], counts))
    return Group(Cell(numbers[0]), questions, **fields)


def _add(into: list[int], numbers: list[int]) -> None:
    for index, number in enumerate(numbers):
        into[index] += number


def program_results(program: Program) -> Results:
    """The program's feedback: as a whole, per language and per session (and, for each
    session, per language), suppressed together; a fixed number of queries."""
    minimum = settings.TANDEM_MIN_GROUP_SIZE
    labels = _labels()
    sessions = list(
        Session.objects.filter(program=program)
        .select_related("school", "program__organization")
        .order_by("starts_at", "position", "id")
    )
    size = len(_COUNTS)
    total = [0] * size
    by_language: dict[str, list[int]] = defaultdict(lambda: [0] * size)
    by_session: dict[int, list[int]] = defaultdict(lambda: [0] * size)
    cells: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * size))
    rows = (
        FeedbackResponse.objects.filter(session__program=program)
        .values_list("session_id", "language")
        .annotate(**_COUNTS)
        .order_by()
    )
    for session_id, language, *numbers in rows:
        language = primary_subtag(language)
        for into in (total, by_language[language], by_session[session_id]):
            _add(into, numbers)
        _add(cells[session_id][language], numbers)

    overall = _group(total, labels)
    languages = {tag: _group(n, labels, language=tag) for tag, n in by_language.items()}
    session_groups = [_group(by_session.get(s.pk), labels, session=s) for s in sessions]
    per_session = {
        s.pk: {tag: _group(n, labels, language=tag) for tag, n in cells[s.pk].items()}
        for s in sessions
    }
    lines = [
        Line([g.responses for g in languages.values()], overall.responses),
        Line([g.responses for g in session_groups], overall.responses),
    ]
    for group in session_groups:
        lines.append(
            Line([g.responses for g in per_session[group.session.pk].values()], group.responses)
        )
    for tag, whole in languages.items():
        members = [per_session[s.pk][tag].responses for s in sessions if tag in per_session[s.pk]]
        lines.append(Line(members, whole.responses))
    suppress(lines, minimum)
    _comments(program, overall, session_groups)
    return Results(
        program=program,
        overall=overall,
        by_language=_ordered(languages.values()),
        by_session=session_groups,
        session_languages={pk: _ordered(g.values()) for pk, g in per_session.items()},
        minimum=minimum,
    )


def session_results(session: Session) -> SessionResults:
    """One session's feedback, as its program's results show it (so that nothing on
    the session's page gives away what the program's page hides)."""
    return program_results(session.program).for_session(session)


def _ordered(groups) -> list[Group]:
    return sorted(
        groups,
        key=lambda g: (bool(g.hidden), -g.responses.value if not g.hidden else 0, g.language),
    )


def _comments(program: Program, overall: Group, sessions: list[Group]) -> None:
    """Comments of the groups shown, in an order that says nothing about who or when."""
    shown = [g.session.pk for g in sessions if not g.hidden]
    if overall.hidden:
        return
    rows = (
        FeedbackResponse.objects.filter(session__program=program)
        .exclude(comment="")
        .order_by("comment")
        .values_list("session_id", "comment")
    )
    by_session = {g.session.pk: g for g in sessions}
    for session_id, comment in rows:
        overall.comments.append(comment)
        if session_id in shown:
            by_session[session_id].comments.append(comment)
