"""Families' answers, by personal link or text message: an answer set per invitation,
started named or anonymous, saved one question at a time (so it can be resumed), and
finished. Every answer is screened (`screening`) and translated for staff after commit.

Saving is idempotent: the same question answered again replaces the earlier answer, and
two saves of one answer set at once end with one row (the database's constraint).
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.directory.models import Caregiver, Student
from tandem.listening.models import Answer, AnswerSet, Campaign, Invitation, Question
from tandem.listening.screening import screen
from tandem.listening.services import is_accepting
from tandem.listening.tokens import anonymous_key

ANSWER_PURPOSE = "listening_answer"
MAX_ANSWER_CHARS = 2000
_NAMES_SECONDS = 300


class ClosedCampaign(ValidationError):
    pass


def answer_set_for(invitation: Invitation) -> AnswerSet | None:
    """The invitation's answer set, named or (while under way) anonymous."""
    named = AnswerSet.objects.filter(invitation=invitation).first()
    if named is not None:
        return named
    return AnswerSet.objects.filter(resume_key=anonymous_key(invitation.pk)).first()


def start_answer_set(
    *, invitation: Invitation, anonymous: bool, channel: str, language: str = ""
) -> AnswerSet:
    """The invitation's answer set, started now if it has none. Choosing anonymous or
    named is final once started (an anonymous set cannot be linked to a person later)."""
    campaign = invitation.campaign
    if not is_accepting(campaign):
        raise ClosedCampaign(_("This listening campaign has closed; thank you."))
    if invitation.status == Invitation.Status.COMPLETED:
        raise ValidationError(_("You have already answered. Thank you!"), code="completed")
    existing = answer_set_for(invitation)
    if existing is not None:
        return existing
    fields = {
        "campaign": campaign,
        "organization_id": campaign.organization_id,
        "school_id": invitation.school_id or campaign.school_id,
        "anonymous": anonymous,
        "channel": channel,
        "language": language or invitation.language,
        "started_on": timezone.localdate(),
    }
    if anonymous:
        fields["resume_key"] = anonymous_key(invitation.pk)
    else:
        fields["invitation"] = invitation
        fields["caregiver_id"] = invitation.caregiver_id
    try:
        with transaction.atomic():
            answer_set = AnswerSet.objects.create(**fields)
            Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.INVITED).update(
                status=Invitation.Status.STARTED
            )
    except IntegrityError:  # started twice at once: the first one stands
        answer_set = answer_set_for(invitation)
        if answer_set is None:
            raise
    invitation.status = Invitation.Status.STARTED
    return answer_set


def roster_names(campaign: Campaign) -> frozenset[str]:
    """Given names and family names of the students and caregivers of the campaign's
    families (its school, else its organization), casefolded; kept a few minutes."""
    key = f"listening:names:{campaign.pk}"
    names = cache.get(key)
    if names is None:
        students = Student.objects.filter(organization_id=campaign.organization_id)
        caregivers = Caregiver.objects.filter(organization_id=campaign.organization_id)
        if campaign.school_id:
            students = students.filter(school_id=campaign.school_id)
            caregivers = caregivers.filter(household__students__school_id=campaign.school_id)
        names = set()
        for rows in (
            students.values_list("given_name", "family_name"),
            caregivers.values_list("given_name", "family_name"),
        ):
            for given, family in rows:
                names.update(part.casefold() for part in f"{given} {family}".split() if part)
        names = frozenset(names)
        cache.set(key, names, _NAMES_SECONDS)
    return names


def clean_answer_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise ValidationError(
            _("Your answer is %(length)s characters long; the most is %(limit)s.")
            % {"length": len(text), "limit": MAX_ANSWER_CHARS},
            code="too_long",
        )
    return text


def save_answer(*, answer_set: AnswerSet, question: Question, text: str) -> Answer | None:
    """Keep the answer to `question` (replacing an earlier one); an empty answer skips
    the question (and removes an earlier answer). Raises ValidationError, changing
    nothing, when the text is too long or the campaign has closed."""
    campaign = answer_set.campaign
    if question.protocol_id != campaign.protocol_id:
        raise ValidationError(_("This question is not part of this campaign."))
    if not is_accepting(campaign):
        raise ClosedCampaign(_("This listening campaign has closed; thank you."))
    if answer_set.completed:
        raise ValidationError(_("You have already answered. Thank you!"), code="completed")
    text = clean_answer_text(text)
    if not text:
        Answer.objects.filter(answer_set=answer_set, question=question).delete()
        return None
    screened = screen(
        text,
        names=roster_names(campaign),
        expected_language=answer_set.language,
        one_word_expected=question.kind == Question.Kind.ONE_WORD,
    )
    fields = {
        "campaign_id": campaign.pk,
        "organization_id": campaign.organization_id,
        "school_id": answer_set.school_id,
        "role": answer_set.role,
        "text": screened.text,
        "masked_text": screened.masked_text,
        "language": screened.language,
        "flags": screened.flags,
        "anonymous": answer_set.anonymous,
        "received_on": timezone.localdate(),
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                answer, _created = Answer.objects.update_or_create(
                    answer_set=answer_set, question=question, defaults=fields
                )
        except IntegrityError:  # the same answer saved twice at once: update the winner
            answer = Answer.objects.get(answer_set=answer_set, question=question)
            for name, value in fields.items():
                setattr(answer, name, value)
            answer.save()
        transaction.on_commit(lambda: _translate_later(answer.pk))
    return answer


def _translate_later(answer_id: int) -> None:
    from tandem.listening.tasks import translate_answer

    translate_answer.enqueue(answer_id)


def finish_answer_set(*, answer_set: AnswerSet, invitation: Invitation) -> AnswerSet:
    """The family is done: an anonymous set loses the key that found it, so from now on
    nothing leads from the invitation to its answers."""
    if not answer_set.answers.exists():
        raise ValidationError(_("Answer at least one question before you finish."))
    with transaction.atomic():
        AnswerSet.objects.filter(pk=answer_set.pk).update(completed=True, resume_key=None)
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.COMPLETED)
        # Finished on the web: a text conversation still open would swallow their texts.
        Invitation.objects.filter(
            pk=invitation.pk,
            conversation__in=[Invitation.Conversation.CHOOSING, Invitation.Conversation.ANSWERING],
        ).update(conversation=Invitation.Conversation.DONE)
    answer_set.completed = True
    answer_set.resume_key = None
    invitation.status = Invitation.Status.COMPLETED
    return answer_set


def request_answer_translation(answer_id: int) -> None:
    """The answer in the campaign's staff language (memory, machine draft or a
    translator), shown beside the original on the analysis screens."""
    from tandem.translation.services import request_translation

    answer = Answer.objects.select_related("campaign__organization").filter(pk=answer_id).first()
    if answer is None or not answer.language:
        return
    target = answer.campaign.language
    if answer.language.split("-")[0] == target.split("-")[0]:
        return
    request_translation(
        organization=answer.campaign.organization,
        text=answer.masked_text,
        source_language=answer.language,
        target_language=target,
        purpose=ANSWER_PURPOSE,
        object_id=str(answer.pk),
    )
