"""Themes in a campaign's answers: found by the analysis engine in the background, then
reviewed by staff (renamed, tagged a strength or a need, merged, split, answers moved).

Reviewed themes are staff's work, so a new run keeps them and the answers in them; new
answers close enough to one join it (through the centre the engine left in
`Theme.engine_data`). A run replaces only the themes nobody has touched.

Themes are found in the masked text, and only masked text is shown; audit rows hold ids
and counts, never what was said.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.analysis.embedders import Embedder, get_embedder
from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.themes import ThemeModel, add_answers, find_themes
from tandem.audit.services import record
from tandem.listening.answers import ANSWER_PURPOSE
from tandem.listening.models import ActionItem, Answer, Campaign, Question, Theme
from tandem.listening.screening import Flag
from tandem.listening.selectors import RUN, may
from tandem.translation.models import TranslationRequest
from tandem.translation.segments import segment_key

MIN_ANSWERS = 4  # with fewer, the engine puts every answer in one theme: that says nothing
QUOTES = 3
MAX_LABEL = 200
MAX_KEYWORDS = 10
# A run that never reported back (a worker that died) stops counting as under way.
RUN_TIMEOUT = timedelta(minutes=30)
REQUESTED = "listening.themes_requested"
FOUND = "listening.themes_found"


def _check(actor, campaign: Campaign) -> None:
    if not may(actor, RUN, campaign):
        raise PermissionDenied


def _check_question(campaign: Campaign, question: Question | None) -> None:
    if question is not None and question.protocol_id != campaign.protocol_id:
        raise ValidationError({"question": _("This question is not part of this campaign.")})


# Finding themes.


def request_themes(*, actor, campaign: Campaign, question: Question | None = None) -> None:
    """Find the campaign's themes in the background: thousands of answers take minutes.
    Until the run reports back, `run_under_way` says so."""
    from tandem.listening.tasks import find_themes_later

    _check(actor, campaign)
    _check_question(campaign, question)
    question_id = question.pk if question else None
    Campaign.objects.filter(pk=campaign.pk).update(themes_requested_at=timezone.now())
    record(actor=actor, action=REQUESTED, target=campaign, question=question_id)
    transaction.on_commit(lambda: find_themes_later.enqueue(campaign.pk, question_id, actor.pk))


def find_requested_themes(campaign_id: int, question_id: int | None, actor_id: int) -> None:
    """The background half of `request_themes`."""
    campaign = Campaign.objects.select_related("organization", "school", "protocol")
    campaign = campaign.filter(pk=campaign_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if campaign is None or actor is None:
        return
    question = Question.objects.filter(pk=question_id).first() if question_id else None
    find_campaign_themes(actor=actor, campaign=campaign, question=question)


def find_campaign_themes(*, actor, campaign: Campaign, question: Question | None = None) -> int:
    """Run the engine over each question's answers (or `question`'s) and replace the
    themes not yet reviewed; returns how many themes it made."""
    _check(actor, campaign)
    _check_question(campaign, question)
    questions = [question] if question else list(campaign.protocol.questions.all())
    made = 0
    try:
        embedder = get_embedder(getattr(settings, "TANDEM_THEMES_EMBEDDER", "use"))
        for each in questions:
            made += _find_for_question(campaign, each, embedder)
    finally:  # a failed run must not look under way
        Campaign.objects.filter(pk=campaign.pk).update(themes_found_at=timezone.now())
        record(
            actor=actor,
            action=FOUND,
            target=campaign,
            question=question.pk if question else None,
            themes=made,
        )
    return made


def _answers_to_group(campaign: Campaign, question: Question) -> list[dict]:
    """The answers not in a reviewed theme. A one-word answer to an open question groups
    with nothing, so it is left out; one-word questions ask for exactly that."""
    rows = (
        Answer.objects.filter(campaign=campaign, question=question)
        .filter(Q(theme__isnull=True) | Q(theme__reviewed=False))
        .values("pk", "masked_text", "language", "flags")
        .order_by("id")
    )
    if question.kind != Question.Kind.OPEN:
        return list(rows)
    return [row for row in rows if Flag.SHORT not in (row["flags"] or [])]


def _find_for_question(campaign: Campaign, question: Question, embedder: Embedder) -> int:
    rows = _answers_to_group(campaign, question)
    kept = [
        theme
        for theme in Theme.objects.filter(campaign=campaign, question=question, reviewed=True)
        if theme.engine_data.get("embedder") == embedder.name and theme.engine_data.get("centroid")
    ]
    if len(rows) < MIN_ANSWERS and not kept:
        return 0
    options = {
        "embedder": embedder,
        "languages": [row["language"] or None for row in rows],
        "translate": _known_translations(campaign),
        "analysis_language": campaign.language,
    }
    texts = [row["masked_text"] for row in rows]
    model, kept_ids = None, set()
    if kept:
        try:
            model = add_answers(_model_of(kept, embedder), texts, **options)
            kept_ids = {theme.pk for theme in kept}
        except AnalysisInputError:  # centres from a per-run vocabulary (tfidf) do not compare
            model = None
    if model is None:
        model = find_themes(texts, **options)
    return _save_run(campaign, question, model, kept_ids, [row["pk"] for row in rows], embedder)


def _model_of(themes: list[Theme], embedder: Embedder) -> ThemeModel:
    return ThemeModel.from_dict(
        {
            "embedder": embedder.name,
            "themes": [
                {
                    **theme.engine_data,
                    "id": theme.pk,
                    "label": theme.label,
                    "keywords": theme.keywords,
                    "size": theme.engine_data.get("size", 0),
                    "examples": theme.engine_data.get("examples", []),
                    "reviewed": True,
                }
                for theme in themes
            ],
        }
    )


def _known_translations(campaign: Campaign):
    """For answers in languages the embedder does not read: their translations into the
    campaign's language that the translation workflow already holds, found by text."""

    def translate(texts: list[str], language: str) -> list[str]:
        keys = {segment_key(text): text for text in texts}
        found = {
            request.source_key: request.draft_text
            for request in TranslationRequest.objects.filter(
                organization_id=campaign.organization_id,
                purpose=ANSWER_PURPOSE,
                source_key__in=list(keys),
                target_language=campaign.language,
            ).exclude(draft_text="")
            if request.status == TranslationRequest.Status.APPROVED or request.is_machine_translated
        }
        return [found.get(segment_key(text), text) for text in texts]

    return translate


