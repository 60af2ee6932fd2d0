"""Reads for the messaging pages: messages and threads a staff member may see, what a
message reached, a household's conversation, the unmatched inbox and a family's inbox.

Everything starts from `tandem.accounts.scopes`; each page reads a fixed number of
queries whatever the number of rows (the page tests assert it).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from tandem.accounts.permissions import Action, scope_for
from tandem.accounts.scopes import visible_households, visible_schools
from tandem.directory.languages import primary_subtag
from tandem.directory.models import Caregiver, Household, School, Student
from tandem.messaging.audiences import recipient_rows
from tandem.messaging.compose import PURPOSE as MESSAGE_PURPOSE
from tandem.messaging.models import Delivery, InboundMessage, Message, MessageVersion
from tandem.messaging.personal_links import links_for, with_link
from tandem.translation.models import TranslationRequest
from tandem.translation.selectors import SendingPolicy, sending_policy, translations_for

REPLY_PURPOSE = "reply"
SEND = Action.SEND_MESSAGES
# Deliveries a family may read in its inbox: the message went out (or was tried).
SHOWN_TO_FAMILIES = [
    Delivery.Status.SENT,
    Delivery.Status.DELIVERED,
    Delivery.Status.FAILED,
    Delivery.Status.SUPPRESSED,
]


def schools_to_message(user) -> QuerySet[School]:
    """Schools whose families the user may write to, for the compose form."""
    return (
        visible_schools(user, SEND).select_related("organization").order_by("organization", "name")
    )


def households_to_message(user) -> QuerySet[Household]:
    return visible_households(user, SEND).select_related("organization")


def household_time_zone(household: Household) -> str:
    """The time zone of the household's first student's school, else its organization's."""
    zone = (
        Student.objects.filter(household=household)
        .order_by("id")
        .values_list("school__time_zone", flat=True)
        .first()
    )
    return zone or household.organization.time_zone


def visible_messages(user) -> QuerySet[Message]:
    """Messages to a school the user may write to, or to one of their households."""
    scope = scope_for(user, SEND)
    if not scope:
        return Message.objects.none()
    households = visible_households(user, SEND).filter(pk=OuterRef("thread__household_id"))
    to_school = Q(school__organization_id__in=scope.organization_ids) | Q(
        school_id__in=scope.school_ids
    )
    to_household = Q(audience=Message.Audience.HOUSEHOLD) & Q(Exists(households))
    to_organization_list = Q(
        audience=Message.Audience.LIST,
        school__isnull=True,
        organization_id__in=scope.organization_ids,
    )
    return Message.objects.filter(to_school | to_household | to_organization_list)


def messages_for_list(user) -> QuerySet[Message]:
    return (
        visible_messages(user)
        .select_related("organization", "school", "thread__household", "author", "saved_list")
        .order_by("-created_at", "-pk")
    )


def message_for_page(user) -> QuerySet[Message]:
    return visible_messages(user).select_related(
        "organization", "school", "thread__household", "author", "saved_list"
    )


@dataclass(frozen=True)
class LanguageVersion:
    language: str
    text: str = ""
    machine_translated: bool = False
    request: TranslationRequest | None = None  # while no version is fixed yet

    @property
    def waiting(self) -> bool:
        return not self.text and self.request is not None


def language_versions(message: Message) -> list[LanguageVersion]:
    """Each language's fixed text, or its translation request while none is fixed."""
    versions = {
        version.language: LanguageVersion(
            version.language, version.text, version.machine_translated
        )
        for version in MessageVersion.objects.filter(message=message)
        if version.language != message.language
    }
    if message.released_at is None:
        requests = translations_for(
            organization=message.organization, purpose=MESSAGE_PURPOSE, object_id=str(message.pk)
        )
        for language, request in requests.items():
            versions.setdefault(language, LanguageVersion(language, request=request))
    return [versions[language] for language in sorted(versions)]


@dataclass(frozen=True)
class DeliveryCounts:
    channels: list[tuple[str, str]]  # (value, label)
    rows: list[tuple[str, str, list[int], int]]  # status, label, count per channel, total
    totals: list[int]
    total: int


