"""WCAG 2.1 AA checks (axe-core in Debian chromium) and the small-screen layout of main pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from observatorio.importers.compendium.importing import import_compendium
from observatorio.importers.practices.importing import import_practices
from observatorio.indicators.models import Value
from observatorio.indicators.tests.records_files import records as sample_records
from observatorio.indicators.tests.records_files import write
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def main_pages() -> dict[str, str]:
    """Name → path of every main public page, built from the imported data."""
    program = Program.objects.published().filter(section="estatal").order_by("pk").first()
    practice = GoodPractice.objects.order_by("pk").first()
    return {
        "inicio": reverse("portal:home"),
        "buscar": reverse("portal:search") + "?q=ninas&entidad=07",
        "buscar-practicas": reverse("portal:search") + "?tipo=practicas&q=salud",
        "cobertura": reverse("portal:coverage"),
        "programa": reverse("portal:program", args=[program.pk]),
        "entidades": reverse("portal:states"),
        "entidad": reverse("portal:state", args=[program.state.slug]),
        "objetivos": reverse("portal:objectives"),
        "objetivo": reverse("portal:objective", args=[program.objective.number]),
        "instituciones": reverse("portal:institutions"),
        "institucion": reverse("portal:institution", args=["INM"]),
        "practicas": reverse("practices:list"),
        "practica": reverse("practices:detail", args=[practice.pk]),
        "datos": reverse("portal:opendata"),
        "publicaciones": reverse("documents:request"),
        "versiones": reverse("publications:releases"),
        "acceso": reverse("accounts:login"),
        "indicadores": reverse("portal:indicators"),
        "indicador": reverse("portal:indicator", args=["servicios"]) + "?desglose=sexo&entidad=07",
        "indicador-grafica": reverse("portal:indicator", args=["servicios"])
        + "?vista=grafica&desglose=nacionalidad",
        "indicador-mapa": reverse("portal:indicator", args=["servicios"]) + "?vista=mapa",
        # The panoramas' values: numbered notes with their sources and alerts.
        "indicador-notas": reverse("portal:indicator", args=["entradas-registradas"])
        + "?desglose=entidad",
        "indicador-seguimiento": reverse("portal:indicator", args=["programas-por-objetivo"])
        + "?desglose=objetivo",
        "inicio-en": "/en/",
        "buscar-en": "/en" + reverse("portal:search") + "?q=trata",
    }


@pytest.fixture
def portal_data(catalogs, tmp_path):
    from observatorio.published.index import rebuild

    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    import_practices(settings.SOURCE_DATA_DIR / "buenas-practicas-oim-conofam.txt", commit=True)
    rebuild()
    records = write(tmp_path / "atenciones.csv", sample_records(400))
    call_command("load_indicators", stdout=io.StringIO())
    call_command(
        "aggregate_records",
        str(records),
        "--indicator",
        "servicios",
        "--commit",
        stdout=io.StringIO(),
    )
    Value.objects.update(review=Value.Review.APPROVED)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} → {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [390, 1366], ids=["phone", "laptop"])
def test_the_main_pages_pass_axe_wcag_21_aa(live_server, page, portal_data, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 768})
    failures = {}
    for name, path in main_pages().items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, path, response.status)
        result = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )
        violations = result.response["violations"]
        if violations:
            failures[name] = describe(violations)
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())


def test_the_main_pages_fit_a_phone_screen(live_server, browser, portal_data):
    """No sideways scrolling at 360 px: tables scroll inside their own box, the rest reflows."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-MX")
    phone = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    try:
        for name, path in main_pages().items():
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide[name] = width
            if name in ("inicio", "buscar", "programa", "entidad"):
                phone.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=False)
    finally:
        context.close()
    assert not too_wide, too_wide
