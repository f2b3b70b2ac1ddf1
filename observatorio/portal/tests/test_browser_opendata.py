"""Open data in Debian's chromium: download the CSV of a search, read the open-data page."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.importers.compendium.importing import import_compendium
from observatorio.published.opendata.datasets import DATASETS

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_downloads_the_csv_of_what_the_search_shows(live_server, page, catalogs):
    from observatorio.published.index import rebuild

    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    rebuild()
    page.goto(live_server.url + reverse("portal:search"))
    page.get_by_label("Palabras").fill("ninas")
    page.get_by_role("button", name="Buscar").click()
    page.get_by_role("complementary").get_by_role("link", name="Chiapas").click()
    assert "entidad=07" in page.url and "q=ninas" in page.url
    heading = page.locator("#results-title").inner_text()
    shown = int(re.match(r"(\d+) programas?", heading).group(1))
    assert shown > 1
    links = page.locator("p.downloads")
    expect(links).to_contain_text("Descargar estos resultados")
    with page.expect_download() as info:
        links.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "programas-entidad-07-busqueda-ninas.csv"
    with open(download.path(), "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"  # the BOM Excel needs to read UTF-8
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["id", "ciclo", "parte"]
    assert len(rows) - 1 == shown
    assert {row[rows[0].index("entidad")] for row in rows[1:]} == {"Chiapas"}
    first = page.locator("ol.results > li a").first.get_attribute("href")
    assert first == f"/programas/{rows[1][0]}/"  # the same order as the page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "search-downloads.png"))


def test_a_visitor_reads_the_open_data_page(live_server, page, catalogs, practices_path):
    from observatorio.importers.practices.importing import import_practices

    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    import_practices(practices_path, commit=True)
    page.goto(live_server.url + reverse("portal:opendata"))
    expect(page.get_by_role("heading", name="Datos abiertos", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Conjuntos de datos")
    expect(table.get_by_role("row")).to_have_count(len(DATASETS) + 1)  # and the heading row
    expect(table).to_contain_text("346")
    expect(page.locator("#licencia")).to_contain_text("sin fines comerciales")
    with page.expect_download() as info:
        table.get_by_role("link", name="Entidades federativas en CSV", exact=True).click()
    assert info.value.suggested_filename == "entidades.csv"
    page.get_by_text("Programas y acciones publicados (programas.csv)").click()
    expect(page.locator("#columnas-programas")).to_contain_text("con_resultados_cuantitativos")
    expect(page.locator("#columnas-programas")).to_contain_text("presupuesto_mxn")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "opendata.png"), full_page=True)
