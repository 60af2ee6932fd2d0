"""Who a message reaches: the caregivers of the households in its audience that the
author may write to, each with the channel and language Tandem will use."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_households
from tandem.directory.models import Caregiver, ContactPoint, Household, Student
from tandem.messaging.models import Delivery, Message


def audience_households(message: Message) -> QuerySet[Household]:
    """The households the message is for, within what its author may write to."""
    households = visible_households(message.author, Action.SEND_MESSAGES).filter(
        organization_id=message.organization_id
    )
    if message.audience == Message.Audience.HOUSEHOLD:
        return households.filter(pk=message.thread.household_id)
    students = Student.objects.filter(household=OuterRef("pk"), school_id=message.school_id)
    if message.audience == Message.Audience.GRADE:
        students = students.filter(grade=message.grade)
    return households.filter(Exists(students))


@dataclass(frozen=True)
class Recipient:
    caregiver_id: int
    household_id: int
    channel: str
    address: str
    contact_point_id: int | None
    language: str


def recipients(message: Message) -> list[Recipient]:
    """One recipient per caregiver: by text when a consented phone exists, else by email
    when a consented address exists, else the web inbox when the caregiver signs in.
    Caregivers with none of these are not reachable and are left out (the reach
    dashboard lists them)."""
    consented = ContactPoint.objects.filter(consent=True).order_by("-is_preferred", "id")
    caregivers = (
        Caregiver.objects.filter(household__in=audience_households(message).values("pk"))
        .only("id", "household_id", "preferred_language", "user_id")
        .prefetch_related(Prefetch("contact_points", queryset=consented, to_attr="consented"))
        .order_by("id")
    )
    chosen = []
    for caregiver in caregivers.iterator(chunk_size=2000):
        recipient = _recipient(caregiver)
        if recipient is not None:
            chosen.append(recipient)
    return chosen


def _recipient(caregiver: Caregiver) -> Recipient | None:
    by_kind = {}
    for contact in caregiver.consented:
        by_kind.setdefault(contact.kind, contact)
    language = caregiver.preferred_language
    for kind, channel in [
        (ContactPoint.Kind.PHONE, Delivery.Channel.SMS),
        (ContactPoint.Kind.EMAIL, Delivery.Channel.EMAIL),
    ]:
        if kind in by_kind:
            contact = by_kind[kind]
            return Recipient(
                caregiver.pk, caregiver.household_id, channel, contact.value, contact.pk, language
            )
    if caregiver.user_id:
        return Recipient(caregiver.pk, caregiver.household_id, "web", "", None, language)
    return None
