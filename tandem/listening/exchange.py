"""Exchanges, Pol.is style: families add short statements and agree, disagree or pass
on each other's, one at a time and in their language; staff moderate every statement
before others see it, and read the opinion groups and the statements that bridge them.

A participant is a keyed digest of their invitation (`tokens.participant_key`): it keeps
their votes together and their own statements away from them, and leads to no one.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can
from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.opinion import MIN_PARTICIPANTS, find_opinion_groups
from tandem.analysis.opinion import Vote as OpinionVote
from tandem.audit.services import record
from tandem.directory.languages import primary_subtag
from tandem.listening.answers import ClosedCampaign, roster_names
from tandem.listening.models import Campaign, Invitation, Statement, Vote
from tandem.listening.screening import screen
from tandem.listening.services import is_accepting
from tandem.listening.tokens import participant_key
from tandem.translation.models import TranslationRequest
from tandem.translation.selectors import SendingPolicy, sending_policy, text_to_send

RUN = Action.RUN_LISTENING
STATEMENT_PURPOSE = "listening_statement"
MAX_STATEMENT_CHARS = 280
MAX_PENDING = 10  # statements one participant may have waiting for moderation
MIN_VOTES = 7  # votes a participant needs before they count in the opinion groups


def _check(actor, campaign: Campaign) -> None:
    if not can(actor, RUN, campaign.school or campaign.organization):
        raise PermissionDenied


def _require_exchange(campaign: Campaign) -> None:
    if not campaign.is_exchange:
        raise ValidationError(_("This campaign is not an exchange."))


def _require_accepting(campaign: Campaign) -> None:
    _require_exchange(campaign)
    if not is_accepting(campaign):
        raise ClosedCampaign(_("This listening campaign has closed; thank you."))


def clean_statement_text(text: str) -> str:
    """One line of at most MAX_STATEMENT_CHARS characters, or ValidationError."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Write your idea first."), code="empty")
    if len(text) > MAX_STATEMENT_CHARS:
        raise ValidationError(
            _("Your idea is %(length)s characters long; the most is %(limit)s.")
            % {"length": len(text), "limit": MAX_STATEMENT_CHARS},
            code="too_long",
        )
    return text


def _new_statement(campaign: Campaign, text: str, language: str, **fields) -> Statement:
    screened = screen(text, names=roster_names(campaign), expected_language=language)
    return Statement.objects.create(
        campaign=campaign,
        organization_id=campaign.organization_id,
        text=screened.text,
        masked_text=screened.masked_text,
        language=screened.language or language,
        flags=screened.flags,
        **fields,
    )


def add_statement(*, invitation: Invitation, text: str) -> Statement:
    """A family's statement, waiting for moderation; nobody else sees it before then."""
    campaign = invitation.campaign
    _require_accepting(campaign)
    text = clean_statement_text(text)
    key = participant_key(invitation.pk)
    with transaction.atomic():
        # Serializes one participant's submissions, so the limit holds under double posts.
        Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        waiting = Statement.objects.filter(
            campaign=campaign, author_key=key, status=Statement.Status.PENDING
        ).count()
        if waiting >= MAX_PENDING:
            raise ValidationError(
                _(
                    "You have %(count)s ideas waiting to be read. Please wait until "
                    "a moderator has read them before you add more."
                )
                % {"count": waiting},
                code="too_many",
            )
        return _new_statement(campaign, text, invitation.language, author_key=key)


def seed_statement(*, actor, campaign: Campaign, text: str) -> Statement:
    """A statement staff start the exchange with; shown at once."""
    _check(actor, campaign)
    _require_exchange(campaign)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("This campaign is closed."))
    text = clean_statement_text(text)
    with transaction.atomic():
        statement = _new_statement(
            campaign,
            text,
            campaign.language,
            status=Statement.Status.APPROVED,
            moderated_by=actor,
            moderated_at=timezone.now(),
        )
        record(actor=actor, action="listening.statement_seeded", target=statement)
        transaction.on_commit(lambda: request_statement_translations(statement.pk))
    return statement


def moderate(*, actor, statement: Statement, approve: bool) -> Statement:
    """Show the statement to participants, or not. A statement already shown can be
    taken down; its votes then stay out of the opinion groups."""
    _check(actor, statement.campaign)
    status = Statement.Status.APPROVED if approve else Statement.Status.REJECTED
    now = timezone.now()
    with transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(
            status=status, moderated_by=actor, moderated_at=now
        )
        statement.status, statement.moderated_by, statement.moderated_at = status, actor, now
        record(actor=actor, action="listening.statement_moderated", target=statement, status=status)
        if approve:
            transaction.on_commit(lambda: request_statement_translations(statement.pk))
    return statement


