"""Assignments: something to try right after a session (meet your child's counselor; say
one affirming thing each day and notice the reaction) and report back on.

The assignment goes out as one message to the households of the caregivers who came
(a saved list made for it). Each copy ends with the caregiver's own link, and by text
their next reply is taken as the story of what happened. A message to a household
reaches every caregiver in it: one who did not come reports for the one who did (the
assignment is the family's). Educators and other staff at the session tell the
facilitator, who records their report on the session's page.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag, primary_subtag
from tandem.directory.models import Caregiver, Household, StaffMember
from tandem.messaging.models import InboundMessage, Message, SavedList
from tandem.programs.invitations import (
    invitation_for_caregiver,
    invitation_token,
    open_conversation,
)
from tandem.programs.models import (
    Assignment,
    AssignmentReport,
    Attendance,
    Invitation,
    Session,
    TextConversation,
)
from tandem.programs.services import check, local
from tandem.translation.catalog import remember_catalog_versions
from tandem.translation.segments import paragraphs

PERSONAL_LINK = "programs-assignment"
MAX_ASSIGNMENT_CHARS = 1000  # with the two paragraphs around it, under one message's limit
MAX_STORY_CHARS = 2000

Channel = AssignmentReport.Channel

# The paragraphs around the assignment, in Tandem's catalog: the languages it ships in
# go out at once; the assignment itself goes through translation review.
_INTRO = gettext_noop("Your assignment from “%(title)s”:")
_REPLY = gettext_noop("Reply by text with what happened, or use your link:")


# Who came, and who reports for whom.


def attending_households(session: Session) -> QuerySet[Household]:
    """The households of the caregivers checked in to the session."""
    came = Attendance.objects.filter(session=session, caregiver__isnull=False)
    return Household.objects.filter(pk__in=came.values("caregiver__household_id"))


def attendee_list(*, actor, session: Session, households: QuerySet[Household]) -> SavedList:
    """A saved list of `households` to write to about the session (named for it, so
    staff recognize it among their lists)."""
    from tandem.messaging.saved_lists import save_household_list

    day = formats.date_format(local(session).date(), "SHORT_DATE_FORMAT")
    name = f"{session.title}, {day}"
    try:
        return save_household_list(
            actor=actor,
            name=name[:120],
            households=households,
            school=session.school,
            made_for="programs",
        )
    except ValidationError as refused:
        raise ValidationError(
            _("You may not write to any of the families who came to this session.")
        ) from refused


def reporters(session: Session, caregiver_ids: list[int]) -> dict[int, int]:
    """caregiver id → the caregiver who came to the session that they report for:
    themselves when they came, else the first of their household checked in. Caregivers
    whose household had no one there are left out."""
    households = dict(
        Caregiver.objects.filter(pk__in=caregiver_ids).values_list("pk", "household_id")
    )
    came = (
        Attendance.objects.filter(
            session=session, caregiver__household_id__in=set(households.values())
        )
        .order_by("checked_in_at", "id")
        .values_list("caregiver_id", "caregiver__household_id")
    )
    attended: set[int] = set()
    first: dict[int, int] = {}
    for caregiver_id, household_id in came:
        attended.add(caregiver_id)
        first.setdefault(household_id, caregiver_id)
    result = {}
    for pk, household_id in households.items():
        reporter = pk if pk in attended else first.get(household_id)
        if reporter is not None:
            result[pk] = reporter
    return result


def attendee_invitations(session: Session, caregiver_ids: set[int]) -> dict[int, int]:
    """caregiver id → their invitation to the session (check-in makes one; one is made
    for an attendee recorded without)."""
    found = dict(
        Invitation.objects.filter(session=session, caregiver_id__in=caregiver_ids).values_list(
            "caregiver_id", "pk"
        )
    )
    for caregiver in Caregiver.objects.filter(pk__in=caregiver_ids - set(found)).select_related(
        "household"
    ):
        found[caregiver.pk] = invitation_for_caregiver(session, caregiver).pk
    return found


# Giving and sending.


def give_assignment(
    *,
    actor,
    session: Session,
    text: str,
    language: str,
    report_by: date | None = None,
) -> Assignment:
    """An assignment for those who came to the session, written in `language`."""
    check(actor, session)
    errors = {}
    text = (text or "").replace("\r\n", "\n").strip()
    if session.status == Session.Status.CANCELLED:
        errors["text"] = _("This session was cancelled.")
    elif not text:
        errors["text"] = _("Write the assignment.")
    elif len(text) > MAX_ASSIGNMENT_CHARS:
        errors["text"] = _(
            "The assignment is %(length)s characters long; the most is %(limit)s."
        ) % {
            "length": len(text),
            "limit": MAX_ASSIGNMENT_CHARS,
        }
    if report_by is not None and report_by < local(session).date():
        errors["report_by"] = _("The day to report back by must be on or after the session.")
    try:
        language = normalize_language_tag(language)
    except ValidationError as invalid:
        errors["language"] = invalid.messages[0]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            session=session, text=text, language=language, report_by=report_by
        )
        record(
            actor=actor,
            action="programs.assignment_given",
            target=assignment,
            organization_id=session.program.organization_id,
        )
    return assignment


def _in(language: str, msgid: str, values: dict | None = None) -> str:
    with translation.override(language):
        return _(msgid) % values if values else _(msgid)


def assignment_text(assignment: Assignment) -> str:
    """The message: the assignment between a line naming the session and the invitation
    to reply, all in the language the assignment is written in."""
    language = assignment.language
    return "\n\n".join(
        [
            _in(language, _INTRO, {"title": assignment.session.title}),
            assignment.text,
            _in(language, _REPLY),
        ]
    )


def send_assignment(*, actor, assignment: Assignment) -> Message:
    """Write the assignment to the households of those who came; each copy carries the
    caregiver's own link, and by text their reply is taken as their report."""
    from tandem.messaging.compose import compose_message, recipient_languages

    session = assignment.session
    check(actor, session)
    if assignment.message_id is not None:
        raise ValidationError(_("This assignment was sent already."))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    households = attending_households(session)
    if not households.exists():
        raise ValidationError(
            _("No family who came to this session is on record yet: check people in first.")
        )
    organization = session.program.organization
    saved = attendee_list(actor=actor, session=session, households=households)
    try:
        draft = Message(
            organization=organization,
            author=actor,
            audience=Message.Audience.LIST,
            saved_list=saved,
        )
        languages = recipient_languages(draft)
        for msgid, values in ((_INTRO, {"title": session.title}), (_REPLY, None)):
            remember_catalog_versions(
                organization=organization,
                source_language=assignment.language,
                languages=languages,
                paragraphs=[msgid],
                make_text=lambda tag, msgid=msgid, values=values: _in(tag, msgid, values),
            )
        message = compose_message(
            actor=actor,
            organization=organization,
            audience=Message.Audience.LIST,
            saved_list=saved,
            body=assignment_text(assignment),
            language=assignment.language,
            personal_link=f"{PERSONAL_LINK}:{assignment.pk}",
        )
    except (ValidationError, PermissionDenied):
        saved.delete()  # the list was made for this message alone
        raise
    Assignment.objects.filter(pk=assignment.pk).update(message=message)
    assignment.message = message
    record(
        actor=actor,
        action="programs.assignment_sent",
        target=assignment,
        organization_id=organization.pk,
    )
    return message


