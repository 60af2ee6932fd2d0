"""State changes in the directory: the verbs that create and change who is who.

Every function validates its input (language tags, phone numbers, time zones) and
raises ValidationError naming what is wrong before anything is written.
"""

from collections.abc import Iterable
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import (
    AvailabilityWindow,
    Caregiver,
    ContactPoint,
    Household,
    Organization,
    Partnership,
    School,
    Student,
)
from tandem.directory.phones import normalize_phone


def create_organization(
    *,
    name: str,
    kind: str,
    slug: str = "",
    time_zone: str = "America/Chicago",
    phone_region: str = "US",
    sourced_id: str | None = None,
) -> Organization:
    organization = Organization(
        name=name,
        kind=kind,
        slug=slug or slugify(name)[:80],
        time_zone=time_zone,
        phone_region=phone_region,
        sourced_id=sourced_id,
    )
    organization.full_clean()
    organization.save()
    return organization


def create_school(
    *,
    organization: Organization,
    name: str,
    grade_band: str,
    time_zone: str | None = None,
    feeds_into: School | None = None,
    sourced_id: str | None = None,
) -> School:
    school = School(
        organization=organization,
        name=name,
        grade_band=grade_band,
        time_zone=time_zone or organization.time_zone,
        feeds_into=feeds_into,
        sourced_id=sourced_id,
    )
    school.full_clean()
    school.save()
    return school


def create_partnership(
    *,
    organization: Organization,
    partner: Organization,
    schools: Iterable[School],
    scope: str = Partnership.Scope.AGGREGATE,
    purpose: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Partnership:
    schools = list(schools)
    if any(school.organization_id != organization.pk for school in schools):
        raise ValidationError(_("A partnership can only cover the organization's own schools."))
    partnership = Partnership(
        organization=organization,
        partner=partner,
        scope=scope,
        purpose=purpose,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    partnership.full_clean()
    with transaction.atomic():
        partnership.save()
        partnership.schools.set(schools)
    return partnership


def create_household(
    *, organization: Organization, name: str, external_id: str | None = None
) -> Household:
    household = Household(organization=organization, name=name, external_id=external_id)
    household.full_clean()
    household.save()
    return household


def normalize_contact(kind: str, value: str, *, region: str = "US") -> str:
    """The stored form of a phone number (E.164) or an email address (lower case)."""
    if kind == ContactPoint.Kind.PHONE:
        return normalize_phone(value, region)
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError as invalid:
        raise ValidationError(
            _("“%(value)s” is not a valid email address."),
            code="invalid_email",
            params={"value": value},
        ) from invalid
    return value


def add_contact_point(
    *,
    caregiver: Caregiver,
    kind: str,
    value: str,
    consent: bool,
    verified: bool = False,
    is_preferred: bool = False,
) -> ContactPoint:
    value = normalize_contact(kind, value, region=caregiver.organization.phone_region)
    now = timezone.now()
    contact, _created = ContactPoint.objects.update_or_create(
        caregiver=caregiver,
        kind=kind,
        value=value,
        defaults={
            "consent": consent,
            "consent_changed_at": now,
            "verified_at": now if verified else None,
            "is_preferred": is_preferred,
        },
    )
    return contact


def add_caregiver(
    *,
    household: Household,
    given_name: str,
    family_name: str = "",
    relationship: str = Caregiver.Relationship.PARENT,
    preferred_language: str = "en",
    phone: str | None = None,
    email: str | None = None,
    sms_consent: bool = True,
    email_consent: bool = True,
    needs_childcare: bool = False,
    needs_transportation: bool = False,
    needs_interpretation: bool = False,
    accessibility_note: str = "",
    availability: Iterable[tuple[int, time, time]] = (),
    sourced_id: str | None = None,
) -> Caregiver:
    caregiver = Caregiver(
        organization_id=household.organization_id,
        household=household,
        given_name=given_name,
        family_name=family_name,
        relationship=relationship,
        preferred_language=normalize_language_tag(preferred_language),
        needs_childcare=needs_childcare,
        needs_transportation=needs_transportation,
        needs_interpretation=needs_interpretation,
        accessibility_note=accessibility_note,
        sourced_id=sourced_id,
    )
    caregiver.full_clean(exclude=["user"])
    windows = [AvailabilityWindow(weekday=d, starts_at=s, ends_at=e) for d, s, e in availability]
    for window in windows:
        if window.starts_at >= window.ends_at:
            raise ValidationError(_("An availability window must end after it starts."))
    with transaction.atomic():
        caregiver.save()
        for window in windows:
            window.caregiver = caregiver
        AvailabilityWindow.objects.bulk_create(windows)
        if phone:
            add_contact_point(
                caregiver=caregiver,
                kind=ContactPoint.Kind.PHONE,
                value=phone,
                consent=sms_consent,
                is_preferred=True,
            )
        if email:
            add_contact_point(
                caregiver=caregiver,
                kind=ContactPoint.Kind.EMAIL,
                value=email,
                consent=email_consent,
                is_preferred=not phone,
            )
    return caregiver


def add_student(
    *,
    household: Household,
    school: School,
    given_name: str,
    family_name: str = "",
    grade: str = "",
    sourced_id: str | None = None,
) -> Student:
    if school.organization_id != household.organization_id:
        raise ValidationError(
            _("The student's school must belong to the household's organization.")
        )
    student = Student(
        organization_id=household.organization_id,
        household=household,
        school=school,
        given_name=given_name,
        family_name=family_name,
        grade=grade,
        sourced_id=sourced_id,
    )
    student.full_clean()
    student.save()
    return student


def record_directory_view(*, actor, organization_id: int | None, shown: int, filters: dict) -> None:
    """Audit a listing of families: how many rows and which filter names, not who."""
    record(
        actor=actor,
        action="directory.list",
        organization_id=organization_id,
        shown=shown,
        filters=sorted(key for key, value in filters.items() if value),
    )
