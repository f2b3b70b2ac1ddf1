"""``{{ user|may_request_documents }}``: whether the site's menu offers the publications page."""

from __future__ import annotations

from django import template

from .. import permissions

register = template.Library()


@register.filter
def may_request_documents(user) -> bool:
    """True when the one policy (``publications.permissions``) lets *user* request some
    document, so that nobody is shown a link that only answers 403."""
    return bool(permissions.can(user, "request_any"))