def _save_run(
    campaign: Campaign,
    question: Question,
    model: ThemeModel,
    kept_ids: set[int],
    answer_ids: list[int],
    embedder: Embedder,
) -> int:
    data = model.to_dict()["themes"]
    with transaction.atomic():
        # One run writes a campaign's themes at a time.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        Theme.objects.filter(campaign=campaign, question=question, reviewed=False).delete()
        made = {
            entry["id"]: Theme(
                campaign=campaign,
                organization_id=campaign.organization_id,
                question=question,
                label=entry["label"][:MAX_LABEL] or _("Theme"),
                keywords=entry["keywords"],
                engine_data={
                    **{key: entry[key] for key in ("centroid", "threshold", "size")},
                    "embedder": embedder.name,
                    "examples": [answer_ids[i] for i in entry["examples"]],
                },
            )
            for entry in data
            if entry["id"] not in kept_ids
        }
        Theme.objects.bulk_create(made.values())
        members: dict[int, list[int]] = {}
        for answer_id, theme_id in zip(answer_ids, model.assignments, strict=True):
            if theme_id is not None:
                target = theme_id if theme_id in kept_ids else made[theme_id].pk
                members.setdefault(target, []).append(answer_id)
        for theme_id, ids in members.items():
            # Answers staff put in a reviewed theme meanwhile stay where staff put them.
            Answer.objects.filter(pk__in=ids).filter(
                Q(theme__isnull=True) | Q(theme__reviewed=False)
            ).update(theme_id=theme_id)
    return len(made)


def run_under_way(campaign: Campaign) -> bool:
    """Whether themes were asked for and the run has not reported back yet (a run that
    died without a word stops counting after RUN_TIMEOUT)."""
    requested, found = campaign.themes_requested_at, campaign.themes_found_at
    return bool(
        requested
        and (found is None or found < requested)
        and requested > timezone.now() - RUN_TIMEOUT
    )


