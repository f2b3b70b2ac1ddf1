from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CRITERIA, GoodPractice, PanoramaFigure, PracticeRating

CRITERIA_FIELDS = [f for key in CRITERIA for f in (f"{key}_mark", f"{key}_justification")]


class PracticeRatingInline(admin.StackedInline):
    model = PracticeRating
    extra = 0
    fields = ["rater", *CRITERIA_FIELDS]
    autocomplete_fields = ["rater"]


@admin.register(GoodPractice)
class GoodPracticeAdmin(admin.ModelAdmin):
    list_display = ["state", "number", "title", "qualification_display", "marks_from"]
    list_display_links = ["number", "title"]
    list_filter = ["region", "state", "marks_from", *[f"{key}_mark" for key in CRITERIA]]
    search_fields = ["title", "coordinating_institution", "description", "target_population"]
    list_select_related = ["state"]
    filter_horizontal = ["institutions", "populations", "objectives"]
    autocomplete_fields = ["program"]
    readonly_fields = ["source", "source_first_line", "source_last_line", "import_warnings"]
    inlines = [PracticeRatingInline]
    fieldsets = [
        (None, {"fields": ["state", "region", "number", "title"]}),
        (
            _("Ficha"),
            {"fields": [*GoodPractice.FICHA, "program", "objectives"]},
        ),
        (
            _("Criterios"),
            {
                "fields": [
                    "marks_from",
                    *CRITERIA_FIELDS,
                    "justification_text",
                    "justifications_separated",
                ]
            },
        ),
        (
            _("Procedencia"),
            {"fields": ["source", "source_first_line", "source_last_line", "import_warnings"]},
        ),
    ]

    @admin.display(description=_("calificación"))
    def qualification_display(self, obj):
        return obj.qualification.label


@admin.register(PanoramaFigure)
class PanoramaFigureAdmin(admin.ModelAdmin):
    list_display = [
        "scope_as_printed",
        "indicator",
        "value_as_printed",
        "unit",
        "period",
        "source_line",
        "flags",
    ]
    list_filter = ["scope_kind", "state", "region", "unit"]
    search_fields = ["indicator", "scope_as_printed", "source_cited"]
