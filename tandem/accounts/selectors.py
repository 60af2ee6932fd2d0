"""Reads for sign-in and for a family's own pages: who a contact belongs to, how long a
rate limit still holds, a family's household with everything its pages show."""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import codes
from tandem.accounts.access import access_object
from tandem.accounts.models import SignInCode, StaffSignInFailure
from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_caregivers, visible_students
from tandem.audit.models import AuditEvent
from tandem.directory.models import (
    AvailabilityWindow,
    Caregiver,
    ContactPoint,
    Household,
    Organization,
    Student,
)
from tandem.directory.services import normalize_contact

RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Destination:
    """Where a family asked for a code: its kind, a key for rate limits, and the contact
    point it names when it is in our records."""

    kind: str
    key_hash: str
    contact_point: ContactPoint | None


def destination_for_sign_in(raw: str) -> Destination:
    """Read a mobile number or email address typed on the sign-in page.

    Sign-in happens before there is a user to scope by, so this looks contact points up
    directly; it returns only the one match, and callers answer alike whether it exists.
    A phone written without + is read with each organization's country, and matches
    only a caregiver of an organization in that country.
    """
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Enter your mobile number or email address."), code="required")
    if "@" in raw:
        value = normalize_contact(ContactPoint.Kind.EMAIL, raw)
        candidates = ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL, value=value)
        return _destination(ContactPoint.Kind.EMAIL, value, list(_with_caregiver(candidates)))

    regions = [settings.TANDEM_DEFAULT_PHONE_REGION, *_organization_regions()]
    readings: dict[str, str] = {}  # region → E.164
    for region in dict.fromkeys(regions):
        try:
            readings[region] = normalize_contact(ContactPoint.Kind.PHONE, raw, region=region)
        except ValidationError:
            continue
    if not readings:
        raise ValidationError(
            _("“%(value)s” is neither a mobile number nor an email address we can read."),
            code="invalid",
            params={"value": raw},
        )
    candidates = ContactPoint.objects.filter(
        kind=ContactPoint.Kind.PHONE, value__in=set(readings.values())
    )
    matches = [
        contact
        for contact in _with_caregiver(candidates)
        if readings.get(contact.caregiver.organization.phone_region) == contact.value
    ]
    default = readings.get(settings.TANDEM_DEFAULT_PHONE_REGION) or sorted(readings.values())[0]
    return _destination(ContactPoint.Kind.PHONE, default, matches)


def _organization_regions() -> list[str]:
    return list(
        Organization.objects.order_by("phone_region")
        .values_list("phone_region", flat=True)
        .distinct()
    )


def _with_caregiver(contacts):
    return contacts.select_related("caregiver__organization").order_by("-is_preferred", "id")


def _destination(kind: str, fallback_value: str, matches: list[ContactPoint]) -> Destination:
    # A contact shared by two caregivers (a family email) signs in the one who has used
    # it before, then the one who prefers it, then the first recorded.
    verified = [contact for contact in matches if contact.verified_at]
    match = (verified or matches or [None])[0]
    value = match.value if match else fallback_value
    return Destination(kind, codes.destination_hash(kind, value), match)


def seconds_until_allowed(timestamps: list, limit: int, now=None) -> int:
    """How long until fewer than `limit` of these events fall within the last hour."""
    now = now or timezone.now()
    if len(timestamps) < limit:
        return 0
    oldest_that_counts = sorted(timestamps, reverse=True)[limit - 1]
    return max(1, math.ceil((oldest_that_counts + RATE_WINDOW - now).total_seconds()))


def sign_in_code_wait(*, destination_hash: str, client_hash: str) -> int:
    """Seconds before another code may be sent to this destination from this client."""
    since = timezone.now() - RATE_WINDOW
    recent = SignInCode.objects.filter(created_at__gte=since)
    to_destination = list(
        recent.filter(destination_hash=destination_hash).values_list("created_at", flat=True)
    )
    from_client = list(recent.filter(client_hash=client_hash).values_list("created_at", flat=True))
    return max(
        seconds_until_allowed(
            to_destination, settings.TANDEM_SIGN_IN_CODES_PER_DESTINATION_PER_HOUR
        ),
        seconds_until_allowed(from_client, settings.TANDEM_SIGN_IN_CODES_PER_ADDRESS_PER_HOUR),
    )


def staff_sign_in_wait(*, email: str, client_address: str) -> int:
    """Seconds before this account may try a password again from this address."""
    key = codes.staff_failure_key(email, client_address)
    failures = list(
        StaffSignInFailure.objects.filter(
            key_hash=key, created_at__gte=timezone.now() - RATE_WINDOW
        ).values_list("created_at", flat=True)
    )
    return seconds_until_allowed(failures, settings.TANDEM_STAFF_SIGN_IN_FAILURES_PER_HOUR)


def latest_sign_in_code(destination_hash: str) -> SignInCode | None:
    """Only the newest code for a destination counts: asking again replaces the old one."""
    return (
        SignInCode.objects.filter(destination_hash=destination_hash)
        .select_related("caregiver__user", "contact_point")
        .order_by("-created_at", "-id")
        .first()
    )


def own_caregiver(user, action: Action = Action.VIEW_HOUSEHOLD) -> Caregiver:
    """The caregiver record the signed-in family member is; 404 if there is none."""
    return access_object(
        visible_caregivers(user, action).select_related("household__organization"),
        user,
        action,
        user_id=user.pk,
    )


def household_for_family_page(caregiver: Caregiver, user) -> Household:
    """The caregiver's household with its caregivers, contacts, availability and students
    loaded in a fixed number of queries, whatever the household's size."""
    household = caregiver.household
    household.family_caregivers = list(
        visible_caregivers(user, Action.VIEW_HOUSEHOLD)
        .filter(household_id=household.pk)
        .prefetch_related(
            Prefetch("contact_points", queryset=ContactPoint.objects.order_by("kind", "id")),
            Prefetch("availability", queryset=AvailabilityWindow.objects.all()),
        )
    )
    household.family_students = list(
        visible_students(user, Action.VIEW_HOUSEHOLD)
        .filter(household_id=household.pk)
        .select_related("school")
    )
    return household


def audit_events_about(household: Household) -> list[AuditEvent]:
    """Audit events whose object is the household or one of its people or contacts."""
    caregiver_ids = [caregiver.pk for caregiver in household.family_caregivers]
    contact_ids = [
        contact.pk
        for caregiver in household.family_caregivers
        for contact in caregiver.contact_points.all()
    ]
    student_ids = [student.pk for student in household.family_students]
    about = Q(object_type=Household._meta.label_lower, object_id=str(household.pk))
    for model, ids in [
        (Caregiver, caregiver_ids),
        (ContactPoint, contact_ids),
        (Student, student_ids),
    ]:
        if ids:
            about |= Q(object_type=model._meta.label_lower, object_id__in=[str(i) for i in ids])
    return list(AuditEvent.objects.filter(about).select_related("actor").order_by("at", "id"))
