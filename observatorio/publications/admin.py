from django.contrib import admin

from .models import GeneratedDocument, Release, ReleaseFile


class NoAddOrChange:
    """Admin (or inline) for rows the site writes itself: nobody adds or edits one here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReleaseFileInline(NoAddOrChange, admin.TabularInline):
    model = ReleaseFile
    fields = ["name", "media_type", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Release)
class ReleaseAdmin(NoAddOrChange, admin.ModelAdmin):
    """Read-only: releases are published with ``observatorio publish_release`` and never change."""

    list_display = ["number", "created_at", "created_by", "programs", "note"]
    fields = ["number", "created_at", "created_by", "note", "cycles", "programs", "data_hash"]
    readonly_fields = fields
    inlines = [ReleaseFileInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(NoAddOrChange, admin.ModelAdmin):
    """Generated compendiums and factsheets: read-only; delete old ones to free space."""

    list_display = ["id", "kind", "cycle", "state", "format", "status", "progress", "requested_at"]
    list_filter = ["kind", "format", "status", "cycle"]
    exclude = ["content"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "content"]
