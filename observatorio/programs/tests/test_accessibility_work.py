"""WCAG 2.1 AA (axe-core in Debian chromium) on the pages people work in, signed in, at a
phone's width and a laptop's: the report form, a returned report, the lists, the cycles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatorio.accounts.browser import log_in
from observatorio.programs import actions
from observatorio.programs.models import Program

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations_on(page, url: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    result = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes'][:3]]}"
        for v in result.response["violations"]
    ]


def sweep(browser, live_server, username: str, paths: dict[str, str]) -> dict:
    failures = {}
    for width, viewport in WIDTHS.items():
        context = browser.new_context(locale="es-MX", viewport=viewport)
        page = context.new_page()
        try:
            log_in(page, live_server, username)
            for name, path in paths.items():
                found = violations_on(page, live_server.url + path)
                if found:
                    failures[f"{name} @ {width}"] = found
                overflow = page.evaluate(
                    "document.scrollingElement.scrollWidth - window.innerWidth"
                )
                if overflow > 0:
                    failures[f"{name} @ {width}"] = [f"{overflow} px of horizontal scroll"]
        finally:
            context.close()
    return failures


def test_the_enlaces_pages_pass_axe_at_both_widths(
    live_server, browser, catalogs, cast, make_report
):
    cast("enlace_jalisco")
    reviewer = cast("reviewer")
    returned = make_report(state="14", status=Program.Status.SUBMITTED, title="Módulo de retorno")
    actions.return_for_changes(returned, reviewer, "Desagregue por sexo a las personas atendidas.")
    draft = make_report(state="14", title="Albergue de tránsito")
    paths = {
        "mi-trabajo": reverse("reports:work"),
        "reportes": reverse("reports:list"),
        "nuevo-reporte": reverse("reports:create") + f"?ciclo={draft.cycle.edition}",
        "editar-reporte": reverse("reports:edit", args=[draft.pk]),
        "reporte-devuelto": reverse("reports:detail", args=[returned.pk]),
        "historial": reverse("reports:history", args=[returned.pk]),
        "hoja": reverse("spreadsheet:upload"),
        "avisos": reverse("notifications:list"),
    }
    failures = sweep(browser, live_server, "enlace_jalisco", paths)
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_the_reviewers_pages_pass_axe_at_both_widths(
    live_server, browser, catalogs, cast, make_report
):
    cast("reviewer")
    submitted = make_report(state="14", status=Program.Status.SUBMITTED)
    make_report(institution="SRE", status=Program.Status.APPROVED, title="Consulados móviles")
    edition = submitted.cycle.edition
    paths = {
        "mi-trabajo": reverse("reports:work"),
        "reportes": reverse("reports:list") + "?estado=enviado",
        "reporte-en-revision": reverse("reports:detail", args=[submitted.pk]),
        "ciclos": reverse("reports:cycles"),
        "nuevo-ciclo": reverse("reports:cycle_create"),
        "editar-ciclo": reverse("reports:cycle_edit", args=[edition]),
        "completitud": reverse("completeness:cycle", args=[edition]),
        "publicaciones": reverse("documents:request"),
        "tokens": reverse("accounts:api_tokens"),
    }
    failures = sweep(browser, live_server, "reviewer", paths)
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
