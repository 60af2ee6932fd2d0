"""Releasing a message: its deliveries written with it, in one transaction, and the
senders started after commit. Composing and translation review come before this."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import record
from tandem.directory.models import Student
from tandem.messaging.audiences import audience_households, recipients
from tandem.messaging.models import Delivery, Message, MessageVersion

INSERT_BATCH = 5000


@transaction.atomic
def release_message(
    *, message: Message, versions: dict[str, tuple[str, bool]], now: datetime | None = None
) -> int:
    """Fix the message's text per language (`versions`: language → (text, machine
    translated)) and write one delivery per reachable caregiver, all in this transaction;
    the senders start once it commits. Returns the number of deliveries."""
    now = now or timezone.now()
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.released_at is not None:
        return locked.recipients  # released already: never a second set of deliveries
    MessageVersion.objects.bulk_create(
        MessageVersion(message=message, language=language, text=text, machine_translated=machine)
        for language, (text, machine) in versions.items()
    )
    zones = _time_zones(message)
    start_at = max(message.send_at or now, now)
    rows = [
        Delivery(
            message=message,
            organization_id=message.organization_id,
            household_id=recipient.household_id,
            caregiver_id=recipient.caregiver_id,
            contact_point_id=recipient.contact_point_id,
            channel=recipient.channel,
            address=recipient.address,
            language=recipient.language if recipient.language in versions else message.language,
            time_zone=zones.get(recipient.household_id, zones[None]),
            next_attempt_at=start_at,
        )
        for recipient in recipients(message)
    ]
    Delivery.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    message.status = Message.Status.SCHEDULED if start_at > now else Message.Status.SENDING
    message.released_at = now
    message.recipients = len(rows)
    message.save(update_fields=["status", "released_at", "recipients"])
    record(
        actor=message.author,
        action="messaging.message_released",
        target=message,
        recipients=len(rows),
        languages=sorted(versions),
    )
    transaction.on_commit(lambda: start_senders(message.pk, at=start_at))
    return len(rows)


def start_senders(message_id: int, *, at: datetime | None = None) -> None:
    """Enqueue the message's senders and the watchdog that restarts them if one dies."""
    from tandem.messaging.tasks import send_message_deliveries, watch_message

    run_after = at if at and at > timezone.now() else None
    for _ in range(settings.TANDEM_SEND_WORKERS):
        send_message_deliveries.using(run_after=run_after).enqueue(message_id)
    watch_message.using(run_after=watchdog_time(at)).enqueue(message_id)


def watchdog_time(after: datetime | None = None) -> datetime:
    base = max(after or timezone.now(), timezone.now())
    return base + timedelta(seconds=settings.TANDEM_DELIVERY_LEASE_SECONDS)


def _time_zones(message: Message) -> dict[int | None, str]:
    """Each audience household's time zone (its first student's school's), for quiet
    hours; the key None holds the organization's, for households with no school."""
    zones: dict[int | None, str] = {None: message.organization.time_zone}
    students = (
        Student.objects.filter(household__in=audience_households(message).values("pk"))
        .order_by("household_id", "id")
        .values_list("household_id", "school__time_zone")
    )
    for household_id, zone in students.iterator(chunk_size=5000):
        zones.setdefault(household_id, zone or zones[None])
    return zones
