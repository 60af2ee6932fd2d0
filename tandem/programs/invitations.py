"""Inviting families to a session and recording their answers.

The invitation goes out through messaging to a school, a grade or a saved list; each
copy ends with the caregiver's own link (`personal_link` "programs:<session id>"), and
a caregiver reached by text is asked to reply 1 (yes) or 2 (no). Answers come by text,
on the web page the link opens, or from staff who took them on the phone. A yes to a
full session puts the family on the wait list; a no frees a place for the first family
waiting, who is told."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Caregiver, School
from tandem.programs.models import Invitation, Session, TextConversation
from tandem.programs.services import check, local
from tandem.translation.catalog import remember_catalog_versions
from tandem.web.signed_ids import sign, unsign

PERSONAL_LINK = "programs"
_LINK_SALT = "tandem.programs.invitation"
MAX_CHILDREN = 10
MAX_CHILD_AGE = 17

Response = Invitation.Response


def invitation_token(invitation_id: int) -> str:
    return sign(_LINK_SALT, invitation_id)


def invitation_id_from(token: str) -> int | None:
    return unsign(_LINK_SALT, token)


def invitation_url(invitation_id: int) -> str:
    return settings.TANDEM_PUBLIC_URL.rstrip("/") + reverse(
        "join:invitation", args=[invitation_token(invitation_id)]
    )


def is_open(session: Session) -> bool:
    return session.status == Session.Status.SCHEDULED and session.starts_at > timezone.now()


def accepting_answers(session: Session, now: datetime | None = None) -> bool:
    """Families may answer until the deadline (or until the session starts)."""
    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED:
        return False
    return now < (session.rsvp_deadline or session.starts_at)


def when_text(session: Session) -> str:
    """The session's day and time, in the active language and the session's zone."""
    start = local(session)
    return _("%(day)s, %(start)s–%(end)s") % {
        "day": formats.date_format(start, "DATE_FORMAT"),
        "start": formats.time_format(start, "TIME_FORMAT"),
        "end": formats.time_format(local(session, session.ends_at), "TIME_FORMAT"),
    }


def where_text(session: Session) -> str:
    if session.modality == Session.Modality.VIRTUAL:
        return _("online")
    if session.modality == Session.Modality.HYBRID:
        return _("%(place)s or online") % {"place": session.place}
    return session.place


# Paragraphs of the invitation in Tandem's catalog, so the languages it ships in go out
# at once; other languages go through translation review.
_INVITE = gettext_noop("You are invited to %(program)s: %(title)s, %(when)s, %(where)s.")
_OFFERS = gettext_noop("We offer: %(offers)s.")
_REPLY = gettext_noop(
    "Reply 1 if you will come or 2 if you cannot. To tell us what you need "
    "(childcare, a ride, interpretation), use your link:"
)
INVITATION_PARAGRAPHS = (_INVITE, _OFFERS, _REPLY)


def offers_text(session: Session) -> str:
    offers = []
    if session.childcare:
        offers.append(_("childcare"))
    if session.transportation in (
        Session.Transportation.RIDES,
        Session.Transportation.RIDES_AND_VOUCHERS,
    ):
        offers.append(_("rides"))
    if session.transportation in (
        Session.Transportation.BUS_VOUCHERS,
        Session.Transportation.RIDES_AND_VOUCHERS,
    ):
        offers.append(_("bus vouchers"))
    if session.food:
        offers.append(_("food"))
    if session.interpretation:
        from tandem.directory.languages import language_name

        language = translation.get_language() or "en"
        offers.append(
            _("interpretation into %(languages)s")
            % {"languages": ", ".join(language_name(t, language) for t in session.interpretation)}
        )
    return ", ".join(offers)


def invitation_text(session: Session, language: str) -> str:
    with translation.override(language):
        paragraphs = [
            _(_INVITE)
            % {
                "program": session.program.name,
                "title": session.title,
                "when": when_text(session),
                "where": where_text(session),
            }
        ]
        offers = offers_text(session)
        if offers:
            paragraphs.append(_(_OFFERS) % {"offers": offers})
        paragraphs.append(_(_REPLY))
        return "\n\n".join(paragraphs)


def invite_to_session(
    *,
    actor,
    session: Session,
    audience: str,
    school: School | None = None,
    grade: str = "",
    saved_list=None,
    language: str = "en",
    send_at: datetime | None = None,
):
    """Write to the audience (a school's families, a grade, or a saved list); each copy
    carries the caregiver's own link and, by text, asks for 1 or 2."""
    from tandem.messaging.compose import compose_message, recipient_languages
    from tandem.messaging.models import Message
    from tandem.programs.reminders import schedule_reminders

    check(actor, session)
    if not can(actor, Action.SEND_MESSAGES, school or session.school or session.program):
        raise PermissionDenied
    if not is_open(session):
        raise ValidationError(_("This session has passed or was cancelled."))
    language = normalize_language_tag(language)
    draft = Message(
        organization=session.program.organization,
        author=actor,
        audience=audience,
        school=school,
        grade=grade,
        saved_list=saved_list,
    )
    if audience in (Message.Audience.SCHOOL, Message.Audience.GRADE) and school is None:
        raise ValidationError({"school": _("Choose the school whose families to invite.")})
    if audience == Message.Audience.LIST and saved_list is None:
        raise ValidationError({"saved_list": _("Choose a saved list.")})
    remember_catalog_versions(
        organization=session.program.organization,
        source_language=language,
        languages=recipient_languages(draft),
        paragraphs=INVITATION_PARAGRAPHS,
        make_text=lambda tag: invitation_text(session, tag),
    )
    message = compose_message(
        actor=actor,
        organization=session.program.organization,
        audience=audience,
        school=school,
        grade=grade,
        saved_list=saved_list,
        body=invitation_text(session, language),
        language=language,
        send_at=send_at,
        personal_link=f"{PERSONAL_LINK}:{session.pk}",
    )
    Session.objects.filter(pk=session.pk).update(invitation_message=message)
    session.invitation_message = message
    record(actor=actor, action="programs.families_invited", target=session)
    schedule_reminders(session)
    return message


def ensure_invitations(
    session: Session, recipients: list[tuple[int, str]], *, school_id: int | None = None
) -> dict[int, int]:
    """An invitation for each (caregiver id, channel), made when missing; caregivers
    reached by text get the "1 or 2" question opened. Returns caregiver id → invitation id."""
    from tandem.messaging.models import Delivery

    caregiver_ids = [pk for pk, _channel in recipients]
    rows = Caregiver.objects.filter(pk__in=caregiver_ids).values_list(
        "pk", "household_id", "preferred_language"
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                session=session,
                organization_id=session.program.organization_id,
                caregiver_id=pk,
                household_id=household_id,
                school_id=school_id or session.school_id,
                language=language,
            )
            for pk, household_id, language in rows
        ],
        ignore_conflicts=True,
    )
    invitations = dict(
        Invitation.objects.filter(session=session, caregiver_id__in=caregiver_ids).values_list(
            "caregiver_id", "pk"
        )
    )
    by_text = {pk for pk, channel in recipients if channel == Delivery.Channel.SMS}
    pending = set(
        Invitation.objects.filter(
            pk__in=[invitations[pk] for pk in by_text if pk in invitations],
            response=Response.PENDING,
        ).values_list("caregiver_id", flat=True)
    )
    open_conversation(
        TextConversation.Kind.RSVP,
        [(pk, {"invitation_id": invitations[pk]}) for pk in pending],
    )
    return invitations


