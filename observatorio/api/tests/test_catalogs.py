"""Catalogues, good practices, cycles and the coverage matrix."""

from __future__ import annotations

import pytest

from observatorio.catalog.models import Institution, PopulationGroup, Region, State
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.published.coverage import coverage

pytestmark = pytest.mark.django_db
V1 = "/api/v1/"


def everything(anon, path: str, **query) -> list[dict]:
    response = anon.get(V1 + path, {"page_size": 500, **query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_23_objectives_by_number(anon):
    objectives = everything(anon, "objectives/")
    assert [o["number"] for o in objectives] == list(range(1, 24))
    three = anon.get(V1 + "objectives/3/").json()
    assert three["number"] == 3 and three["title_es"] and three["title_en"]
    assert anon.get(V1 + "objectives/24/").status_code == 404


def test_the_32_states_with_their_regions_which_the_program_filter_takes(anon):
    states = everything(anon, "states/")
    assert len(states) == 32
    jalisco = anon.get(V1 + "states/14/").json()
    assert jalisco["name"] == "Jalisco" and jalisco["iso_code"] == "MX-JAL"
    assert jalisco["regions"]
    for key in jalisco["regions"]:
        assert anon.get(V1 + "programs/", {"region": key}).status_code == 200, key


def test_regions_are_keyed_as_the_filter_expects(anon):
    regions = everything(anon, "regions/")
    assert len(regions) == Region.objects.count()
    norte = next(r for r in regions if r["key"] == "norte")
    assert "08" in norte["states"]  # Chihuahua
    assert any(r["key"].startswith("conofam:") for r in regions)


def test_institutions_by_acronym(anon):
    assert len(everything(anon, "institutions/")) == Institution.objects.count()
    sre = anon.get(V1 + "institutions/SRE/").json()
    assert sre["acronym"] == "SRE" and sre["order"] == "federal" and sre["state"] is None
    assert anon.get(V1 + "institutions/NOEXISTE/").status_code == 404


def test_population_groups_by_code(anon):
    codes = [p["code"] for p in everything(anon, "populations/")]
    assert codes == sorted(PopulationGroup.objects.values_list("code", flat=True))
    assert anon.get(V1 + "populations/retorno/").json()["name_es"]


def test_cycles_newest_first_with_whether_they_are_open(anon, open_cycle, make_report):
    cycles = everything(anon, "cycles/")
    assert cycles[0]["edition"] == 2025 and cycles[0]["is_open"] is True
    assert anon.get(V1 + "cycles/2025/").json()["deadline"] == open_cycle.deadline.isoformat()


def test_good_practices_with_their_marks_and_qualification(anon, make_report):
    hidden = make_report(state="08")
    shown = make_report(state="08", status=Program.Status.PUBLISHED, number=1)
    chihuahua = State.objects.get(inegi_code="08")
    practice = GoodPractice.objects.create(
        state=chihuahua,
        number=1,
        title="Casa del migrante",
        sostenibilidad_mark="cumple",
        asociacion_mark="cumple",
        innovacion_mark="cumple",
        program=shown,
    )
    other = GoodPractice.objects.create(
        state=State.objects.get(inegi_code="31"), number=1, title="Otra", program=hidden
    )
    data = anon.get(V1 + f"practices/{practice.pk}/").json()
    assert data["state"] == "08"
    assert data["marks"]["sostenibilidad"] == "cumple"
    assert data["marks"]["eficacia"] == "sin_dato"
    assert data["qualification"] == "califica"
    assert data["program"] == shown.pk
    assert anon.get(V1 + f"practices/{other.pk}/").json()["program"] is None  # not published
    assert [p["id"] for p in everything(anon, "practices/", state="08")] == [practice.pk]
    # A well-formed state that does not exist names nothing: 404, like states/99/.
    assert anon.get(V1 + "practices/", {"state": "99"}).status_code == 404


def test_coverage_is_the_portals_matrix(anon, make_report, open_cycle):
    make_report(state="14", status=Program.Status.PUBLISHED, number=1, objective=3)
    make_report(state="14", status=Program.Status.PUBLISHED, number=2, objective=3)
    make_report(state="07", status=Program.Status.PUBLISHED, number=1, objective=5)
    make_report(state="07")  # a draft does not count
    data = anon.get(V1 + "coverage/").json()
    assert data["cycle"] == 2025
    expected = coverage(open_cycle)
    assert data["total"] == expected.total == 3
    assert data["states_reporting"] == 2
    rows = {row["state"]: row for row in data["states"]}
    assert len(rows) == 32
    assert rows["14"]["counts"][2] == 2 and rows["14"]["objectives_covered"] == 1
    assert rows["07"]["counts"][4] == 1
    assert data["objective_totals"][2] == 2
    assert anon.get(V1 + "coverage/", {"cycle": "2025"}).json() == data
    response = anon.get(V1 + "coverage/", {"cycle": "1999"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No existe el ciclo 1999."}
    assert anon.get(V1 + "coverage/", {"cycle": "año"}).json() == {
        "cycle": ["Escriba un número entero."]
    }


def test_catalogue_lists_download_as_csv_too(anon):
    response = anon.get(V1 + "states/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "inegi_code,iso_code,name,official_name,regions"
    assert len(lines) == 33