def delivery_counts(message: Message) -> DeliveryCounts:
    """Deliveries by status and channel, in one aggregate query."""
    counts = {
        (row["status"], row["channel"]): row["n"]
        for row in Delivery.objects.filter(message=message)
        .values("status", "channel")
        .annotate(n=Count("id"))
        .order_by()
    }
    channels = [
        (value, str(label))
        for value, label in Delivery.Channel.choices
        if any(channel == value for _status, channel in counts)
    ]
    rows = []
    for status, label in Delivery.Status.choices:
        per_channel = [counts.get((status, channel), 0) for channel, _label in channels]
        if any(per_channel):
            rows.append((status, str(label), per_channel, sum(per_channel)))
    totals = [sum(row[2][i] for row in rows) for i in range(len(channels))]
    return DeliveryCounts(channels, rows, totals, sum(totals))


@dataclass
class Preview:
    """Who a message would reach, before it is stored."""

    recipients: int
    by_language: list[tuple[str, list[tuple[str, int]], int]]  # language, (channel, n), total
    needs_translation: list[str]
    reviewed_only: bool
    households: int = 0


def preview_recipients(draft: Message) -> Preview:
    """The recipients `draft` (an unsaved message) would have, per language and channel."""
    rows = recipient_rows(draft)
    counts = Counter(
        {
            (row["preferred_language"], row["channel"]): row["n"]
            for row in rows.order_by()
            .values("preferred_language", "channel")
            .annotate(n=Count("pk"))
        }
    )
    labels = dict(Delivery.Channel.choices)
    by_language = []
    for language in sorted({language for language, _channel in counts}):
        per_channel = [
            (str(labels.get(channel, channel)), counts[language, channel])
            for channel in sorted({c for lang, c in counts if lang == language})
        ]
        by_language.append((language, per_channel, sum(n for _label, n in per_channel)))
    return Preview(
        recipients=sum(counts.values()),
        by_language=by_language,
        needs_translation=[
            language for language, _per, _n in by_language if language != draft.language
        ],
        reviewed_only=sending_policy(draft.organization) == SendingPolicy.REVIEWED_ONLY,
        households=rows.order_by().values("household_id").distinct().count(),
    )


# A household's conversation.


@dataclass
class SentItem:
    """A message the household received (or will), with its text per language."""

    message: Message
    at: datetime
    texts: list[tuple[str, str]]  # (language, text)
    deliveries: list[Delivery]

    kind = "sent"


@dataclass
class ReplyItem:
    inbound: InboundMessage
    at: datetime
    translation: str = ""
    machine_translated: bool = False

    kind = "reply"


def household_conversation(household: Household, *, reader_language: str) -> list:
    """Messages to the household and its replies, oldest first; each reply with its
    translation into the reader's language when one exists."""
    deliveries = list(
        Delivery.objects.filter(household=household)
        .select_related(
            "message__author", "message__school", "message__thread__household", "caregiver"
        )
        .order_by("created_at", "id")
    )
    unreleased = list(
        Message.objects.filter(thread__household=household, released_at__isnull=True)
        .exclude(status=Message.Status.CANCELLED)
        .select_related("author", "thread__household")
    )
    message_ids = {d.message_id for d in deliveries}
    texts = {
        (version.message_id, version.language): version.text
        for version in MessageVersion.objects.filter(message_id__in=message_ids)
    }
    by_message: dict[int, SentItem] = {}
    for delivery in deliveries:
        item = by_message.get(delivery.message_id)
        if item is None:
            message = delivery.message
            item = by_message[message.pk] = SentItem(
                message, message.send_at or message.created_at, [], []
            )
        item.deliveries.append(delivery)
        text = texts.get((delivery.message_id, delivery.language))
        if text is not None and all(language != delivery.language for language, _ in item.texts):
            item.texts.append((delivery.language, text))
    items: list = list(by_message.values())
    items += [
        SentItem(message, message.created_at, [(message.language, message.full_text)], [])
        for message in unreleased
    ]
    replies = list(
        InboundMessage.objects.filter(household=household, organization=household.organization)
        .select_related("caregiver")
        .order_by("received_at", "id")
    )
    translated = _reply_translations(household, replies, reader_language)
    for inbound in replies:
        text, machine = translated.get(inbound.pk, ("", False))
        items.append(ReplyItem(inbound, inbound.received_at, text, machine))
    items.sort(key=lambda item: item.at)
    return items


