from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Program, ReportingCycle


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["edition", "name", "period_start", "period_end", "published_on"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "actor",
        "section",
        "state",
        "challenges_status",
        "source_lines",
    ]
    list_display_links = ["code", "title"]
    list_filter = ["cycle", "section", "objective", "state", "challenges_status", "institutions"]
    search_fields = ["title", "actor", "description", "results", "challenges"]
    list_select_related = ["objective", "state", "source"]
    filter_horizontal = ["institutions"]
    readonly_fields = ["source", "source_first_line", "source_last_line", "import_warnings"]
    fieldsets = [
        (None, {"fields": ["cycle", "section", "objective", "number", "title", "actor"]}),
        (_("Quién reporta"), {"fields": ["institutions", "state"]}),
        (
            _("Contenido"),
            {
                "fields": [
                    "description",
                    "results",
                    "results_status",
                    "challenges",
                    "challenges_status",
                ]
            },
        ),
        (
            _("Procedencia"),
            {"fields": ["source", "source_first_line", "source_last_line", "import_warnings"]},
        ),
    ]

    @admin.display(description=_("objetivo.número"), ordering="objective__number")
    def code(self, obj):
        return f"{obj.objective.number}.{obj.number}"

    @admin.display(description=_("líneas en la fuente"), ordering="source_first_line")
    def source_lines(self, obj):
        if obj.source_first_line is None:
            return "—"
        return f"{obj.source_first_line}–{obj.source_last_line}"