def assignment_url(invitation_id: int, assignment_id: int) -> str:
    return settings.TANDEM_PUBLIC_URL.rstrip("/") + reverse(
        "join:assignment", args=[invitation_token(invitation_id), assignment_id]
    )


def assignment_links(message: Message, recipients: list[tuple[int, str]]) -> dict[int, str]:
    """Each recipient's link to report on the assignment (the `personal_links` maker):
    the link of the household member who came. Those reached by text who have not
    reported yet are asked what happened: their next reply is their story."""
    from tandem.messaging.models import Delivery

    _name, _sep, assignment_id = message.personal_link.partition(":")
    assignment = (
        Assignment.objects.select_related("session__program")
        .filter(pk=int(assignment_id) if assignment_id.isdigit() else -1)
        .first()
    )
    if assignment is None:
        return {}
    session = assignment.session
    reporting = reporters(session, [pk for pk, _channel in recipients])
    invitations = attendee_invitations(session, set(reporting.values()))
    done = set(
        AssignmentReport.objects.filter(
            assignment=assignment, caregiver_id__in=set(reporting.values()), done=True
        ).values_list("caregiver_id", flat=True)
    )
    open_conversation(
        TextConversation.Kind.ASSIGNMENT,
        [
            (pk, {"assignment_id": assignment.pk, "step": TextConversation.Step.STORY})
            for pk, channel in recipients
            if channel == Delivery.Channel.SMS and pk in reporting and reporting[pk] not in done
        ],
    )
    return {
        pk: assignment_url(invitations[reporter], assignment.pk)
        for pk, reporter in reporting.items()
    }


# Reporting back.


def clean_story(story: str) -> str:
    story = (story or "").replace("\r\n", "\n").strip()
    if len(story) > MAX_STORY_CHARS:
        raise ValidationError(
            {
                "story": _("Keep it under %(limit)s characters (it is %(length)s).")
                % {"limit": MAX_STORY_CHARS, "length": len(story)}
            }
        )
    return story


