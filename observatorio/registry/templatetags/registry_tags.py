from django import template

from observatorio.registry import permissions

register = template.Library()


@register.filter
def works_at_registry(user) -> bool:
    """Whether *user* is registry staff with a post today (for the account menu)."""
    return bool(permissions.can(user, "work"))
