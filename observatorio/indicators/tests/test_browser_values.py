"""A reporter enters a value on a phone and a desktop and sends it; a reviewer approves it.
No horizontal scroll, Spanish throughout, and axe (WCAG 2.1 AA) finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.indicators.models import Value
from observatorio.portal.tests.test_accessibility import WCAG_21_AA, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
FITS = "document.scrollingElement.scrollWidth <= window.innerWidth"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits_and_passes_axe(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

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


@pytest.mark.parametrize("width", [390, 1366])
def test_a_reporter_enters_a_value_and_a_reviewer_approves_it(
    live_server, page, indicators, cast, reporter_of, width
):
    reporter_of("UPMRIP")
    cast("reviewer")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "reporter_upmrip")
    page.goto(live_server.url + reverse("indicator_values:list"))
    page.get_by_role("link", name="Capturar un valor").click()
    page.get_by_label("Indicador *").select_option(label="Entradas registradas")
    page.get_by_label("Periodo (año) *").fill("2024")
    page.get_by_label("Entidad federativa").select_option(label="Jalisco")
    page.get_by_label("Nacionalidad").select_option(label="Guatemala")
    page.get_by_label("Valor *").fill("12.5")  # a count: refused
    fits_and_passes_axe(page)
    page.get_by_role("button", name="Guardar el valor").click()
    expect(page.get_by_text("Un conteo es un número entero.")).to_be_visible()
    shot(page, f"valores-formulario-error-{width}")
    page.get_by_label("Valor *").fill("1250")
    page.get_by_label("Comentario").fill("Cifra del boletín de enero")
    page.get_by_role("button", name="Guardar el valor").click()
    expect(page.get_by_text("Se guardó el valor.")).to_be_visible()
    expect(page.locator("tbody").get_by_text("Creado", exact=True)).to_be_visible()
    fits_and_passes_axe(page)
    shot(page, f"valores-detalle-{width}")

    page.goto(live_server.url + reverse("indicator_values:list") + "?periodo=2024")
    page.locator("#batch").get_by_label("Indicador").select_option(label="Entradas registradas")
    page.locator("#batch").get_by_role("button", name="Enviar a revisión").click()
    expect(page.get_by_text("Se envió 1 valor a revisión.")).to_be_visible()
    assert Value.objects.get().review == "enviado"
    page.get_by_role("button", name="Salir").click()

    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("indicator_values:list") + "?periodo=2024")
    fits_and_passes_axe(page)
    shot(page, f"valores-lista-revisor-{width}")
    batch = page.locator("#batch")
    batch.get_by_label("Indicador").select_option(label="Entradas registradas")
    batch.get_by_label("Comentario o motivo").fill("Coincide con el boletín")
    batch.get_by_role("button", name="Aprobar y bloquear").click()
    expect(page.get_by_text("Se aprobó 1 valor: queda bloqueado.")).to_be_visible()
    expect(page.locator("tbody .status-aprobado")).to_have_text("Aprobado")
    assert page.evaluate(FITS)
    shot(page, f"valores-aprobados-{width}")
    assert Value.objects.get().review == "aprobado"


@pytest.mark.parametrize("width", [390, 1366])
def test_a_reviewer_checks_a_file_sees_its_errors_by_line_and_imports_it(
    live_server, page, indicators, cast, width
):
    cast("reviewer")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("indicator_values:list"))
    page.get_by_role("link", name="Importar de un archivo").click()
    header = "period,state,sex,age_group,nationality,country_of_birth,population,value,status\n"
    bad = header + "2024,14,,,GTM,,,120,\n2024,99,,,,,,5,\n2024,14,mujer,,,,,5,\n"
    page.get_by_label("Indicador *").select_option(label="Entradas registradas")
    page.get_by_label("Archivo CSV o XLSX *").set_input_files(
        files=[{"name": "entradas.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Revisar").click()
    expect(page.get_by_text("«99» no es un valor válido de entidad (clave INEGI).")).to_be_visible()
    fits_and_passes_axe(page)
    shot(page, f"valores-importar-errores-{width}")
    assert not Value.objects.exists()

    good = header + "2024,14,,,GTM,,,120,\n2024,,,,,,,900,definitivo\n"
    page.get_by_label("Indicador *").select_option(label="Entradas registradas")
    page.get_by_label("Archivo CSV o XLSX *").set_input_files(
        files=[{"name": "entradas.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Importar", exact=True).click()
    expect(
        page.get_by_text("Se importó el archivo: 2 valores nuevos, 0 corregidos.")
    ).to_be_visible()
    assert Value.objects.count() == 2
