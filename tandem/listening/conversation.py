"""A listening campaign by text message: the invitation asks the family to reply 1
(with their name) or 2 (anonymously); each reply after that is the answer to the
question sent before it, and the next question comes back at once. 0 skips a question.

Answers given anonymously leave no text behind in messaging: the stored text message
keeps who sent it (it is how the conversation finds its place) but not what it said.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.listening.answers import (
    answer_set_for,
    finish_answer_set,
    save_answer,
    start_answer_set,
)
from tandem.listening.models import AnswerSet, Invitation
from tandem.listening.questions import questions_in
from tandem.listening.services import is_accepting
from tandem.messaging.models import InboundMessage

NAMED, ANONYMOUS, SKIP = "1", "2", "0"
_OPEN = [Invitation.Conversation.CHOOSING, Invitation.Conversation.ANSWERING]


def opened_at(caregiver_id: int):
    """When the caregiver's open text conversation began (its invitation was made)."""
    return (
        Invitation.objects.filter(caregiver_id=caregiver_id, conversation__in=_OPEN)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def continue_by_text(inbound: InboundMessage) -> str | None:
    """The next text to send, when this message belongs to a listening conversation."""
    if inbound.caregiver_id is None:
        return None
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("campaign__protocol", "campaign__organization")
        .filter(caregiver_id=inbound.caregiver_id, conversation__in=_OPEN)
        .order_by("-created_at", "-id")
        .first()
    )
    if invitation is None:
        return None
    body = inbound.body.strip()
    if invitation.conversation == Invitation.Conversation.CHOOSING and body not in (
        NAMED,
        ANONYMOUS,
    ):
        return None  # an ordinary reply: it goes to the household's thread
    with translation.override(invitation.language):
        if not is_accepting(invitation.campaign):
            _set(invitation, conversation=Invitation.Conversation.DONE)
            _keep(inbound, anonymous=False)
            return _("This listening campaign has closed; thank you.")
        if invitation.conversation == Invitation.Conversation.CHOOSING:
            return _start(invitation, inbound, anonymous=body == ANONYMOUS)
        return _answer(invitation, inbound, body)


def _start(invitation: Invitation, inbound: InboundMessage, *, anonymous: bool) -> str:
    try:
        answer_set = start_answer_set(
            invitation=invitation, anonymous=anonymous, channel=AnswerSet.Channel.SMS
        )
    except ValidationError as refused:
        _set(invitation, conversation=Invitation.Conversation.DONE)
        _keep(inbound, anonymous=False)
        return refused.messages[0]
    # Answers already given on the web are kept: the conversation starts after them.
    answered = set(answer_set.answers.values_list("question_id", flat=True))
    questions = questions_in(invitation.campaign, invitation.language)
    first = next((i for i, (q, _t) in enumerate(questions) if q.pk not in answered), 0)
    _set(invitation, conversation=Invitation.Conversation.ANSWERING, next_position=first)
    _keep(inbound, anonymous=False)
    intro = (  # a set started on the web keeps the choice made there
        _("Thank you. Your answers will not carry your name.")
        if answer_set.anonymous
        else _("Thank you. Your answers will carry your name.")
    )
    return f"{intro}\n\n{_ask(invitation, first, questions)}"


def _answer(invitation: Invitation, inbound: InboundMessage, body: str) -> str:
    answer_set = answer_set_for(invitation)
    questions = questions_in(invitation.campaign, invitation.language)
    position = invitation.next_position
    if answer_set is None or position >= len(questions):
        _set(invitation, conversation=Invitation.Conversation.DONE)
        return _("Thank you! We have your answers.")
    _keep(inbound, anonymous=answer_set.anonymous)
    question, _text = questions[position]
    if body != SKIP:  # skipping leaves an answer given earlier (on the web) as it was
        try:
            save_answer(answer_set=answer_set, question=question, text=body)
        except ValidationError as refused:
            return refused.messages[0]
    position += 1
    if position < len(questions):
        _set(invitation, next_position=position)
        return _ask(invitation, position, questions)
    _set(invitation, next_position=position, conversation=Invitation.Conversation.DONE)
    try:
        finish_answer_set(answer_set=answer_set, invitation=invitation)
    except ValidationError:  # every question skipped: nothing to keep
        return _("Thank you. You skipped every question; nothing was kept.")
    return _(
        "Thank you! We have your answers. The school will tell you what it heard and "
        "what it will do."
    )


def _ask(invitation: Invitation, position: int, questions=None) -> str:
    questions = questions or questions_in(invitation.campaign, invitation.language)
    _question, text = questions[position]
    return _("(%(number)s/%(count)s) %(question)s Reply 0 to skip.") % {
        "number": position + 1,
        "count": len(questions),
        "question": text,
    }


def _set(invitation: Invitation, **fields) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(**fields)
    for name, value in fields.items():
        setattr(invitation, name, value)


def _keep(inbound: InboundMessage, *, anonymous: bool) -> None:
    """The text message is part of the conversation, not a reply for the thread; an
    anonymous answer's words are not kept there at all."""
    fields = {"kind": InboundMessage.Kind.CONVERSATION}
    if anonymous:
        fields.update(body="", language="")
    InboundMessage.objects.filter(pk=inbound.pk).update(**fields)
    for name, value in fields.items():
        setattr(inbound, name, value)