def report_assignment(
    *,
    assignment: Assignment,
    done: bool,
    story: str = "",
    channel: str,
    caregiver: Caregiver | None = None,
    staff: StaffMember | None = None,
    language: str = "",
    actor=None,
) -> AssignmentReport:
    """A report from someone who came to the session (a caregiver, or a staff member
    through `actor`, the facilitator who records it). A later report replaces theirs."""
    from tandem.messaging.languages import detect_language

    session = assignment.session
    if actor is not None:
        check(actor, session)
    if (caregiver is None) == (staff is None):
        raise ValueError("A report is a caregiver's or a staff member's.")
    story = clean_story(story)
    person = {"caregiver": caregiver} if caregiver is not None else {"staff": staff}
    if not Attendance.objects.filter(session=session, **person).exists():
        raise ValidationError(_("Only those who came to the session report on its assignment."))
    expected = (
        caregiver.preferred_language if caregiver is not None else (staff.languages or ["en"])[0]
    )
    language = language or (detect_language(story, expected=expected) if story else expected)
    with transaction.atomic():
        report, _created = AssignmentReport.objects.update_or_create(
            assignment=assignment,
            **person,
            defaults={
                "done": done,
                "story": story,
                "language": language,
                "channel": channel,
                "reported_at": timezone.now(),
            },
        )
        if caregiver is not None and done:
            _close_conversations(assignment, caregiver.household_id)
        record(
            actor=actor,
            action="programs.assignment_reported",
            target=report,
            organization_id=session.program.organization_id,
            channel=channel,
        )
    return report


def _close_conversations(assignment: Assignment, household_id: int) -> None:
    """Once the family has reported, their texts go to the household's thread again."""
    TextConversation.objects.filter(
        assignment=assignment,
        caregiver__household_id=household_id,
        closed_at__isnull=True,
    ).update(closed_at=timezone.now())


def report_by_text(conversation: TextConversation, inbound: InboundMessage) -> str | None:
    """The caregiver's reply is the story of what happened (done); thanks come back in
    their language (the dispatcher has made it active). The text is kept as part of the
    conversation, out of the household's thread."""
    assignment = Assignment.objects.select_related("session__program").get(
        pk=conversation.assignment_id
    )
    reporter_id = reporters(assignment.session, [conversation.caregiver_id]).get(
        conversation.caregiver_id
    )
    if reporter_id is None:  # the check-in was undone: an ordinary reply after all
        TextConversation.objects.filter(pk=conversation.pk).update(closed_at=timezone.now())
        return None
    reporter = Caregiver.objects.get(pk=reporter_id)
    story = inbound.body.strip()[:MAX_STORY_CHARS]
    report_assignment(
        assignment=assignment,
        caregiver=reporter,
        done=True,
        story=story,
        channel=Channel.SMS,
        language=inbound.language or conversation.caregiver.preferred_language,
    )
    TextConversation.objects.filter(pk=conversation.pk).update(closed_at=timezone.now())
    InboundMessage.objects.filter(pk=inbound.pk).update(kind=InboundMessage.Kind.CONVERSATION)
    inbound.kind = InboundMessage.Kind.CONVERSATION
    return _("Thank you for telling us what happened! The session's facilitators will read it.")


# What facilitators see.


@dataclass
class Progress:
    """An assignment with its reports, against the people who came (caregivers and
    staff; guests known only by name cannot report)."""

    assignment: Assignment
    attendees: int
    reported: int
    done: int
    reports: list[AssignmentReport]

    @property
    def reported_share(self) -> int | None:
        return round(100 * self.reported / self.attendees) if self.attendees else None

    @property
    def done_share(self) -> int | None:
        return round(100 * self.done / self.attendees) if self.attendees else None


def people_who_came(session: Session) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        Q(caregiver__isnull=False) | Q(staff__isnull=False), session=session
    )


def progress(session: Session) -> list[Progress]:
    """Each of the session's assignments with completion and the stories shared, in a
    fixed number of queries."""
    attendees = people_who_came(session).count()
    assignments = (
        Assignment.objects.filter(session=session)
        .select_related("message")
        .annotate(
            reported=Count("reports", distinct=True),
            done_count=Count("reports", filter=Q(reports__done=True), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=AssignmentReport.objects.select_related("caregiver", "staff").order_by(
                    "-reported_at", "-id"
                ),
            )
        )
        .order_by("created_at", "id")
    )
    return [
        Progress(a, attendees, a.reported, a.done_count, list(a.reports.all())) for a in assignments
    ]


def in_language(assignment: Assignment, language: str) -> tuple[str, str]:
    """The assignment as its reader in `language` gets it: (text, its language), from
    the message's version in that language when it went out in it."""
    if assignment.message_id and primary_subtag(language) != primary_subtag(assignment.language):
        version = (
            assignment.message.versions.filter(language=language)
            .values_list("text", flat=True)
            .first()
        )
        parts = paragraphs(version or "")
        if len(parts) >= 3:
            return "\n\n".join(parts[1:-1]), language
    return assignment.text, assignment.language
