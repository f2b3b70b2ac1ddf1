from django.contrib import admin

from .models import GcmObjective, Institution, Pillar, PopulationGroup, Region, Sdg, State


def alias_inline(owner) -> type[admin.TabularInline]:
    """The inline that edits the printed variants (``aliases``) of an *owner* catalogue entry."""
    alias = owner.aliases.rel.related_model
    return type(
        f"{alias.__name__}Inline",
        (admin.TabularInline,),
        {"model": alias, "fields": ["text"], "extra": 1},
    )


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["inegi_code", "name", "official_name", "iso_code"]
    search_fields = ["name", "official_name", "aliases__text", "inegi_code", "iso_code"]
    inlines = [alias_inline(State)]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "code"]
    list_filter = ["scheme"]
    filter_horizontal = ["members"]


@admin.register(GcmObjective)
class GcmObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "title_es", "short_es"]
    search_fields = ["title_es", "title_en", "aliases__text"]
    inlines = [alias_inline(GcmObjective)]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "type", "order", "state", "parent"]
    list_filter = ["type", "order", "state"]
    search_fields = ["acronym", "name", "aliases__text"]
    autocomplete_fields = ["parent"]
    inlines = [alias_inline(Institution)]


@admin.register(PopulationGroup)
class PopulationGroupAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "code"]
    search_fields = ["name_es", "name_en"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "name_es"]


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "name_es", "name_en"]
