"""Answering an invitation by text: "1" (coming) or "2" (not), then, after a yes, what
the family needs to come (only what the session offers, by number), then the ages of
the children who need childcare, and a thank-you naming the day and the place.

The dispatcher (conversation.py) calls `answer` in the caregiver's language, inside the
webhook's transaction. A reply taken here is kept out of the household's thread; a reply
the conversation cannot use gets a helpful answer and still goes to the thread
(`AlsoForThread`), where staff read it.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.directory.languages import language_name
from tandem.messaging.conversations import AlsoForThread
from tandem.messaging.models import InboundMessage
from tandem.programs.invitations import (
    AnswersClosed,
    accepting_answers,
    closed_message,
    record_rsvp,
    when_text,
    where_text,
)
from tandem.programs.models import Invitation, Session, TextConversation

Step = TextConversation.Step
SMS = Invitation.Channel.SMS
YES, NO, NOTHING = "1", "2", "0"
_WORDS = re.compile(r"\w+")
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class Need:
    """One thing a family can ask for by number."""

    key: str  # childcare | ride | bus_voucher | interpretation
    label: str


def answer(conversation: TextConversation, inbound: InboundMessage) -> str | AlsoForThread | None:
    invitation = (
        Invitation.objects.select_related("session__program__organization", "session__school")
        .filter(pk=conversation.invitation_id)
        .first()
    )
    if invitation is None:  # the invitation is gone: the reply is an ordinary one
        _close(conversation)
        return None
    session = invitation.session
    body = inbound.body.strip()
    step = conversation.step
    if not accepting_answers(session):
        _close(conversation)
        if _understood(step, body):  # a late answer: told so, and staff see it
            return AlsoForThread(closed_message(session))
        return None
    if step == Step.ASKED:
        return _asked(conversation, invitation, inbound, body)
    if step == Step.NEEDS:
        return _needs(conversation, invitation, inbound, body)
    if step == Step.CHILDREN:
        return _children(conversation, invitation, inbound, body)
    _close(conversation)
    return None


# Reading replies


def choice(body: str) -> str | None:
    """The answer in a reply, YES ("1") or NO ("2"): "1", " 2.", "#1", "(1)", "yes" or
    "no" (in the caregiver's language too); None for anything else ("I have 2 kids" is
    not a no)."""
    words = _WORDS.findall(body.lower())
    if len(words) != 1:
        return None
    word = _bare(words[0])
    if word in (YES, NO):
        return word
    if word in {"yes", _bare(pgettext("a reply by text", "yes"))}:
        return YES
    if word in {"no", _bare(pgettext("a reply by text", "no"))}:
        return NO
    return None


def _bare(word: str) -> str:
    """Lower case without accents: families text "si" as often as "sí"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def chosen_numbers(body: str) -> list[int] | None:
    """The numbers in a reply ("1 3", "1,3", "1 and 3"), or None when it has none."""
    numbers = [int(n) for n in _NUMBERS.findall(body) if len(n) <= 3]
    if not numbers or len(numbers) != len(_NUMBERS.findall(body)):
        return None
    return numbers


def _understood(step: str, body: str) -> bool:
    if step == Step.ASKED:
        return choice(body) is not None
    return chosen_numbers(body) is not None


# The steps


def _asked(conversation, invitation: Invitation, inbound, body: str):
    coming = choice(body)
    if coming is None:
        return AlsoForThread(_("To answer, reply 1 if you will come or 2 if you cannot."))
    _keep(inbound)
    reply = _record(conversation, invitation, coming=coming == YES)
    if reply is not None:
        return reply
    session = invitation.session
    if coming == NO:
        _close(conversation)
        return _("Thank you for letting us know. We hope to see you another time.")
    if invitation.response == Invitation.Response.WAITLISTED:
        _close(conversation)
        return _(
            "Thank you! The session is full, so you are on the wait list. We will text "
            "you if a place opens."
        )
    needs = offered_needs(session, conversation.caregiver.preferred_language)
    if not needs:
        _close(conversation)
        return thanks(session)
    _set_step(conversation, Step.NEEDS)
    return needs_question(needs)


