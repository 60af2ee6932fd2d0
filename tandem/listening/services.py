"""Protocols and campaigns: templates copied into an organization, campaigns opened at a
school or district-wide, families invited with their personal links, campaigns closed.

Questions are translated through the translation workflow (purpose "listening_question",
one request per question and language); the templates' shipped translations go into the
organization's translation memory, so those languages are ready at once.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Organization, School
from tandem.listening.models import AnswerSet, Campaign, Invitation, Protocol, Question
from tandem.translation.catalog import remember_catalog_versions
from tandem.translation.services import remember, request_translation

QUESTION_PURPOSE = "listening_question"
RUN = Action.RUN_LISTENING
MAX_QUESTION_CHARS = 500
MAX_QUESTIONS = 12


@cache
def _shipped() -> dict:
    return json.loads((Path(__file__).parent / "data" / "protocols.json").read_text("utf-8"))


def shipped_templates() -> list[Protocol]:
    """The templates Tandem ships, created the first time they are asked for."""
    data = _shipped()
    templates = []
    for spec in data["protocols"]:
        protocol = Protocol.objects.filter(organization=None, template_key=spec["key"]).first()
        if protocol is None:
            with transaction.atomic():
                protocol = Protocol.objects.create(
                    organization=None,
                    template_key=spec["key"],
                    name=spec["name"],
                    kind=spec["kind"],
                    language="en",
                    description=spec["description"],
                    facilitator_guide=data["guide"]["en"],
                )
                Question.objects.bulk_create(
                    Question(protocol=protocol, position=i, text=q["text"]["en"], kind=q["kind"])
                    for i, q in enumerate(spec["questions"])
                )
        templates.append(protocol)
    return templates


def _check(actor, target: School | Organization) -> None:
    if not can(actor, RUN, target):
        raise PermissionDenied


def _copy_template(*, actor, template: Protocol, organization: Organization) -> Protocol:
    """The organization's own copy of a shipped template (made once, then reused), its
    shipped translations remembered as approved. Whoever may open a campaign anywhere in
    the organization may make it."""
    existing = Protocol.objects.filter(
        organization=organization, template_key=template.template_key
    ).first()
    if existing is not None:
        return existing
    spec = next(s for s in _shipped()["protocols"] if s["key"] == template.template_key)
    guide = _shipped()["guide"]
    with transaction.atomic():
        protocol = Protocol.objects.create(
            organization=organization,
            template_key=template.template_key,
            name=template.name,
            kind=template.kind,
            language=template.language,
            description=template.description,
            facilitator_guide=template.facilitator_guide,
        )
        for position, question in enumerate(spec["questions"]):
            Question.objects.create(
                protocol=protocol,
                position=position,
                text=question["text"]["en"],
                kind=question["kind"],
            )
            for language, text in question["text"].items():
                if language != "en":
                    remember(
                        organization=organization,
                        source_language="en",
                        target_language=language,
                        source_text=question["text"]["en"],
                        approved_text=text,
                    )
        for language, text in guide.items():
            if language != "en":
                remember(
                    organization=organization,
                    source_language="en",
                    target_language=language,
                    source_text=guide["en"],
                    approved_text=text,
                )
        record(actor=actor, action="listening.protocol_copied", target=protocol)
    return protocol


def create_protocol(
    *,
    actor,
    organization: Organization,
    name: str,
    kind: str,
    questions: list[tuple[str, str]],
    language: str,
    description: str = "",
    facilitator_guide: str = "",
) -> Protocol:
    """An organization's own question set; `questions` are (text, kind) in order."""
    _check(actor, organization)
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Give the protocol a name.")
    questions = [(text.strip(), kind) for text, kind in questions if text and text.strip()]
    if not questions:
        errors["questions"] = _("Write at least one question.")
    elif len(questions) > MAX_QUESTIONS:
        errors["questions"] = _("A protocol has at most %(limit)s questions.") % {
            "limit": MAX_QUESTIONS
        }
    elif any(len(text) > MAX_QUESTION_CHARS for text, _kind in questions):
        errors["questions"] = _("A question is at most %(limit)s characters long.") % {
            "limit": MAX_QUESTION_CHARS
        }
    if kind not in Protocol.Kind.values:
        errors["kind"] = _("Choose questions or an exchange.")
    try:
        language = normalize_language_tag(language)
    except ValidationError as invalid:
        errors["language"] = invalid.messages[0]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        protocol = Protocol.objects.create(
            organization=organization,
            name=name,
            kind=kind,
            language=language,
            description=description.strip(),
            facilitator_guide=facilitator_guide.strip(),
        )
        Question.objects.bulk_create(
            Question(
                protocol=protocol,
                position=position,
                text=text,
                kind=kind if kind in Question.Kind.values else Question.Kind.OPEN,
            )
            for position, (text, kind) in enumerate(questions)
        )
        record(actor=actor, action="listening.protocol_created", target=protocol)
    return protocol


