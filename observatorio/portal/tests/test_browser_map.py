"""The map and the charts in Debian's chromium: a click on a state, axe at two widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.importers.compendium.importing import import_compendium
from observatorio.importers.practices.importing import import_practices
from observatorio.programs.models import Program

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (390, 1366)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imported(catalogs):
    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    import_practices(settings.SOURCE_DATA_DIR / "buenas-practicas-oim-conofam.txt", commit=True)


def test_a_click_on_chiapas_in_the_map_opens_its_page(live_server, browser, imported):
    chiapas = Program.objects.published().filter(state__inegi_code="07").count()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
        page = context.new_page()
        try:
            page.goto(live_server.url + reverse("portal:coverage"))
            expect(page.locator("svg.choropleth a.state")).to_have_count(32)
            page.screenshot(path=str(SHOTS / f"map-{width}.png"), full_page=True)
            link = page.get_by_role("link", name=f"Chiapas: {chiapas} programas")
            link.scroll_into_view_if_needed()
            link.click()
            expect(page).to_have_url(
                live_server.url + reverse("portal:state", args=["chiapas"]) + "?ciclo=2022"
            )
            expect(page.get_by_role("heading", level=1)).to_have_text("Chiapas")
            locator = page.get_by_role("img", name="Ubicación de Chiapas en el mapa de México")
            expect(locator).to_be_visible()
            page.screenshot(path=str(SHOTS / f"state-chiapas-{width}.png"), full_page=True)
        finally:
            context.close()


def test_the_filter_form_keeps_the_objective_and_part_in_the_address(live_server, page, imported):
    page.goto(live_server.url + reverse("portal:coverage"))
    page.get_by_label("Objetivo", exact=True).select_option("4")
    page.get_by_label("Parte", exact=True).select_option("estatal")
    page.get_by_role("button", name="Ver").click()
    assert "objetivo=4" in page.url and "parte=estatal" in page.url
    heading = page.get_by_role("heading", level=2, name="Mapa: programas · objetivo 4")
    expect(heading).to_be_visible()
    expect(page.locator("#objetivo")).to_have_value("4")


def pages_with_charts() -> dict[str, str]:
    return {
        "inicio": reverse("portal:home"),
        "entidades": reverse("portal:states"),
        "entidad": reverse("portal:state", args=["jalisco"]),
        "entidad-chiapas": reverse("portal:state", args=["chiapas"]),
        "cobertura": reverse("portal:coverage"),
        "cobertura-filtrada": reverse("portal:coverage") + "?objetivo=4&parte=estatal",
        "objetivos": reverse("portal:objectives"),
        "programa": reverse(
            "portal:program",
            args=[Program.objects.published().filter(section="estatal").order_by("pk").first().pk],
        ),
    }


def test_pages_with_charts_and_maps_pass_axe_at_phone_and_desktop_widths(
    live_server, browser, imported
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    failures = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
        page = context.new_page()
        try:
            for name, path in pages_with_charts().items():
                response = page.goto(live_server.url + path)
                assert response.status == 200, (name, response.status)
                # Open the tables behind the charts, so that axe checks them too.
                for summary in page.locator("details > summary").all():
                    summary.click()
                result = axe.run(
                    page,
                    options={
                        "runOnly": {"type": "tag", "values": WCAG_21_AA},
                        "resultTypes": ["violations"],
                    },
                )
                violations = result.response["violations"]
                if violations:
                    failures[f"{name}@{width}"] = [
                        (v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations
                    ]
                width_used = page.evaluate("document.documentElement.scrollWidth")
                if width_used > width:
                    failures[f"{name}@{width} width"] = width_used
        finally:
            context.close()
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_the_keyboard_can_skip_the_map_s_32_links(live_server, page, imported):
    page.goto(live_server.url + reverse("portal:coverage"))
    skip = page.get_by_role("link", name="Saltar los enlaces del mapa")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('svg.choropleth') === null")
    assert focused  # the next Tab lands after the map, not on Aguascalientes
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('svg.choropleth') !== null")