def _needs(conversation, invitation: Invitation, inbound, body: str):
    needs = offered_needs(invitation.session, conversation.caregiver.preferred_language)
    numbers = chosen_numbers(body)
    if numbers is None or (numbers != [0] and not all(1 <= n <= len(needs) for n in numbers)):
        return AlsoForThread(
            _("Please reply with the numbers of what you need, or 0 for nothing.")
            + "\n\n"
            + needs_question(needs)
        )
    chosen = {needs[n - 1].key for n in numbers if n}
    offered = {need.key for need in needs}
    values = _current_needs(invitation)
    if "ride" in offered:
        values["needs_ride"] = "ride" in chosen
    if "bus_voucher" in offered:
        values["needs_bus_voucher"] = "bus_voucher" in chosen
    if "interpretation" in offered:
        values["interpretation"] = (
            conversation.caregiver.preferred_language if "interpretation" in chosen else ""
        )
    if "childcare" in offered and "childcare" not in chosen:
        values["childcare_ages"] = []
    _keep(inbound)
    reply = _record(conversation, invitation, coming=True, needs=values)
    if reply is not None:
        return reply
    if "childcare" in chosen:
        _set_step(conversation, Step.CHILDREN)
        return children_question()
    _close(conversation)
    return thanks(invitation.session)


def _children(conversation, invitation: Invitation, inbound, body: str):
    ages = chosen_numbers(body)
    if ages is None:
        return AlsoForThread(children_question())
    values = _current_needs(invitation) | {"childcare_ages": ages}
    _keep(inbound)
    try:
        reply = _record(conversation, invitation, coming=True, needs=values)
    except ValidationError as invalid:
        return f"{' '.join(invalid.messages)} {children_question()}"
    if reply is not None:
        return reply
    _close(conversation)
    return thanks(invitation.session)


# What is said


def offered_needs(session: Session, language: str) -> list[Need]:
    """What the session offers that a family can ask for, in the order they are numbered;
    interpretation only into the caregiver's language, when the session is not held in
    it and offers interpretation into it."""
    needs = []
    if session.childcare:
        needs.append(Need("childcare", _("childcare")))
    rides = (Session.Transportation.RIDES, Session.Transportation.RIDES_AND_VOUCHERS)
    vouchers = (Session.Transportation.BUS_VOUCHERS, Session.Transportation.RIDES_AND_VOUCHERS)
    if session.transportation in rides:
        needs.append(Need("ride", _("a ride")))
    if session.transportation in vouchers:
        needs.append(Need("bus_voucher", _("a bus voucher")))
    if language not in session.languages and language in session.interpretation:
        needs.append(
            Need(
                "interpretation",
                _("interpretation into %(language)s")
                % {"language": language_name(language, language)},
            )
        )
    return needs


def needs_question(needs: list[Need]) -> str:
    options = ", ".join(f"{number} {need.label}" for number, need in enumerate(needs, start=1))
    return _(
        "Do you need anything to come? Reply with the numbers, e.g. 1 3: %(options)s. "
        "Reply 0 for nothing."
    ) % {"options": options}


def children_question() -> str:
    return _("How old are the children who need childcare? Reply with their ages, e.g. 3 6.")


def thanks(session: Session) -> str:
    text = _("Thank you! We will see you %(when)s, %(where)s.") % {
        "when": when_text(session),
        "where": where_text(session),
    }
    if session.modality != Session.Modality.IN_PERSON and session.virtual_link:
        text += " " + _("To join online: %(link)s") % {"link": session.virtual_link}
    return text


# Recording


def _current_needs(invitation: Invitation) -> dict:
    return {
        "childcare_ages": list(invitation.childcare_ages),
        "needs_ride": invitation.needs_ride,
        "needs_bus_voucher": invitation.needs_bus_voucher,
        "interpretation": invitation.interpretation,
        "accessibility": invitation.accessibility,
    }


def _record(conversation, invitation: Invitation, *, coming: bool, needs=None) -> str | None:
    """Record the answer; the closed message (and the conversation closed) when the time
    to answer has passed meanwhile, else None."""
    try:
        record_rsvp(invitation=invitation, coming=coming, channel=SMS, needs=needs)
    except AnswersClosed as closed:
        _close(conversation)
        return closed.messages[0]
    return None


def _set_step(conversation: TextConversation, step: str) -> None:
    TextConversation.objects.filter(pk=conversation.pk).update(step=step)
    conversation.step = step


def _close(conversation: TextConversation) -> None:
    now = timezone.now()
    TextConversation.objects.filter(pk=conversation.pk).update(closed_at=now)
    conversation.closed_at = now


def _keep(inbound: InboundMessage) -> None:
    """The text is part of the conversation, not a reply for the household's thread."""
    InboundMessage.objects.filter(pk=inbound.pk).update(kind=InboundMessage.Kind.CONVERSATION)
    inbound.kind = InboundMessage.Kind.CONVERSATION
