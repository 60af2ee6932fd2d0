"""Who is who: organizations, schools, partnerships, households, caregivers, students, staff.

Nothing here records grades, scores or immigration status, and nothing ever will.
Self-described demographics are optional and used only for representativeness reports.
"""

import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.directory.languages import normalize_language_tag


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone (for example: America/Chicago)."),
            params={"value": value},
        )


def validate_language_tag(value: str) -> None:
    normalize_language_tag(value)


def validate_sms_sender(value: str) -> None:
    """A phone number in international form (+15551234567) or a Twilio messaging
    service (MG followed by 32 hexadecimal digits)."""
    if not re.fullmatch(r"\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32}", value):
        raise ValidationError(
            _(
                "“%(value)s” is neither a number in international form (+15551234567) nor "
                "a messaging service (MG…)."
            ),
            params={"value": value},
        )


class Organization(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("School district")
        NONPROFIT = "nonprofit", _("Nonprofit organization")
        STATE_AGENCY = "state_agency", _("State agency")
        SCHOOL_NETWORK = "school_network", _("School network")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Null, not "", when absent: roster upserts need a plain unique index on it.
    sourced_id = models.CharField(_("roster id"), max_length=255, null=True, blank=True)  # noqa: DJ001
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    phone_region = models.CharField(
        _("country for phone numbers"),
        max_length=2,
        default="US",
        help_text=_("Two-letter country code used to read phone numbers written without +."),
    )
    # Each organization may text from its own number, so that a text from a number
    # Tandem does not know reaches the right organization's unmatched inbox.
    sms_number = models.CharField(
        _("texts sent from"),
        max_length=40,
        blank=True,
        validators=[validate_sms_sender],
        help_text=_("Leave empty to use the installation's number."),
    )
    reply_email = models.EmailField(
        _("replies by email to"),
        blank=True,
        help_text=_("Leave empty to use the installation's reply address."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class GradeBand(models.TextChoices):
        EARLY_CHILDHOOD = "early_childhood", _("Early childhood")
        ELEMENTARY = "elementary", _("Elementary")
        MIDDLE = "middle", _("Middle")
        HIGH = "high", _("High")
        K8 = "k8", _("K–8")
        K12 = "k12", _("K–12")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="schools",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    # Null, not "", when absent: roster upserts need a plain unique index on it.
    sourced_id = models.CharField(_("roster id"), max_length=255, null=True, blank=True)  # noqa: DJ001
    grade_band = models.CharField(_("grade band"), max_length=20, choices=GradeBand.choices)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    feeds_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feeder_schools",
        verbose_name=_("feeds into"),
        help_text=_("The school most students go on to (elementary → middle → high)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sourced_id"],
                name="school_unique_sourced_id",
            ),
            models.CheckConstraint(
                condition=~Q(feeds_into=models.F("id")), name="school_does_not_feed_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.feeds_into_id and self.feeds_into.organization_id != self.organization_id:
            raise ValidationError(
                {"feeds_into": _("A school can only feed a school of its own organization.")}
            )


class Partnership(models.Model):
    """A partner organization's access to some schools of another organization.

    FERPA lets a school share records with a partner acting for it, for a purpose: the
    scope says whether partner staff see families' contact details or only aggregates.
    """

    class Scope(models.TextChoices):
        ROSTER = "roster", _("Families' names and contacts at these schools")
        AGGREGATE = "aggregate", _("Aggregate reports only")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="partnerships_granted",
        verbose_name=_("organization that owns the data"),
    )
    partner = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("partner organization"),
    )
    schools = models.ManyToManyField(School, related_name="partnerships", verbose_name=_("schools"))
    scope = models.CharField(
        _("scope"), max_length=20, choices=Scope.choices, default=Scope.AGGREGATE
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(organization=models.F("partner")), name="partnership_not_with_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.organization}"


class Household(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="households",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("household name"), max_length=200)
    external_id = models.CharField(  # noqa: DJ001
        _("id in the source file"), max_length=255, null=True, blank=True
    )
    # When the household was last reached by a message and last heard from; the messaging
    # app keeps these current so "not yet reached" is one indexed filter.
    last_reached_at = models.DateTimeField(_("last reached"), null=True, blank=True)
    last_heard_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                name="household_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "name"]),
            models.Index(fields=["organization", "last_reached_at"]),
            # The directory's "not yet reached" list, already in its order.
            models.Index(
                fields=["organization", "name"],
                condition=Q(last_reached_at__isnull=True),
                name="household_not_reached",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Caregiver(models.Model):
    class Relationship(models.TextChoices):
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        GUARDIAN = "guardian", _("Guardian")
        FOSTER_PARENT = "foster_parent", _("Foster parent")
        OTHER = "other", _("Other relative or caregiver")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="caregivers",
        verbose_name=_("organization"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="caregivers", verbose_name=_("household")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caregiver",
        verbose_name=_("sign-in account"),
    )
    # Null, not "", when absent: roster upserts need a plain unique index on it.
    sourced_id = models.CharField(_("roster id"), max_length=255, null=True, blank=True)  # noqa: DJ001
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, default=Relationship.PARENT
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=35,
        default="en",
        validators=[validate_language_tag],
        help_text=_("A BCP 47 language tag, for example es, vi, so, zh-Hant."),
    )
    needs_childcare = models.BooleanField(_("needs childcare"), default=False)
    needs_transportation = models.BooleanField(_("needs transportation"), default=False)
    needs_interpretation = models.BooleanField(_("needs interpretation"), default=False)
    accessibility_note = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    # Optional demographics in the family's own words; see directory.demographics.
    self_described = models.JSONField(_("self-described background"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("caregiver")
        verbose_name_plural = _("caregivers")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sourced_id"],
                name="caregiver_unique_sourced_id",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "preferred_language"]),
            # The directory's filters and order (tandem.directory.selectors). "zh" finds
            # zh-Hant with LIKE 'zh-%', which PostgreSQL indexes only with pattern ops.
            models.Index(
                fields=["preferred_language"],
                opclasses=["varchar_pattern_ops"],
                name="caregiver_language_prefix",
            ),
            models.Index(
                fields=["organization", "family_name", "given_name", "id"],
                name="caregiver_directory_order",
            ),
            models.Index(fields=["organization", "relationship"], name="caregiver_relationship"),
            # Few caregivers have each need: partial indexes stay small.
            models.Index(
                fields=["household"],
                condition=Q(needs_childcare=True),
                name="caregiver_needs_childcare",
            ),
            models.Index(
                fields=["household"],
                condition=Q(needs_transportation=True),
                name="caregiver_needs_transportation",
            ),
            models.Index(
                fields=["household"],
                condition=Q(needs_interpretation=True),
                name="caregiver_needs_interpretation",
            ),
            models.Index(
                fields=["household"],
                condition=~Q(accessibility_note=""),
                name="caregiver_needs_accessibility",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class ContactPoint(models.Model):
    """A phone number or email address of a caregiver, with consent and verification."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Mobile phone")
        EMAIL = "email", _("Email")

    caregiver = models.ForeignKey(
        Caregiver,
        on_delete=models.CASCADE,
        related_name="contact_points",
        verbose_name=_("caregiver"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("number or address"), max_length=254)
    consent = models.BooleanField(
        _("agreed to be contacted here"),
        default=False,
        help_text=_("For a phone, consent to text messages; for an email address, to email."),
    )
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    is_preferred = models.BooleanField(_("preferred"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_preferred", "kind", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(
                fields=["caregiver", "kind", "value"], name="contact_point_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}"


class AvailabilityWindow(models.Model):
    """When a caregiver can usually take part: a weekday and a time range (local time)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    caregiver = models.ForeignKey(
        Caregiver,
        on_delete=models.CASCADE,
        related_name="availability",
        verbose_name=_("caregiver"),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        # Covers the directory's "available weekends / evenings" filters.
        indexes = [
            models.Index(
                fields=["weekday", "starts_at", "ends_at", "caregiver"],
                name="availability_by_time",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="availability_starts_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Student(models.Model):
    """A student: school and grade only. No grades, scores or records of any kind."""

    class Grade(models.TextChoices):
        # OneRoster 1.2 grade codes (CEDS), the vocabulary roster exports use.
        INFANT = "IT", _("Infant/toddler")
        PRESCHOOL = "PR", _("Preschool")
        PREK = "PK", _("Pre-kindergarten")
        TK = "TK", _("Transitional kindergarten")
        K = "KG", _("Kindergarten")
        G1 = "01", _("Grade 1")
        G2 = "02", _("Grade 2")
        G3 = "03", _("Grade 3")
        G4 = "04", _("Grade 4")
        G5 = "05", _("Grade 5")
        G6 = "06", _("Grade 6")
        G7 = "07", _("Grade 7")
        G8 = "08", _("Grade 8")
        G9 = "09", _("Grade 9")
        G10 = "10", _("Grade 10")
        G11 = "11", _("Grade 11")
        G12 = "12", _("Grade 12")
        G13 = "13", _("Grade 13")
        POSTSECONDARY = "PS", _("Postsecondary")
        UNGRADED = "UG", _("Ungraded")
        OTHER = "Other", _("Other")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="students",
        verbose_name=_("organization"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="students", verbose_name=_("household")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    # Null, not "", when absent: roster upserts need a plain unique index on it.
    sourced_id = models.CharField(_("roster id"), max_length=255, null=True, blank=True)  # noqa: DJ001
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=5, choices=Grade.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sourced_id"],
                name="student_unique_sourced_id",
            ),
        ]
        indexes = [models.Index(fields=["school", "household"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class StaffMember(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        COUNSELOR = "counselor", _("Counselor")
        OFFICE_STAFF = "office_staff", _("Office staff")
        PRINCIPAL = "principal", _("Principal")
        PARENT_COORDINATOR = "parent_coordinator", _("Parent coordinator")
        COMMUNITY_REPRESENTATIVE = "community_representative", _("Community representative")
        FAMILY_ENGAGEMENT_LEAD = "family_engagement_lead", _("Family engagement lead")
        DISTRICT_FACE = "district_face", _("District family-engagement staff")
        PARTNER_STAFF = "partner_staff", _("Partner staff")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="staff", verbose_name=_("organization")
    )
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        verbose_name=_("school"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_records",
        verbose_name=_("sign-in account"),
    )
    # Null, not "", when absent: roster upserts need a plain unique index on it.
    sourced_id = models.CharField(_("roster id"), max_length=255, null=True, blank=True)  # noqa: DJ001
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("BCP 47 tags.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sourced_id"],
                name="staff_unique_sourced_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()
