from django.contrib import admin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "state", "institution", "started_on", "ended_on"]
    list_filter = ["role", "state"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "institution"]
    date_hierarchy = "started_on"
