"""The report form on a phone and on a desktop: no horizontal scroll, figures added and
removed without reloading (htmx), pick-lists for unit and nationality, a Mexican budget,
and axe (WCAG 2.1 AA) finds nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.portal.tests.test_accessibility import WCAG_21_AA, describe
from observatorio.programs.models import Program

from .test_browser_reports import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.scrollingElement.scrollWidth <= window.innerWidth"
FIGURES = [
    ("Personas atendidas", "830", "personas", "Honduras"),
    ("Familias canalizadas", "120", "familias", "Guatemala"),
    ("Albergues apoyados", "4", "albergues", ""),
]


@pytest.mark.parametrize("width", [390, 1366])
def test_an_enlace_fills_the_form_adds_three_figures_and_submits_without_scrolling_sideways(
    live_server, page, catalogs, cast, open_cycle, width
):
    from axe_playwright_python.sync_playwright import Axe

    cast("enlace_jalisco")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "enlace_jalisco")
    page.goto(f"{live_server.url}{reverse('reports:create')}?ciclo={open_cycle.edition}")
    assert page.evaluate(FITS), page.evaluate("document.scrollingElement.scrollWidth")

    page.get_by_label("Título *").fill("Módulo de atención a personas jaliscienses en retorno")
    page.get_by_label("Objetivo principal del Pacto Mundial *").select_option(index=21)
    page.get_by_label("Descripción *").fill("Orientación jurídica y vinculación laboral.")
    page.get_by_label("Resultados", exact=True).fill("Se atendió a 830 personas en 2023.")
    page.get_by_label("Retos", exact=True).fill("Rotación del personal de los módulos.")
    page.get_by_label("Fecha de inicio").fill("2022-01-15")
    page.get_by_label("Permanente").check()
    page.get_by_label("Situación del programa *").select_option("vigente")
    page.get_by_label("Presupuesto (MXN)").fill("$1,500,000.50")

    figures = page.locator("fieldset.figure")
    expect(figures).to_have_count(1)
    for count in (2, 3, 4):
        page.get_by_role("button", name="Añadir otra cifra").click()
        expect(figures).to_have_count(count)
    # The blank first one goes, without a reload (the title typed above stays).
    figures.first.get_by_role("button", name="Quitar la cifra 1").click()
    expect(figures).to_have_count(3)
    expect(page.get_by_label("Título *")).to_have_value(
        "Módulo de atención a personas jaliscienses en retorno"
    )
    for index, (label, value, unit, nationality) in enumerate(FIGURES):
        figure = figures.nth(index)
        figure.get_by_label("Qué se cuenta").fill(label)
        figure.get_by_label("Valor").fill(value)
        figure.get_by_label("Unidad").select_option(unit)
        figure.get_by_label("Nacionalidad").select_option(nationality)
    assert page.evaluate(FITS), page.evaluate("document.scrollingElement.scrollWidth")
    violations = (
        Axe()
        .run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )
        .response["violations"]
    )
    assert not violations, describe(violations)
    # Viewport shots: a full-page one resizes the viewport, and the next click then missed
    # its button in chromium at 390 px.
    SHOTS.mkdir(parents=True, exist_ok=True)
    figures.first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"report-form-figures-{width}.png"))

    page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(page.get_by_role("status").first).to_contain_text("Se envió el reporte a revisión")
    program = Program.objects.get()
    assert program.status == Program.Status.SUBMITTED
    assert program.budget == Decimal("1500000.50")
    saved = [(f.label, str(int(f.value)), f.unit, f.nationality) for f in program.figures.all()]
    assert saved == FIGURES
