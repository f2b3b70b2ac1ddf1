"""Vega-Lite specs built from published data, and their server-side rendering."""

from __future__ import annotations

import datetime as dt

import pytest

from observatorio import charts
from observatorio.catalog.models import GcmObjective, State
from observatorio.programs.models import Program, ReportingCycle


@pytest.fixture
def cycle(db):
    cycle = ReportingCycle.objects.create(
        edition=2033,
        name="Ciclo 2033",
        period_start=dt.date(2032, 7, 1),
        period_end=dt.date(2033, 6, 30),
    )

    def add(section, objective, number, status=Program.Status.PUBLISHED, state=None):
        Program.objects.create(
            cycle=cycle,
            section=section,
            objective=GcmObjective.objects.get(number=objective),
            number=number,
            title=f"Programa {section} {objective}.{number}",
            state=State.objects.get(inegi_code=state) if state else None,
            status=status,
        )

    add(Program.Section.FEDERAL, 7, 1)
    add(Program.Section.FEDERAL, 7, 2)
    add(Program.Section.FEDERAL, 7, None, status=Program.Status.DRAFT)
    add(Program.Section.STATE, 4, 1, state="16")
    add(Program.Section.STATE, 4, 2, state="16")
    add(Program.Section.STATE, 15, 1, state="07")
    return cycle


def test_programs_per_objective_counts_published_programs_of_both_parts(cycle):
    spec = charts.programs_per_objective_spec(cycle)
    values = spec["data"]["values"]
    assert len(values) == 46  # every objective, both parts, zeros included
    counts = {(v["objetivo"], v["parte"]): v["programas"] for v in values}
    assert counts[(7, "Federal")] == 2  # the draft is not counted
    assert counts[(4, "Estatal")] == 2
    assert counts[(15, "Estatal")] == 1
    assert sum(counts.values()) == 5
    assert values[12]["etiqueta"] == "7. Vulnerabilidades"


def test_the_heatmap_has_every_state_and_objective_with_the_portal_classes(cycle):
    spec = charts.coverage_heatmap_spec(cycle)
    values = spec["data"]["values"]
    assert len(values) == 32 * 23
    michoacan = {v["objetivo"]: v for v in values if v["entidad"] == "Michoacán"}
    assert michoacan[4]["programas"] == 2
    assert michoacan[4]["clase"] == "2"
    assert michoacan[5]["clase"] == "0"
    # The legend is made of swatches (classes), never a gradient.
    color = spec["layer"][0]["encoding"]["color"]
    assert color["type"] == "ordinal"
    assert color["scale"]["domain"] == ["0", "1", "2"]


def test_specs_render_to_svg_with_the_labels_as_text_and_to_png(cycle):
    spec = charts.programs_per_objective_spec(cycle)
    svg = charts.render_svg(spec)
    assert svg.lstrip().startswith("<svg")
    assert "Vulnerabilidades" in svg and "Programas publicados" in svg
    assert charts.render_svg(spec) is svg  # cached: one conversion per spec
    png = charts.render_png(spec)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_map_is_the_portal_choropleth_with_a_legend(cycle):
    svg = charts.coverage_map_svg(cycle)
    assert svg.count("<path ") == 32
    assert "Michoacán: 2 programas" in svg
    assert "Chiapas: 1 programas" in svg
    assert "Programas:" in svg
    assert charts.svg_to_png(svg).startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        charts.coverage_map_svg(cycle, measure="presupuesto")
