"""``{{ user|unread_notices }}``: how many notices *user* has not read (for the menu)."""

from django import template

from ..models import Notification

register = template.Library()


@register.filter
def unread_notices(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