def open_conversation(kind: str, rows: list[tuple[int, dict]]) -> None:
    """Open a text question for each (caregiver id, fields); the caregiver's earlier
    open question of the same kind about the same thing is closed."""
    if not rows:
        return
    now = timezone.now()
    caregiver_ids = [pk for pk, _f in rows]
    key = "invitation_id" if kind == TextConversation.Kind.RSVP else "assignment_id"
    TextConversation.objects.filter(
        caregiver_id__in=caregiver_ids,
        kind=kind,
        closed_at__isnull=True,
        **{f"{key}__in": [fields[key] for _pk, fields in rows]},
    ).update(closed_at=now)
    TextConversation.objects.bulk_create(
        TextConversation(caregiver_id=pk, kind=kind, opened_at=now, **fields) for pk, fields in rows
    )


def invitation_links(message, recipients: list[tuple[int, str]]) -> dict[int, str]:
    """Each invited caregiver's link (the `personal_links` maker for sessions)."""
    _name, _sep, session_id = message.personal_link.partition(":")
    session = (
        Session.objects.select_related("program")
        .filter(pk=int(session_id) if session_id.isdigit() else -1)
        .first()
    )
    if session is None:
        return {}
    invitations = ensure_invitations(session, recipients, school_id=message.school_id)
    return {pk: invitation_url(invitation_id) for pk, invitation_id in invitations.items()}


