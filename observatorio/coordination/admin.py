"""The administrators' view of coordination records (events of a body are recorded here)."""

from django.contrib import admin

from . import models, models_states


class BodyNameInline(admin.TabularInline):
    model = models.BodyName
    extra = 0
    fields = ["name", "source", "first_line", "last_line"]


class BodyEventInline(admin.TabularInline):
    model = models.BodyEvent
    fk_name = "body"
    extra = 0
    fields = ["kind", "date", "session", "former_name", "merged_into", "note"]
    raw_id_fields = ["session", "merged_into"]


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "state", "parent", "public"]
    list_filter = ["kind", "state", "public"]
    search_fields = ["name", "acronym", "key"]
    raw_id_fields = ["parent", "lead_institution"]
    inlines = [BodyNameInline, BodyEventInline]


@admin.register(models.Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["body", "institution", "person", "role", "sector", "started_on", "ended_on"]
    list_filter = ["role", "sector"]
    raw_id_fields = ["body", "institution", "user"]


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["body", "date", "kind", "number", "public", "minutes_public"]
    list_filter = ["kind", "public"]
    raw_id_fields = ["body", "convened_by", "minutes"]
    filter_horizontal = ["attending", "linked"]
    exclude = ["minutes"]


class NoteInline(admin.TabularInline):
    model = models.AgreementNote
    extra = 0
    fields = ["on", "kind", "status_to", "text"]


@admin.register(models.Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["text", "body", "due_on", "status", "public"]
    list_filter = ["status", "public"]
    raw_id_fields = ["body", "session"]
    filter_horizontal = ["responsible"]
    inlines = [NoteInline]


@admin.register(models_states.InformationRequest)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["title", "deadline", "closed"]
    filter_horizontal = ["states"]
    exclude = ["attachments"]


@admin.register(models_states.RequestAnswer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["request", "state", "status", "answered_at"]
    exclude = ["files"]


admin.site.register(models.ServiceCentre)
admin.site.register(models_states.ModelPoint)
admin.site.register(models_states.Proposal)
admin.site.register(models_states.InstallationStep, exclude=["files"])
