"""A family's web inbox: replies written there, and messages marked read once shown.

A web reply joins the household's thread like a text does (see `inbound.py`): language
detected offline, the household marked as heard from, the reply audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_caregivers
from tandem.audit.services import record
from tandem.directory.models import Caregiver, Household
from tandem.messaging.inbound import after_reply
from tandem.messaging.languages import detect_language
from tandem.messaging.models import Delivery, InboundMessage, Thread

MAX_REPLY_CHARS = 1600


def receive_web_reply(*, user, body: str) -> InboundMessage:
    """Store what a signed-in family member wrote to their school, in their household's
    thread. Raises ValidationError ({"body": …}) for an empty or too long reply."""
    caregiver = (
        visible_caregivers(user, Action.CHANGE_CONTACT_PREFERENCES)
        .filter(user_id=user.pk)
        .select_related("household")
        .order_by("id")
        .first()
    )
    if caregiver is None:
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your message.")})
    if len(body) > MAX_REPLY_CHARS:
        raise ValidationError(
            {
                "body": _("Your message is %(length)s characters long; the most is %(limit)s.")
                % {"length": len(body), "limit": MAX_REPLY_CHARS}
            }
        )
    household = caregiver.household
    language = detect_language(body, expected=caregiver.preferred_language)
    with transaction.atomic():
        thread, _created = Thread.objects.get_or_create(
            organization_id=household.organization_id, household=household
        )
        inbound = InboundMessage.objects.create(
            organization_id=household.organization_id,
            channel=Delivery.Channel.WEB,
            kind=InboundMessage.Kind.REPLY,
            from_address="",
            body=body,
            language=language,
            thread=thread,
            household=household,
            caregiver=caregiver,
            author=user,
        )
        now = inbound.received_at
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=now, last_reply_at=now)
        Household.objects.filter(pk=household.pk).update(last_heard_at=now)
        record(actor=user, action="messaging.inbound_reply", target=inbound, channel="web")
        after_reply(inbound)
    return inbound


def mark_web_deliveries_read(*, caregiver: Caregiver, message_ids: list[int]) -> int:
    """The caregiver has seen these messages in the web inbox; returns how many of their
    web deliveries were newly marked read."""
    if not message_ids:
        return 0
    return Delivery.objects.filter(
        caregiver=caregiver,
        message_id__in=message_ids,
        channel=Delivery.Channel.WEB,
        read_at__isnull=True,
    ).update(read_at=timezone.now())
