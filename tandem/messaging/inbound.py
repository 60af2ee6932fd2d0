"""Messages from families: texts and emails arriving by webhook, and STOP/START/HELP.

Each is stored once (keyed by the provider's id, so a webhook retried by the provider adds
nothing), matched to the household whose caregiver has that number or address, and put in
that household's thread; messages from senders Tandem does not know go to the unmatched
inbox of the organization that owns the number or address they were sent to.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from tandem.audit.services import record
from tandem.directory.models import ContactPoint, Organization
from tandem.messaging.conversations import AlsoForThread, continue_conversation
from tandem.messaging.email_replies import is_automatic, reply_text, tagged_delivery_id, untagged
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
    contacts = _contacts(ContactPoint.Kind.PHONE, from_number)
    contact = _most_recently_contacted(contacts)
    caregiver = contact.caregiver if contact else None
    organization = (
        caregiver.organization
        if caregiver
        else _owner(Organization.objects.filter(sms_number=to_number), "sms_number")
    )
    with transaction.atomic():
        inbound = _store(
            organization=organization,
            channel=Delivery.Channel.SMS,
            kind=keyword or InboundMessage.Kind.REPLY,
            from_address=from_number,
            to_address=to_number,
            body=body,
            provider_id=provider_id,
            household=caregiver.household if caregiver else None,
            caregiver=caregiver,
        )
        if inbound is None:  # the same webhook, delivered twice at once
            return Received(InboundMessage.objects.get(provider_id=provider_id), "")
        answer = ""
        if keyword in (Keyword.STOP, Keyword.START):
            _set_consent(contacts, consent=keyword == Keyword.START)
        if keyword is not None:
            answer = reply_for(
                keyword,
                organization=organization.name if organization else "Tandem",
                language=caregiver.preferred_language if caregiver else "en",
            )
        elif caregiver is not None:
            answer = continue_conversation(inbound)
            if answer is None or isinstance(answer, AlsoForThread):
                _add_to_thread(inbound)
                answer = answer.text if answer else ""
        record(actor=None, action=f"messaging.inbound_{inbound.kind}", target=inbound)
    return Received(inbound, answer)


# An email is kept whole up to this length; past it, the rest is cut.
MAX_EMAIL_CHARS = 20_000


def receive_email(
    *,
    provider_id: str | None,
    from_address: str,
    recipients: list[str],
    text: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
) -> InboundMessage:
    """Store a family's email: matched to the household by the tagged Reply-To it answers,
    else by the sender's address; only what they wrote above the quoted message is kept.
    STOP or START as the whole reply withdraws or restores consent to email; an
    out-of-office answer is kept but is not a reply."""
    existing = provider_id and InboundMessage.objects.filter(provider_id=provider_id).first()
    if existing:
        return existing
    from_address = from_address.strip().lower()
    contacts = _contacts(ContactPoint.Kind.EMAIL, from_address)
    delivery = _tagged_delivery(recipients)
    if delivery is not None:
        caregiver = delivery.caregiver
        contacts = [*contacts, delivery.contact_point] if delivery.contact_point else contacts
    else:
        contact = _most_recently_contacted(contacts)
        caregiver = contact.caregiver if contact else None
    organization = caregiver.organization if caregiver else _email_owner(recipients)
    language = caregiver.preferred_language if caregiver else ""
    body = reply_text(text=text, html=html, languages=[language] if language else [])
    kind = InboundMessage.Kind.REPLY
    if is_automatic(headers or {}):
        kind = InboundMessage.Kind.AUTO_REPLY
    elif classify(body) in (Keyword.STOP, Keyword.START):
        kind = classify(body)
    with transaction.atomic():
        inbound = _store(
            organization=organization,
            channel=Delivery.Channel.EMAIL,
            kind=kind,
            from_address=from_address,
            to_address=untagged(recipients[0]) if recipients else "",
            body=body[:MAX_EMAIL_CHARS],
            provider_id=provider_id,
            household=caregiver.household if caregiver else None,
            caregiver=caregiver,
        )
        if inbound is None:
            return InboundMessage.objects.get(provider_id=provider_id)
        if kind in (Keyword.STOP, Keyword.START):
            _set_consent(contacts, consent=kind == Keyword.START)
        elif kind == InboundMessage.Kind.REPLY and caregiver is not None:
            _add_to_thread(inbound)
        record(actor=None, action=f"messaging.inbound_{inbound.kind}", target=inbound)
    return inbound


def _store(*, body: str, caregiver, **fields) -> InboundMessage | None:
    """The new message, or None when the same provider id was stored meanwhile."""
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                body=body,
                caregiver=caregiver,
                language=detect_language(
                    body, expected=caregiver.preferred_language if caregiver else ""
                ),
                **fields,
            )
    except IntegrityError:
        return None


def _contacts(kind: str, value: str) -> list[ContactPoint]:
    return list(
        ContactPoint.objects.filter(kind=kind, value=value)
        .select_related("caregiver__household", "caregiver__organization")
        .order_by("id")
    )


def _tagged_delivery(recipients: list[str]) -> Delivery | None:
    delivery_id = tagged_delivery_id(recipients)
    if delivery_id is None:
        return None
    return (
        Delivery.objects.select_related(
            "caregiver__household", "caregiver__organization", "contact_point"
        )
        .filter(pk=delivery_id, caregiver__isnull=False)
        .first()
    )


def _most_recently_contacted(contacts: list[ContactPoint]) -> ContactPoint | None:
    """Several caregivers (in several organizations) may share a number or an address:
    the reply is for whoever was written to last from Tandem."""
    if len(contacts) <= 1:
        return contacts[0] if contacts else None
    latest = dict(
        Delivery.objects.filter(contact_point__in=contacts)
        .values("contact_point_id")
        .annotate(last=Max("created_at"))
        .values_list("contact_point_id", "last")
    )
    return max(contacts, key=lambda c: (latest.get(c.pk) is not None, latest.get(c.pk) or 0))


def _owner(claimed: QuerySet[Organization], field: str) -> Organization | None:
    """The organization a message from an unknown sender belongs to: the one that owns
    the number or address it was sent to; else, of the organizations using the
    installation's own, the only one. None when that cannot be told."""
    for candidates in (claimed, Organization.objects.filter(**{field: ""})):
        found = list(candidates.order_by("id")[:2])
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def _email_owner(recipients: list[str]) -> Organization | None:
    addresses = [untagged(address) for address in recipients]
    return _owner(Organization.objects.filter(reply_email__in=addresses), "reply_email")


def _set_consent(contacts: list[ContactPoint], *, consent: bool) -> None:
    """STOP withdraws consent on this number or address for every caregiver who has it,
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
