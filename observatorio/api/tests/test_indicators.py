"""``/api/v1/indicators/``: the catalogue, one indicator, and its published cells, protected."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from observatorio.indicators import catalogue
from observatorio.indicators.models import Indicator, Value
from observatorio.indicators.protection import audit
from observatorio.indicators.published import KEY_FIELDS
from observatorio.indicators.tests.records_files import records, write

pytestmark = pytest.mark.django_db
V1 = "/api/v1/indicators/"
ROW = {
    "period",
    "state",
    "sex",
    "age_group",
    "nationality",
    "country_of_birth",
    "population",
    "value",
    "suppressed",
    "status",
}


@pytest.fixture
def services(catalogs, tmp_path):
    catalogue.load()
    path = write(tmp_path / "atenciones.csv", records(400))
    for code in ("servicios", "personas"):
        call_command(
            "aggregate_records", str(path), "--indicator", code, "--commit", stdout=io.StringIO()
        )
    Value.objects.update(review=Value.Review.APPROVED)
    return Indicator.objects.get(code="servicios")


def test_the_catalogue_and_one_indicator(anon, services):
    listed = anon.get(V1, {"page_size": 500}).json()
    assert listed["count"] == len(catalogue.entries())
    codes = {row["code"] for row in listed["results"]}
    assert {"servicios", "personas", "poblacion-nacida-en-otro-pais"} <= codes
    one = anon.get(V1 + "refugio-resuelto-en-tiempo/").json()
    assert one["formula"] == {
        "numerator": "refugio-solicitudes-resueltas-en-tiempo",
        "denominator": "refugio-solicitudes",
        "factor": 100.0,
    }
    assert one["objectives"] == [12] and one["unit"] == "%"
    assert anon.get(V1 + "servicios/").json()["periods"] == [2023]
    assert anon.get(V1 + "no-existe/").status_code == 404


def test_the_data_rows_are_protected_and_suppressed_cells_have_no_value(anon, services):
    response = anon.get(V1 + "servicios/data/", {"period": 2023, "page_size": 5000})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows and all(set(row) >= ROW for row in rows)
    hidden = [row for row in rows if row["suppressed"]]
    assert hidden and all(row["value"] is None for row in hidden)
    shown = [row for row in rows if not row["suppressed"]]
    assert all(row["value"] == 0 or row["value"] >= services.min_cell for row in shown)
    # The attacker's linear programs cannot narrow any suppressed cell below k.
    counts = {
        tuple(value[name] for name in KEY_FIELDS): int(value["value"])
        for value in services.values.values(*KEY_FIELDS, "value")
    }
    suppressed = [tuple(row[name] for name in KEY_FIELDS) for row in hidden]
    assert audit(counts, suppressed, k=services.min_cell) == []
    national = next(r for r in rows if not any(r[name] for name in KEY_FIELDS))
    assert national["value"] == 400 and national["status"] == "preliminar"


def test_filters_by_state_and_period_and_every_row_as_csv(anon, services):
    chiapas = anon.get(V1 + "servicios/data/", {"state": "07", "page_size": 5000}).json()
    assert chiapas["results"] and {row["state"] for row in chiapas["results"]} == {"07"}
    national = anon.get(V1 + "servicios/data/", {"state": ""}).json()["results"]
    assert national and {row["state"] for row in national} == {""}
    assert anon.get(V1 + "servicios/data/", {"period": 2019}).json()["count"] == 0
    body = anon.get(V1 + "servicios/data/", {"format": "csv"})
    assert body["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.content.decode())))
    assert len(rows) == services.values.count() > 50
    assert {"true", "false"} == {row["suppressed"] for row in rows}
    assert all(row["value"] == "" for row in rows if row["suppressed"] == "true")


def test_bad_parameters_are_spanish_400s_and_unknown_ones_404(anon, services):
    assert anon.get(V1 + "servicios/data/", {"state": "x"}).status_code == 400
    assert anon.get(V1 + "servicios/data/", {"period": "dos mil"}).status_code == 400
    missing = anon.get(V1 + "servicios/data/", {"state": "99"})
    assert missing.status_code == 404 and "no existe" in missing.json()["detail"]
    assert anon.get(V1 + "nada/data/").status_code == 404
    assert anon.get(V1 + "servicios/data/", {"format": "xml"}).status_code == 400


def test_a_period_of_records_is_public_only_once_approved_as_a_whole(anon, services):
    services.values.filter(state="07").update(review=Value.Review.DRAFT)
    assert anon.get(V1 + "servicios/data/").json()["count"] == 0
    assert anon.get(V1 + "servicios/").json()["periods"] == []
    # Values entered one by one are public one by one.
    census = Indicator.objects.get(code="poblacion-nacida-en-otro-pais")
    Value.objects.create(indicator=census, period=2020, value=100, origin="formulario")
    Value.objects.create(
        indicator=census, period=2020, state="07", value=40, origin="formulario", review="aprobado"
    )
    rows = anon.get(V1 + "poblacion-nacida-en-otro-pais/data/").json()["results"]
    assert [(row["state"], row["value"]) for row in rows] == [("07", 40)]


def test_distinct_persons_are_protected_table_by_table(anon, services):
    rows = anon.get(V1 + "personas/data/", {"page_size": 5000}).json()["results"]
    shown = [row for row in rows if not row["suppressed"]]
    assert shown and all(row["value"] == 0 or row["value"] >= 5 for row in shown)
    assert all(row["value"] is None for row in rows if row["suppressed"])
