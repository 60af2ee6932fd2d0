"""Writing the demo district to the database, finding it again, and removing it.

Organizations, schools and the partnership go through the directory services. Staff
accounts and households are written with `bulk_create` (households one transaction per
batch, so half a million of them fit in bounded memory) after the same validation the
services do: memberships are cleaned here, household values by the directory's
normalizers in `families.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import batched
from time import perf_counter

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from tandem.accounts.models import Membership, User
from tandem.accounts.roles import Role
from tandem.audit.services import record
from tandem.directory.demo import schools as demo_schools
from tandem.directory.demo.families import FamilyGenerator, HouseholdPlan, phone_capacity
from tandem.directory.demo.staff import DEMO_PASSWORD, staff_plans
from tandem.directory.models import (
    AvailabilityWindow,
    Caregiver,
    ContactPoint,
    Household,
    Organization,
    Partnership,
    School,
    StaffMember,
    Student,
)
from tandem.directory.services import create_organization, create_partnership, create_school

DISTRICT_NAME = "Riverside Unified School District"
DISTRICT_SLUG = "riverside-usd"
# The district carries this slug until its last household is written: a build that was
# interrupted is recognized and started again rather than reused half-made.
UNFINISHED_DISTRICT_SLUG = "riverside-usd-unfinished"
PARTNER_NAME = "Bridges Family Partnership"
PARTNER_SLUG = "bridges-family-partnership"
DEMO_SLUGS = (DISTRICT_SLUG, UNFINISHED_DISTRICT_SLUG, PARTNER_SLUG)
TIME_ZONE = "America/Chicago"
FAMILY_PERSONA_EXTERNAL_ID = "RUSD-H0000001"

HOUSEHOLDS_PER_BATCH = 1000
# The tables a build fills and a reset empties, a batch at a time.
HOUSEHOLD_TABLES = (Household, Caregiver, ContactPoint, AvailabilityWindow, Student)
# Each household has at most two caregivers, each with at most one phone number.
MAX_HOUSEHOLDS = phone_capacity() // 2


@dataclass(frozen=True)
class DemoSummary:
    households: int
    caregivers: int
    students: int
    staff_accounts: int
    schools: int
    seconds: float


@dataclass(frozen=True)
class StaffSignIn:
    role: Role
    name: str
    email: str
    place: str  # the school, or the organization for organization-wide roles


@dataclass(frozen=True)
class FamilySignIn:
    name: str
    phone: str
    email: str


def demo_district() -> Organization | None:
    """The finished demo district, if one has been built."""
    return Organization.objects.filter(slug=DISTRICT_SLUG).first()


def build_demo_district(
    *,
    households: int = 3000,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Build the demo district: the same seed and size give the same district.

    Removes what an interrupted build left behind first; refuses to build a second
    district next to a finished one (reset it first). `progress` is called with the
    number of households written after each batch.
    """
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise ValueError(f"households must be between 1 and {MAX_HOUSEHOLDS}")
    if demo_district() is not None:
        raise ValueError("The demo district already exists; reset it first.")
    started = perf_counter()
    now = timezone.now()
    reset_demo_district()
    with transaction.atomic():
        district, partner, schools = _create_organizations()
        staff_accounts = _create_staff(
            seed=seed, district=district, partner=partner, schools=schools
        )

    school_ids = {key: school.pk for key, school in schools.items()}
    caregivers = students = written = 0
    for plans in batched(FamilyGenerator(seed).households(households), HOUSEHOLDS_PER_BATCH):
        with transaction.atomic():
            batch_caregivers, batch_students = _write_households(
                district=district, school_ids=school_ids, plans=plans, now=now
            )
        caregivers += batch_caregivers
        students += batch_students
        written += len(plans)
        if progress is not None:
            progress(written)

    _refresh_statistics()
    with transaction.atomic():
        # Reviewed translations of the sample messages: the demo sends them in every
        # family's language with no translation engine installed.
        from tandem.translation.demo import install_demo_translations

        install_demo_translations(district)
        # A listening campaign with answers and themes, ready to review.
        from tandem.listening.demo import install_demo_listening

        install_demo_listening(district)
        # A Parent College year half-way through, with attendance and answers to the
        # next session; programs for educators and parent coordinators.
        from tandem.programs.demo import install_demo_programs

        install_demo_programs(district)
        Organization.objects.filter(pk=district.pk).update(slug=DISTRICT_SLUG)
        record(
            actor=None,
            action="demo.build",
            organization_id=district.pk,
            households=written,
            seed=seed,
        )
    return DemoSummary(
        households=written,
        caregivers=caregivers,
        students=students,
        staff_accounts=staff_accounts,
        schools=len(schools),
        seconds=perf_counter() - started,
    )


