"""Reads for translation: what other apps send, the review queue, memory suggestions,
glossaries and the sending policy.

For messaging and other apps:
- `translations_for(organization=…, purpose=…, object_id=…)`: requests by language;
- `all_approved(...)`: whether every one of them is approved;
- `sending_policy(organization)` and `text_to_send(request, policy)`: what may go out.
"""

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from tandem.accounts.permissions import Action, scope_for
from tandem.accounts.scopes import visible_organizations
from tandem.directory.languages import primary_subtag
from tandem.directory.models import Organization
from tandem.translation import glossary
from tandem.translation.models import (
    GlossaryTerm,
    MemorySegment,
    TranslationPolicy,
    TranslationRequest,
)
from tandem.translation.segments import normalize, paragraphs

# Similar-segment search: candidates within this share of the text's length, at most
# this many read per search, shown when at least this similar.
SIMILAR_LENGTH_SLACK = 0.35
SIMILAR_MAX_CANDIDATES = 2000
SIMILAR_MIN_RATIO = 0.6
_WORD = re.compile(r"\w+")


class SendingPolicy(StrEnum):
    REVIEWED_ONLY = "reviewed_only"  # the default
    MACHINE_DRAFTS_THEN_REVIEW = "machine_drafts_then_review"


def sending_policy(organization: Organization) -> SendingPolicy:
    sends_drafts = TranslationPolicy.objects.filter(
        organization=organization, send_machine_drafts=True
    ).exists()
    return SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW if sends_drafts else SendingPolicy.REVIEWED_ONLY


def text_to_send(request: TranslationRequest, policy: SendingPolicy) -> str | None:
    """The text a family may receive now, or None while it waits for review. When it is
    a machine draft (`request.is_machine_translated`), mark it as machine-translated."""
    if request.status == TranslationRequest.Status.APPROVED:
        return request.draft_text
    if (
        policy == SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW
        and request.status == TranslationRequest.Status.MACHINE_DRAFT
        and request.draft_text
    ):
        return request.draft_text
    return None


def translations_for(
    *, organization: Organization, purpose: str, object_id: str
) -> dict[str, TranslationRequest]:
    """target language → the request made for this object."""
    requests = TranslationRequest.objects.filter(
        organization=organization, purpose=purpose, object_id=str(object_id)
    )
    return {request.target_language: request for request in requests}


def all_approved(*, organization: Organization, purpose: str, object_id: str) -> bool:
    """Has every translation this object asked for been approved? (False if it asked none.)"""
    requests = TranslationRequest.objects.filter(
        organization=organization, purpose=purpose, object_id=str(object_id)
    )
    return requests.exists() and not requests.filter(status__in=TranslationRequest.PENDING).exists()


# Who reviews and manages what. Reviewers' roles are mostly held at a school; the texts
# they review belong to the school's organization.


def reviewable_organizations(user) -> QuerySet[Organization]:
    return visible_organizations(user, Action.REVIEW_TRANSLATIONS)


def reviewable_organization_ids(user) -> frozenset[int]:
    cache = user.__dict__.setdefault("_tandem_translation_orgs", {})
    if "review" not in cache:
        scope = scope_for(user, Action.REVIEW_TRANSLATIONS)
        cache["review"] = (
            frozenset(reviewable_organizations(user).values_list("id", flat=True))
            if scope
            else frozenset()
        )
    return cache["review"]


def managed_organizations(user) -> QuerySet[Organization]:
    return visible_organizations(user, Action.MANAGE_TRANSLATION).order_by("name")


