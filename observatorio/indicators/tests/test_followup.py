"""The Global Compact follow-up indicator, counted from the published reports: its values
match the programs, follow every change to them once committed, and are published like
every other indicator (page, API, open data)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from observatorio.indicators import followup, published
from observatorio.indicators.models import Indicator, Value
from observatorio.programs.models import Program, ReportingCycle

pytestmark = pytest.mark.django_db

CODE = "programas-por-objetivo"


def values(edition: int) -> dict[tuple[str, str], int]:
    rows = Value.objects.filter(indicator__code=CODE, period=edition)
    return {(v.state, v.objective): int(v.value) for v in rows}


def test_the_values_are_the_published_programs(real_data):
    cycle = ReportingCycle.objects.get(edition=2022)
    programs = Program.objects.published().filter(cycle=cycle)
    found = values(2022)
    assert found["", ""] == programs.count() > 0
    for number in (1, 7, 23):
        assert found.get(("", str(number)), 0) == programs.filter(objective__number=number).count()
    chiapas = programs.filter(section=Program.Section.STATE, state__inegi_code="07")
    assert found["07", ""] == chiapas.count() > 0
    # The national count is federal and state programs; the states only their own.
    states = sum(n for (state, objective), n in found.items() if state and not objective)
    assert states == programs.filter(section=Program.Section.STATE).count() < found["", ""]
    assert (
        Value.objects.filter(indicator__code=CODE)
        .exclude(review=Value.Review.APPROVED, origin=Value.Origin.REPORTS)
        .count()
        == 0
    )
    assert followup.refresh() == 0  # nothing changed: nothing rewritten


def test_a_withdrawn_program_leaves_the_count_once_committed(
    real_data, django_capture_on_commit_callbacks
):
    before = values(2022)
    program = (
        Program.objects.published()
        .filter(cycle__edition=2022, section=Program.Section.STATE)
        .select_related("state", "objective")
        .first()
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        program.status = Program.Status.WITHDRAWN
        program.save()
        program.save()  # two saves, one refresh
    assert len(callbacks) == 1
    after = values(2022)
    objective = str(program.objective.number)
    assert after["", ""] == before["", ""] - 1
    assert after["", objective] == before["", objective] - 1
    assert after[program.state.inegi_code, ""] == before[program.state.inegi_code, ""] - 1


def test_it_is_published_by_objective_and_state(client, real_data):
    indicator = Indicator.objects.get(code=CODE)
    cells = published.cells(indicator, period=2022)
    assert cells and not any(cell.suppressed for cell in cells)
    page = client.get(f"/indicadores/{CODE}/?desglose=objetivo").content.decode()
    assert "Objetivo del Pacto Mundial" in page and "Total nacional, 2022" in page
    # One source for every value shown: said once, no row marked.
    assert page.count("Fuente citada: Reportes publicados del ciclo 2022") == 1
    assert 'href="#nota-' not in page
    national = values(2022)
    rows = client.get(f"/api/v1/indicators/{CODE}/data/", {"period": 2022}).json()["results"]
    by_objective = {r["objective"]: r["value"] for r in rows if r["objective"] and not r["state"]}
    assert by_objective["1"] == national["", "1"]
    assert all("objective" in r for r in rows)


def test_it_is_neither_captured_nor_loaded_from_records(tmp_path, real_data):
    with pytest.raises(CommandError, match="no se calcula a partir de registros"):
        call_command(
            "aggregate_records",
            str(tmp_path / "x.csv"),
            "--indicator",
            CODE,
            stdout=io.StringIO(),
        )
