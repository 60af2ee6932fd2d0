"""Releasing a message: its deliveries written with it, in one transaction, and the
senders started after commit. Composing and translation review come before this."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, DateTimeField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.audit.services import record
from tandem.directory.models import Student
from tandem.messaging.audiences import recipient_rows
from tandem.messaging.models import Delivery, Message, MessageVersion


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
    start_at = max(message.send_at or now, now)
    count = _insert_deliveries(message, languages=set(versions), start_at=start_at, now=now)
    message.status = Message.Status.SCHEDULED if start_at > now else Message.Status.SENDING
    message.released_at = now
    message.recipients = count
    message.save(update_fields=["status", "released_at", "recipients"])
    record(
        actor=message.author,
        action="messaging.message_released",
        target=message,
        recipients=count,
        languages=sorted(versions),
    )
    transaction.on_commit(lambda: start_senders(message.pk, at=start_at))
    return count


def start_senders(message_id: int, *, at: datetime | None = None) -> None:
    """Enqueue the message's senders and the watchdog that restarts them if one dies."""
    from tandem.messaging.tasks import send_message_deliveries, watch_message

    run_after = at if at and at > timezone.now() else None
    for _ in range(settings.TANDEM_SEND_WORKERS):
        send_message_deliveries.using(run_after=run_after).enqueue(message_id)
    # A backend that runs tasks at once (tests) cannot wait: there, the senders have
    # finished by now and no watchdog is needed.
    if watch_message.get_backend().supports_defer:
        watch_message.using(run_after=watchdog_time(at)).enqueue(message_id)


def watchdog_time(after: datetime | None = None) -> datetime:
    base = max(after or timezone.now(), timezone.now())
    return base + timedelta(seconds=settings.TANDEM_DELIVERY_LEASE_SECONDS)


def _insert_deliveries(
    message: Message, *, languages: set[str], start_at: datetime, now: datetime
) -> int:
    """Write one pending delivery per reachable caregiver with a single INSERT … SELECT:
    the database does the fan-out, however large the audience. Each gets the caregiver's
    language when the message has it (else the original's) and, for quiet hours, the
    time zone of the household's first student's school (else the organization's)."""
    school_zone = Student.objects.filter(household=OuterRef("household_id")).order_by("id")
    rows = recipient_rows(message).annotate(
        d_message=Value(message.pk),
        d_organization=Value(message.organization_id),
        d_language=Case(
            When(preferred_language__in=sorted(languages), then=F("preferred_language")),
            default=Value(message.language),
            output_field=CharField(),
        ),
        d_time_zone=Coalesce(
            Subquery(school_zone.values("school__time_zone")[:1]),
            Value(message.organization.time_zone),
            output_field=CharField(),
        ),
        d_status=Value(Delivery.Status.PENDING),
        d_zero=Value(0),
        d_blank=Value(""),
        d_next=Value(start_at, output_field=DateTimeField()),
        d_created=Value(now, output_field=DateTimeField()),
    )
    columns = {
        "message_id": "d_message",
        "organization_id": "d_organization",
        "household_id": "household_id",
        "caregiver_id": "pk",
        "contact_point_id": "contact_point",
        "channel": "channel",
        "address": "address",
        "language": "d_language",
        "time_zone": "d_time_zone",
        "status": "d_status",
        "attempts": "d_zero",
        "next_attempt_at": "d_next",
        "claimed_by": "d_blank",
        "error_code": "d_blank",
        "error_reason": "d_blank",
        "segments": "d_zero",
        "created_at": "d_created",
    }
    select_sql, params = rows.values_list(*columns.values()).query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(map(quote, columns))}) {select_sql}",
            params,
        )
        return cursor.rowcount