def request_statement_translations(statement_id: int) -> None:
    """Ask for an approved statement's masked text in the language of every invitation
    to its campaign and in the staff's language (memory first, then the engine)."""
    from tandem.translation.services import request_translation

    statement = (
        Statement.objects.select_related("campaign__organization")
        .filter(pk=statement_id, status=Statement.Status.APPROVED)
        .first()
    )
    if statement is None:
        return
    campaign = statement.campaign
    source = statement.language or campaign.language
    languages = set(
        Invitation.objects.filter(campaign=campaign).values_list("language", flat=True).distinct()
    ) | {campaign.language}
    for language in sorted(languages):
        if not language or primary_subtag(language) == primary_subtag(source):
            continue
        try:
            request_translation(
                organization=campaign.organization,
                text=statement.masked_text,
                source_language=source,
                target_language=language,
                purpose=STATEMENT_PURPOSE,
                object_id=str(statement.pk),
            )
        except ValidationError:
            continue  # an unusable tag on an old invitation: they see the original


def vote(*, invitation: Invitation, statement: Statement, choice: int | str) -> Vote:
    """Agree (1), disagree (-1) or pass (0) on a statement shown to the participant;
    voting again on the same statement replaces the earlier vote."""
    campaign = invitation.campaign
    _require_accepting(campaign)
    key = participant_key(invitation.pk)
    if statement.campaign_id != campaign.pk or statement.status != Statement.Status.APPROVED:
        raise ValidationError(_("This idea is not open for votes."), code="not_shown")
    if statement.author_key == key:
        raise ValidationError(_("This is your own idea."), code="own")
    try:
        choice = int(choice)
    except (TypeError, ValueError):
        choice = None
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Choose agree, disagree or pass."), code="choice")
    fields = {"campaign_id": campaign.pk, "choice": choice}
    try:
        with transaction.atomic():
            cast, _created = Vote.objects.update_or_create(
                statement=statement, participant_key=key, defaults=fields
            )
    except IntegrityError:  # the same vote posted twice at once: the last one stands
        Vote.objects.filter(statement=statement, participant_key=key).update(choice=choice)
        cast = Vote.objects.get(statement=statement, participant_key=key)
    return cast


@dataclass(frozen=True)
class Shown:
    """A statement as one reader sees it: translated when a translation may be shown,
    else the masked original in its own language."""

    statement: Statement
    text: str
    language: str
    translated: bool = False
    machine_translated: bool = False


def shown_in(statements: list[Statement], language: str, *, for_family: bool) -> list[Shown]:
    """Each statement in `language` (one query for all of them). Families get what the
    organization's sending policy allows; staff also see machine drafts, marked."""
    wanted = [s for s in statements if primary_subtag(s.language) != primary_subtag(language)]
    requests = {}
    if wanted and language:
        requests = {
            request.object_id: request
            for request in TranslationRequest.objects.filter(
                organization_id=wanted[0].organization_id,
                purpose=STATEMENT_PURPOSE,
                object_id__in=[str(s.pk) for s in wanted],
                target_language=language,
            )
        }
    policy = sending_policy(wanted[0].organization) if requests and for_family else None
    shown = []
    for statement in statements:
        request = requests.get(str(statement.pk))
        text = _translated_text(request, policy) if request is not None else None
        if text:
            shown.append(Shown(statement, text, language, True, request.is_machine_translated))
        else:
            shown.append(Shown(statement, statement.masked_text, statement.language))
    return shown


def _translated_text(request: TranslationRequest, policy: SendingPolicy | None) -> str | None:
    if policy is not None:
        return text_to_send(request, policy)
    return request.draft_text or None


def next_statement_for(invitation: Invitation) -> Shown | None:
    """An approved statement the participant neither wrote nor voted on, in their
    language; those with fewest votes first, so new statements get seen."""
    key = participant_key(invitation.pk)
    statement = (
        Statement.objects.filter(
            campaign_id=invitation.campaign_id, status=Statement.Status.APPROVED
        )
        .exclude(author_key=key)
        .exclude(Exists(Vote.objects.filter(statement=OuterRef("pk"), participant_key=key)))
        .select_related("organization")
        .order_by("id")
        .first()
    )
    if statement is None:
        return None
    return shown_in([statement], invitation.language, for_family=True)[0]


def waiting_count(invitation: Invitation) -> int:
    """How many of the participant's statements wait for moderation."""
    return Statement.objects.filter(
        campaign_id=invitation.campaign_id,
        author_key=participant_key(invitation.pk),
        status=Statement.Status.PENDING,
    ).count()


