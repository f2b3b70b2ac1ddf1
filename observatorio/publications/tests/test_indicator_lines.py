"""The indicators in the publications: the compendium's national ones in «El ciclo en
cifras», a factsheet's own; protected as on the portal (a small figure says «Reservado»,
never its number), read back from the PDF and the DOCX."""

from __future__ import annotations

import pytest

from observatorio.catalog.models import State
from observatorio.indicators import catalogue, followup
from observatorio.indicators.models import Indicator, Value
from observatorio.programs.models import Program, ReportingCycle
from observatorio.publications import roundtrip
from observatorio.publications.document import build_compendium
from observatorio.publications.factsheet import build_factsheet, render_factsheet
from observatorio.publications.indicator_lines import RESERVED, indicator_lines
from observatorio.publications.renderers import render_compendium

from .conftest import needs_poppler
from .test_document import cycle, small  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def approved(code: str, state: str, value: int, period: int = 2026, **more) -> Value:
    return Value.objects.create(
        indicator=Indicator.objects.get(code=code),
        period=period,
        state=state,
        value=value,
        status=Value.Status.FINAL,
        review=Value.Review.APPROVED,
        origin=Value.Origin.FORM,
        **more,
    )


@pytest.fixture
def jalisco_values(catalogs):
    catalogue.load()
    approved("tarjetas-residente-temporal", "14", 3)  # a small count: reserved
    approved("tarjetas-residente-permanente", "14", 1234, source_cited="INM, boletín 2026")
    return State.objects.get(inegi_code="14")


def test_a_states_lines_protect_small_counts(jalisco_values):
    lines = {line.name: line for line in indicator_lines("14")}
    temporary = lines["Tarjetas de residente temporal emitidas"]
    assert temporary.value == RESERVED and temporary.reserved and "3" not in temporary.value
    permanent = lines["Tarjetas de residente permanente emitidas"]
    assert permanent.value.startswith("1,234 ") and permanent.period == "2026"
    assert "INM, boletín 2026" in permanent.source


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_factsheet_prints_the_states_indicators(jalisco_values, fmt):
    reporting = ReportingCycle.objects.create(
        edition=2026,
        name="Ciclo 2026",
        period_start="2025-07-01",
        period_end="2026-06-30",
    )
    data = render_factsheet(jalisco_values, reporting, fmt)
    text = roundtrip.pdf_text(data) if fmt == "pdf" else roundtrip.docx_text(data)
    text = " ".join(text.split())
    assert "Indicadores de Jalisco" in text
    assert "1,234 tarjetas" in text and RESERVED in text
    assert "no es un cero" in text
    assert len(build_factsheet(jalisco_values, reporting).indicators) == 2


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_compendium_prints_the_national_indicators(small, fmt):  # noqa: F811
    catalogue.load()
    followup.refresh()
    published = Program.objects.published().filter(cycle=small).count()
    lines = {line.name: line for line in build_compendium(small).indicators}
    follow_up = lines["Programas reportados por objetivo del Pacto Mundial"]
    assert follow_up.value == f"{published} programas" and follow_up.period == str(small.edition)
    data = render_compendium(small, fmt)
    text = roundtrip.pdf_text(data) if fmt == "pdf" else roundtrip.docx_text(data)
    text = " ".join(text.split())
    assert "Indicadores nacionales" in text and f"{published} programas" in text
