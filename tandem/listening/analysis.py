"""What the analysis screens read: a campaign's answers to a question in the reader's
language (the original one click away), filtered by school, language, role and session.

Answers are shown as what was said, not who said it: masked text, the speaker's role,
never a name, even when the family answered with theirs.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from tandem.directory.languages import primary_subtag
from tandem.directory.models import School
from tandem.listening.answers import ANSWER_PURPOSE
from tandem.listening.models import Answer, Campaign, ListeningSession, Question
from tandem.listening.screening import FLAG_LABELS
from tandem.listening.selectors import RUN, may
from tandem.translation.models import TranslationRequest


@dataclass(frozen=True)
class AnswerFilters:
    school: int | None = None
    language: str = ""
    role: str = ""
    session: int | None = None


@dataclass
class ReadableAnswer:
    answer: Answer
    text: str  # in the reader's language when translated, else the masked original
    translated: bool = False
    machine_translated: bool = False
    pending: bool = False  # in another language, with no translation yet
    flags: list[str] = field(default_factory=list)  # labels in the reader's language


def answers_to(campaign: Campaign, question: Question, filters: AnswerFilters) -> QuerySet[Answer]:
    answers = Answer.objects.filter(campaign=campaign, question=question)
    if filters.school:
        answers = answers.filter(school_id=filters.school)
    if filters.language:
        tag = filters.language
        answers = answers.filter(Q(language__iexact=tag) | Q(language__istartswith=f"{tag}-"))
    if filters.role:
        answers = answers.filter(role=filters.role)
    if filters.session:
        answers = answers.filter(session_id=filters.session)
    return answers.select_related("theme", "school", "session").order_by("id")


def _same_language(a: str, b: str) -> bool:
    return primary_subtag(a) == primary_subtag(b)


def in_reader_language(
    campaign: Campaign, answers: list[Answer], reader_language: str
) -> list[ReadableAnswer]:
    """Each answer in `reader_language`: its approved translation, or a machine draft
    (marked as such), or the original marked "translation pending". One query."""
    wanted = [
        str(a.pk) for a in answers if a.language and not _same_language(a.language, reader_language)
    ]
    found: dict[int, tuple[str, bool]] = {}
    if wanted:
        primary = primary_subtag(reader_language)
        requests = (
            TranslationRequest.objects.filter(
                organization_id=campaign.organization_id,
                purpose=ANSWER_PURPOSE,
                object_id__in=wanted,
            )
            .filter(
                Q(target_language__iexact=primary) | Q(target_language__istartswith=f"{primary}-")
            )
            .exclude(draft_text="")
        )
        for request in requests:
            approved = request.status == TranslationRequest.Status.APPROVED
            if approved or request.is_machine_translated:
                found[int(request.object_id)] = (request.draft_text, not approved)
    readable = []
    for answer in answers:
        flags = [gettext(FLAG_LABELS[f]) for f in answer.flags or [] if f in FLAG_LABELS]
        if answer.pk in found:
            text, machine = found[answer.pk]
            readable.append(ReadableAnswer(answer, text, True, machine, flags=flags))
        else:
            pending = str(answer.pk) in wanted
            readable.append(
                ReadableAnswer(answer, answer.masked_text, pending=pending, flags=flags)
            )
    return readable


@dataclass(frozen=True)
class FilterChoices:
    schools: list[School]
    languages: list[str]
    sessions: list[ListeningSession]


def filter_choices(campaign: Campaign) -> FilterChoices:
    """The schools and languages the campaign's answers come in, and its sessions."""
    school_ids = (
        Answer.objects.filter(campaign=campaign, school__isnull=False)
        .values("school_id")
        .order_by()
        .distinct()
    )
    languages = (
        Answer.objects.filter(campaign=campaign)
        .exclude(language="")
        .values_list("language", flat=True)
        .order_by()
        .distinct()
    )
    return FilterChoices(
        schools=list(School.objects.filter(pk__in=school_ids).order_by("name")),
        languages=sorted({primary_subtag(tag) for tag in languages}),
        sessions=list(campaign.sessions.all()),
    )


def answer_counts(campaign: Campaign) -> dict[int, tuple[int, int]]:
    """question id → (answers, answers in a theme)."""
    rows = (
        Answer.objects.filter(campaign=campaign)
        .values("question_id")
        .order_by()
        .annotate(total=Count("id"), themed=Count("id", filter=Q(theme__isnull=False)))
    )
    return {row["question_id"]: (row["total"], row["themed"]) for row in rows}


def access_answer(user, pk) -> Answer:
    """The answer if `user` may run its campaign; 404 otherwise."""
    answer = (
        Answer.objects.select_related(
            "campaign__organization", "campaign__school", "question", "theme"
        )
        .filter(pk=pk if str(pk).isdigit() else -1)
        .first()
    )
    if answer is None or not may(user, RUN, answer.campaign):
        raise Http404
    return answer
