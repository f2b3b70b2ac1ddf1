"""The project's renderers, all in one registry, and every download link a page offers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from observatorio.lib.renderers import formats_for, renderer_for, renderers_for
from observatorio.publications.models import GeneratedDocument


def test_every_kind_of_output_registers_its_formats_in_the_one_registry():
    assert sorted(formats_for("compendium")) == ["docx", "pdf"]
    assert sorted(formats_for("factsheet")) == ["docx", "pdf"]
    assert formats_for("dataset") == ["csv", "excel.csv", "json", "xlsx"]
    assert formats_for("api")[0] == "json"  # DRF's default is the first renderer offered
    assert sorted(formats_for("api")) == ["csv", "json"]


def test_each_document_a_reviewer_can_request_has_a_renderer():
    for kind in GeneratedDocument.Kind.values:
        for fmt in GeneratedDocument.Format.values:
            renderer = renderer_for(kind, fmt)
            assert renderer.extension == fmt
            assert renderer.content_type.startswith("application/")


def test_the_api_formats_are_its_drf_renderers_with_the_same_media_types():
    for renderer in renderers_for("api"):
        drf = renderer.render()
        assert (drf.format, drf.media_type) == (renderer.format, renderer.content_type)


#: A download link of the open data: /datos/<slug>.<format> or /buscar/programas.<format>.
LINK = re.compile(r'href="(/(?:datos/[a-z]+|buscar/programas)\.([a-z.]+)(?:\?[^"]*)?)"')


@pytest.mark.django_db
def test_every_advertised_download_link_resolves_to_a_registered_renderer(client, real_data):
    pages = [
        reverse("portal:opendata"),
        reverse("portal:search") + "?q=ninas",
        reverse("portal:coverage"),
    ]
    links = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        found = LINK.findall(response.content.decode().replace("&amp;", "&"))
        assert found, page
        links.update(dict(found))
    seen_formats = set()
    for url, fmt in sorted(links.items()):
        match = resolve(urlsplit(url).path)
        assert match.kwargs["fmt"] == fmt
        renderer = renderer_for("dataset", fmt)  # raises if the link names no renderer
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(renderer.content_type), url
        assert f'.{fmt}"' in response["Content-Disposition"], url
        assert response["Content-Disposition"].endswith(f'.{renderer.extension}"'), url
        seen_formats.add(fmt)
    # Every registered format is offered somewhere, and nothing else.
    assert seen_formats == set(formats_for("dataset"))


@pytest.mark.django_db
def test_a_download_in_an_unregistered_format_is_not_found(client):
    for url in ("/datos/programas.odt", "/buscar/programas.pdf"):
        response = client.get(url)
        assert response.status_code == 404, url