def create_campaign(
    *,
    actor,
    organization: Organization,
    protocol: Protocol,
    name: str,
    closes_on: date,
    school: School | None = None,
    language: str = "",
) -> Campaign:
    """Open a campaign with `protocol` (a shipped template is copied into the
    organization first) at `school`, or district-wide when it is None."""
    _check(actor, school or organization)
    if school is not None and school.organization_id != organization.pk:
        raise PermissionDenied
    if protocol.organization_id not in (None, organization.pk):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Give the campaign a name.")
    if closes_on is None:
        errors["closes_on"] = _("Say until when answers are accepted.")
    elif closes_on < timezone.localdate():
        errors["closes_on"] = _("The last day for answers is in the past.")
    try:
        language = normalize_language_tag(language or protocol.language)
    except ValidationError as invalid:
        errors["language"] = invalid.messages[0]
    if errors:
        raise ValidationError(errors)
    if protocol.organization_id is None:
        protocol = _copy_template(actor=actor, template=protocol, organization=organization)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            organization=organization,
            school=school,
            protocol=protocol,
            name=name,
            language=language,
            closes_on=closes_on,
            created_by=actor,
        )
        record(actor=actor, action="listening.campaign_created", target=campaign)
    # The questions in the families' languages, ready before anyone is invited (sessions
    # show them too); outside the transaction, as an engine may take seconds.
    request_question_translations(campaign, family_languages(campaign))
    return campaign


def family_languages(campaign: Campaign) -> list[str]:
    """The preferred languages of the caregivers of the campaign's school (or, for a
    district-wide campaign, of its organization)."""
    from tandem.directory.models import Caregiver

    caregivers = Caregiver.objects.filter(organization_id=campaign.organization_id)
    if campaign.school_id:
        caregivers = caregivers.filter(household__students__school_id=campaign.school_id)
    return sorted(set(caregivers.values_list("preferred_language", flat=True).distinct()))


def request_question_translations(campaign: Campaign, languages: list[str]) -> None:
    """Ask for every question of the campaign in each language (memory first)."""
    for question in campaign.protocol.questions.all():
        for language in languages:
            if language.split("-")[0] == campaign.protocol.language.split("-")[0]:
                continue
            request_translation(
                organization=campaign.organization,
                text=question.text,
                source_language=campaign.protocol.language,
                target_language=language,
                purpose=QUESTION_PURPOSE,
                object_id=str(question.pk),
            )


# The invitation's paragraphs, in Tandem's own catalog (see `invitation_text`).
_ASK_EXCHANGE = gettext_noop(
    "%(school)s wants to hear from families. Share your ideas and say what you think of "
    "other families' ideas, in your language."
)
_LINK_EXCHANGE = gettext_noop("Open your personal link (it is yours only; do not share it):")
_ASK_QUESTIONS = gettext_noop(
    "%(school)s wants to hear from families: %(count)s short questions, in your language, "
    "until %(date)s."
)
_LINK_QUESTIONS = gettext_noop(
    "To answer by text, reply 1 to answer with your name, or 2 to answer anonymously. Or "
    "answer on the web with your personal link:"
)


def _invitation_paragraphs(campaign: Campaign) -> list[str]:
    if campaign.is_exchange:
        return [_ASK_EXCHANGE, _LINK_EXCHANGE]
    return [_ASK_QUESTIONS, _LINK_QUESTIONS]


def invitation_text(campaign: Campaign, language: str) -> str:
    """The invitation, written in `language` from Tandem's own catalog."""
    school = campaign.school.name if campaign.school else campaign.organization.name
    with translation.override(language):
        values = {
            "school": school,
            "count": campaign.protocol.questions.count(),
            "date": formats.date_format(campaign.closes_on, "SHORT_DATE_FORMAT"),
        }
        return "\n\n".join(
            _(paragraph) % values if "%(" in paragraph else _(paragraph)
            for paragraph in _invitation_paragraphs(campaign)
        )


def _remember_invitation(campaign: Campaign, languages: list[str]) -> None:
    """The invitation in each recipient language Tandem's catalog has it in, remembered
    as approved, so those families receive it at once; other languages go to review."""
    remember_catalog_versions(
        organization=campaign.organization,
        source_language=campaign.language,
        languages=languages,
        paragraphs=_invitation_paragraphs(campaign),
        make_text=lambda language: invitation_text(campaign, language),
    )


