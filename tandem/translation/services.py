"""State changes in translation: request a translation, review it, keep the glossary
and the sending policy.

Hook for other apps: `tandem.translation.signals.translation_approved` is sent after
commit for each request a reviewer's approval settles; `selectors.all_approved` then
says whether everything one object needs is ready. See signals.py.

Machine translation happens outside any database transaction: a slow engine holds no
lock, and an engine that fails leaves a request "needing a translator", never an error.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Organization
from tandem.translation import glossary
from tandem.translation.models import (
    GlossaryTerm,
    MemorySegment,
    TranslationPolicy,
    TranslationRequest,
)
from tandem.translation.providers import ProviderError, get_provider
from tandem.translation.segments import join_paragraphs, normalize, paragraphs, segment_key
from tandem.translation.selectors import glossary_for, reviewable_organization_ids
from tandem.translation.signals import translation_approved

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 20_000
Status = TranslationRequest.Status
Origin = TranslationRequest.Origin
Problem = TranslationRequest.Problem


@dataclass(frozen=True)
class Draft:
    status: str
    origin: str
    text: str
    provider: str = ""
    problem: str = ""


def request_translation(
    *,
    organization: Organization,
    text: str,
    source_language: str,
    target_language: str,
    purpose: str = "",
    object_id: str = "",
    draft: "Draft | None" = None,
) -> TranslationRequest:
    """Ask for `text` in `target_language`. Approved at once when the translation memory
    holds every paragraph; otherwise a machine draft (glossary applied) for review, or,
    with no engine for the pair, a request waiting for a translator. `draft`, from
    `prepare_drafts`, is that answer worked out beforehand, outside any transaction.

    With `object_id`, asking again for the same object and language returns the same
    request (or starts it over when the text has changed).
    """
    source = normalize_language_tag(source_language)
    target = normalize_language_tag(target_language)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("There is no text to translate."), code="empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            _("The text is too long to translate (at most %(limit)s characters)."),
            code="too_long",
            params={"limit": MAX_TEXT_CHARS},
        )
    key = segment_key(text)
    existing = None
    if object_id:
        existing = TranslationRequest.objects.filter(
            organization=organization,
            purpose=purpose,
            object_id=str(object_id),
            target_language=target,
        ).first()
        if existing is not None and existing.source_key == key:
            return existing

    if draft is None:
        draft = _draft(organization=organization, text=text, source=source, target=target)
    fields = {
        "source_language": source,
        "source_text": text,
        "source_key": key,
        "status": draft.status,
        "origin": draft.origin,
        "draft_text": draft.text,
        "provider": draft.provider,
        "problem": draft.problem,
        "reviewed_by": None,
        "reviewed_at": None,
    }
    with transaction.atomic():
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            return existing
        try:
            with transaction.atomic():
                return TranslationRequest.objects.create(
                    organization=organization,
                    target_language=target,
                    purpose=purpose,
                    object_id=str(object_id),
                    **fields,
                )
        except IntegrityError:
            if not object_id:
                raise
            # Two callers asked for the same object at once: the first one's request stands.
            return TranslationRequest.objects.get(
                organization=organization,
                purpose=purpose,
                object_id=str(object_id),
                target_language=target,
            )


def prepare_drafts(
    *, organization: Organization, text: str, source_language: str, target_languages: list[str]
) -> dict[str, Draft]:
    """What `request_translation` would find for each language (memory, a machine draft,
    or nothing), worked out before the caller opens its transaction: a machine engine
    may take seconds, and the database must not wait on it (SQLite has one writer)."""
    source = normalize_language_tag(source_language)
    text = (text or "").strip()
    return {
        target: _draft(
            organization=organization,
            text=text,
            source=source,
            target=normalize_language_tag(target),
        )
        for target in target_languages
    }


def _draft(*, organization: Organization, text: str, source: str, target: str) -> Draft:
    if source == target:
        return Draft(Status.APPROVED, Origin.HUMAN, text)
    parts = paragraphs(text)
    remembered = _remembered(organization, source, target, [text, *parts])
    if segment_key(text) in remembered:
        return Draft(Status.APPROVED, Origin.MEMORY, remembered[segment_key(text)])
    if all(segment_key(part) in remembered for part in parts):
        return Draft(
            Status.APPROVED,
            Origin.MEMORY,
            join_paragraphs([remembered[segment_key(part)] for part in parts]),
        )

    provider = get_provider()
    if provider.name == "none":
        return Draft(Status.NEEDS_TRANSLATOR, Origin.NONE, "", problem=Problem.NO_ENGINE)
    if not provider.supports(source, target):
        return Draft(Status.NEEDS_TRANSLATOR, Origin.NONE, "", provider.name, Problem.UNSUPPORTED)
    missing = [part for part in parts if segment_key(part) not in remembered]
    entries = glossary_for(
        organization=organization, source_language=source, target_language=target
    )
    protected = [glossary.protect(part, entries, provider.placeholder) for part in missing]
    try:
        translated = provider.translate(
            [item.text for item in protected], source=source, target=target
        )
    except ProviderError:
        logger.warning("Machine translation %s→%s failed", source, target, exc_info=True)
        return Draft(Status.NEEDS_TRANSLATOR, Origin.NONE, "", provider.name, Problem.ENGINE_FAILED)
    machine: dict[str, str] = {}
    every_term_placed = True
    for part, item, result in zip(missing, protected, translated, strict=True):
        machine[part], placed = glossary.restore(result, item)
        every_term_placed = every_term_placed and placed
    combined = join_paragraphs(
        [remembered.get(segment_key(part)) or machine[part] for part in parts]
    )
    return Draft(
        Status.MACHINE_DRAFT,
        Origin.MACHINE,
        combined,
        provider.name,
        "" if every_term_placed else Problem.GLOSSARY_UNPLACED,
    )


def _remembered(
    organization: Organization, source: str, target: str, texts: list[str]
) -> dict[str, str]:
    """source key → approved text, for those of `texts` the memory holds."""
    keys = {segment_key(text) for text in texts}
    return dict(
        MemorySegment.objects.filter(
            organization=organization,
            source_language=source,
            target_language=target,
            source_key__in=keys,
        ).values_list("source_key", "approved_text")
    )


def _check_reviewer(actor, request: TranslationRequest) -> None:
    if not can(actor, Action.REVIEW_TRANSLATIONS) or (
        request.organization_id not in reviewable_organization_ids(actor)
    ):
        raise PermissionDenied


def _clean_translation(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the translation before saving it.")}, code="empty")
    if len(text) > MAX_TEXT_CHARS * 2:
        raise ValidationError({"text": _("The translation is too long.")}, code="too_long")
    return text


def approve_translation(*, actor, request: TranslationRequest, text: str) -> TranslationRequest:
    """A reviewer approves `text` as the translation. It goes into the translation
    memory (paragraph by paragraph when the paragraphs line up), and every other pending
    request for the same original and language is approved with it."""
    _check_reviewer(actor, request)
    text = _clean_translation(text)
    now = timezone.now()
    with transaction.atomic():
        request = TranslationRequest.objects.select_for_update().get(pk=request.pk)
        unchanged = request.draft_text.strip() == text and request.origin in (
            Origin.MACHINE,
            Origin.MEMORY,
        )
        request.draft_text = text
        request.origin = request.origin if unchanged else Origin.HUMAN
        request.status = Status.APPROVED
        request.problem = ""
        request.reviewed_by = actor
        request.reviewed_at = now
        request.save()
        remember(
            organization=request.organization,
            source_language=request.source_language,
            target_language=request.target_language,
            source_text=request.source_text,
            approved_text=text,
            approved_by=actor,
        )
        same_text = list(
            TranslationRequest.objects.select_for_update().filter(
                organization_id=request.organization_id,
                source_key=request.source_key,
                target_language=request.target_language,
                source_language=request.source_language,
                status__in=TranslationRequest.PENDING,
            )
        )
        for other in same_text:
            other.draft_text = text
            other.origin = Origin.MEMORY
            other.status = Status.APPROVED
            other.problem = ""
            other.reviewed_at = now
            other.save()
        record(
            actor=actor,
            action="translation.approve",
            target=request,
            language=request.target_language,
            also_approved=len(same_text),
        )
        for settled in [request, *same_text]:
            transaction.on_commit(
                lambda settled=settled: translation_approved.send(
                    sender=TranslationRequest, request=settled
                )
            )
    return request


def save_draft(*, actor, request: TranslationRequest, text: str) -> TranslationRequest:
    """Keep a reviewer's edited text without approving it yet."""
    _check_reviewer(actor, request)
    text = _clean_translation(text)
    with transaction.atomic():
        request = TranslationRequest.objects.select_for_update().get(pk=request.pk)
        if request.draft_text.strip() != text:
            request.draft_text = text
            request.origin = Origin.HUMAN
            request.save()
        record(actor=actor, action="translation.save_draft", target=request)
    return request


