"""The administrators' view of the registry: centres, their services, the needs catalogue
and who works where. People, their contacts and referrals are not here: they are read only
by the staff of the centre that holds them, through the registry's pages."""

from django.contrib import admin

from . import models


class ServiceInline(admin.TabularInline):
    model = models.Service
    extra = 0
    fields = ["need", "name", "institution", "active", "source_lines"]
    raw_id_fields = ["institution"]


@admin.register(models.Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "state", "municipality", "operator", "phase", "active"]
    list_filter = ["state", "phase", "active"]
    search_fields = ["name", "code", "municipality"]
    readonly_fields = ["code", "source", "source_lines"]
    filter_horizontal = ["institutions"]
    inlines = [ServiceInline]


@admin.register(models.Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "name_en", "order"]
    readonly_fields = ["code"]


@admin.register(models.StaffPost)
class StaffPostAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "state", "data_officer", "started_on", "ended_on"]
    list_filter = ["data_officer", "state"]
    raw_id_fields = ["user"]
