"""Publications in Debian's chromium: an anonymous visitor downloads the compendium PDF from
/publicaciones/ and finds a state's factsheet from its page; the PDF is read back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.importers.compendium.importing import import_compendium

from .conftest import needs_poppler

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    return [f"{v['id']}: {v['help']}" for v in result.response["violations"]]


def _run(*args: str) -> str:
    completed = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@needs_poppler
def test_an_anonymous_visitor_downloads_the_compendium_pdf(live_server, page, catalogs, tmp_path):
    from observatorio.catalog.models import State
    from observatorio.programs.models import ReportingCycle
    from observatorio.publications.models import GeneratedDocument
    from observatorio.publications.tasks import request_document

    import_compendium(settings.SOURCE_DATA_DIR / "compendio-general-2022.txt", commit=True)
    cycle = ReportingCycle.objects.get(edition=2022)
    compendium, _ = request_document(
        kind=GeneratedDocument.Kind.COMPENDIUM, cycle=cycle, state=None, fmt="pdf", user=None
    )
    jalisco = State.objects.get(inegi_code="14")
    factsheet, _ = request_document(
        kind=GeneratedDocument.Kind.FACTSHEET, cycle=cycle, state=jalisco, fmt="pdf", user=None
    )
    assert compendium.status == factsheet.status == GeneratedDocument.Status.DONE

    # Nobody signs in: the menu leads to the publications.
    page.goto(live_server.url + reverse("portal:home"))
    page.get_by_role("navigation", name="Secciones").get_by_role(
        "link", name="Publicaciones"
    ).click()
    expect(page.get_by_role("heading", name="Publicaciones", level=1)).to_be_visible()
    assert "/entrar/" not in page.url
    expect(page.get_by_role("button", name="Generar")).to_have_count(0)
    assert _axe_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Compendio 2022 en PDF").click()
    download = info.value
    assert download.suggested_filename == compendium.filename()
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    text = _run("pdftotext", "-layout", str(path), "-")
    assert "Compendio General 2022" in text and "Objetivo 1. Recopilar" in text
    info_lines = _run("pdfinfo", str(path))
    assert "Tagged:          yes" in info_lines
    assert "PDF version:     1.7" in info_lines
    outline = _run("pdftohtml", "-xml", "-stdout", "-q", "-i", str(path))
    assert "<outline>" in outline
    assert ">Objetivo 1. Recopilar" in outline  # a bookmark per objective
    for shot, size in (("publications-1366.png", DESKTOP), ("publications-390.png", PHONE)):
        page.set_viewport_size(size)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / shot), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]

    # The state page links to its factsheet.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("portal:state", args=[jalisco.slug]))
    section = page.locator("section.factsheet-links")
    expect(section.get_by_role("heading", name="Ficha estatal")).to_be_visible()
    assert _axe_violations(page) == []
    with page.expect_download() as info:
        section.get_by_role("link", name="Ficha de Jalisco en PDF").click()
    assert info.value.suggested_filename == "ficha-jalisco-2022.pdf"
    for shot, size in (("state-factsheet-1366.png", DESKTOP), ("state-factsheet-390.png", PHONE)):
        page.set_viewport_size(size)
        section.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / shot))
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
