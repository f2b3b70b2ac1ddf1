"""``{% chrome "sections" %}``, ``{% chrome "footer" %}``: the site's fixed parts, rendered once.

Every page carries the same section menu and footer: about thirty translated strings
and eight reversed URLs that differ only by language and by which section is current.
They are rendered from ``templates/chrome/<part>.html`` once per (part, language, current
view, script prefix) in each process and reused, instead of on every request (on the
search page they were a fifth of the template's time). With ``DEBUG`` on they are
rendered every time, so that template edits show at once.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

PARTS = ("sections", "footer")
_rendered: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def chrome(context, part: str) -> str:
    if part not in PARTS:
        raise template.TemplateSyntaxError(f"unknown chrome part {part!r}; known: {PARTS}")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    key = (part, get_language(), here, get_script_prefix())
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(f"chrome/{part}.html", {"here": here})
        if not settings.DEBUG:
            _rendered[key] = html
    return html