@dataclass(frozen=True)
class Tally:
    """How a set of participants voted on one statement, in whole percent."""

    shown: Shown
    votes: int
    agree: int
    disagree: int


@dataclass
class OpinionGroup:
    number: int  # 1, 2, … largest first
    size: int
    agrees: list[Tally] = field(default_factory=list)  # what sets it apart from the rest
    disagrees: list[Tally] = field(default_factory=list)


@dataclass
class OpinionSummary:
    participants: int
    votes: int
    groups: list[OpinionGroup] = field(default_factory=list)
    in_small_groups: int = 0  # people in groups too small to show
    bridging: list[Tally] = field(default_factory=list)  # every group agrees
    shared_disagreement: list[Tally] = field(default_factory=list)  # every group disagrees
    problem: str = ""


def opinion_groups(campaign: Campaign, language: str) -> OpinionSummary:
    """The exchange's opinion groups, their representative statements and the statements
    every group agrees on, with texts in `language`. Groups smaller than
    TANDEM_MIN_GROUP_SIZE are not shown: so few people's votes could single them out."""
    rows = list(
        Vote.objects.filter(campaign=campaign).values_list(
            "participant_key", "statement_id", "choice", "created_at"
        )
    )
    participants = len({row[0] for row in rows})
    summary = OpinionSummary(participants=participants, votes=len(rows))
    rejected = Statement.objects.filter(campaign=campaign, status=Statement.Status.REJECTED)
    try:
        found = find_opinion_groups(
            [OpinionVote(p, str(s), c, at.timestamp()) for p, s, c, at in rows],
            moderated_out=[str(pk) for pk in rejected.values_list("pk", flat=True)],
            min_votes=MIN_VOTES,
        )
    except AnalysisInputError:
        summary.problem = _too_few(rows)
        return summary
    sizes = Counter(found.groups.values())
    shown_groups = {g for g, size in sizes.items() if size >= settings.TANDEM_MIN_GROUP_SIZE}
    summary.in_small_groups = sum(size for g, size in sizes.items() if g not in shown_groups)
    if not shown_groups:
        summary.problem = _("Every opinion group found so far is too small to show.")
        return summary
    ids = {int(row["statement"]) for rows_ in found.repness.values() for row in rows_}
    ids |= {int(row["statement"]) for row in found.consensus}
    statements = Statement.objects.filter(campaign=campaign, pk__in=ids).select_related(
        "organization"
    )
    texts = {s.statement.pk: s for s in shown_in(list(statements), language, for_family=False)}
    tallies = _tallies(rows, found.groups)

    def tally(statement_id: int, group: int | None) -> Tally:
        agree, disagree, seen = tallies[group][statement_id]
        seen_or_one = max(seen, 1)
        return Tally(
            texts[statement_id],
            seen,
            round(100 * agree / seen_or_one),
            round(100 * disagree / seen_or_one),
        )

    for group in sorted(shown_groups):
        entry = OpinionGroup(number=group + 1, size=sizes[group])
        for row in found.repness.get(group, []):
            side = entry.agrees if row["repful_for"] == "agree" else entry.disagrees
            side.append(tally(int(row["statement"]), group))
        summary.groups.append(entry)
    for row in found.consensus:
        side = summary.bridging if row["direction"] == "agree" else summary.shared_disagreement
        side.append(tally(int(row["statement"]), None))
    return summary


def _too_few(rows: list[tuple]) -> str:
    """Why there are no groups: too few people voted enough, or they all voted alike."""
    needed = max(1, min(MIN_VOTES, len({row[1] for row in rows})))
    votes_each = Counter(row[0] for row in rows)
    if sum(n >= needed for n in votes_each.values()) >= MIN_PARTICIPANTS:
        return _("No opinion groups yet: so far, participants have voted alike.")
    return _(
        "Opinion groups appear once at least %(people)s people have each voted on "
        "%(votes)s statements or more."
    ) % {"people": max(MIN_PARTICIPANTS, settings.TANDEM_MIN_GROUP_SIZE), "votes": needed}


def _tallies(rows: list[tuple], groups: dict[str, int]) -> dict:
    """group (None: all grouped participants) → statement id → [agree, disagree, votes]."""
    tallies: dict = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for participant, statement_id, choice, _at in rows:
        group = groups.get(participant)
        if group is None:
            continue
        for key in (group, None):
            counts = tallies[key][statement_id]
            counts[0] += choice == Vote.Choice.AGREE
            counts[1] += choice == Vote.Choice.DISAGREE
            counts[2] += 1
    return tallies
