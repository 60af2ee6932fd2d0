"""Operators see roster imports (status and counts) but cannot change them: the report
may hold values from the files, and imports change only through their own flow."""

from django.contrib import admin

from tandem.rosters.models import RosterImport


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "created_at", "status", "format", "problems_total"]
    list_filter = ["status", "format"]
    list_select_related = ["organization"]
    fields = [
        "organization",
        "uploaded_by",
        "created_at",
        "finished_at",
        "status",
        "format",
        "file_names",
        "upload_bytes",
        "import_valid_rows",
        "counts",
        "result",
        "problems_total",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
