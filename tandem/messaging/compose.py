"""Writing a message once: checked, stored, translated into each recipient language,
and released when every language has text the organization's policy lets it send."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Caregiver, Household, Organization, School
from tandem.messaging.audiences import audience_households, recipient_rows
from tandem.messaging.models import Message, SavedList, Thread
from tandem.messaging.services import release_message
from tandem.translation.selectors import sending_policy, text_to_send, translations_for
from tandem.translation.services import prepare_drafts, request_translation
from tandem.translation.signals import translation_approved

MAX_BODY_CHARS = 1600  # ten text-message segments
PURPOSE = "message"


def compose_message(
    *,
    actor,
    organization: Organization,
    audience: str,
    body: str,
    language: str,
    school: School | None = None,
    grade: str = "",
    household: Household | None = None,
    saved_list: SavedList | None = None,
    learning_subject: str = "",
    learning_unit: str = "",
    learning_tip: str = "",
    send_at: datetime | None = None,
    personal_link: str = "",
) -> Message:
    """Store a message to an audience and ask for its translations; it goes out at once
    (or at `send_at`) when they are all sendable, else when reviewers approve them."""
    if audience == Message.Audience.LIST:
        school = saved_list.school if saved_list else None
        target = (school or saved_list.organization) if saved_list else None
    else:
        target = household if audience == Message.Audience.HOUSEHOLD else school
    if target is None or not can(actor, Action.SEND_MESSAGES, target):
        raise PermissionDenied
    body = (body or "").strip()
    errors = {}
    if not body:
        errors["body"] = _("Write the message.")
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = _("The message is %(length)s characters long; the most is %(limit)s.") % {
            "length": len(body),
            "limit": MAX_BODY_CHARS,
        }
    if audience == Message.Audience.GRADE and not grade:
        errors["grade"] = _("Choose a grade.")
    if send_at is not None and send_at < timezone.now() - timedelta(minutes=1):
        errors["send_at"] = _("The time to send is in the past.")
    try:
        language = normalize_language_tag(language)
    except ValidationError as invalid:
        errors["language"] = invalid.messages[0]
    draft = Message(
        organization=organization,
        author=actor,
        audience=audience,
        school=school,
        grade=grade,
        thread=Thread(organization=organization, household=household) if household else None,
        saved_list=saved_list,
        language=language,
        body=body,
        learning_subject=learning_subject.strip(),
        learning_unit=learning_unit.strip(),
        learning_tip=learning_tip.strip(),
    )
    if not errors and not recipient_rows(draft).exists():
        errors["grade" if audience == Message.Audience.GRADE else "body"] = _(
            "No family in this audience can be reached: none has a phone or email "
            "address that agreed to messages, or a Tandem account."
        )
    if errors:
        raise ValidationError(errors)

    text = draft.full_text
    drafts = prepare_drafts(
        organization=organization,
        text=text,
        source_language=language,
        target_languages=[other for other in recipient_languages(draft) if other != language],
    )
    with transaction.atomic():
        thread = None
        if household is not None:
            thread, _created = Thread.objects.get_or_create(
                organization=organization, household=household
            )
        message = Message.objects.create(
            organization=organization,
            author=actor,
            audience=audience,
            school=school if audience != Message.Audience.HOUSEHOLD else None,
            grade=grade,
            thread=thread,
            saved_list=saved_list,
            language=language,
            body=body,
            learning_subject=draft.learning_subject,
            learning_unit=draft.learning_unit,
            learning_tip=draft.learning_tip,
            personal_link=personal_link,
            status=Message.Status.AWAITING_REVIEW,
            send_at=send_at,
        )
        # Families added to the audience meanwhile still get a language: asked for here.
        for target_language in recipient_languages(message):
            if target_language != language:
                request_translation(
                    organization=organization,
                    text=text,
                    source_language=language,
                    target_language=target_language,
                    purpose=PURPOSE,
                    object_id=str(message.pk),
                    draft=drafts.get(target_language),
                )
        record(actor=actor, action="messaging.message_composed", target=message)
        release_if_ready(message)
    return message


def recipient_languages(message: Message) -> list[str]:
    households = audience_households(message).values("pk")
    return sorted(
        set(
            Caregiver.objects.filter(household__in=households)
            .values_list("preferred_language", flat=True)
            .distinct()
        )
    )


def release_if_ready(message: Message) -> bool:
    """Release the message if every language has text the policy lets it send."""
    if message.status != Message.Status.AWAITING_REVIEW:
        return False
    policy = sending_policy(message.organization)
    versions = {message.language: (message.full_text, False)}
    requests = translations_for(
        organization=message.organization, purpose=PURPOSE, object_id=str(message.pk)
    )
    for target_language, request in requests.items():
        text = text_to_send(request, policy)
        if text is None:
            return False
        versions[target_language] = (text, request.is_machine_translated)
    release_message(message=message, versions=versions)
    return True


@receiver(translation_approved)
def _release_when_reviewed(sender, request, **kwargs) -> None:
    if request.purpose != PURPOSE:
        return
    message = Message.objects.filter(
        pk=request.object_id, status=Message.Status.AWAITING_REVIEW
    ).first()
    if message is not None:
        release_if_ready(message)
