"""Meta-test: every page of the project requires a log-in unless it is declared public."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from observatorio.lib.access import is_public

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SAMPLE = {
    "int": "999999",
    "slug": "x",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-4000-8000-000000000000",
    None: "x",
}


def project_patterns(patterns=None, prefix=""):
    """Yield (route, view) for every URL served by the project's own apps."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from project_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = entry.callback
            module = getattr(view, "__module__", "") or ""
            if module.startswith("observatorio.") or is_public(view):
                yield prefix + str(entry.pattern), view


def concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    return "/" + CONVERTER.sub(lambda m: SAMPLE[m.group("kind")], route)


def protected_routes():
    return [(route, view) for route, view in project_patterns() if not is_public(view)]


def test_the_project_has_protected_pages():
    assert len(protected_routes()) >= 8


@pytest.mark.parametrize(("route", "view"), protected_routes(), ids=lambda v: str(v))
def test_every_non_public_page_requires_a_log_in(client, route, view):
    url = concrete(route)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (url, response.status_code)
        assert "/cuentas/entrar/" in response["Location"], (url, response["Location"])
