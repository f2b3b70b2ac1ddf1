"""In a real browser, at a phone's and a desktop's width: UPM sends an information request
to three states, two answer, the completeness view shows the one missing; an agreement
passes its due date, shows as overdue on its body's and its institution's trackers, and its
reminder is sent once. Spanish throughout, no horizontal scroll, axe finds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.accounts.models import Membership, Role
from observatorio.accounts.testing import PASSWORD
from observatorio.catalog.models import State
from observatorio.coordination import actions
from observatorio.coordination.models import Body, RequestAnswer
from observatorio.indicators.tests.test_browser_values import fits_and_passes_axe, shot
from observatorio.notifications.models import Kind, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Salir").click()


@pytest.mark.parametrize("width", [390, 1366])
def test_a_request_to_three_states_and_an_overdue_agreement(
    live_server, page, catalogs, cast, django_user_model, width
):
    for name in ("reviewer", "enlace_jalisco", "enlace_chiapas", "reporter_sre"):
        cast(name)
    tlaxcala = django_user_model.objects.create_user("enlace_tlaxcala", "t@example.org", PASSWORD)
    Membership.objects.create(
        user=tlaxcala, role=Role.LIAISON, state=State.objects.get(inegi_code="29")
    )
    Body.objects.create(
        key="comision", name="Comisión Intersecretarial", acronym="CI", kind="commission"
    )
    page.set_viewport_size({"width": width, "height": 900})
    deadline = timezone.localdate() + dt.timedelta(days=10)

    # UPM sends the request to three states.
    log_in(page, live_server, "reviewer")
    page.goto(live_server.url + reverse("coordination:requests"))
    page.get_by_role("link", name="Nueva solicitud").click()
    page.get_by_label("Asunto *").fill("Albergues en operación")
    page.get_by_label("Solicitud *").fill("Indiquen cuántos albergues operan y su capacidad.")
    page.get_by_label("Fecha límite *").fill(deadline.isoformat())
    for state in ("Jalisco", "Chiapas", "Tlaxcala"):
        page.get_by_label(state, exact=True).check()
    fits_and_passes_axe(page)
    page.get_by_role("button", name="Enviar la solicitud").click()
    expect(page.get_by_text("Solicitud enviada.")).to_be_visible()
    request_url = page.url
    _log_out(page)

    # Two enlaces answer, each for their own state.
    for username, text in (
        ("enlace_jalisco", "Tres albergues, 400 lugares."),
        ("enlace_chiapas", "Nueve albergues."),
    ):
        log_in(page, live_server, username)
        page.goto(request_url)
        page.get_by_label("Respuesta *").fill(text)
        page.get_by_role("button", name="Enviar la respuesta").click()
        expect(page.get_by_text("Respuesta enviada.")).to_be_visible()
        _log_out(page)
    assert RequestAnswer.objects.count() == 2

    # The completeness view shows the one missing.
    log_in(page, live_server, "reviewer")
    page.goto(request_url)
    expect(page.get_by_text("2 entidades respondieron")).to_be_visible()
    expect(page.get_by_text("falta 1")).to_be_visible()
    missing = page.locator("tr", has_text="Tlaxcala")
    expect(missing).to_contain_text("Pendiente, en plazo")
    expect(missing).to_contain_text("Sin respuesta")
    fits_and_passes_axe(page)
    shot(page, f"coordinacion-solicitud-{width}")

    # An agreement whose due date passed: overdue on the body's and SRE's trackers.
    page.goto(live_server.url + reverse("coordination:body", args=["comision"]))
    page.get_by_role("link", name="Registrar un acuerdo").click()
    page.get_by_label("Acuerdo *", exact=True).fill("La SRE entregará el directorio de albergues.")
    page.get_by_label("Instituciones responsables *").select_option(
        label="SRE — Secretaría de Relaciones Exteriores"
    )
    page.get_by_label("Fecha del acuerdo *").fill("2024-01-15")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Fecha compromiso").fill(yesterday.isoformat())
    page.get_by_role("button", name="Guardar el acuerdo").click()
    expect(page.get_by_text("Acuerdo guardado.")).to_be_visible()
    expect(page.locator(".status-overdue").first).to_have_text("Vencido")
    page.goto(live_server.url + reverse("coordination:body", args=["comision"]))
    row = page.locator("tr", has_text="directorio de albergues")
    expect(row).to_contain_text("Vencido")
    fits_and_passes_axe(page)
    shot(page, f"coordinacion-organo-{width}")
    page.goto(live_server.url + reverse("coordination:agreements") + "?institucion=SRE")
    expect(page.locator("tr", has_text="directorio de albergues")).to_contain_text("Vencido")
    page.goto(live_server.url + reverse("coordination:agreements") + "?vencidos=on")
    expect(page.locator("tbody tr")).to_have_count(1)
    fits_and_passes_axe(page)
    shot(page, f"coordinacion-acuerdos-{width}")
    _log_out(page)

    # The daily reminder runs twice: the responsible institution is told once.
    assert len(actions.remind_overdue()) == 1
    assert actions.remind_overdue() == []
    notices = Notification.objects.filter(kind=Kind.AGREEMENT_OVERDUE)
    assert [n.user.username for n in notices] == ["reporter_sre"]
    log_in(page, live_server, "reporter_sre")
    page.goto(live_server.url + reverse("notifications:list"))
    expect(page.get_by_text("Acuerdo vencido de CI")).to_have_count(1)
