"""The administrators' view of assistance: the trained models (without their bytes), the
records of suggestion and choice, and the reviewers' links. All read-only: models are made
by ``train_suggestions``, records by the workflow, links by reviewers on a report's page."""

from django.contrib import admin

from . import models


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.SuggestionModel)
class SuggestionModelAdmin(ReadOnly):
    list_display = ["pk", "trained_at", "programs", "data_version", "reason"]
    exclude = ["payload"]


@admin.register(models.SuggestionRecord)
class SuggestionRecordAdmin(ReadOnly):
    list_display = ["program", "cycle", "event", "chosen", "rank", "at"]
    list_filter = ["cycle", "event", "rank"]
    raw_id_fields = ["program"]


@admin.register(models.ProgramLink)
class ProgramLinkAdmin(ReadOnly):
    list_display = ["first", "second", "kind", "by", "at"]
    list_filter = ["kind"]
    raw_id_fields = ["first", "second"]
