"""A visitor browses the public pages in Debian's chromium, following links from the home page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.catalog.models import State
from observatorio.importers.compendium.importing import import_compendium
from observatorio.importers.practices.importing import import_practices
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def imported(catalogs):
    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    import_practices(settings.SOURCE_DATA_DIR / "buenas-practicas-oim-conofam.txt", commit=True)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_visitor_goes_from_home_to_a_state_a_program_an_objective_and_a_practice(
    live_server, page, imported
):
    michoacan = State.objects.get(inegi_code="16")
    programs = Program.objects.published().filter(state=michoacan)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observatorio")
    expect(page.get_by_label("Busque en los programas publicados")).to_be_visible()
    heatmap = page.locator("table.heatmap")
    expect(heatmap.locator("tbody tr")).to_have_count(32)
    shot(page, "home.png")

    # Home → a state, through its row in the heatmap.
    heatmap.get_by_role("link", name="Michoacán", exact=True).click()
    expect(page).to_have_url(re.compile(r"/entidades/michoacan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Michoacán")
    covered = programs.values("objective").distinct().count()
    expect(page.locator(".coverage-figure")).to_contain_text(f"cubre {covered} de 23 objetivos")
    expect(page.locator("table.by-objective tbody tr")).to_have_count(23)
    expect(page.locator("table.by-objective tr.gap-row")).to_have_count(23 - covered)
    expect(page.locator("table.panorama tbody tr")).to_have_count(
        michoacan.panorama_figures.count()
    )
    shot(page, "state.png")

    # State → one of its programs.
    first = page.locator("table.by-objective ul.programs a").first
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/programas/\d+/$"))
    program = Program.objects.get(pk=int(re.search(r"/programas/(\d+)/", page.url).group(1)))
    assert program.state == michoacan and program.title in title
    expect(page.get_by_role("heading", level=1)).to_contain_text(program.title)
    expect(page.locator("section.source")).to_contain_text(
        f"líneas {program.source_first_line}–{program.source_last_line}"
    )
    shot(page, "program.png")

    # Program → its objective.
    page.locator("dl.facts").get_by_role(
        "link", name=f"{program.objective.number}. {program.objective.title_es}"
    ).click()
    expect(page).to_have_url(re.compile(rf"/objetivos/{program.objective.number}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(program.objective.title_es)
    federal = Program.objects.published().federal().filter(objective=program.objective)
    expect(page.locator("#federal-title + .scroll tbody tr")).to_have_count(federal.count())
    shot(page, "objective.png")

    # Objective → an institution that reports under it.
    link = page.locator("#federal-title + .scroll tbody a[href^='/instituciones/']").first
    acronym = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"({acronym})")
    mine = Program.objects.published().filter(institutions__acronym=acronym).count()
    expect(page.locator("#programs-title")).to_contain_text(f"{mine} programa")
    shot(page, "institution.png")

    # The state office of Michoacán and the practice it coordinates.
    page.get_by_role("navigation", name="Secciones").get_by_role(
        "link", name="Instituciones"
    ).click()
    page.get_by_role("link", name="SEMIGRANTE", exact=True).click()
    practice = GoodPractice.objects.get(institutions__acronym="SEMIGRANTE")
    page.locator("#practices-title + ul").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/practicas/{practice.pk}/$"))
    expect(page.locator("table.criteria tbody tr")).to_have_count(5)
    expect(page.locator(".lead .qualification")).to_have_text(str(practice.qualification.label))
    shot(page, "practice.png")


def test_a_visitor_filters_the_practices_and_browses_the_states(live_server, page, imported):
    page.goto(live_server.url + reverse("practices:list"))
    expect(page.locator("table.practices-table tbody tr")).to_have_count(44)
    page.get_by_label("Entidad federativa").select_option("08")
    page.get_by_label("Innovación").check()
    page.get_by_role("button", name="Filtrar").click()
    assert "entidad=08" in page.url and "criterio=innovacion" in page.url
    expected = GoodPractice.objects.filter(state__inegi_code="08", innovacion_mark="cumple")
    expect(page.locator("table.practices-table tbody tr")).to_have_count(expected.count())
    page.get_by_role("link", name="Quitar los filtros").click()
    expect(page.locator("table.practices-table tbody tr")).to_have_count(44)
    shot(page, "practices.png")

    page.get_by_role("navigation", name="Secciones").get_by_role("link", name="Entidades").click()
    expect(page.locator("table.states-table tbody tr")).to_have_count(32)
    shot(page, "states.png")
    page.get_by_role("link", name="Ciudad de México", exact=True).click()
    expect(page).to_have_url(re.compile(r"/entidades/ciudad-de-mexico/$"))


def test_the_pages_fit_a_phone(live_server, browser, imported):
    """On a 375-pixel screen nothing but the wide tables scrolls sideways."""
    context = browser.new_context(locale="es-MX", viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        program = Program.objects.published().state_level().first()
        for url in [
            "/",
            reverse("portal:state", args=["jalisco"]),
            reverse("portal:program", args=[program.pk]),
            reverse("portal:objective", args=[16]),
            reverse("portal:institution", args=["SRE"]),
            reverse("practices:detail", args=[GoodPractice.objects.first().pk]),
        ]:
            page.goto(live_server.url + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (url, width)
            expect(page.get_by_role("navigation", name="Secciones")).to_be_visible()
    finally:
        context.close()
