"""``{% chrome "sections" %}``, ``{% chrome "footer" %}``…: the site's fixed parts, rendered once.

Every page carries the same style sheet and icon links, name and tagline, sign-in link,
section menu and footer: about thirty translated strings, ten reversed URLs and two
static files' hashed names that differ only by language and by which section is current.
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
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_from_path

from observatorio.lib.snippets import Snippet

register = template.Library()

PARTS = ("links", "brand", "signin", "sections", "footer")
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


#: Each language named in itself, so that whoever needs it can read it.
_SELF_NAMES = {"es-mx": ("es-MX", "Español"), "en": ("en", "English")}
_LANGUAGE = None


@register.simple_tag(takes_context=True)
def language_links(context) -> str:
    """Links to this page in the other languages: the same address with the language's
    prefix (English addresses start with ``/en/``, Spanish ones have none). Plain links,
    not a form: nothing to post, no CSRF token, and the page stays the same for everyone."""
    global _LANGUAGE
    if _LANGUAGE is None:
        _LANGUAGE = Snippet("chrome/language.html")
    request = context.get("request")
    path, query = (
        (request.path_info, request.META.get("QUERY_STRING", "")) if request else ("/", "")
    )
    here = get_language_from_path(path)
    if here:
        path = path[len(here) + 1 :] or "/"
    root = get_script_prefix().rstrip("/")
    links = []
    for code, _name in settings.LANGUAGES:
        if code == (here or settings.LANGUAGE_CODE):
            continue
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        tag, name = _SELF_NAMES.get(code, (code, code))
        href = f"{root}{prefix}{path}" + (f"?{query}" if query else "")
        links.append(_LANGUAGE.render({"href": href, "code": tag, "name": name}))
    return SafeString(" ".join(links))
