"""Translation in Django's admin, for operators: requests, memory, glossary, policies.

Foreign keys to users are raw id inputs; list pages join what they show.
"""

from django.contrib import admin

from tandem.translation.models import (
    GlossaryTerm,
    MemorySegment,
    TranslationPolicy,
    TranslationRequest,
)


@admin.register(TranslationRequest)
class TranslationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "organization",
        "source_language",
        "target_language",
        "status",
        "origin",
        "purpose",
        "object_id",
        "created_at",
    ]
    list_filter = ["status", "origin", "target_language"]
    list_select_related = ["organization"]
    search_fields = ["purpose", "object_id"]
    raw_id_fields = ["organization", "reviewed_by"]
    readonly_fields = ["source_key", "created_at", "updated_at"]
    show_full_result_count = False


@admin.register(MemorySegment)
class MemorySegmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "organization", "source_language", "target_language", "approved_at"]
    list_filter = ["target_language"]
    list_select_related = ["organization"]
    search_fields = ["source_text", "approved_text"]
    raw_id_fields = ["organization", "approved_by"]
    readonly_fields = ["source_key", "source_length"]
    show_full_result_count = False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "target_language", "rendering", "organization", "updated_at"]
    list_filter = ["target_language"]
    list_select_related = ["organization"]
    search_fields = ["term", "rendering"]
    raw_id_fields = ["organization", "updated_by"]
    readonly_fields = ["term_key"]


@admin.register(TranslationPolicy)
class TranslationPolicyAdmin(admin.ModelAdmin):
    list_display = ["organization", "send_machine_drafts", "updated_at"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization", "updated_by"]