# Reviewing themes.


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": _("Give the theme a name.")})
    if len(label) > MAX_LABEL:
        raise ValidationError(
            {"label": _("Keep the name to %(limit)s characters or fewer.") % {"limit": MAX_LABEL}}
        )
    return label


def _check_same_question(theme: Theme, others: list[Theme], field: str) -> None:
    if any(
        o.campaign_id != theme.campaign_id or o.question_id != theme.question_id for o in others
    ):
        raise ValidationError({field: _("Choose themes of the same question in this campaign.")})


def rename_theme(*, actor, theme: Theme, label: str) -> Theme:
    _check(actor, theme.campaign)
    theme.label = _clean_label(label)
    theme.reviewed = True
    with transaction.atomic():
        theme.save(update_fields=["label", "reviewed", "updated_at"])
        record(actor=actor, action="listening.theme_renamed", target=theme)
    return theme


def tag_theme(*, actor, theme: Theme, kind: str) -> Theme:
    """A strength, a need, or neither (""): what the strengths-and-needs report shows."""
    _check(actor, theme.campaign)
    if kind not in Theme.Kind.values:
        raise ValidationError({"kind": _("Choose a strength, a need, or neither.")})
    theme.kind = kind
    theme.reviewed = True
    with transaction.atomic():
        theme.save(update_fields=["kind", "reviewed", "updated_at"])
        record(actor=actor, action="listening.theme_tagged", target=theme, kind=kind)
    return theme


def merge_themes(*, actor, into: Theme, others: list[Theme]) -> Theme:
    """`others`' answers join `into`, whose centre becomes theirs together; `others` go."""
    _check(actor, into.campaign)
    others = [other for other in others if other.pk != into.pk]
    if not others:
        raise ValidationError({"others": _("Choose at least one other theme to merge.")})
    _check_same_question(into, others, "others")
    with transaction.atomic():
        moved = Answer.objects.filter(theme__in=others).update(theme=into)
        into.engine_data = _merged_engine_data([into, *others])
        into.keywords = list(dict.fromkeys(k for t in [into, *others] for k in t.keywords))[
            :MAX_KEYWORDS
        ]
        into.reviewed = True
        into.save(update_fields=["engine_data", "keywords", "reviewed", "updated_at"])
        other_ids = [other.pk for other in others]
        ActionItem.objects.filter(theme_id__in=other_ids).update(theme=into)
        Theme.objects.filter(pk__in=other_ids).delete()
        record(
            actor=actor,
            action="listening.themes_merged",
            target=into,
            merged=other_ids,
            answers=moved,
        )
    return into


def _merged_engine_data(themes: list[Theme]) -> dict:
    """The size-weighted mean of the themes' centres, and the loosest threshold: the
    merged theme is broader than each of its parts."""
    examples = [i for t in themes for i in t.engine_data.get("examples", [])]
    centred = [t.engine_data for t in themes if t.engine_data.get("centroid")]
    if not centred:
        return {"examples": examples}
    parts = [data for data in centred if data.get("embedder") == centred[0].get("embedder")]
    sums = [0.0] * len(parts[0]["centroid"])
    for part in parts:
        for i, value in enumerate(part["centroid"]):
            sums[i] += value * max(part.get("size", 1), 1)
    norm = math.sqrt(sum(value * value for value in sums)) or 1.0
    return {
        **parts[0],
        "centroid": [value / norm for value in sums],
        "threshold": min(part.get("threshold", 0.0) for part in parts),
        "size": sum(part.get("size", 0) for part in parts),
        "examples": examples,
    }


def split_theme(*, actor, theme: Theme, answers: list[Answer], label: str) -> Theme:
    """The chosen answers move to a new theme named `label`; both count as reviewed."""
    _check(actor, theme.campaign)
    label = _clean_label(label)
    ids = {answer.pk for answer in answers}
    if not ids or any(answer.theme_id != theme.pk for answer in answers):
        raise ValidationError({"answers": _("Choose some of this theme's answers.")})
    if not theme.answers.exclude(pk__in=ids).exists():
        raise ValidationError(
            {"answers": _("Leave at least one answer in this theme; to rename it, use Rename.")}
        )
    with transaction.atomic():
        new = Theme.objects.create(
            campaign=theme.campaign,
            organization_id=theme.organization_id,
            question=theme.question,
            label=label,
            reviewed=True,
            engine_data={"examples": sorted(ids)[:QUOTES]},
        )
        Answer.objects.filter(pk__in=ids).update(theme=new)
        theme.reviewed = True
        theme.save(update_fields=["reviewed", "updated_at"])
        record(
            actor=actor,
            action="listening.theme_split",
            target=new,
            source=theme.pk,
            answers=len(ids),
        )
    return new


