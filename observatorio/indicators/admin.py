from django.contrib import admin

from .models import Indicator, Value


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "unit", "kind", "frequency", "measure", "min_cell")
    list_filter = ("kind", "frequency", "measure", "objectives")
    search_fields = ("code", "name_es", "name_en")
    filter_horizontal = ("objectives",)
    raw_id_fields = ("numerator", "denominator")


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period", "state", "sex", "age_group", "value", "review")
    list_filter = ("review", "status", "origin", "period")
    search_fields = ("indicator__code",)
    raw_id_fields = ("indicator", "source")
