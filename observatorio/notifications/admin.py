from django.contrib import admin

from .models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at", "emailed"]
    list_filter = ["kind", "emailed"]
    search_fields = ["title", "user__username"]
    readonly_fields = ["user", "kind", "title", "body", "url", "created_at", "read_at", "emailed"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email"]
