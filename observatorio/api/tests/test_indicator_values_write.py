"""POST /api/v1/indicators/{code}/values/: a draft value through the same action and policy
as the capture pages; 401 without a token, 403 outside the scope, 404, 409 when locked."""

from __future__ import annotations

import pytest

from observatorio.indicators import catalogue
from observatorio.indicators.actions_values import approve_values
from observatorio.indicators.models import Value

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/{code}/values/"
ENTRY = {"period": 2024, "state": "14", "nationality": "GTM", "value": "1250"}


@pytest.fixture
def indicators(catalogs):
    catalogue.load()


def test_an_enlace_enters_a_draft_of_their_state(indicators, client_for):
    api = client_for("enlace_jalisco")
    response = api.post(URL.format(code="entradas-registradas"), ENTRY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["value"] == "1250" and body["review"] == "borrador" and body["state"] == "14"
    again = api.post(
        URL.format(code="entradas-registradas"), {**ENTRY, "value": "1300"}, format="json"
    )
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert Value.objects.get().revisions.count() == 2


def test_refusals_change_nothing(indicators, client_for, anon, cast):
    url = URL.format(code="entradas-registradas")
    assert anon.post(url, ENTRY, format="json").status_code == 401
    assert client_for("enlace_chiapas").post(url, ENTRY, format="json").status_code == 403
    assert client_for("reporter_sre").post(url, ENTRY, format="json").status_code == 403
    assert client_for("council_chihuahua").post(url, ENTRY, format="json").status_code == 403
    api = client_for("enlace_jalisco")
    assert api.post(URL.format(code="no-existe"), ENTRY, format="json").status_code == 404
    bad = api.post(url, {**ENTRY, "value": "1.5"}, format="json")
    assert bad.status_code == 400 and "entero" in str(bad.json())
    unknown = api.post(url, {**ENTRY, "colour": "red"}, format="json")
    assert unknown.status_code == 400 and "colour" in unknown.json()
    assert api.get(url).status_code == 405
    assert not Value.objects.exists()


def test_an_approved_value_is_a_409(indicators, client_for, cast):
    from observatorio.indicators.models import Indicator

    api = client_for("enlace_jalisco")
    url = URL.format(code="entradas-registradas")
    api.post(url, ENTRY, format="json")
    approve_values(cast("reviewer"), Indicator.objects.get(code="entradas-registradas"), 2024)
    response = api.post(url, {**ENTRY, "value": "7"}, format="json")
    assert response.status_code == 409 and "aprobado" in response.json()["detail"]
    assert Value.objects.get().value == 1250
