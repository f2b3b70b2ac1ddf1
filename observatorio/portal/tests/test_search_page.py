"""The public search page: accent-free queries, facets in the URL, highlighting, bad input."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from observatorio.importers.compendium_import import import_compendium
from observatorio.lib.text import fold
from observatorio.programs.models import Program
from observatorio.search.index import rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    rebuild()


def result_titles(body: str) -> list[str]:
    titles = re.findall(r'<li>\s*<a href="/reportes/\d+/"><strong>(.*?)</strong>', body, re.S)
    return [re.sub(r"</?mark>", "", t) for t in titles]


def total(body: str) -> int:
    return int(re.search(r'<h2 id="results-title">(\d+) programa', body).group(1))


def test_a_query_without_accents_finds_the_accented_words(client, indexed):
    body = client.get(reverse("portal:search") + "?q=regularizacion").content.decode()
    assert total(body) > 0
    assert "<mark>" in body
    found = result_titles(body)
    assert any("regulariz" in fold(t) for t in found)


def test_facets_narrow_the_results_and_live_in_the_url(client, indexed):
    url = reverse("portal:search") + "?q=ninas&entidad=07"
    body = client.get(url).content.decode()
    chiapas = Program.objects.published().filter(state__inegi_code="07")
    assert 0 < total(body) <= chiapas.count()
    everywhere = total(client.get(reverse("portal:search") + "?q=ninas").content.decode())
    assert total(body) < everywhere
    # Facet links keep the query and the active filter in the URL.
    assert "?q=ninas&amp;entidad=07&amp;parte=estatal" in body
    assert 'href="?q=ninas"' in body  # removing the state filter


def test_facet_counts_add_up_to_the_results(client, indexed):
    body = client.get(reverse("portal:search") + "?parte=federal").content.decode()
    assert total(body) == 228
    aside = body.split('class="facets"')[1].split("</aside>")[0]
    objective_block = aside.split("Objetivo del Pacto Mundial")[1].split("<h2>")[0]
    counts = [int(n) for n in re.findall(r'<span class="count">(\d+)</span>', objective_block)]
    assert sum(counts) == 228


def test_without_a_query_every_published_program_is_listed_in_pages(client, indexed):
    body = client.get(reverse("portal:search")).content.decode()
    assert total(body) == 346
    assert "Página 1 de 18" in body


@pytest.mark.parametrize(
    "query",
    [
        "?pagina=999999999",
        "?pagina=-1",
        "?objetivo=abc&parte=lunar&entidad=999&ciclo=0",
        "?q=" + "a" * 5000,
        "?q=%27%20OR%201%3D1%20--",
        "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "?q=%00%01",
    ],
)
def test_absurd_input_gives_a_normal_page(client, indexed, query):
    response = client.get(reverse("portal:search") + query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_unpublished_reports_are_never_found(client, indexed, cast):
    program = Program.objects.get(section="federal", objective__number=1, number=1)
    before = client.get(reverse("portal:search") + "?q=Revista+Rutas").content.decode()
    assert program.title in result_titles(before)
    program.withdraw(cast("reviewer"), "Prueba")
    body = client.get(reverse("portal:search") + "?q=Revista+Rutas").content.decode()
    assert program.title not in body