def reset_demo_district() -> None:
    """Remove the demo organizations, everything they hold, and their people's accounts.

    Households go in batches, so removing a large district stays within bounded memory;
    accounts that also belong to another organization are kept.
    """
    organizations = Organization.objects.filter(slug__in=DEMO_SLUGS)
    member_ids = set(
        Membership.objects.filter(organization__in=organizations).values_list("user_id", flat=True)
    )
    family_ids = set(
        Caregiver.objects.filter(organization__in=organizations, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    _refresh_statistics()
    households = Household.objects.filter(organization__in=organizations).order_by("pk")
    while batch := list(households.values_list("pk", flat=True)[:HOUSEHOLDS_PER_BATCH]):
        with transaction.atomic():
            Household.objects.filter(pk__in=batch).delete()
    with transaction.atomic():
        elsewhere = Membership.objects.exclude(organization__in=organizations).values("user_id")
        organizations.delete()
        User.objects.filter(pk__in=member_ids | family_ids).exclude(pk__in=elsewhere).delete()


def demo_sign_ins() -> tuple[list[StaffSignIn], FamilySignIn | None]:
    """One staff account for every role (at the family persona's school where the role
    is held at a school), and the family persona's phone and email."""
    memberships = (
        Membership.objects.filter(organization__slug__in=DEMO_SLUGS, is_active=True)
        .select_related("user", "school", "organization")
        .order_by("pk")
    )
    sign_in_school = demo_schools.sourced_id(demo_schools.SIGN_IN_SCHOOL)

    def preferred_first(membership: Membership) -> tuple[bool, int]:
        school = membership.school
        return (school is not None and school.sourced_id != sign_in_school, membership.pk)

    chosen: dict[str, Membership] = {}
    for membership in sorted(memberships, key=preferred_first):
        chosen.setdefault(membership.role, membership)
    staff = [
        StaffSignIn(
            role=Role(role),
            name=chosen[role].user.name,
            email=chosen[role].user.email,
            place=str(chosen[role].school or chosen[role].organization),
        )
        for role in Role
        if role in chosen
    ]

    caregiver = (
        Caregiver.objects.filter(
            household__external_id=FAMILY_PERSONA_EXTERNAL_ID,
            organization__slug__in=DEMO_SLUGS,
        )
        .prefetch_related("contact_points")
        .order_by("pk")
        .first()
    )
    if caregiver is None:
        return staff, None
    contacts = {point.kind: point.value for point in caregiver.contact_points.all()}
    family = FamilySignIn(
        name=caregiver.full_name,
        phone=contacts.get(ContactPoint.Kind.PHONE, ""),
        email=contacts.get(ContactPoint.Kind.EMAIL, ""),
    )
    return staff, family


def _refresh_statistics() -> None:
    """Let the query planner know how big the household tables have become.

    After a bulk load, PostgreSQL's advice is to run ANALYZE ("Populating a Database"):
    until autovacuum does, the planner believes the tables are as small as when it last
    looked, and may scan a whole index for each batch of a reset (25 s a batch at
    500,000 households). SQLite's planner reads the same statement.
    """
    with connection.cursor() as cursor:
        for model in HOUSEHOLD_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _create_organizations() -> tuple[Organization, Organization, dict[str, School]]:
    district = create_organization(
        name=DISTRICT_NAME, kind="district", slug=UNFINISHED_DISTRICT_SLUG, time_zone=TIME_ZONE
    )
    partner = create_organization(
        name=PARTNER_NAME, kind="nonprofit", slug=PARTNER_SLUG, time_zone=TIME_ZONE
    )
    schools: dict[str, School] = {}
    for plan in demo_schools.SCHOOLS:
        schools[plan.key] = create_school(
            organization=district,
            name=plan.name,
            grade_band=plan.grade_band,
            feeds_into=schools[plan.feeds_into] if plan.feeds_into else None,
            sourced_id=demo_schools.sourced_id(plan.key),
        )
    create_partnership(
        organization=district,
        partner=partner,
        schools=[schools[plan.key] for plan in demo_schools.SCHOOLS if plan.partner_school],
        scope=Partnership.Scope.ROSTER,
        purpose="Parent Centers, Family Action Team coaching and Parent College",
        starts_on=date(2024, 8, 1),
    )
    return district, partner, schools


def _create_staff(
    *, seed: int, district: Organization, partner: Organization, schools: dict[str, School]
) -> int:
    plans = staff_plans(seed)
    # One hash for the one shared password: hashing it once per account would take
    # most of a minute and protect nothing, as the password is printed on screen.
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=plan.email,
            name=plan.name,
            password=password,
            # Parent leaders review translations in the languages they read.
            review_languages=list(plan.languages) if plan.role == Role.PARENT_LEADER else [],
        )
        for plan in plans
    )
    organizations = {"district": district, "partner": partner}
    memberships = []
    records = []
    for plan, user in zip(plans, users, strict=True):
        organization = organizations[plan.organization]
        school = schools[plan.school] if plan.school else None
        membership = Membership(user=user, organization=organization, role=plan.role, school=school)
        # The checks grant_membership makes, without its query per account.
        membership.full_clean(validate_unique=False, validate_constraints=False)
        memberships.append(membership)
        if plan.has_staff_record:
            records.append(
                StaffMember(
                    organization=organization,
                    school=school,
                    user=user,
                    role=plan.role.value,
                    given_name=plan.given_name,
                    family_name=plan.family_name,
                    email=plan.email,
                    languages=list(plan.languages),
                )
            )
    Membership.objects.bulk_create(memberships)
    StaffMember.objects.bulk_create(records)
    return len(users)


