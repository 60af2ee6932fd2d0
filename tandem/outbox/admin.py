"""Operators' view of the local outbox."""

from django.contrib import admin

from tandem.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "to", "subject")
    list_filter = ("channel",)
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    readonly_fields = ("channel", "to", "subject", "body", "created_at")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False
