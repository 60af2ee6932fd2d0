"""Sending deliveries: exactly once per recipient, through crashes, outages and STOPs.

A sender (a background task; several run per message) repeatedly claims a batch of due
deliveries with a conditional UPDATE, so two senders never hold the same row, sends each
through its channel and records the outcome. A sender that dies leaves its batch claimed
until the lease runs out; the next sender takes it over. A delivery whose earlier attempt
may have reached the provider (`attempted_at` set before this claim) is first looked up
at the provider, so a send that happened before the crash is recorded, not repeated.

Before each send the recipient's consent is read again (a STOP mid-broadcast stops the
rest) and quiet hours are applied in the recipient's time zone.
"""

import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.directory.models import ContactPoint, Household
from tandem.messaging.channels.base import ACCEPTED, PERMANENT, TIMEOUT, SendResult
from tandem.messaging.models import Delivery, Message, MessageVersion, with_machine_note
from tandem.messaging.personal_links import links_for, with_link
from tandem.messaging.quiet_hours import held_until

logger = logging.getLogger(__name__)

Status = Delivery.Status
LOOKUP_FAILED = "lookup_failed"  # the provider could not say whether it has the text


class Sender:
    """How deliveries leave Tandem: one method per channel. The real one is in
    `tandem.messaging.senders`; tests may pass another that talks to a real server."""

    def send(self, delivery: Delivery, text: str) -> SendResult:  # pragma: no cover
        raise NotImplementedError

    def find_earlier_send(self, delivery: Delivery, text: str) -> SendResult | None:
        """The provider's record of an earlier send of this delivery, if it has one."""
        return None


def due(message_id: int, now: datetime):
    return Delivery.objects.filter(message_id=message_id, next_attempt_at__lte=now).filter(
        Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_until__lt=now)
    )


