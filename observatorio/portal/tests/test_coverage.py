"""Coverage of the 2022 cycle: the states × objectives heatmap and the choropleth map."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from observatorio.charts.maps import PALETTE, classify, legend
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published.coverage import coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(real_data, db):
    """The 2022 compendium (with the good-practice study), imported once and shared."""
    return ReportingCycle.objects.get(edition=2022)


def test_the_matrix_counts_every_published_state_program_once(imported):
    data = coverage(imported)
    assert len(data.rows) == 32
    assert len(data.objectives) == 23
    assert data.total == 118
    assert data.states_reporting == 20
    expected = Counter(
        Program.objects.state_level().values_list("state__name", "objective__number")
    )
    for row in data.rows:
        for objective, count in zip(data.objectives, row.counts, strict=True):
            assert count == expected[(row.state.name, objective.number)]
    # Objectives 11, 12 and 13 have no state programs in 2022: visible gaps.
    assert data.objective_totals[10:13] == [0, 0, 0]


def test_unpublished_reports_do_not_count(imported, cast):
    program = Program.objects.state_level().first()
    program.status = Program.Status.WITHDRAWN
    program.save()
    assert coverage(imported).total == 117


def test_the_map_classes_go_from_none_to_the_maximum():
    assert classify(0, 17) == 0
    assert classify(1, 17) == 1
    assert classify(17, 17) == len(PALETTE) - 1
    labels = [label for _, label in legend(17)]
    assert labels[0] == "0" and labels[-1].endswith("17")


def test_the_page_shows_the_heatmap_and_a_map_of_the_32_states(client, imported):
    response = client.get(reverse("portal:coverage"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<path ") == 32
    assert "<title>Tlaxcala: 17 programas</title>" in body
    assert "<title>Zacatecas: 0 programas</title>" in body
    assert 'Zacatecas <span class="muted">(sin programas)</span>' in body
    assert "CC BY 4.0" in body
    tbody = body.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">", tbody)
    assert len(rows) == 32


def test_the_map_measure_can_be_objectives_covered(client, imported):
    body = client.get(reverse("portal:coverage") + "?medida=objetivos").content.decode()
    tlaxcala = coverage(imported).measure("objetivos")["29"]
    assert f"<title>Tlaxcala: {tlaxcala} objetivos cubiertos</title>" in body


@pytest.mark.parametrize(
    "query",
    ["?ciclo=abc", "?ciclo=1999", "?ciclo=2022%27%20OR%201=1", "?ciclo=" + "9" * 400],
)
def test_bad_cycles_are_a_clean_404(client, imported, query):
    assert client.get(reverse("portal:coverage") + query).status_code == 404


def test_an_unknown_measure_falls_back_to_programs(client, imported):
    body = client.get(reverse("portal:coverage") + "?medida=<script>").content.decode()
    assert "<title>Tlaxcala: 17 programas</title>" in body
    assert "<script>" not in body


def test_the_page_works_before_any_import(client):
    response = client.get(reverse("portal:coverage"))
    assert response.status_code == 200
    assert response.content.decode().count("<path ") == 32
