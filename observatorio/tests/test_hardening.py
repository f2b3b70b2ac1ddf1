"""Hardening (issue 14): NUL and control characters in addresses and parameters are a 404 or
a 400 on both databases (PostgreSQL refuses NUL in text), and Django's own 400 and 500 are
JSON under /api/.

Every request here runs with DEBUG off and the test client answering as a server would
(``raise_request_exception=False``): a bug is a 500 the test sees, not an exception.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from rest_framework.test import APIClient

from observatorio.accounts.models import ApiToken
from observatorio.accounts.testing import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]

NUL_PARAMETER = "contiene el carácter nulo (NUL, %00)"


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


# --- item 5: NUL and control characters ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/instituciones/%00/",
        "/datos/versiones/1/%00",
        "/api/v1/institutions/%00/",
        "/entidades/%00/",
        "/programas/1%00/",
        "/en/instituciones/SRE%00/",
        "/instituciones/SRE%01/",
        "/instituciones/%1F/",
        "/datos/versiones/1/programas%7F.csv",
        "/%00",
    ],
)
@override_settings(DEBUG=False)
def test_a_path_with_nul_or_a_control_character_is_a_404(browser_client, signed_in, url):
    for client in (browser_client, signed_in("reviewer")):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        if url.startswith("/api/"):
            assert response.json() == {"detail": "No encontrado."}
        response = client.post(url, {"a": "b"})
        assert response.status_code == 404, (url, response.status_code)


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/buscar/", "q=ni%00nas"),
        ("/buscar/", "%00=1"),
        ("/buscar/", "institucion=S%00RE"),
        ("/cobertura/", "ciclo=2022%00"),
        ("/practicas/", "q=%00"),
        ("/datos/programas.csv", "q=%00"),
        ("/instituciones/", "a%00b=c"),
        ("/cuentas/entrar/", "next=/%00"),
        ("/en/buscar/", "q=%00"),
    ],
)
@override_settings(DEBUG=False)
def test_nul_in_a_query_parameter_is_a_400_page_in_spanish(browser_client, url, query):
    response = browser_client.get(f"{url}?{query}")
    assert response.status_code == 400, (url, query, response.status_code)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert '<header class="site">' in page  # the site's own page, with its menu
    if url.startswith("/en/"):
        assert "contains the null character" in page or NUL_PARAMETER in page
    else:
        assert NUL_PARAMETER in page
        assert '<html lang="es-MX">' in page


@override_settings(DEBUG=False)
def test_nul_in_a_form_field_or_its_name_is_a_400(signed_in):
    client = signed_in("reviewer")
    for data in (
        {"kind": "compendio", "cycle": "\x00", "format": "pdf"},
        {"kind": "compendio", "cycle": "1", "state\x00": "1", "format": "pdf"},
    ):
        response = client.post("/publicaciones/", data)
        assert response.status_code == 400, data
        assert NUL_PARAMETER in response.content.decode()
    login = Client(raise_request_exception=False)
    response = login.post("/cuentas/entrar/", {"username": "reviewer\x00", "password": "x"})
    assert response.status_code == 400


@override_settings(DEBUG=False)
def test_nul_in_an_admin_search_is_a_400_not_a_database_error(browser_client):
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    browser_client.login(username="admin", password=PASSWORD)
    for url in (
        "/admin/programs/program/?q=%00",
        "/admin/programs/program/?status=%00",
        "/admin/catalog/institution/?q=S%00RE",
        "/admin/auth/user/?q=%00",
    ):
        response = browser_client.get(url)
        assert response.status_code == 400, (url, response.status_code)


@pytest.mark.parametrize(
    "query",
    ["state=1%004", "search=%00", "%00=1", "institution=S%00RE", "page=%00", "format=%00"],
)
@override_settings(DEBUG=False)
def test_nul_in_an_api_parameter_is_a_400_in_json(browser_client, token_client, query):
    for client in (browser_client, token_client("reviewer")):
        for url in ("/api/v1/programs/", "/api/v1/institutions/", "/api/v1/practices/"):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400, (url, query, response.status_code)
            assert response["Content-Type"] == "application/json"
            name = query.split("=")[0]
            errors = response.json()
            if "%00" in name:
                assert NUL_PARAMETER in errors["detail"]
            else:
                assert errors == {
                    name: [
                        "El valor contiene el carácter nulo (NUL, %00), que no se admite "
                        "en ningún parámetro."
                    ]
                }


# --- item 3: no HTML error from the API ------------------------------------------------------


@override_settings(DEBUG=False)
def test_an_unexpected_error_of_the_api_is_a_json_500_not_djangos_html_page(
    browser_client, monkeypatch
):
    from observatorio.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("un error de programación")

    monkeypatch.setattr(views.CoverageView, "get", broken)
    response = browser_client.get("/api/v1/coverage/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Error interno del servidor; quedó registrado para revisarlo."
    }


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_a_request_django_refuses_to_read_is_a_json_400_under_the_api(browser_client):
    too_many = "&".join(f"a{i}=1" for i in range(20))  # Django's TooManyFieldsSent
    response = browser_client.get(f"/api/v1/states/?{too_many}")
    assert response.status_code == 400
    assert response.json() == {"detail": "La petición no es válida."}
    assert browser_client.get(f"/buscar/?{too_many}").status_code == 400


@pytest.mark.parametrize("state", ["abc", "1" * 40, "²", "-1", " 1"])
@override_settings(DEBUG=False)
def test_a_state_that_is_not_an_id_in_the_document_request_is_refused_not_a_500(signed_in, state):
    """Found by the hostile sweep: the policy looked the raw value up as a primary key."""
    response = signed_in("reviewer").post(
        "/publicaciones/", {"kind": "factsheet", "cycle": "1", "state": state, "format": "pdf"}
    )
    assert response.status_code in (200, 403), (state, response.status_code)


@override_settings(DEBUG=False)
def test_a_cookie_with_nul_is_ignored_not_a_database_error(browser_client):
    for name in ("sessionid", "csrftoken", "django_language"):
        browser_client.cookies[name] = "abc\x00defghijkl"
    assert browser_client.get("/").status_code == 200
    assert browser_client.get("/reportes/").status_code == 302  # to the log-in: no session
    response = browser_client.post("/cuentas/entrar/", {"username": "a", "password": "b"})
    assert response.status_code == 200  # the form, with its error
