"""The coverage page in Debian's chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.importers.compendium.importing import import_compendium

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_coverage_map_and_heatmap(live_server, page, catalogs):
    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    page.goto(live_server.url + reverse("portal:coverage"))
    expect(page.locator("svg.choropleth path")).to_have_count(32)
    expect(page.get_by_role("group", name="Mapa: programas")).to_be_visible()
    expect(page.get_by_role("link", name="Tlaxcala: 17 programas")).to_be_visible()
    page.get_by_label("Medida del mapa").select_option("objetivos")
    page.get_by_role("button", name="Ver").click()
    assert "medida=objetivos" in page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "coverage.png"), full_page=True)


def test_a_visitor_searches_without_accents_and_filters_by_state(live_server, page, catalogs):
    from observatorio.published.index import rebuild

    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    rebuild()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Buscar").click()
    page.get_by_label("Palabras").fill("ninas")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("ol.results mark").first).to_be_visible()
    page.get_by_role("complementary").get_by_role("link", name="Chiapas").click()
    assert "entidad=07" in page.url and "q=ninas" in page.url
    expect(page.locator("ol.results > li").first).to_contain_text("Chiapas")
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