def remember(
    *,
    organization: Organization,
    source_language: str,
    target_language: str,
    source_text: str,
    approved_text: str,
    approved_by=None,
) -> list[MemorySegment]:
    """Store an approved translation in the memory: each paragraph with its
    translation when both have as many paragraphs, and the whole text too."""
    source_language = normalize_language_tag(source_language)
    target_language = normalize_language_tag(target_language)
    source_parts = paragraphs(source_text)
    approved_parts = paragraphs(approved_text)
    pairs = [(source_text.strip(), approved_text.strip())]
    if len(source_parts) > 1 and len(source_parts) == len(approved_parts):
        pairs += list(zip(source_parts, approved_parts, strict=True))
    now = timezone.now()
    segments = []
    with transaction.atomic():
        for source, approved in pairs:
            segment, _created = MemorySegment.objects.update_or_create(
                organization=organization,
                source_language=source_language,
                target_language=target_language,
                source_key=segment_key(source),
                defaults={
                    "source_text": source,
                    "source_length": len(normalize(source)),
                    "approved_text": approved,
                    "approved_by": approved_by,
                    "approved_at": now,
                },
            )
            segments.append(segment)
    return segments


def save_glossary_term(
    *,
    actor,
    organization: Organization,
    target_language: str,
    term: str,
    rendering: str,
    plural_rendering: str = "",
    note: str = "",
    source_language: str = "en",
) -> GlossaryTerm:
    """Add or change the organization's rendering of a term (replacing Tandem's default)."""
    if not can(actor, Action.MANAGE_TRANSLATION, organization):
        raise PermissionDenied
    target = normalize_language_tag(target_language)
    term = " ".join((term or "").split())
    rendering = " ".join((rendering or "").split())
    errors = {}
    if not term:
        errors["term"] = _("Write the term in the original language.")
    if not rendering:
        errors["rendering"] = _("Write the approved rendering.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry, created = GlossaryTerm.objects.update_or_create(
            organization=organization,
            source_language=source_language,
            target_language=target,
            term_key=normalize(term),
            defaults={
                "term": term,
                "rendering": rendering,
                "plural_rendering": " ".join((plural_rendering or "").split()),
                "note": (note or "").strip(),
                "updated_by": actor,
            },
        )
        record(
            actor=actor,
            action="translation.glossary.add" if created else "translation.glossary.change",
            target=entry,
            language=target,
        )
    return entry


def delete_glossary_term(*, actor, term: GlossaryTerm) -> None:
    """Remove the organization's own term; Tandem's default for it, if any, applies again."""
    if not can(actor, Action.MANAGE_TRANSLATION, term.organization):
        raise PermissionDenied
    with transaction.atomic():
        record(actor=actor, action="translation.glossary.delete", target=term)
        term.delete()


def set_sending_policy(
    *, actor, organization: Organization, send_machine_drafts: bool
) -> TranslationPolicy:
    if not can(actor, Action.MANAGE_TRANSLATION, organization):
        raise PermissionDenied
    with transaction.atomic():
        policy, _created = TranslationPolicy.objects.update_or_create(
            organization=organization,
            defaults={"send_machine_drafts": send_machine_drafts, "updated_by": actor},
        )
        record(
            actor=actor,
            action="translation.policy.change",
            target=policy,
            send_machine_drafts=send_machine_drafts,
        )
    return policy


def set_review_languages(*, actor, languages: list[str]) -> list[str]:
    """The languages a reviewer works in, shown first in their review queue."""
    tags = sorted({normalize_language_tag(language) for language in languages})
    actor.review_languages = tags
    actor.save(update_fields=["review_languages"])
    return tags
