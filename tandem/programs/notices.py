"""Telling families about changes: a session moved or cancelled (everyone invited who
has not said no), a place freed from the wait list (the family promoted).

Each notice is ONE message through messaging, so it is stored, reviewed where it must
be, held for quiet hours and counted like any other. Its text comes from Tandem's own
catalog in each language the catalog has it in (remembered as the approved translation,
so those families receive it at once); other languages go through translation review.
A group of households is written to through a saved list made for the notice.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.audit.services import record
from tandem.directory.models import Household
from tandem.programs.invitations import PERSONAL_LINK, when_text, where_text
from tandem.programs.models import Invitation, Session
from tandem.translation.catalog import remember_catalog_versions

# Notices are written in English, the language of Tandem's catalog: every language the
# catalog has is then remembered from it.
SOURCE_LANGUAGE = "en"

_CHANGED = gettext_noop("%(program)s: %(title)s has changed. It is now %(when)s, %(where)s.")
_CHANGED_ASK = gettext_noop(
    "If you can no longer come, or have not answered yet, please tell us with your link:"
)
_CANCELLED = gettext_noop(
    "%(program)s: %(title)s on %(when)s is cancelled. We are sorry for the trouble."
)
_FREED = gettext_noop(
    "Good news: a place opened for you at %(program)s: %(title)s, %(when)s, %(where)s. "
    "We look forward to seeing you."
)
_FREED_ASK = gettext_noop("If you can no longer come, please tell us with your link:")
ONLINE = gettext_noop("To join online: %(link)s")


def tell_session_changed(*, actor, session: Session, changed: list[str]):
    """Everyone invited who has not said no hears the new day, time and place, each in
    their language, with their link to answer or change their answer."""
    return write_to_households(
        author=actor,
        session=session,
        invitations=not_declined(session),
        paragraphs=[_CHANGED, ONLINE, _CHANGED_ASK],
        make_text=lambda language: changed_text(session, language),
        notice="changed",
        personal_link=True,
    )


def tell_session_cancelled(*, actor, session: Session):
    """Everyone invited who has not said no hears that the session is cancelled."""
    return write_to_households(
        author=actor,
        session=session,
        invitations=not_declined(session),
        paragraphs=[_CANCELLED],
        make_text=lambda language: cancelled_text(session, language),
        notice="cancelled",
        personal_link=False,
    )


def tell_place_freed(*, invitation: Invitation):
    """The family that waited longest has a place: one message to their household, from
    whoever sent the invitation."""
    session = (
        Session.objects.select_related(
            "program__organization", "program__created_by", "school", "invitation_message__author"
        )
        .filter(pk=invitation.session_id)
        .first()
    )
    return write_to_households(
        author=sender_of(session),
        session=session,
        household=invitation.household,
        paragraphs=[_FREED, ONLINE, _FREED_ASK],
        make_text=lambda language: place_freed_text(session, language),
        notice="place_freed",
        personal_link=True,
    )


# The texts, each in one language


def _about(session: Session) -> dict:
    return {
        "program": session.program.name,
        "title": session.title,
        "when": when_text(session),
        "where": where_text(session),
    }


def online_text(session: Session) -> str:
    """How to join online, for a session that can be joined online ("" otherwise)."""
    if session.modality == Session.Modality.IN_PERSON or not session.virtual_link:
        return ""
    return _(ONLINE) % {"link": session.virtual_link}


def changed_text(session: Session, language: str) -> str:
    with translation.override(language):
        return _join(_(_CHANGED) % _about(session), online_text(session), _(_CHANGED_ASK))


def cancelled_text(session: Session, language: str) -> str:
    with translation.override(language):
        return _(_CANCELLED) % _about(session)


def place_freed_text(session: Session, language: str) -> str:
    with translation.override(language):
        return _join(_(_FREED) % _about(session), online_text(session), _(_FREED_ASK))


def _join(*paragraphs: str) -> str:
    return "\n\n".join(p for p in paragraphs if p)


# Writing


def not_declined(session: Session) -> QuerySet[Invitation]:
    """Invitations of families who said yes, wait for a place, or have not answered."""
    return Invitation.objects.filter(session=session).exclude(response=Invitation.Response.NO)


def sender_of(session: Session):
    """Who writes on the session's behalf when no one is acting: the author of its
    invitation, else whoever created the program."""
    if session.invitation_message is not None and session.invitation_message.author:
        return session.invitation_message.author
    return session.program.created_by


def write_to_households(
    *,
    author,
    session: Session,
    paragraphs: list[str],
    make_text: Callable[[str], str],
    notice: str,
    personal_link: bool,
    invitations: QuerySet[Invitation] | None = None,
    household: Household | None = None,
):
    """One message to the households of `invitations`, or to `household` alone, with
    `make_text(language)` (whose `paragraphs` must be in the catalog for a language to
    be taken from it); None, with an audit row saying why, when it reaches no one or the
    author may no longer write to them. Never raises: a notice that cannot go out
    must not undo the change it is about."""
    from tandem.messaging.compose import compose_message, recipient_languages
    from tandem.messaging.models import Message
    from tandem.messaging.saved_lists import save_household_list

    organization = session.program.organization
    saved = None
    try:
        if author is None:
            raise PermissionDenied
        if household is None:
            saved = save_household_list(
                actor=author,
                name=_list_name(session, notice),
                households=Household.objects.filter(pk__in=invitations.values("household_id")),
                school=session.school,
                made_for="programs",
            )
            audience = {"audience": Message.Audience.LIST, "saved_list": saved}
            draft = Message(organization=organization, author=author, **audience)
            languages = recipient_languages(draft)
        else:
            audience = {"audience": Message.Audience.HOUSEHOLD, "household": household}
            languages = list(household.caregivers.values_list("preferred_language", flat=True))
        remember_catalog_versions(
            organization=organization,
            source_language=SOURCE_LANGUAGE,
            languages=languages,
            paragraphs=paragraphs,
            make_text=make_text,
        )
        message = compose_message(
            actor=author,
            organization=organization,
            body=make_text(SOURCE_LANGUAGE),
            language=SOURCE_LANGUAGE,
            personal_link=f"{PERSONAL_LINK}:{session.pk}" if personal_link else "",
            **audience,
        )
    except (ValidationError, PermissionDenied) as refused:
        if saved is not None:
            saved.delete()
        reason = "not_allowed" if isinstance(refused, PermissionDenied) else "no_one_to_reach"
        record(
            actor=None,
            action="programs.notice_not_sent",
            target=session,
            notice=notice,
            reason=reason,
        )
        return None
    record(
        actor=author,
        action="programs.notice_sent",
        target=session,
        notice=notice,
        message=message.pk,
    )
    return message


def _list_name(session: Session, notice: str) -> str:
    names = {
        "changed": _("Told of a change: %(title)s"),
        "cancelled": _("Told of a cancellation: %(title)s"),
        "day_before": _("Reminded the day before: %(title)s"),
        "morning_of": _("Reminded the morning of: %(title)s"),
    }
    return names.get(notice, "%(title)s") % {"title": session.title[:80]}
