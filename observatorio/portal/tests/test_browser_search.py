"""The search page in Debian's chromium: the suggestion, the phone layout, the skip link,
target sizes and axe, with the 2022 compendium."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.importers.compendium.importing import import_compendium
from observatorio.importers.practices.importing import import_practices

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (390, 1366)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Every visible link, button, summary and field smaller than 24 × 24 px (WCAG 2.5.8).
SMALL_TARGETS = """() => {
  const small = [];
  const targets = 'a, button, summary, input:not([type=hidden]), select';
  for (const el of document.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    // Hidden, or a skip link off screen until it is focused.
    if (!box.width || !box.height || box.right < 0) continue;
    if (box.width < 24 || box.height < 24) {
      const text = el.textContent.trim().slice(0, 40);
      small.push(`${el.tagName} «${text}» ${box.width}×${box.height}`);
    }
  }
  return small;
}"""


@pytest.fixture
def search_data(catalogs):
    from observatorio.published.index import rebuild

    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    import_practices(settings.SOURCE_DATA_DIR / "buenas-practicas-oim-conofam.txt", commit=True)
    rebuild()


def test_a_mistyped_word_suggests_the_word_of_the_index_and_the_link_searches_it(
    live_server, browser, search_data
):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("portal:search"))
        page.get_by_label("Palabras").fill("trta")
        page.get_by_role("button", name="Buscar").click()
        suggestion = page.locator("p.suggestion")
        expect(suggestion).to_contain_text("¿Quisiste decir trata?")
        expect(page.locator("aside.facets")).to_have_count(0)  # no empty facet boxes
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "search-suggestion-1366.png"), full_page=True)
        suggestion.get_by_role("link", name="trata").click()
        assert "q=trata" in page.url
        expect(page.locator("ol.results > li").first).to_be_visible()
        expect(page.locator("ol.results mark").first).to_have_text("trata", ignore_case=True)
        expect(page.locator("p.suggestion")).to_have_count(0)
        expect(page.locator("aside.facets")).to_be_visible()
    finally:
        context.close()


def test_on_a_phone_the_results_come_before_the_facets_without_sideways_scrolling(
    live_server, browser, search_data
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    phone = context.new_page()
    try:
        phone.goto(live_server.url + reverse("portal:search") + "?q=ninas&orden=titulo")
        first = phone.locator("ol.results > li").first.bounding_box()
        facets = phone.locator("aside.facets").bounding_box()
        assert first["y"] + first["height"] <= facets["y"], (first, facets)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        expect(phone.get_by_role("link", name="Título")).to_have_attribute("aria-current", "true")
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / "search-phone-390.png"), full_page=False)
    finally:
        context.close()


def test_the_skip_link_moves_the_focus_to_the_results(live_server, page, search_data):
    page.goto(live_server.url + reverse("portal:search") + "?q=migrantes")
    skip = page.get_by_role("link", name="Ir a los resultados")
    for _ in range(30):  # reached with the keyboard, before the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Ir a los resultados":
            break
    else:
        pytest.fail("Tab never reached «Ir a los resultados»")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24 and box["x"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("#results-title")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the results, not the search box
    assert page.evaluate("!!document.activeElement.closest('section.search-results')")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_target_of_the_search_page_is_at_least_24_px_and_axe_passes(
    live_server, browser, search_data, width
):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    failures = {}
    try:
        for path in (
            "?q=ninas&entidad=07",
            "?parte=estatal&orden=ciclo&pagina=2",
            "?q=trta",
            "?tipo=practicas&q=salud",
        ):
            response = page.goto(live_server.url + reverse("portal:search") + path)
            assert response.status == 200
            small = page.evaluate(SMALL_TARGETS)
            if small:
                failures[f"{path} targets"] = small
            result = Axe().run(
                page,
                options={
                    "runOnly": {"type": "tag", "values": WCAG_21_AA},
                    "resultTypes": ["violations"],
                },
            )
            violations = result.response["violations"]
            if violations:
                failures[f"{path} axe"] = [(v["id"], v["help"]) for v in violations]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(live_server.url + reverse("portal:search") + "?q=ninas")
        page.screenshot(path=str(SHOTS / f"search-{width}.png"), full_page=width > 400)
    finally:
        context.close()
    assert not failures, failures
