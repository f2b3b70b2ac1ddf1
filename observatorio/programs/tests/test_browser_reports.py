"""The whole review cycle in Debian's chromium: draft, submit, return, fix, approve, publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.programs.models import Program

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_role("link", name="Iniciar sesión")).to_be_visible()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_report_goes_from_draft_to_published(live_server, page, catalogs, cast, open_cycle):
    cast("enlace_jalisco")
    cast("reviewer")

    # The enlace starts a report, saves a draft with a missing field, then completes it.
    log_in(page, live_server, "enlace_jalisco")
    page.get_by_role("link", name="Reportes", exact=True).click()
    page.get_by_role("link", name="Nuevo reporte").click()
    page.get_by_label("Título *").fill("Módulo de atención a personas jaliscienses en retorno")
    page.get_by_label("Objetivo principal del Pacto Mundial *").select_option(
        label=(
            "21. Colaborar para facilitar el regreso y la readmisión en condiciones de seguridad y "
            "dignidad, así como la reintegración sostenible"
        )
    )
    page.get_by_label("Personas migrantes en retorno").check()
    page.get_by_label("Descripción *").fill(
        "Orientación jurídica, vinculación laboral y apoyo para el traslado a su municipio."
    )
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_role("status").first).to_contain_text("Se guardó el borrador")
    expect(page.locator(".status")).to_have_text("Borrador")

    page.get_by_role("link", name="Editar").click()
    page.get_by_label("Resultados", exact=True).fill("Se atendió a 830 personas en 2023.")
    page.locator("#id_figures-0-label").fill("Personas atendidas")
    page.locator("#id_figures-0-value").fill("830")
    page.locator("#id_figures-0-sex").select_option("mujeres")
    page.get_by_label("Retos", exact=True).fill("Rotación del personal de los módulos.")
    page.get_by_label("Fecha de inicio").fill("2022-01-15")
    page.get_by_label("Permanente").check()
    page.get_by_label("Situación del programa *").select_option("vigente")
    shot(page, "report-form")
    page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(page.get_by_role("status").first).to_contain_text("Se envió el reporte a revisión")
    expect(page.locator(".status")).to_have_text("Enviado a revisión")
    report = Program.objects.get()
    log_out(page)

    # The reviewer returns it with a comment.
    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_label("Comentarios para quien reporta").fill(
        "Indique cuántas de las personas atendidas son mujeres y cuántas hombres."
    )
    page.get_by_role("button", name="Devolver con comentarios").click()
    expect(page.locator(".status")).to_have_text("Devuelto con comentarios")
    log_out(page)

    # The enlace reads the comment, fixes the figures and resubmits.
    log_in(page, live_server, "enlace_jalisco")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    expect(page.locator("ol.trail")).to_contain_text("Indique cuántas de las personas")
    page.get_by_role("link", name="Editar").click()
    page.locator("#id_figures-1-label").fill("Personas atendidas")
    page.locator("#id_figures-1-value").fill("412")
    page.locator("#id_figures-1-sex").select_option("hombres")
    page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(page.locator(".status")).to_have_text("Reenviado a revisión")
    log_out(page)

    # The reviewer approves and publishes, and sees the history.
    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_role("button", name="Aprobar").click()
    expect(page.locator(".status")).to_have_text("Aprobado")
    page.get_by_role("button", name="Publicar").click()
    expect(page.locator(".status")).to_have_text("Publicado")
    shot(page, "report-published")
    page.get_by_role("link", name="Historial").click()
    page.get_by_role("link", name="con la anterior").nth(1).click()
    shot(page, "report-history")
    report.refresh_from_db()
    assert report.status == Program.Status.PUBLISHED
    assert report.number == 1
    assert list(report.transitions.values_list("to_status", flat=True)) == [
        "enviado",
        "devuelto",
        "reenviado",
        "aprobado",
        "publicado",
    ]
    assert report.figures.count() == 2
