from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import AdminLoginForm
from .models import ApiToken, Membership

# The admin's log-in page explains a refusal by the log-in throttle too.
admin.site.login_form = AdminLoginForm


class InForceFilter(admin.SimpleListFilter):
    title = _("vigencia")
    parameter_name = "vigencia"

    def lookups(self, request, model_admin):
        return [
            ("vigente", _("Vigentes hoy")),
            ("terminada", _("Terminadas")),
            ("por-iniciar", _("Por iniciar")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "vigente":
            return queryset.current(today)
        if self.value() == "terminada":
            return queryset.filter(ended_on__lte=today)
        if self.value() == "por-iniciar":
            return queryset.filter(
                Q(started_on__gt=today), Q(ended_on__isnull=True) | Q(ended_on__gt=today)
            )
        return queryset


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "state", "institution", "started_on", "ended_on", "in_force"]
    list_filter = [InForceFilter, "role", "state"]
    list_select_related = ["user", "state", "institution"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "state__name",
        "institution__acronym",
    ]
    autocomplete_fields = ["user", "institution"]
    date_hierarchy = "started_on"
    # Filtered by state and role, the list reads as that state's history, newest first.
    ordering = ["state__inegi_code", "role", "-started_on", "user__username"]
    actions = ["end_membership"]

    @admin.display(boolean=True, description=_("vigente"))
    def in_force(self, obj):
        return obj.is_current

    @admin.action(description=_("Terminar hoy"), permissions=["change"])
    def end_membership(self, request, queryset):
        """End the selected memberships today; they stay listed as history."""
        with transaction.atomic():
            ended = sum(1 for membership in queryset if membership.end())
        skipped = queryset.count() - ended
        if ended:
            self.message_user(
                request,
                ngettext(
                    "Se terminó hoy %(count)d función; queda en el historial.",
                    "Se terminaron hoy %(count)d funciones; quedan en el historial.",
                    ended,
                )
                % {"count": ended},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d función ya había terminado y no se modificó.",
                    "%(count)d funciones ya habían terminado y no se modificaron.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their user (/cuentas/tokens/) or by `create_api_token`; only
    their fingerprint is stored, so here they are listed and revoked, never created."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revocar"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(1 for token in queryset if token.revoke())
        self.message_user(
            request,
            ngettext("Se revocó %(count)d token.", "Se revocaron %(count)d tokens.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
