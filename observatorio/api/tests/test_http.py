"""The API as HTTP: bad bodies, rates, CORS, unknown addresses, the schema and its docs page."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.test import override_settings

from observatorio.api.schema import SNAPSHOT
from observatorio.programs.models import Program, ResultFigure, Revision

pytestmark = pytest.mark.django_db
PROGRAMS = "/api/v1/programs/"
# DRF's own English messages, none of which may reach a client.
ENGLISH = re.compile(
    r"This field|valid (integer|number|boolean|string)|Ensure this|Expected a|not allowed|"
    r"credentials|Unsupported media|Invalid|Not found|permission|JSON parse",
)


def rows() -> tuple[int, int, int]:
    return Program.objects.count(), Revision.objects.count(), ResultFigure.objects.count()


def new_report(**fields) -> dict:
    return {
        "cycle": 2025,
        "section": "estatal",
        "state": "14",
        "objective": 3,
        "title": "Registro de personas en retorno",
        **fields,
    }


# --- bad input: a 400 with a precise message per field, nothing written ---------------------


def test_malformed_json_is_a_400_and_nothing_is_written(client_for, open_cycle):
    before = rows()
    response = client_for("enlace_jalisco").post(
        PROGRAMS, '{"title": "Sin cerrar"', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("El cuerpo de la petición no es JSON válido")
    assert rows() == before


@pytest.mark.parametrize("body", ["[1, 2]", '"texto"', "42", "null"])
def test_a_body_that_is_not_an_object_is_a_400(client_for, open_cycle, body):
    response = client_for("enlace_jalisco").post(PROGRAMS, body, content_type="application/json")
    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert message.startswith(("Se esperaba un objeto JSON, no", "Envíe un objeto JSON"))
    assert Program.objects.count() == 0


def test_nan_is_not_json(client_for, open_cycle):
    response = client_for("enlace_jalisco").post(
        PROGRAMS, '{"budget": NaN}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NaN" in response.json()["detail"]


def test_wrong_types_are_reported_field_by_field(client_for, open_cycle):
    before = rows()
    response = client_for("enlace_jalisco").post(
        PROGRAMS,
        new_report(
            title=5,
            objective="3",
            permanent="yes",
            start_date=20220101,
            budget=True,
            secondary_objectives=[True],
            links="https://www.gob.mx",
            figures=[{"label": "Personas", "value": "muchas"}, "otra"],
        ),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["Escriba un texto (cadena JSON)."]
    assert errors["objective"] == ["Escriba un número entero."]
    assert errors["permanent"] == ["Escriba true o false."]
    assert errors["start_date"] == ["Escriba una fecha AAAA-MM-DD."]
    # The budget's one message (programs/report.py), whatever the channel.
    assert errors["budget"] == [
        "«True» no es un monto; escríbalo en pesos, por ejemplo 1,500,000.50."
    ]
    assert errors["secondary_objectives"] == {"0": ["Escriba un número entero."]}
    assert errors["links"] == ["Se esperaba una lista, no «str»."]
    assert errors["figures"]["0"] == {"value": ["Escriba un número."]}
    assert "Se esperaba un objeto JSON" in errors["figures"]["1"]["non_field_errors"][0]
    assert not ENGLISH.search(json.dumps(errors))
    assert rows() == before


@pytest.mark.parametrize(
    ("field", "elements", "maximum"),
    [
        ("secondary_objectives", 3, 23),
        ("populations", "retorno", 50),
        ("links", "https://www.gob.mx", 10),
        ("figures", {"label": "Personas", "value": 1}, 50),
    ],
)
def test_a_list_past_its_maximum_is_refused_before_its_elements_are_read(
    client_for, open_cycle, django_assert_max_num_queries, field, elements, maximum
):
    """50,000 catalogue keys were 50,000 queries (20 s) before the length was checked."""
    api = client_for("enlace_jalisco")
    with django_assert_max_num_queries(12):
        response = api.post(PROGRAMS, new_report(**{field: [elements] * 50_000}), format="json")
    assert response.status_code == 400
    message = [f"Escriba como máximo {maximum} elementos."]
    if field == "links":  # the report's own rule and message (programs/report.py)
        message = [f"Se admiten hasta {maximum} enlaces."]
    errors = response.json()[field]
    assert errors == (message if field != "figures" else {"non_field_errors": message})
    assert Program.objects.count() == 0


def test_unknown_fields_are_refused_not_ignored(client_for, open_cycle, make_report):
    api = client_for("enlace_jalisco")
    response = api.post(
        PROGRAMS,
        new_report(
            status="publicado",
            number=1,
            color="azul",
            figures=[{"label": "x", "value": 1, "extra": 2}],
        ),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors == {
        "status": ["Campo desconocido."],
        "number": ["Campo desconocido."],
        "color": ["Campo desconocido."],
    }
    response = api.post(
        PROGRAMS, new_report(figures=[{"label": "x", "value": 1, "extra": 2}]), format="json"
    )
    assert response.json() == {"figures": {"0": {"extra": ["Campo desconocido."]}}}
    response = api.post(PROGRAMS, new_report(version=1), format="json")
    assert response.json() == {"version": ["Un reporte nuevo no lleva versión."]}
    assert Program.objects.count() == 0


def test_an_oversized_body_is_refused_in_spanish_and_nothing_is_written(
    client_for, open_cycle, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = rows()
    body = json.dumps(new_report(description="x" * 20_000))
    response = client_for("enlace_jalisco").post(PROGRAMS, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "El cuerpo de la petición supera el máximo de 10000 bytes; no se guardó nada."
    )
    assert rows() == before


# Every write of the API (the schema's POST and PATCH operations), with a program to act on.
def write_urls(program) -> list[tuple[str, str]]:
    schema = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))
    return [
        (method, re.sub(r"\{[^}]+\}", str(program.pk), path))
        for path, item in schema["paths"].items()
        for method in sorted(set(item) & {"post", "patch", "put"})
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 50_000,
        '{"a":' * 50_000,
        '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "[" * 33 + "]" * 33,
    ],
    ids=["open-lists", "open-objects", "balanced", "33-levels"],
)
@override_settings(DEBUG=False)
def test_deeply_nested_json_is_a_400_in_spanish_on_every_write(client_for, make_report, body):
    program = make_report(state="14")
    in_review = make_report(state="08", status=Program.Status.SUBMITTED)
    enlace, reviewer = client_for("enlace_jalisco"), client_for("reviewer")
    council = client_for("council_chihuahua")
    for api in (enlace, reviewer, council):
        api.raise_request_exception = False
    before = rows()
    for method, url in write_urls(program):
        # Each write as someone the policy lets through, so that the body is read.
        api = reviewer if re.search(r"/(approve|return|publish|withdraw)/$", url) else enlace
        if url.endswith("/comments/"):
            api, url = council, url.replace(f"/{program.pk}/", f"/{in_review.pk}/")
        response = getattr(api, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (method, url, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"] == (
            "El cuerpo de la petición anida listas u objetos a más de 32 niveles; "
            "los de esta API no pasan de 3."
        ), (method, url)
    assert rows() == before


def test_nesting_within_the_limit_and_brackets_inside_strings_are_not_refused(
    client_for, open_cycle
):
    api = client_for("enlace_jalisco")
    response = api.post(PROGRAMS, "[" * 32 + "]" * 32, content_type="application/json")
    assert response.status_code == 400
    assert "Se esperaba un objeto JSON" in response.json()["non_field_errors"][0]
    title = '[{"\\"' + "[" * 40_000
    response = api.post(PROGRAMS, new_report(title=title[:500]), format="json")
    assert response.status_code == 201, response.json()
    assert Program.objects.get().title == title[:500]


def test_a_body_that_is_not_json_is_a_415(client_for, open_cycle):
    response = client_for("enlace_jalisco").post(PROGRAMS, {"title": "formulario"})
    assert response.status_code == 415
    assert "El cuerpo debe ser JSON" in response.json()["detail"]
    assert Program.objects.count() == 0


# --- who may write ---------------------------------------------------------------------------


def test_every_documented_write_answers_401_to_an_anonymous_client(anon, make_report):
    program = make_report(state="14", status=Program.Status.PUBLISHED, number=1)
    schema = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))
    writes = 0
    for path, item in schema["paths"].items():
        for method in set(item) & {"post", "put", "patch", "delete"}:
            url = re.sub(r"\{[^}]+\}", str(program.pk), path)
            response = getattr(anon, method)(url, {}, format="json")
            assert response.status_code == 401, (method, url, response.status_code)
            writes += 1
    # create, edit, submit, return, approve, publish, withdraw, comment; an indicator's value
    assert writes == 9
    program.refresh_from_db()
    assert program.status == Program.Status.PUBLISHED


def test_methods_an_address_does_not_have_are_a_405_before_anything_else(anon, make_report):
    program = make_report(state="14")
    for method, url in [
        ("delete", f"{PROGRAMS}{program.pk}/"),
        ("put", f"{PROGRAMS}{program.pk}/"),
        ("post", "/api/v1/states/"),
        ("options", PROGRAMS),
        ("get", f"{PROGRAMS}{program.pk}/submit/"),
    ]:
        response = getattr(anon, method)(url)
        assert response.status_code == 405, (method, url)
        assert "no se admite en esta dirección" in response.json()["detail"]
        assert "Allow" in response
    assert Program.objects.filter(pk=program.pk).exists()


# --- rates, CORS, addresses -----------------------------------------------------------------


def test_anonymous_clients_are_throttled_by_address(anon, client_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    assert [anon.get(PROGRAMS).status_code for _ in range(3)] == [200, 200, 200]
    response = anon.get(PROGRAMS)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Demasiadas peticiones: espere")
    assert int(response["Retry-After"]) > 0
    # Another address is counted apart; a token is counted by its user, at the user rate.
    assert anon.get(PROGRAMS, REMOTE_ADDR="10.0.0.2").status_code == 200
    api = client_for("reviewer")
    assert [api.get(PROGRAMS).status_code for _ in range(5)] == [200] * 5
    assert api.get(PROGRAMS).status_code == 429
    assert client_for("enlace_jalisco").get(PROGRAMS).status_code == 200


def test_cors_is_closed(anon):
    response = anon.get(PROGRAMS, HTTP_ORIGIN="https://otro-sitio.example")
    assert response.status_code == 200
    assert not any(h.lower().startswith("access-control-") for h in response.headers)
    preflight = anon.options(
        PROGRAMS,
        HTTP_ORIGIN="https://otro-sitio.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 405
    assert not any(h.lower().startswith("access-control-") for h in preflight.headers)


def test_unknown_api_addresses_are_json_404s(anon):
    response = anon.get("/api/v1/nada/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}
    response = anon.get("/api/v1/programs")
    assert response.status_code == 404
    assert "terminan en «/»" in response.json()["detail"]
    assert anon.post("/api/v1/nada/").status_code == 404  # no CSRF page either
    assert anon.get(f"{PROGRAMS}abc/").json() == {"detail": "No encontrado."}


# --- schema and documentation ------------------------------------------------------------------


def test_the_schema_is_served_as_yaml_and_json(anon):
    response = anon.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "API del Observatorio"
    response = anon.get("/api/schema/", {"format": "json"})
    assert response.json()["openapi"].startswith("3.")


def test_the_docs_page_lists_every_operation_and_loads_nothing_from_elsewhere(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    schema = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))
    for path, item in schema["paths"].items():
        for method in item:
            assert f'<span class="method">{method.upper()}</span> {path}' in page, (method, path)
    assert "Authorization: Token &lt;token&gt;" in page
    assert "<script" not in page
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith(("/", "#", "http://testserver/")), url


def test_the_json_renderer_writes_what_drfs_would(anon, client_for, make_report, open_cycle):
    """orjson writes the answers; the bytes are those of DRF's own JSONRenderer."""
    import datetime as dt
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

    from observatorio.api.renderers import JSONRenderer

    ours, drfs = JSONRenderer(), DRFJSONRenderer()
    values = {
        "when": dt.datetime(2026, 11, 23, 10, 30, 15, 123456, tzinfo=dt.UTC),
        "day": dt.date(2022, 7, 1),
        "time": dt.time(9, 5),
        "amount": Decimal("1500.50"),
        "lazy": gettext_lazy("Escriba un valor o quite el parámetro."),
        "text": "Niñas, niños y adolescentes — «acompañamiento»",
        7: [1, 2.5, None, True, {"nested": ()}],
    }
    assert ours.render(values) == drfs.render(values)
    assert ours.render(None) == drfs.render(None) == b""

    report = make_report(state="14", status=Program.Status.PUBLISHED, budget="1500.5")
    make_report(state="07")
    answers = [
        anon.get("/api/v1/programs/"),
        anon.get(f"/api/v1/programs/{report.pk}/"),
        anon.get("/api/v1/programs/", {"state": "99", "objective": "0"}),  # 400
        anon.get("/api/v1/programs/999999/"),  # 404
        anon.get("/api/v1/objectives/"),
        anon.get("/api/v1/states/"),
        anon.get("/api/v1/coverage/"),
        client_for("enlace_jalisco").get("/api/v1/programs/"),
    ]
    for response in answers:
        assert response["Content-Type"] == "application/json"
        assert response.content == drfs.render(response.data), response.request["PATH_INFO"]
    # An indented answer, when asked for, is DRF's own.
    indented = anon.get("/api/v1/objectives/", HTTP_ACCEPT="application/json; indent=2")
    assert indented.content == drfs.render(
        indented.data, "application/json; indent=2", {"indent": 2}
    )
    assert b'\n  "' in indented.content or b"\n  {" in indented.content


def test_a_lone_surrogate_in_a_text_is_refused_in_spanish(client_for, open_cycle):
    body = '{"title": "Programa \\ud800 de atención"}'
    response = client_for("enlace_jalisco").post(PROGRAMS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["title"] == ["El texto tiene un carácter no válido (U+D800)."]
