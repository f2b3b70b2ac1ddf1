"""Links to generated documents from other apps' pages (a template tag, so the portal links
to publications without importing it): ``{% state_factsheet state cycle %}``."""

from __future__ import annotations

from django import template

from .. import shelf

register = template.Library()


@register.inclusion_tag("publications/_state_factsheet.html", takes_context=True)
def state_factsheet(context, state, cycle=None) -> dict:
    """The newest factsheet of *state* (of *cycle* when there is one), to download."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"state": state, "cycle": cycle, "entry": shelf.factsheet_of(user, state, cycle)}
