"""A reporting year in Debian's chromium: UPM opens a cycle from the site, an enlace is told
that a report came back and reads the comment on top, and publishing the first report of a
new cycle leaves the public home page on the last complete edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.importers.compendium.importing import import_compendium
from observatorio.programs.models import Program, ReportingCycle

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_out(page):
    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_role("link", name="Iniciar sesión")).to_be_visible()


def fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_a_reviewer_opens_a_cycle_from_the_site_and_the_enlace_sees_it(
    live_server, page, catalogs, cast
):
    today = timezone.localdate()
    ReportingCycle.objects.create(
        edition=2022,
        name="Ciclo 2022 (junio 2021 – junio 2022)",
        period_start=dt.date(2021, 6, 1),
        period_end=dt.date(2022, 6, 30),
        opens_on=today - dt.timedelta(days=400),
        deadline=today - dt.timedelta(days=350),
        closes_on=today - dt.timedelta(days=340),
        published_on=today - dt.timedelta(days=300),
    )
    cast("reviewer")
    cast("enlace_jalisco")

    # Signed in, the reviewer lands on their work, which says no cycle is open.
    log_in(page, live_server, "reviewer")
    expect(page.get_by_role("heading", name="Mi trabajo")).to_be_visible()
    expect(page.get_by_text("Ningún ciclo de reporte está abierto ahora.")).to_be_visible()
    page.get_by_role("link", name="Abrir un nuevo ciclo").first.click()

    # The form proposes the next edition, its period a year later, opening today.
    expect(page.get_by_label("Edición (año)")).to_have_value("2023")
    expect(page.get_by_label("Inicio del periodo reportado")).to_have_value("2022-06-01")
    expect(page.get_by_label("Abre el")).to_have_value(today.isoformat())
    page.get_by_label("Contacto en la UPM").fill("UPM · enlaces@segob.gob.mx")
    shot(page, "cycle-open-form")
    page.get_by_role("button", name="Abrir el ciclo").click()

    expect(page.get_by_role("heading", name="Ciclos de reporte")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="2023")
    expect(row).to_contain_text("Abierto")
    shot(page, "cycle-list")
    cycle = ReportingCycle.objects.get(edition=2023)
    assert cycle.is_open() and cycle.contact == "UPM · enlaces@segob.gob.mx"
    log_out(page)

    # The enlace, on a phone, lands on their work: the open cycle, its deadline and contact.
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "enlace_jalisco")
    notice = page.locator(".notice").filter(has_text="está abierto")
    expect(notice).to_contain_text(cycle.name)
    expect(notice).to_contain_text("Fecha límite de envío")
    expect(notice).to_contain_text("enlaces@segob.gob.mx")
    assert fits(page)
    shot(page, "work-enlace-phone")


def test_the_enlace_is_told_of_a_returned_report_and_reads_the_comment_on_top(
    live_server, page, catalogs, cast, make_report
):
    cast("reviewer")
    cast("enlace_jalisco")
    report = make_report(state="14", status=Program.Status.SUBMITTED, title="Módulo de retorno")
    comment = "Desagregue por sexo a las 1,200 personas atendidas."

    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_label("Comentarios para quien reporta").fill(comment)
    page.get_by_role("button", name="Devolver con comentarios").click()
    expect(page.locator(".status")).to_have_text("Devuelto con comentarios")
    log_out(page)

    page.set_viewport_size(PHONE)
    log_in(page, live_server, "enlace_jalisco")
    notices = page.get_by_role("link", name="Avisos")
    expect(notices).to_contain_text("1")  # the unread count
    notices.click()
    item = page.get_by_role("listitem").filter(has_text="Módulo de retorno")
    expect(item).to_contain_text(comment)
    shot(page, "notices-phone")
    item.get_by_role("link").first.click()

    # The comment stands on top of the report, before its fields and its trail.
    callout = page.locator(".review-callout")
    expect(callout).to_contain_text(comment)
    callout_top = callout.bounding_box()["y"]
    assert callout_top < page.locator("ol.trail").bounding_box()["y"]
    assert callout_top < page.get_by_role("heading", level=2).first.bounding_box()["y"] + 1
    assert fits(page)
    shot(page, "report-returned-phone")
    page.goto(live_server.url + reverse("notifications:list"))
    expect(page.get_by_role("link", name="Avisos")).not_to_contain_text("1")


def test_publishing_the_first_report_of_a_new_cycle_leaves_the_home_page_on_the_last_edition(
    live_server, page, catalogs, cast, make_report
):
    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    cast("reviewer")
    report = make_report(state="07", status=Program.Status.APPROVED, title="Albergue temporal")

    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_role("button", name="Publicar").click()
    expect(page.locator(".status")).to_have_text("Publicado")
    log_out(page)

    # The public home page still shows the 2022 edition, whole.
    page.goto(live_server.url + reverse("portal:home"))
    expect(page.locator("#ciclo")).to_have_value("2022")
    figures = page.locator("ul.figures").first
    expect(figures).to_contain_text("228")
    expect(figures).to_contain_text("118")
    shot(page, "home-after-new-cycle")

    # The new cycle can be chosen, and says that it is in progress.
    page.locator("#ciclo").select_option("2023")
    page.get_by_role("button", name="Ver").click()
    expect(page.get_by_role("status")).to_contain_text("Ciclo en curso")
    page.get_by_role("link", name="Ver la última edición completa").click()
    expect(page.locator("#ciclo")).to_have_value("2022")


def test_an_enlace_fills_the_form_on_a_phone_adds_three_figures_and_submits(
    live_server, page, catalogs, cast, open_cycle
):
    cast("enlace_jalisco")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "enlace_jalisco")
    page.goto(live_server.url + reverse("reports:create") + f"?ciclo={open_cycle.edition}")
    assert fits(page)
    page.get_by_label("Título *").fill("Atención a personas jaliscienses en retorno")
    page.get_by_label("Objetivo principal del Pacto Mundial *").select_option(index=21)
    page.get_by_label("Descripción *").fill("Orientación jurídica y vinculación laboral.")
    page.get_by_label("Resultados", exact=True).fill("Se atendió a 830 personas.")
    figures = [
        ("Personas atendidas", "830", "mujeres"),
        ("Personas atendidas", "412", "hombres"),
        ("Talleres", "12", "total"),
    ]
    for i, (label, value, sex) in enumerate(figures):
        if i:  # the form starts with one empty row; the others are added without a reload
            page.get_by_role("button", name="Añadir otra cifra").click()
            expect(page.locator(f"#id_figures-{i}-label")).to_be_focused()
        page.locator(f"#id_figures-{i}-label").fill(label)
        page.locator(f"#id_figures-{i}-value").fill(value)
        page.locator(f"#id_figures-{i}-sex").select_option(sex)
    # A fourth row, added and taken out again, changes nothing.
    page.get_by_role("button", name="Añadir otra cifra").click()
    page.get_by_role("button", name="Quitar la cifra 4").click()
    expect(page.locator("fieldset.figure")).to_have_count(3)
    # What was typed outside the figures is still there: only they were replaced.
    expect(page.get_by_label("Título *")).to_have_value(
        "Atención a personas jaliscienses en retorno"
    )
    page.get_by_label("No se reportan retos").check()
    page.get_by_label("Permanente").check()
    page.get_by_label("Fecha de inicio").fill("2022-01-15")
    page.get_by_label("Situación del programa *").select_option("vigente")
    assert fits(page)
    shot(page, "report-form-phone")
    page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(page.locator(".status")).to_have_text("Enviado a revisión")
    assert fits(page)
    report = Program.objects.get()
    assert sorted(report.figures.values_list("value", flat=True)) == [12, 412, 830]
    assert report.status == Program.Status.SUBMITTED
