"""Assistance in Debian's chromium, on the 2022 compendium: the objectives suggested in the
report form as the enlace types (in under 300 ms), and the reviewer's panel of similar
programs on the report's page, where a joint program is marked; at 390 and 1366 px, with
no sideways scroll and nothing axe (WCAG 2.1 AA) objects to."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.assist.models import ProgramLink
from observatorio.assist.training import current, train_and_store
from observatorio.catalog.models import GcmObjective
from observatorio.importers.compendium.importing import import_compendium
from observatorio.portal.tests.test_accessibility import WCAG_21_AA, describe
from observatorio.programs.models import Program
from observatorio.programs.tests.test_browser_reports import log_out, shot
from observatorio.published.index import rebuild

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.scrollingElement.scrollWidth <= window.innerWidth"
TEXT = (
    "Apoyo a personas migrantes en retorno y sus familias con capital semilla para "
    "iniciar un negocio propio en su comunidad de origen"
)
# Types the text as one input event and resolves with the milliseconds until the
# suggestions are in the page (htmx's 120 ms pause after typing included).
TIME_SUGGESTIONS = """text => new Promise(resolve => {
  const box = document.getElementById('objective-suggestions');
  const title = document.getElementById('id_title');
  let start = 0;
  const seen = new MutationObserver(() => {
    if (!box.querySelector('li[data-objective]')) return;
    seen.disconnect();
    resolve(performance.now() - start);
  });
  seen.observe(box, {childList: true, subtree: true});
  title.value = text;
  start = performance.now();
  title.dispatchEvent(new Event('input', {bubbles: true}));
})"""


def _axe(page):
    from axe_playwright_python.sync_playwright import Axe

    violations = (
        Axe()
        .run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        .response["violations"]
    )
    assert not violations, describe(violations)


def test_suggestions_appear_as_the_enlace_types_and_the_reviewer_marks_a_joint_program(
    live_server, page, catalogs, cast, open_cycle, make_report
):
    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    rebuild()
    train_and_store()
    current()  # the server's process loads the model once (as a worker does on its first request)
    cast("enlace_jalisco")
    cast("reviewer")
    log_in(page, live_server, "enlace_jalisco")
    timings = []
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}{reverse('reports:create')}?ciclo={open_cycle.edition}")
        box = page.locator("#objective-suggestions")
        expect(box).to_contain_text("Escriba el título")
        timings.append(page.evaluate(TIME_SUGGESTIONS, TEXT))
        expect(box.locator("li").first).to_be_visible()
        expect(box).to_contain_text("21.")  # return and reintegration
        expect(box).to_contain_text("Por las palabras")
        assert page.evaluate(FITS)
        shot(page, f"assist-form-{width}")
    _axe(page)
    print("suggestions in the form after typing (ms):", [round(t) for t in timings])
    assert max(timings) < 300, timings

    # One click takes a suggestion; the choice stays the reporter's, who may pick another.
    objective = page.get_by_label("Objetivo principal del Pacto Mundial *")
    page.get_by_role("button", name="Elegir el objetivo 21").click()
    expect(objective).to_have_value(str(GcmObjective.objects.get(number=21).pk))
    objective.select_option(index=19)
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Se guardó el borrador.")).to_be_visible()
    log_out(page)

    # A report in review, the same program as a published state program of 2022.
    published = Program.objects.published().filter(section="estatal").order_by("pk")[5]
    report = make_report(
        state="14",
        status="enviado",
        title=published.title,
        description=published.description,
        results=published.results,
        cycle=published.cycle,
        objective=published.objective.number,
    )
    log_in(page, live_server, "reviewer")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
        panel = page.locator("#asistencia")
        expect(panel.get_by_role("heading", name="Programas parecidos")).to_be_visible()
        expect(panel.locator("ol.similar > li").first).to_contain_text(published.title[:40])
        expect(panel.locator("blockquote.passage").first).to_be_visible()
        assert page.evaluate(FITS)
        shot(page, f"assist-panel-{width}")
    _axe(page)
    panel.locator("ol.similar > li").first.get_by_role("button", name="Programa conjunto").click()
    expect(page.get_by_text("Se marcó como programa conjunto")).to_be_visible()
    link = ProgramLink.objects.get()
    assert {link.first_id, link.second_id} == {report.pk, published.pk}
    expect(page.locator("#asistencia")).to_contain_text("Programa conjunto con")
