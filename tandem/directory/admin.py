"""The directory in Django's admin, for operators.

Tables hold hundreds of thousands of rows: foreign keys to households, caregivers and
users are raw id inputs (never a select of every row), list pages join what they show,
and result counts are not computed on the big tables.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "time_zone", "phone_region", "sms_number"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "sourced_id"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "grade_band", "feeds_into", "time_zone"]
    list_filter = ["grade_band", "organization"]
    list_select_related = ["organization", "feeds_into"]
    search_fields = ["name", "sourced_id"]
    autocomplete_fields = ["organization", "feeds_into"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["partner", "organization", "scope", "starts_on", "ends_on"]
    list_filter = ["scope"]
    list_select_related = ["partner", "organization"]
    search_fields = ["partner__name", "organization__name", "purpose"]
    autocomplete_fields = ["organization", "partner", "schools"]


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = ["kind", "value", "consent", "consent_changed_at", "verified_at", "is_preferred"]
    readonly_fields = ["consent_changed_at"]


class AvailabilityWindowInline(admin.TabularInline):
    model = AvailabilityWindow
    extra = 0


class ReadOnlyInline(admin.TabularInline):
    """Who belongs to a household, each with a link to its own change page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class CaregiverInline(ReadOnlyInline):
    model = Caregiver
    fields = ["given_name", "family_name", "relationship", "preferred_language"]


class StudentInline(ReadOnlyInline):
    model = Student
    fields = ["given_name", "family_name", "school", "grade"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "last_reached_at", "last_heard_at", "created_at"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["organization"]
    show_full_result_count = False
    inlines = [CaregiverInline, StudentInline]


@admin.register(Caregiver)
class CaregiverAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "household",
        "relationship",
        "preferred_language",
        "needs_childcare",
        "needs_transportation",
        "needs_interpretation",
    ]
    list_filter = [
        "relationship",
        "needs_childcare",
        "needs_transportation",
        "needs_interpretation",
        "organization",
    ]
    list_select_related = ["household"]
    search_fields = ["given_name", "family_name", "sourced_id", "household__name"]
    raw_id_fields = ["organization", "household", "user"]
    show_full_result_count = False
    inlines = [ContactPointInline, AvailabilityWindowInline]

    @admin.display(description=_("name"), ordering="family_name")
    def full_name(self, caregiver: Caregiver) -> str:
        return caregiver.full_name


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["caregiver", "kind", "consent", "verified_at", "is_preferred"]
    list_filter = ["kind", "consent"]
    list_select_related = ["caregiver"]
    # Exact matches only: a contains-search over every address would scan the table.
    search_fields = ["=value"]
    raw_id_fields = ["caregiver"]
    readonly_fields = ["consent_changed_at"]
    show_full_result_count = False


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["given_name", "family_name", "school", "grade", "household"]
    list_filter = ["grade", "school"]
    list_select_related = ["school", "household"]
    search_fields = ["given_name", "family_name", "sourced_id"]
    raw_id_fields = ["organization", "household", "school"]
    show_full_result_count = False


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["given_name", "family_name", "role", "organization", "school"]
    list_filter = ["role", "organization"]
    list_select_related = ["organization", "school"]
    search_fields = ["given_name", "family_name", "email", "sourced_id"]
    raw_id_fields = ["organization", "school", "user"]
