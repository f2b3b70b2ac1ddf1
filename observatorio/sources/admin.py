from django.contrib import admin

from .models import ImportRun, SourceDocument


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "file_name", "year", "line_count", "sha256"]
    readonly_fields = ["sha256", "line_count"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "importer", "document", "created", "updated", "unchanged"]
    list_filter = ["importer", "document"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