def clean_needs(
    *,
    childcare_ages=(),
    needs_ride: bool = False,
    needs_bus_voucher: bool = False,
    interpretation: str = "",
    accessibility: str = "",
) -> dict:
    """Needs as stored; raises ValidationError naming what is wrong."""
    errors = {}
    ages = []
    for age in childcare_ages or []:
        try:
            age = int(age)
        except (TypeError, ValueError):
            errors["childcare_ages"] = _("Give each child's age as a number, for example 3 6.")
            break
        if not 0 <= age <= MAX_CHILD_AGE:
            errors["childcare_ages"] = _("Childcare is for children from 0 to %(most)s.") % {
                "most": MAX_CHILD_AGE
            }
            break
        ages.append(age)
    if len(ages) > MAX_CHILDREN:
        errors["childcare_ages"] = _("Tell us about %(most)s children at most.") % {
            "most": MAX_CHILDREN
        }
    if interpretation:
        try:
            interpretation = normalize_language_tag(interpretation)
        except ValidationError as invalid:
            errors["interpretation"] = invalid.messages[0]
    accessibility = (accessibility or "").strip()
    if len(accessibility) > 500:
        errors["accessibility"] = _("Keep it under 500 characters.")
    if errors:
        raise ValidationError(errors)
    return {
        "childcare_ages": sorted(ages),
        "needs_ride": bool(needs_ride),
        "needs_bus_voucher": bool(needs_bus_voucher),
        "interpretation": interpretation,
        "accessibility": accessibility,
    }


class AnswersClosed(ValidationError):
    """The deadline has passed, or the session was cancelled or has started."""


def closed_message(session: Session) -> str:
    if session.status == Session.Status.CANCELLED:
        return _("This session was cancelled.")
    return _("The time to answer has passed. Please call the school if you would like to come.")


def record_rsvp(
    *,
    invitation: Invitation,
    coming: bool,
    channel: str,
    needs: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> Invitation:
    """The caregiver's answer (and needs, when given). A yes to a full session waits on
    the list; a no frees a place for the first family waiting. Staff recording an
    answer taken on the phone pass themselves as `actor`, and may do so after the
    deadline."""
    if actor is not None:
        check(actor, invitation.session)
    needs = clean_needs(**needs) if needs is not None else None
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=invitation.session_id)
        # Staff take a late answer on the phone (the closed message tells families to
        # call); families themselves answer until the deadline.
        late_by_phone = actor is not None and session.status == Session.Status.SCHEDULED
        if not (accepting_answers(session, now) or late_by_phone):
            raise AnswersClosed(closed_message(session))
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        was_coming = locked.response == Response.YES
        if not coming:
            response = Response.NO
        elif was_coming or locked.response == Response.WAITLISTED:
            response = locked.response
        elif session.capacity is not None and coming_count(session) >= session.capacity:
            response = Response.WAITLISTED
        else:
            response = Response.YES
        locked.response = response
        locked.responded_at = now or timezone.now()
        locked.channel = channel
        locked.recorded_by = actor
        if needs is not None:
            for field, value in needs.items():
                setattr(locked, field, value)
        if response == Response.NO:
            locked.childcare_ages, locked.needs_ride, locked.needs_bus_voucher = [], False, False
        locked.save()
        record(
            actor=actor,
            action="programs.rsvp_recorded",
            target=locked,
            response=response,
            channel=channel,
        )
        if was_coming and response == Response.NO:
            promote_from_wait_list(session)
    for field in ("response", "responded_at", "channel", "recorded_by", *(needs or {})):
        setattr(invitation, field, getattr(locked, field))
    if response == Response.NO:
        invitation.childcare_ages = []
        invitation.needs_ride = invitation.needs_bus_voucher = False
    return invitation


def coming_count(session: Session) -> int:
    return Invitation.objects.filter(session=session, response=Response.YES).count()


def promote_from_wait_list(session: Session) -> Invitation | None:
    """Give a freed place to the family that has waited longest, and tell them."""
    from tandem.programs.notices import tell_place_freed

    if session.capacity is not None and coming_count(session) >= session.capacity:
        return None
    first = (
        Invitation.objects.select_for_update()
        .filter(session=session, response=Response.WAITLISTED)
        .order_by("responded_at", "id")
        .first()
    )
    if first is None:
        return None
    Invitation.objects.filter(pk=first.pk).update(response=Response.YES)
    first.response = Response.YES
    record(actor=None, action="programs.waitlist_promoted", target=first)
    tell_place_freed(invitation=first)
    return first


def invitation_for_caregiver(session: Session, caregiver: Caregiver) -> Invitation:
    """The caregiver's invitation, made when staff add an answer taken on the phone for
    someone the invitation message did not reach (or a walk-in is checked in)."""
    if caregiver.organization_id != session.program.organization_id:
        raise PermissionDenied
    school_id = (
        caregiver.household.students.filter(
            Q(school_id=session.school_id) | Q(school__organization_id=caregiver.organization_id)
        )
        .values_list("school_id", flat=True)
        .first()
    )
    invitation, _created = Invitation.objects.get_or_create(
        session=session,
        caregiver=caregiver,
        defaults={
            "organization_id": caregiver.organization_id,
            "household_id": caregiver.household_id,
            "school_id": session.school_id or school_id,
            "language": caregiver.preferred_language,
        },
    )
    return invitation
