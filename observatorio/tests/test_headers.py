"""The headers of every answer (issue 14): a Content-Security-Policy without inline script or
style, Vary on the API, Cache-Control private wherever the answer depends on who asks.

Every request here runs with DEBUG off and the test client answering as a server would
(``raise_request_exception=False``): a bug is a 500 the test sees, not an exception.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from observatorio.accounts.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


@pytest.fixture
def browser_client():
    return Client(raise_request_exception=False)


@pytest.fixture
def signed_in(cast):
    def make(username: str) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(cast(username))
        return client

    return make


@pytest.fixture
def token_client(cast):
    def make(username: str) -> APIClient:
        _token, key = ApiToken.issue(cast(username), "pruebas")
        client = APIClient()
        client.raise_request_exception = False
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@override_settings(DEBUG=False)
def test_every_kind_of_answer_carries_the_content_security_policy(
    browser_client, signed_in, token_client, make_report
):
    make_report(state="14")
    answers = [
        browser_client.get("/"),
        browser_client.get("/cobertura/"),
        browser_client.get("/buscar/?q=ninas"),
        browser_client.get("/no-existe/"),
        browser_client.get("/cuentas/entrar/"),
        browser_client.get("/admin/login/"),
        browser_client.get("/api/v1/programs/"),
        browser_client.get("/api/docs/"),
        browser_client.get("/api/v1/nada/"),
        browser_client.get("/datos/programas.csv"),
        browser_client.get("/buscar/?q=%00"),
        signed_in("reviewer").get("/reportes/"),
        signed_in("reviewer").get("/reportes/?formato=csv"),
        token_client("reviewer").get("/api/v1/programs/"),
    ]
    for response in answers:
        assert response["Content-Security-Policy"] == POLICY, response.request["PATH_INFO"]
        assert "unsafe" not in response["Content-Security-Policy"]


@override_settings(DEBUG=False)
def test_pages_have_no_inline_style_or_script_so_the_policy_needs_no_exception(
    browser_client, signed_in, make_report
):
    from observatorio.programs.models import Program

    make_report(state="14", status=Program.Status.PUBLISHED, number=1)
    reviewer = signed_in("reviewer")
    for client, url in [
        (browser_client, "/"),
        (browser_client, "/cobertura/"),
        (browser_client, "/entidades/jalisco/"),
        (browser_client, "/api/docs/"),
        (reviewer, "/reportes/"),
        (reviewer, "/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not re.search(r"<(style|script)\b", page), url
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url


def test_the_heatmap_shades_are_the_palette_of_the_map():
    """The classes that replaced the inline colours paint the palette of ``portal/maps.py``."""
    from django.conf import settings

    from observatorio.charts.maps import PALETTE

    css = (settings.BASE_DIR / "static" / "css" / "observatorio.css").read_text()
    for k, colour in enumerate(PALETTE):
        assert re.search(rf"\.shade-{k}\s*\{{\s*background(-color)?:\s*{colour};", css), k


@override_settings(DEBUG=False)
def test_api_answers_vary_on_authorization_cookie_and_language(browser_client, token_client):
    for client in (browser_client, token_client("reviewer")):
        for url in ("/api/v1/programs/", "/api/v1/states/", "/api/v1/nada/", "/api/schema/"):
            response = client.get(url)
            vary = {v.strip().lower() for v in response["Vary"].split(",")}
            assert {"accept-language", "authorization", "cookie"} <= vary, url


@override_settings(DEBUG=False)
def test_answers_that_depend_on_who_asks_are_private(
    browser_client, signed_in, token_client, make_report
):
    make_report(state="14")
    reviewer = signed_in("reviewer")
    for response in (
        reviewer.get("/reportes/"),
        reviewer.get("/reportes/?formato=csv"),
        reviewer.get("/cuentas/tokens/"),
        token_client("reviewer").get("/api/v1/programs/"),
        token_client("enlace_jalisco").get("/api/v1/programs/?format=csv"),
    ):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives or directives == {"no-store"}, (
            response.request["PATH_INFO"],
            response["Cache-Control"],
        )
    # A public page seen by a signed-in person shows their name: private too.
    for url in ("/", "/buscar/?q=ninas", "/api/docs/"):
        response = reviewer.get(url)
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


@override_settings(DEBUG=False)
def test_public_anonymous_answers_keep_their_caching(browser_client):
    for url in ("/", "/buscar/?q=ninas", "/api/v1/programs/", "/datos/programas.csv"):
        response = browser_client.get(url)
        assert response.status_code == 200, url
        assert not response.has_header("Cache-Control"), (url, response["Cache-Control"])
