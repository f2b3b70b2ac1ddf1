"""``{{ user|may_request_documents }}``: whether the site's menu offers the publications page."""

from __future__ import annotations

from django import template

from observatorio.accounts.models import Scope

from ..permissions import may_request_anything

register = template.Library()


@register.filter
def may_request_documents(user) -> bool:
    """True when the one policy (``publications.permissions``) lets *user* request some
    document, so that nobody is shown a link that only answers 403."""
    if not getattr(user, "is_authenticated", False):
        return False
    return may_request_anything(Scope.of(user))
