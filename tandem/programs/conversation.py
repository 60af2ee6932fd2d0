"""Programs' text conversations: the latest question a caregiver was asked by text
(an invitation's "1 yes, 2 no" and its follow-up about needs, or an assignment's
"what happened?") takes their next reply. Each kind answers in its own module."""

from django.utils import translation

from tandem.messaging.conversations import AlsoForThread
from tandem.messaging.models import InboundMessage
from tandem.programs.models import TextConversation


def _open(caregiver_id: int):
    return TextConversation.objects.filter(caregiver_id=caregiver_id, closed_at__isnull=True)


def opened_at(caregiver_id: int):
    return _open(caregiver_id).order_by("-opened_at").values_list("opened_at", flat=True).first()


def continue_by_text(inbound: InboundMessage) -> str | AlsoForThread | None:
    if inbound.caregiver_id is None:
        return None
    conversation = (
        _open(inbound.caregiver_id)
        .select_for_update()
        .select_related("caregiver")
        .order_by("-opened_at", "-id")
        .first()
    )
    if conversation is None:
        return None
    with translation.override(conversation.caregiver.preferred_language):
        if conversation.kind == TextConversation.Kind.RSVP:
            from tandem.programs.rsvp_by_text import answer

            return answer(conversation, inbound)
        from tandem.programs.assignments import report_by_text

        return report_by_text(conversation, inbound)
