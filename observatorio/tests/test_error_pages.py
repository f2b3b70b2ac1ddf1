"""The site's own error pages (also with DEBUG off), its favicon and its language switch."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from observatorio.api.errors import server_error

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_missing_page_is_a_spanish_404_in_the_sites_layout(client):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'lang="es-MX"' in page
    assert '<header class="site">' in page
    assert "No encontramos esta página" in page
    assert 'href="/buscar/"' in page


@override_settings(DEBUG=False)
def test_a_refusal_is_a_spanish_403_with_the_policys_reason(client, cast, make_report):
    other = make_report(state="07", status="publicado", number=1)
    client.force_login(cast("enlace_jalisco"))
    response = client.post(f"/reportes/{other.pk}/enviar/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "No puede hacer esto" in page
    assert "Solo quien reporta por esta entidad o institución puede editarlo." in page
    assert '<header class="site">' in page


def test_a_server_error_is_the_sites_own_page_in_spanish_and_english():
    response = server_error(RequestFactory().get("/programas/1/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Algo falló de nuestro lado" in page
    assert 'lang="en"' in page and "Something went wrong" in page
    assert "Traceback" not in page


@override_settings(DEBUG=False)
def test_a_bad_request_django_refuses_is_the_sites_400(client):
    response = client.get("/", HTTP_HOST="no-permitido.example")
    assert response.status_code == 400
    assert "Petición no válida" in response.content.decode()


def test_the_favicon_is_served_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").content.decode()


def test_the_language_switch_names_each_language_in_itself(client):
    spanish = client.get("/buscar/?q=ni%C3%B1as&entidad=07").content.decode()
    # A plain link to the same page in English: no form, no CSRF token to post.
    assert (
        '<a href="/en/buscar/?q=ni%C3%B1as&amp;entidad=07" hreflang="en" lang="en">English</a>'
        in spanish
    )
    assert "Inglés" not in spanish and "csrfmiddlewaretoken" not in spanish
    english = client.get("/en/buscar/?q=ni%C3%B1as").content.decode()
    assert '<a href="/buscar/?q=ni%C3%B1as" hreflang="es-MX" lang="es-MX">Español</a>' in english
    assert 'href="/en/' not in english.split('class="lang"')[1].split("</nav>")[0]


def test_the_language_links_lead_to_the_page_in_that_language(client):
    english = client.get("/en/entidades/")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    back = english.content.decode().split('class="lang"')[1].split('href="')[1].split('"')[0]
    spanish = client.get(back)
    assert back == "/entidades/" and '<html lang="es-MX">' in spanish.content.decode()


def test_an_anonymous_public_page_sets_no_cookie(client):
    """Nothing on a public page needs a session or a CSRF token: no cookie is set."""
    response = client.get("/buscar/?q=trata")
    assert response.status_code == 200 and not response.cookies
