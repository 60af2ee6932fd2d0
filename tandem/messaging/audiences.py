"""Who a message reaches: the caregivers of the households in its audience that the
author may write to, each with the channel, address and language Tandem will use.

The choice is made in the database (one query, whatever the audience's size): by text
when the caregiver has a consented phone, else by email when a consented address, else
the web inbox when the caregiver signs in to Tandem; caregivers with none of these are
not reachable and are left out (the reach dashboard lists them). A preferred contact
point comes first, then the oldest.
"""

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_households
from tandem.directory.models import Caregiver, ContactPoint, Household, Student
from tandem.messaging.models import Delivery, Message, SavedList


def audience_households(message: Message) -> QuerySet[Household]:
    """The households the message is for, within what its author may write to."""
    households = visible_households(message.author, Action.SEND_MESSAGES).filter(
        organization_id=message.organization_id
    )
    if message.audience == Message.Audience.HOUSEHOLD:
        return households.filter(pk=message.thread.household_id)
    if message.audience == Message.Audience.LIST:
        return households.filter(
            pk__in=SavedList.households.through.objects.filter(
                savedlist_id=message.saved_list_id
            ).values("household_id")
        )
    students = Student.objects.filter(household=OuterRef("pk"), school_id=message.school_id)
    if message.audience == Message.Audience.GRADE:
        students = students.filter(grade=message.grade)
    return households.filter(Exists(students))


def _first_consented(kind: str, field: str) -> Subquery:
    contacts = ContactPoint.objects.filter(caregiver=OuterRef("pk"), kind=kind, consent=True)
    return Subquery(contacts.order_by("-is_preferred", "id").values(field)[:1])


def recipient_rows(message: Message) -> QuerySet[Caregiver]:
    """One row per reachable caregiver, annotated with `channel`, `address` and
    `contact_point` (None for the web inbox)."""
    Channel = Delivery.Channel
    return (
        Caregiver.objects.filter(household__in=audience_households(message).values("pk"))
        .annotate(
            phone_id=_first_consented(ContactPoint.Kind.PHONE, "id"),
            email_id=_first_consented(ContactPoint.Kind.EMAIL, "id"),
        )
        .annotate(
            channel=Case(
                When(phone_id__isnull=False, then=Value(Channel.SMS)),
                When(email_id__isnull=False, then=Value(Channel.EMAIL)),
                When(user__isnull=False, then=Value(Channel.WEB)),
                default=Value(""),
                output_field=CharField(),
            ),
            contact_point=Coalesce(F("phone_id"), F("email_id")),
            address=Coalesce(
                _first_consented(ContactPoint.Kind.PHONE, "value"),
                _first_consented(ContactPoint.Kind.EMAIL, "value"),
                Value(""),
                output_field=CharField(),
            ),
        )
        .exclude(channel="")
    )
