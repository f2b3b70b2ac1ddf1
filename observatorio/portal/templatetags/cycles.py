"""``{% last_complete cycles as last %}``: the latest complete edition among *cycles*."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def last_complete(cycles):
    return next((c for c in cycles or () if c.is_complete()), None)
