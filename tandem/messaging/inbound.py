"""Messages from families: texts arriving by webhook, web replies, and STOP/START/HELP.

Each inbound text is stored once (keyed by the provider's id, so a webhook retried by the
provider adds nothing), matched to the household whose caregiver has that number, and
put in that household's thread; texts from numbers Tandem does not know go to the
organization's unmatched inbox.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tandem.audit.services import record
from tandem.directory.models import ContactPoint, Organization
from tandem.messaging.keywords import Keyword, classify, reply_for
from tandem.messaging.languages import detect_language
from tandem.messaging.models import Delivery, InboundMessage, Thread


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    answer: str  # the text to send back at once (STOP/START/HELP), or ""


def receive_sms(*, provider_id: str, from_number: str, to_number: str, body: str) -> Received:
    existing = InboundMessage.objects.filter(provider_id=provider_id).first()
    if existing is not None:
        return Received(existing, "")
    keyword = classify(body)
    contacts = list(
        ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE, value=from_number)
        .select_related("caregiver__household", "caregiver__organization")
        .order_by("id")
    )
    contact = _most_recently_texted(contacts)
    caregiver = contact.caregiver if contact else None
    organization = caregiver.organization if caregiver else _organization_for(to_number)
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    organization=organization,
                    channel=Delivery.Channel.SMS,
                    kind=keyword or InboundMessage.Kind.REPLY,
                    from_address=from_number,
                    to_address=to_number,
                    body=body,
                    language=detect_language(
                        body, expected=caregiver.preferred_language if caregiver else ""
                    ),
                    provider_id=provider_id,
                    household=caregiver.household if caregiver else None,
                    caregiver=caregiver,
                )
        except IntegrityError:  # the same webhook, delivered twice at once
            return Received(InboundMessage.objects.get(provider_id=provider_id), "")
        answer = ""
        if keyword in (Keyword.STOP, Keyword.START):
            _set_text_consent(contacts, consent=keyword == Keyword.START)
        if keyword is not None:
            answer = reply_for(
                keyword,
                organization=organization.name if organization else "Tandem",
                language=caregiver.preferred_language if caregiver else "en",
            )
        elif caregiver is not None:
            _add_to_thread(inbound)
        record(actor=None, action=f"messaging.inbound_{inbound.kind}", target=inbound)
    return Received(inbound, answer)


def _most_recently_texted(contacts: list[ContactPoint]) -> ContactPoint | None:
    """Several caregivers (in several organizations) may share a number: the reply is
    for whoever was texted last from Tandem."""
    if len(contacts) <= 1:
        return contacts[0] if contacts else None
    latest = dict(
        Delivery.objects.filter(contact_point__in=contacts)
        .values("contact_point_id")
        .annotate(last=Max("created_at"))
        .values_list("contact_point_id", "last")
    )
    return max(contacts, key=lambda c: (latest.get(c.pk) is not None, latest.get(c.pk) or 0))


def _organization_for(to_number: str) -> Organization | None:
    """An unknown sender's text belongs to the organization that owns the number it was
    sent to; with one sending number for the whole installation, to the only one."""
    organizations = Organization.objects.order_by("id")[:2]
    return organizations[0] if len(organizations) == 1 else None


def _set_text_consent(contacts: list[ContactPoint], *, consent: bool) -> None:
    """STOP withdraws consent to texts on this number for every caregiver who has it,
    at once: a broadcast under way re-reads consent before each send."""
    now = timezone.now()
    ContactPoint.objects.filter(pk__in=[c.pk for c in contacts]).update(
        consent=consent, consent_changed_at=now
    )


def staff_language(inbound: InboundMessage) -> str:
    """The language the school writes to this household in (its latest message's), which
    is the one its staff read replies in; the site's default language otherwise."""
    from django.conf import settings

    from tandem.messaging.models import Message

    latest = (
        Message.objects.filter(deliveries__household_id=inbound.household_id)
        .order_by("-created_at")
        .values_list("language", flat=True)
        .first()
    )
    return latest or settings.LANGUAGE_CODE


def request_reply_translation(inbound_id: int) -> None:
    """Ask the translation workflow for the reply in the staff's language: from memory,
    a machine draft, or the review queue; the thread shows it beside the original."""
    from tandem.translation.services import request_translation

    inbound = InboundMessage.objects.select_related("organization").get(pk=inbound_id)
    target = staff_language(inbound)
    if not inbound.language or inbound.language.split("-")[0] == target.split("-")[0]:
        return
    request_translation(
        organization=inbound.organization,
        text=inbound.body,
        source_language=inbound.language,
        target_language=target,
        purpose="reply",
        object_id=str(inbound.pk),
    )


def after_reply(inbound: InboundMessage) -> None:
    """What follows a family's reply once it is stored (translation may call a provider,
    so it runs in the background, after commit)."""
    from tandem.messaging.tasks import translate_reply

    transaction.on_commit(lambda: translate_reply.enqueue(inbound.pk))


def _add_to_thread(inbound: InboundMessage) -> None:
    now = inbound.received_at
    thread, _created = Thread.objects.get_or_create(
        organization_id=inbound.organization_id, household_id=inbound.household_id
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=now, last_reply_at=now)
    InboundMessage.objects.filter(pk=inbound.pk).update(thread=thread)
    inbound.thread = thread
    type(inbound.household).objects.filter(pk=inbound.household_id).update(last_heard_at=now)
    after_reply(inbound)