def _same_language(a: str, b: str) -> bool:
    return bool(a) and bool(b) and primary_subtag(a).lower() == primary_subtag(b).lower()


def _reply_translations(
    household: Household, replies: list[InboundMessage], reader_language: str
) -> dict[int, tuple[str, bool]]:
    """inbound id → (text in the reader's language, machine translated?)."""
    found: dict[int, tuple[str, bool]] = {}
    wanted = []
    for inbound in replies:
        if _same_language(inbound.language, reader_language):
            continue
        stored = next(
            (
                text
                for language, text in (inbound.translations or {}).items()
                if _same_language(language, reader_language) and text
            ),
            None,
        )
        if stored:
            found[inbound.pk] = (stored, False)
        else:
            wanted.append(str(inbound.pk))
    if wanted:
        requests = TranslationRequest.objects.filter(
            organization=household.organization,
            purpose=REPLY_PURPOSE,
            object_id__in=wanted,
        ).exclude(draft_text="")
        for request in requests:
            if not _same_language(request.target_language, reader_language):
                continue
            approved = request.status == TranslationRequest.Status.APPROVED
            if approved or request.is_machine_translated:
                found[int(request.object_id)] = (request.draft_text, not approved)
    return found


def unmatched_messages(user) -> QuerySet[InboundMessage]:
    """Texts from numbers Tandem does not know, for organizations the user may message
    as a whole."""
    organization_ids = scope_for(user, SEND).organization_ids
    return (
        InboundMessage.objects.filter(household__isnull=True, organization_id__in=organization_ids)
        .select_related("organization")
        .order_by("-received_at", "-id")
    )


# A family's own inbox.


@dataclass
class InboxMessage:
    message: Message
    text: str
    language: str
    machine_translated: bool
    original: str
    original_language: str
    unread: bool
    at: datetime


def family_inbox(caregiver: Caregiver) -> QuerySet[Message]:
    """Messages that went out to the caregiver's household, newest first."""
    household_deliveries = Delivery.objects.filter(
        message=OuterRef("pk"), household_id=caregiver.household_id, status__in=SHOWN_TO_FAMILIES
    )
    return (
        Message.objects.filter(Exists(household_deliveries))
        .select_related("school")
        .prefetch_related(
            Prefetch("versions", queryset=MessageVersion.objects.all(), to_attr="all_versions"),
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.filter(household_id=caregiver.household_id),
                to_attr="household_deliveries",
            ),
        )
        .order_by("-released_at", "-pk")
    )


def inbox_messages(messages: list[Message], caregiver: Caregiver) -> list[InboxMessage]:
    """Each message in the caregiver's language (else the language it reached the
    household in, else the original), with the original beside it."""
    shown = []
    for message in messages:
        link = links_for(message, [(caregiver.pk, Delivery.Channel.WEB)]).get(caregiver.pk, "")
        versions = {version.language: version for version in message.all_versions}
        own = [d for d in message.household_deliveries if d.caregiver_id == caregiver.pk]
        delivered_in = [d.language for d in own + message.household_deliveries]
        version = next(
            (
                versions[language]
                for language in [caregiver.preferred_language, *delivered_in]
                if language in versions
            ),
            None,
        )
        shown.append(
            InboxMessage(
                message=message,
                text=with_link(version.text if version else message.full_text, link),
                language=version.language if version else message.language,
                machine_translated=bool(version and version.machine_translated),
                original=message.full_text,
                original_language=message.language,
                unread=any(d.channel == Delivery.Channel.WEB and d.read_at is None for d in own),
                at=max(filter(None, [message.released_at, message.send_at])),
            )
        )
    return shown
