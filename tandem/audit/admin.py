"""Operators' read-only view of the audit log."""

from django.contrib import admin

from tandem.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "object_type", "object_id", "actor", "organization")
    list_filter = ("action", "object_type")
    list_select_related = ("actor", "organization")
    search_fields = ("action", "object_id")
    date_hierarchy = "at"
    raw_id_fields = ("actor", "organization")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
