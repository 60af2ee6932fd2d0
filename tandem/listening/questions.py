"""A campaign's questions as a family reads them: in their language when the
translation workflow has text the organization's policy lets it send, else as written."""

from tandem.listening.models import Campaign, Question
from tandem.listening.services import QUESTION_PURPOSE
from tandem.translation.models import TranslationRequest
from tandem.translation.selectors import sending_policy, text_to_send


def questions_in(campaign: Campaign, language: str) -> list[tuple[Question, str]]:
    """Each question with its text in `language` (two queries, whatever their number)."""
    questions = list(campaign.protocol.questions.all())
    if language.split("-")[0] == campaign.protocol.language.split("-")[0]:
        return [(question, question.text) for question in questions]
    requests = {
        request.object_id: request
        for request in TranslationRequest.objects.filter(
            organization_id=campaign.organization_id,
            purpose=QUESTION_PURPOSE,
            object_id__in=[str(question.pk) for question in questions],
            target_language=language,
        )
    }
    policy = sending_policy(campaign.organization) if requests else None
    shown = []
    for question in questions:
        request = requests.get(str(question.pk))
        text = text_to_send(request, policy) if request is not None else None
        shown.append((question, text or question.text))
    return shown
