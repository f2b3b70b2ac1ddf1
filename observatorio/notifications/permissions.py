"""Who sees which notices: each user their own, nobody else's (not even reviewers)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from observatorio.lib.policy import ALLOW, Decision, deny

from .models import Notification


def can(user, action: str, obj: Notification | None = None) -> Decision:
    """Decide whether *user* may ``read`` the notice *obj*: only their own."""
    if action not in ("read",):
        raise KeyError(f"No permission rule for action {action!r}")
    if getattr(user, "is_authenticated", False) and obj is not None and obj.user_id == user.pk:
        return ALLOW
    return deny(_("Este aviso es de otra persona."))


def visible(user, queryset: QuerySet[Notification] | None = None) -> QuerySet[Notification]:
    """Narrow *queryset* to *user*'s own notices (none for anonymous visitors)."""
    qs = Notification.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(user=user)