def invite_families(*, actor, campaign: Campaign, school: School | None = None, send_at=None):
    """Write to the families of the campaign's school (for a district-wide campaign, of
    `school`, one school at a time), each copy ending with the caregiver's own link; by
    text, they can also answer question by question."""
    from tandem.messaging.compose import compose_message, recipient_languages
    from tandem.messaging.models import Message

    school = campaign.school or school
    if school is None:
        raise ValidationError(
            {"school": _("Choose the school whose families to invite.")}, code="school"
        )
    if school.organization_id != campaign.organization_id:
        raise PermissionDenied
    _check(actor, school)
    if not can(actor, Action.SEND_MESSAGES, school):
        raise PermissionDenied
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("This campaign is closed."))
    draft = Message(
        organization=campaign.organization,
        author=actor,
        audience=Message.Audience.SCHOOL,
        school=school,
    )
    languages = recipient_languages(draft)
    _remember_invitation(campaign, languages)
    request_question_translations(campaign, languages)
    message = compose_message(
        actor=actor,
        organization=campaign.organization,
        audience=Message.Audience.SCHOOL,
        school=school,
        body=invitation_text(campaign, campaign.language),
        language=campaign.language,
        send_at=send_at,
        personal_link=f"{PERSONAL_LINK}:{campaign.pk}",
    )
    Campaign.objects.filter(pk=campaign.pk).update(invitation_message=message)
    campaign.invitation_message = message
    record(actor=actor, action="listening.families_invited", target=campaign, school=school.pk)
    return message


# A message's `personal_link` is "listening:<campaign id>": every invitation message of
# a campaign (to several schools, or sent again) keeps making its recipients' links.
PERSONAL_LINK = "listening"


def ensure_invitations(
    campaign: Campaign, recipients: list[tuple[int, str]], *, school_id: int | None = None
) -> dict[int, int]:
    """An invitation for each (caregiver id, channel), made when missing, through the
    campaign's school (or `school_id`); a caregiver reached by text is asked to start
    the text conversation. Returns caregiver id → invitation id."""
    from tandem.directory.models import Caregiver
    from tandem.messaging.models import Delivery

    caregiver_ids = [pk for pk, _channel in recipients]
    caregivers = Caregiver.objects.filter(pk__in=caregiver_ids).values_list(
        "pk", "household_id", "preferred_language"
    )
    by_text = {pk for pk, channel in recipients if channel == Delivery.Channel.SMS}
    Invitation.objects.bulk_create(
        [
            Invitation(
                campaign=campaign,
                organization_id=campaign.organization_id,
                caregiver_id=pk,
                household_id=household_id,
                school_id=campaign.school_id or school_id,
                language=language,
                conversation=Invitation.Conversation.CHOOSING
                if pk in by_text
                else Invitation.Conversation.NONE,
            )
            for pk, household_id, language in caregivers
        ],
        ignore_conflicts=True,
    )
    return dict(
        Invitation.objects.filter(campaign=campaign, caregiver_id__in=caregiver_ids).values_list(
            "caregiver_id", "pk"
        )
    )


def invitation_url(invitation_id: int) -> str:
    from django.conf import settings
    from django.urls import reverse

    from tandem.listening.tokens import invitation_token

    return settings.TANDEM_PUBLIC_URL.rstrip("/") + reverse(
        "listen:start", args=[invitation_token(invitation_id)]
    )


def invitation_links(message, recipients: list[tuple[int, str]]) -> dict[int, str]:
    """Each invited caregiver's link (the `personal_links` maker for invitations)."""
    _name, _sep, campaign_id = message.personal_link.partition(":")
    campaign = Campaign.objects.filter(pk=int(campaign_id) if campaign_id.isdigit() else -1)
    campaign = campaign.first()
    if campaign is None:
        return {}
    invitations = ensure_invitations(campaign, recipients, school_id=message.school_id)
    return {
        caregiver_id: invitation_url(invitation_id)
        for caregiver_id, invitation_id in invitations.items()
    }


def close_campaign(*, actor, campaign: Campaign) -> Campaign:
    """No more answers; anonymous answer sets under way lose the key that found them."""
    _check(actor, campaign.school or campaign.organization)
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
        AnswerSet.objects.filter(campaign=campaign, resume_key__isnull=False).update(
            resume_key=None
        )
        Invitation.objects.filter(campaign=campaign).exclude(
            conversation__in=[Invitation.Conversation.NONE, Invitation.Conversation.DONE]
        ).update(conversation=Invitation.Conversation.DONE)
        campaign.status = Campaign.Status.CLOSED
        record(actor=actor, action="listening.campaign_closed", target=campaign)
    return campaign


def is_accepting(campaign: Campaign, today: date | None = None) -> bool:
    return (
        campaign.status == Campaign.Status.OPEN
        and (today or timezone.localdate()) <= campaign.closes_on
    )