def review_queue(user, *, language: str = "") -> QuerySet[TranslationRequest]:
    """Pending requests the user may review; their own languages first, oldest first."""
    requests = TranslationRequest.objects.filter(
        organization_id__in=reviewable_organization_ids(user),
        status__in=TranslationRequest.PENDING,
    ).select_related("organization")
    if language:
        requests = requests.filter(target_language=language)
    mine = Q()
    for tag in getattr(user, "review_languages", None) or []:
        mine |= Q(target_language=tag) | Q(target_language__startswith=f"{primary_subtag(tag)}-")
        mine |= Q(target_language=primary_subtag(tag))
    if mine:
        requests = requests.annotate(
            theirs=Case(When(mine, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("theirs", "created_at", "pk")
    else:
        requests = requests.order_by("created_at", "pk")
    return requests


def queue_languages(user) -> list[str]:
    """Languages with requests waiting, for the queue's filter."""
    return sorted(
        TranslationRequest.objects.filter(
            organization_id__in=reviewable_organization_ids(user),
            status__in=TranslationRequest.PENDING,
        )
        .values_list("target_language", flat=True)
        .distinct()
    )


def reviewable_requests(user) -> QuerySet[TranslationRequest]:
    return TranslationRequest.objects.filter(
        organization_id__in=reviewable_organization_ids(user)
    ).select_related("organization", "reviewed_by")


def glossary_for(
    *, organization: Organization, source_language: str, target_language: str
) -> list[glossary.GlossaryEntry]:
    """The organization's glossary for a language pair: its own terms over the defaults."""
    own = [
        glossary.GlossaryEntry(
            term=term.term,
            rendering=term.rendering,
            plural_rendering=term.plural_rendering,
            note=term.note,
            target_language=term.target_language,
            term_id=term.pk,
        )
        for term in GlossaryTerm.objects.filter(
            organization=organization,
            source_language=primary_subtag(source_language),
            target_language__in=_same_language(target_language),
        )
    ]
    return glossary.merge(glossary.default_entries(source_language, target_language), own)


def _same_language(tag: str) -> list[str]:
    """A tag and its primary language: "zh-Hant" uses the "zh" terms too."""
    return sorted({tag, primary_subtag(tag)})


def glossary_hints(request: TranslationRequest) -> list[glossary.GlossaryEntry]:
    entries = glossary_for(
        organization=request.organization,
        source_language=request.source_language,
        target_language=request.target_language,
    )
    return glossary.found_in(request.source_text, entries)


@dataclass(frozen=True)
class Suggestion:
    segment: MemorySegment
    similarity: float  # 0..1

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def similar_segments(
    *,
    organization: Organization,
    source_language: str,
    target_language: str,
    text: str,
    limit: int = 3,
) -> list[Suggestion]:
    """Approved translations of texts like `text` (difflib ratio of their words at least
    SIMILAR_MIN_RATIO), best first. Reads only segments of the same pair and about the
    same length, through the `memory_similar_candidates` index, and discards most of
    them with difflib's cheap upper bounds before computing a real ratio."""
    wanted = normalize(text)
    wanted_words = _words(wanted)
    if not wanted_words:
        return []
    slack = max(3, int(len(wanted) * SIMILAR_LENGTH_SLACK))
    candidates = MemorySegment.objects.filter(
        organization=organization,
        source_language=source_language,
        target_language=target_language,
        source_length__gte=len(wanted) - slack,
        source_length__lte=len(wanted) + slack,
    ).values_list("pk", "source_text")[:SIMILAR_MAX_CANDIDATES]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted_words)
    scored: list[tuple[float, int]] = []
    for pk, source_text in candidates:
        matcher.set_seq1(_words(normalize(source_text)))
        if matcher.real_quick_ratio() < SIMILAR_MIN_RATIO:
            continue
        if matcher.quick_ratio() < SIMILAR_MIN_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio >= SIMILAR_MIN_RATIO:
            scored.append((ratio, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    segments = MemorySegment.objects.in_bulk([pk for _ratio, pk in best])
    return [Suggestion(segments[pk], ratio) for ratio, pk in best if pk in segments]


def _words(text: str) -> list[str]:
    # Word by word, as translators judge "fuzzy matches": a shared day name is not a
    # similar sentence, one changed word in ten is.
    return _WORD.findall(text)


def suggestions_for(request: TranslationRequest, limit: int = 3) -> list[Suggestion]:
    """Similar approved segments for the request's text and for each of its paragraphs."""
    texts = [request.source_text]
    parts = paragraphs(request.source_text)
    if len(parts) > 1:
        texts += parts
    seen: dict[int, Suggestion] = {}
    for text in texts:
        for suggestion in similar_segments(
            organization=request.organization,
            source_language=request.source_language,
            target_language=request.target_language,
            text=text,
            limit=limit,
        ):
            current = seen.get(suggestion.segment.pk)
            if current is None or current.similarity < suggestion.similarity:
                seen[suggestion.segment.pk] = suggestion
    return sorted(seen.values(), key=lambda s: s.similarity, reverse=True)[: limit * 2]


def memory_segments(
    *, organization: Organization, search: str = "", language: str = ""
) -> QuerySet[MemorySegment]:
    segments = MemorySegment.objects.filter(organization=organization).select_related("approved_by")
    if language:
        segments = segments.filter(target_language=language)
    if search:
        segments = segments.filter(
            Q(source_text__icontains=search) | Q(approved_text__icontains=search)
        )
    return segments.order_by("-approved_at", "-pk")


def memory_languages(organization: Organization) -> list[str]:
    return sorted(
        MemorySegment.objects.filter(organization=organization)
        .values_list("target_language", flat=True)
        .distinct()
    )


def glossary_languages(organization: Organization) -> list[str]:
    own = GlossaryTerm.objects.filter(organization=organization).values_list(
        "target_language", flat=True
    )
    return sorted(set(glossary.default_languages()) | set(own))