def claim_batch(message_id: int, *, worker: str, size: int, now: datetime) -> list[Delivery]:
    """Take up to `size` due deliveries of the message for this worker."""
    lease = now + timedelta(seconds=settings.TANDEM_DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        candidates = due(message_id, now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("id", flat=True)[:size])
        if not ids:
            return []
        # The same conditions again: a row another worker took meanwhile is not taken.
        due(message_id, now).filter(id__in=ids).update(
            status=Status.SENDING,
            claimed_by=worker,
            claimed_until=lease,
            attempted_at=Coalesce("attempted_at", now),
        )
    batch = list(
        Delivery.objects.filter(id__in=ids, claimed_by=worker, claimed_until=lease)
        .select_related("organization")
        .order_by("id")
    )
    for delivery in batch:
        # An earlier attempt may have reached the provider only if it began before now.
        delivery.outcome_unknown = delivery.attempted_at < now
    return batch


def send_due(
    message_id: int,
    *,
    sender: Sender,
    batch_size: int | None = None,
    clock: Callable[[], datetime] = timezone.now,
) -> int:
    """Send what is due for the message until nothing is; returns how many were handled."""
    worker = uuid.uuid4().hex
    message = Message.objects.only("id", "personal_link").get(pk=message_id)
    texts = {
        language: with_machine_note(text, language) if machine else text
        for language, text, machine in MessageVersion.objects.filter(
            message_id=message_id
        ).values_list("language", "text", "machine_translated")
    }
    handled = 0
    while batch := claim_batch(
        message_id, worker=worker, size=batch_size or settings.TANDEM_SEND_BATCH, now=clock()
    ):
        links = links_for(message, [(d.caregiver_id, d.channel) for d in batch])
        handled += _send_batch(
            batch, texts=texts, links=links, sender=sender, worker=worker, clock=clock
        )
    return handled


def _send_batch(batch, *, texts, links, sender: Sender, worker: str, clock) -> int:
    claimed_at = clock()
    withdrawn = set(
        ContactPoint.objects.filter(
            id__in=[d.contact_point_id for d in batch if d.contact_point_id], consent=False
        ).values_list("id", flat=True)
    )
    outcomes: list[tuple[Delivery, dict]] = []
    for delivery in batch:
        # release_message wrote a version for each language
        text = with_link(texts[delivery.language], links.get(delivery.caregiver_id, ""))
        if delivery.contact_point_id in withdrawn or (
            delivery.channel != Delivery.Channel.WEB and delivery.contact_point_id is None
        ):
            outcomes.append((delivery, {"status": Status.SUPPRESSED}))
            continue
        if delivery.channel == Delivery.Channel.SMS:
            held = held_until(claimed_at, delivery.time_zone)
            if held is not None:
                # Nothing was sent: a later claim need not look for an earlier send.
                outcomes.append(
                    (delivery, _retry_later(held, keep_attempted=delivery.outcome_unknown))
                )
                continue
        if delivery.channel == Delivery.Channel.WEB:
            outcomes.append((delivery, {"status": Status.DELIVERED, "sent_at": claimed_at}))
            continue
        outcome = None
        if delivery.outcome_unknown:
            outcome = sender.find_earlier_send(delivery, text)
        if outcome is None:
            outcome = sender.send(delivery, text)
        outcomes.append((delivery, _fields_for(delivery, outcome, now=clock())))
    _write(outcomes, worker=worker, now=clock())
    return len(batch)


def _fields_for(delivery: Delivery, outcome: SendResult, *, now: datetime) -> dict:
    if outcome.kind == ACCEPTED:
        return {
            "status": Status.SENT,
            "provider_id": outcome.provider_id or None,
            "segments": outcome.segments,
            "sent_at": now,
        }
    failure = {"error_code": outcome.code or outcome.kind, "error_reason": outcome.reason[:300]}
    if outcome.kind == PERMANENT:
        logger.info("delivery %s failed permanently: %s", delivery.pk, outcome.code)
        return {"status": Status.FAILED, **failure}
    attempts = delivery.attempts + 1
    if attempts >= settings.TANDEM_DELIVERY_MAX_ATTEMPTS:
        return {"status": Status.FAILED, "attempts": attempts, **failure}
    # After a timeout the text may have reached the provider: the next attempt looks it
    # up first. Otherwise nothing reached it, and the next attempt simply sends.
    unknown = outcome.code in (TIMEOUT, LOOKUP_FAILED)
    return {
        **_retry_later(now + backoff(attempts), keep_attempted=unknown),
        "attempts": attempts,
        **failure,
    }


def _retry_later(moment: datetime, *, keep_attempted: bool = False) -> dict:
    fields = {"status": Status.PENDING, "claimed_by": "", "next_attempt_at": moment}
    if not keep_attempted:
        fields["attempted_at"] = None
    return fields


def _write(outcomes: list[tuple[Delivery, dict]], *, worker: str, now: datetime) -> None:
    """Record a batch's outcomes in one transaction, each only on a row this worker still
    holds: a status callback may already have moved a delivery on, and that newer state
    stays (it only gains the provider's id)."""
    sent = [(delivery, fields) for delivery, fields in outcomes if fields.get("provider_id")]
    grouped: dict[tuple, list[int]] = {}
    for delivery, fields in outcomes:
        if not fields.get("provider_id"):
            grouped.setdefault(tuple(sorted(fields.items())), []).append(delivery.pk)
    with transaction.atomic():
        for fields, ids in grouped.items():
            Delivery.objects.filter(id__in=ids, status=Status.SENDING, claimed_by=worker).update(
                claimed_until=None, **dict(fields)
            )
        if sent:
            _record_sent(sent, worker=worker)
            reached = {delivery.household_id for delivery, _ in sent}
            Household.objects.filter(id__in=reached).update(last_reached_at=now)


def _record_sent(sent: list[tuple[Delivery, dict]], *, worker: str) -> None:
    """One statement per row, sent as one batch (executemany): the fastest way to write
    thousands of different provider ids on SQLite and PostgreSQL alike."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    rows = [
        (f["provider_id"], f["segments"], f["sent_at"], delivery.pk, worker) for delivery, f in sent
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET status = 'sent', provider_id = %s, segments = %s, "  # noqa: S608
            "sent_at = %s, claimed_until = NULL "
            "WHERE id = %s AND status = 'sending' AND claimed_by = %s",
            rows,
        )
        cursor.executemany(
            f"UPDATE {table} SET provider_id = %s, sent_at = %s "  # noqa: S608
            "WHERE id = %s AND provider_id IS NULL",
            [(provider_id, sent_at, pk) for provider_id, _, sent_at, pk, _ in rows],
        )


def backoff(attempt: int) -> timedelta:
    """Exponential with full jitter: about 5 s, 10 s, 20 s … capped at 15 minutes."""
    ceiling = min(5 * 2 ** (attempt - 1), 900)
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))


def next_due_at(message_id: int):
    """When the message next has something to send (held, retrying or claimed)."""
    remaining = Delivery.objects.filter(
        message_id=message_id, status__in=[Status.PENDING, Status.SENDING]
    )
    earliest = remaining.order_by("next_attempt_at").values_list("next_attempt_at", flat=True)
    claimed = remaining.filter(status=Status.SENDING).order_by("claimed_until")
    candidates = [
        moment
        for moment in [earliest.first(), claimed.values_list("claimed_until", flat=True).first()]
        if moment is not None
    ]
    return min(candidates) if candidates else None