def move_answers(*, actor, answers: list[Answer], theme: Theme | None) -> int:
    """Put answers to one question in `theme` (of that question), or in no theme. The
    themes they leave and join count as reviewed: a new run leaves them as staff made them."""
    if not answers:
        raise ValidationError({"answers": _("Choose at least one answer to move.")})
    campaign = answers[0].campaign
    _check(actor, campaign)
    question_id = theme.question_id if theme else answers[0].question_id
    if (theme is not None and theme.campaign_id != campaign.pk) or any(
        answer.campaign_id != campaign.pk or answer.question_id != question_id for answer in answers
    ):
        raise ValidationError({"target": _("Choose a theme of the same question.")})
    ids = [answer.pk for answer in answers]
    touched = {answer.theme_id for answer in answers} | {theme.pk if theme else None}
    with transaction.atomic():
        Answer.objects.filter(pk__in=ids).update(theme=theme)
        Theme.objects.filter(pk__in=touched - {None}).update(
            reviewed=True, updated_at=timezone.now()
        )
        record(
            actor=actor,
            action="listening.answers_moved",
            target=campaign,
            answers=ids,
            to=theme.pk if theme else None,
        )
    for answer in answers:
        answer.theme = theme
    return len(ids)


def move_answer(*, actor, answer: Answer, theme: Theme | None) -> Answer:
    move_answers(actor=actor, answers=[answer], theme=theme)
    return answer


# Reading themes.


@dataclass(frozen=True)
class ThemeSummary:
    theme: Theme
    count: int
    quotes: list[str]  # masked text of representative answers


def theme_summaries(
    campaign: Campaign, school=None, *, question: Question | None = None
) -> list[ThemeSummary]:
    """The campaign's themes (of `question`, at `school` when given) that hold answers,
    by question then largest first, each with up to three representative quotes.

    Public for the strengths-and-needs report: `theme.kind` says strength or need,
    `count` how many answers (at `school`), `quotes` the masked text only (names on the
    roster, phone numbers and email addresses hidden), never who said it. Two queries.
    """
    in_scope = Q(answers__school=school) if school is not None else None
    themes = Theme.objects.filter(campaign=campaign).select_related("question")
    if question is not None:
        themes = themes.filter(question=question)
    themes = [
        theme
        for theme in themes.annotate(count=Count("answers", filter=in_scope)).order_by(
            "question__position", "-count", "id"
        )
        if theme.count
    ]
    quotes = _quotes(themes, school)
    return [ThemeSummary(theme, theme.count, quotes.get(theme.pk, [])) for theme in themes]


def _quotes(themes: list[Theme], school) -> dict[int, list[str]]:
    """Up to QUOTES answers per theme: the engine's examples first, then the earliest."""
    if not themes:
        return {}
    examples = [i for theme in themes for i in theme.engine_data.get("examples", [])]
    answers = Answer.objects.filter(theme__in=themes)
    if school is not None:
        answers = answers.filter(school=school)
    ranked = answers.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("theme_id")],
            order_by=[
                Case(When(pk__in=examples, then=Value(0)), default=Value(1)).asc(),
                F("id").asc(),
            ],
        )
    ).filter(rank__lte=QUOTES)
    quotes: dict[int, list[str]] = {}
    for theme_id, text in ranked.order_by("theme_id", "rank").values_list(
        "theme_id", "masked_text"
    ):
        quotes.setdefault(theme_id, []).append(text)
    return quotes


def access_theme(user, pk) -> Theme:
    """The theme if `user` may run its campaign; 404 otherwise, as if it did not exist."""
    theme = (
        Theme.objects.select_related(
            "campaign__organization", "campaign__school", "campaign__protocol", "question"
        )
        .filter(pk=pk if str(pk).isdigit() else -1)
        .first()
    )
    if theme is None or not may(user, RUN, theme.campaign):
        raise Http404
    return theme