def _write_households(
    *,
    district: Organization,
    school_ids: dict[str, int],
    plans: tuple[HouseholdPlan, ...],
    now: datetime,
) -> tuple[int, int]:
    """Write one batch of households; returns how many caregivers and students.

    Rows refer to each other by id (`household_id=`), which spares Django's related-object
    bookkeeping on hundreds of thousands of rows.
    """
    households = Household.objects.bulk_create(
        Household(
            organization_id=district.pk,
            name=plan.name,
            external_id=plan.external_id,
            last_reached_at=now - plan.last_reached_ago if plan.last_reached_ago else None,
            last_heard_at=now - plan.last_heard_ago if plan.last_heard_ago else None,
        )
        for plan in plans
    )
    caregiver_plans = [
        (household, caregiver)
        for household, plan in zip(households, plans, strict=True)
        for caregiver in plan.caregivers
    ]
    caregivers = Caregiver.objects.bulk_create(
        Caregiver(
            organization_id=district.pk,
            household_id=household.pk,
            given_name=plan.given_name,
            family_name=plan.family_name,
            relationship=plan.relationship,
            preferred_language=plan.language,
            needs_childcare=plan.needs_childcare,
            needs_transportation=plan.needs_transportation,
            needs_interpretation=plan.needs_interpretation,
            accessibility_note=plan.accessibility_note,
            self_described=plan.self_described,
        )
        for household, plan in caregiver_plans
    )
    contact_points = []
    windows = []
    for caregiver, (_household, plan) in zip(caregivers, caregiver_plans, strict=True):
        if plan.phone:
            contact_points.append(
                ContactPoint(
                    caregiver_id=caregiver.pk,
                    kind=ContactPoint.Kind.PHONE,
                    value=plan.phone,
                    consent=plan.sms_consent,
                    consent_changed_at=now,
                    verified_at=now if plan.phone_verified else None,
                    is_preferred=True,
                )
            )
        if plan.email:
            contact_points.append(
                ContactPoint(
                    caregiver_id=caregiver.pk,
                    kind=ContactPoint.Kind.EMAIL,
                    value=plan.email,
                    consent=plan.email_consent,
                    consent_changed_at=now,
                    is_preferred=not plan.phone,
                )
            )
        windows.extend(
            AvailabilityWindow(caregiver_id=caregiver.pk, weekday=day, starts_at=start, ends_at=end)
            for day, start, end in plan.availability
        )
    ContactPoint.objects.bulk_create(contact_points)
    AvailabilityWindow.objects.bulk_create(windows)
    students = Student.objects.bulk_create(
        Student(
            organization_id=district.pk,
            household_id=household.pk,
            school_id=school_ids[student.school],
            given_name=student.given_name,
            family_name=student.family_name,
            grade=student.grade,
        )
        for household, plan in zip(households, plans, strict=True)
        for student in plan.students
    )
    return len(caregivers), len(students)
