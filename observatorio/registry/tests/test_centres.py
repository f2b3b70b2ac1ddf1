"""The public side of the registry: ``/api/v1/centres/``, ``/api/v1/needs/`` and the pages
under ``/centros/``, on the centres the catalogue loads (the SRE report), and never a word
about the people registered at them."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from observatorio.accounts.models import Membership, Role
from observatorio.registry import actions, loading, public
from observatorio.registry.models import Centre, Service, StaffPost

TAPACHULA = "cm-tapachula-1"
FIELDS = {
    "code",
    "name",
    "kind",
    "state",
    "state_name",
    "municipality",
    "operator",
    "phase",
    "phase_label",
    "financing",
    "institutions",
    "active",
    "services",
    "url",
    "source",
}
#: Someone registered at Tapachula I: none of this may reach a public output.
PERSON = {
    "given_names": "Eulalia Yatziri",
    "surnames": "Quiñónez Bermúdez",
    "birth_date": "1990-01-01",
    "sex": "mujer",
    "nationality": "HND",
    "country_of_birth": "HND",
    "population": "transito",
    "curp": "QUBE900101MNEXRL08",
    "phone": "+52 962 555 0199",
}


@pytest.fixture
def centres(catalogs):
    """The registry's catalogue as bootstrap loads it: coordination records, then centres."""
    call_command("load_coordination", commit=True, stdout=io.StringIO())
    loading.load()
    return {c.code: c for c in Centre.objects.all()}


@pytest.fixture
def person(centres):
    user = get_user_model().objects.create_user("recepcion_tapachula", "r@example.org", "x")
    centre = centres[TAPACHULA]
    Membership.objects.create(user=user, role=Role.REGISTRY, state=centre.state)
    StaffPost.objects.create(user=user, centre=centre)
    consents = {"registro": True, "compartir": True, "seguimiento": True, "estadistica": True}
    return actions.register(user, centre, dict(PERSON), consents, ["salud", "documentacion"])


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()["results"]]


# --- API -------------------------------------------------------------------------------


def test_the_list_and_a_centre_carry_every_field(client, centres):
    listed = client.get("/api/v1/centres/").json()
    assert listed["count"] == len(centres) == 7
    by_code = {c["code"]: c for c in listed["results"]}
    tapachula = by_code[TAPACHULA]
    assert set(tapachula) == FIELDS
    assert tapachula["state"] == "07" and tapachula["state_name"] == "Chiapas"
    assert tapachula["municipality"] == "Tapachula"
    assert tapachula["operator"] == "COMAR"
    assert tapachula["phase"] == "operando"
    assert tapachula["phase_label"] == "En operación como centro multiservicios"
    assert tapachula["institutions"] == ["ACNUR", "COMAR"]
    assert tapachula["active"] is True
    assert "3.6 millones" in tapachula["financing"]
    assert tapachula["url"] == "/centros/cm-tapachula-1/"
    assert tapachula["source"] == {"slug": "informe-sre-ciaimm-2024", "lines": [112, 118]}
    assert {
        "name": "Procesamiento de solicitudes de protección internacional",
        "need": "proteccion_internacional",
        "need_name": "Protección internacional (refugio)",
        "institution": "COMAR",
    } in tapachula["services"]
    assert by_code["cm-huixtla"]["operator"] is None
    assert by_code["cm-huixtla"]["source"]["lines"] == [118, 118]
    detail = client.get(f"/api/v1/centres/{TAPACHULA}/")
    assert detail.status_code == 200
    assert detail.json() == tapachula


def test_filters_by_state_need_and_active(client, centres):
    assert codes(client.get("/api/v1/centres/?state=07")) == [
        "cm-huixtla",
        "cm-tapachula-1",
        "cm-tapachula-2",
    ]
    assert codes(client.get("/api/v1/centres/?need=proteccion_internacional")) == [TAPACHULA]
    assert codes(client.get("/api/v1/centres/?state=08&need=empleo")) == ["cim-leona-vicario"]
    assert codes(client.get("/api/v1/centres/?state=08&need=proteccion_internacional")) == []
    # An inactive service neither counts for the filter nor is listed.
    Service.objects.filter(centre__code=TAPACHULA, need__code="proteccion_internacional").update(
        active=False
    )
    assert codes(client.get("/api/v1/centres/?need=proteccion_internacional")) == []
    services = client.get(f"/api/v1/centres/{TAPACHULA}/").json()["services"]
    assert "proteccion_internacional" not in {s["need"] for s in services}
    Centre.objects.filter(code="cm-acayucan").update(active=False)
    assert codes(client.get("/api/v1/centres/?active=false")) == ["cm-acayucan"]
    assert "cm-acayucan" not in codes(client.get("/api/v1/centres/?active=true"))


def test_an_unknown_centre_is_a_json_404(client, centres):
    response = client.get("/api/v1/centres/cm-atlantida/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("state=7", "state", "Escriba la clave INEGI de dos dígitos."),
        ("state=chiapas", "state", "Escriba la clave INEGI de dos dígitos."),
        ("need=Salud!", "need", "Escriba la clave de una necesidad"),
        ("active=si", "active", "Use «true» o «false»."),
        ("state=", "state", "Escriba un valor o quite el parámetro."),
    ],
)
def test_a_malformed_filter_is_a_400_in_spanish(client, centres, query, field, message):
    response = client.get(f"/api/v1/centres/?{query}")
    assert response.status_code == 400
    assert response.json()[field][0].startswith(message)


def test_a_well_formed_key_that_names_nothing_is_a_404(client, centres):
    for query in ("state=99", "need=telepatia"):
        response = client.get(f"/api/v1/centres/?{query}")
        assert response.status_code == 404
        assert "no existe en el catálogo" in response.json()["detail"]


def test_the_list_comes_as_csv(client, centres):
    response = client.get("/api/v1/centres/?format=csv&state=07")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Total-Count"] == "3"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["code"] for r in rows] == ["cm-huixtla", "cm-tapachula-1", "cm-tapachula-2"]
    tapachula = rows[1]
    assert tapachula["institutions"] == "ACNUR; COMAR"
    assert tapachula["source.slug"] == "informe-sre-ciaimm-2024"
    assert tapachula["source.lines"] == "112; 118"
    assert "proteccion_internacional" in tapachula["services"]


def test_the_needs_catalogue(client, centres):
    needs = client.get("/api/v1/needs/?page_size=100").json()
    assert needs["count"] == 15
    first = needs["results"][0]
    assert set(first) == {"code", "name", "name_es", "name_en", "description"}
    assert first == {
        "code": "documentacion",
        "name": "Documentación: CURP o RFC",
        "name_es": "Documentación: CURP o RFC",
        "name_en": "Documents: CURP or RFC",
        "description": (
            "Obtener la Clave Única de Registro de Población o el Registro Federal de "
            "Contribuyentes."
        ),
    }


def test_lines_are_read_from_the_documents_notation():
    assert public.lines("112-118") == [112, 118]
    assert public.lines("118") == [118, 118]
    assert public.lines("") == []
    assert public.lines("l. 126") == []


# --- pages -----------------------------------------------------------------------------


def test_the_list_page_groups_centres_by_state_in_spanish(client, centres):
    response = client.get("/centros/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="es-MX">' in body
    assert "Centros de atención" in body
    for state in ("Baja California", "Chiapas", "Chihuahua", "Tamaulipas", "Veracruz"):
        assert f">{state}</a></h2>" in body
    assert "Centro Multiservicios de Inclusión y Desarrollo Tapachula I" in body
    assert "En operación como centro multiservicios" in body
    assert 'href="/centros/?necesidad=proteccion_internacional"' in body
    assert 'href="/centros/"' in body  # the section's entry in the site's menu


def test_the_list_page_filters_by_state_and_need_in_the_url(client, centres):
    body = client.get("/centros/?entidad=07&necesidad=proteccion_internacional").content.decode()
    assert "Tapachula I<" in body
    assert "Huixtla" not in body.split("<main", 1)[1].split("</form>", 1)[1]
    assert "1 de 7 centros cumple los filtros." in body
    assert "state=07" in body and "need=proteccion_internacional" in body  # the CSV link
    ignored = client.get("/centros/?entidad=99").content.decode()
    assert "Se ignoró un filtro" in ignored and "7 centros registrados." in ignored


def test_a_centre_page_shows_its_services_financing_and_source(client, centres):
    response = client.get(f"/centros/{TAPACHULA}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Centro Multiservicios de Inclusión y Desarrollo Tapachula I</h1>" in body
    assert "Comisión Mexicana de Ayuda a Refugiados" in body
    assert ">ACNUR</abbr>" in body and ">COMAR</abbr>" in body
    assert "Procesamiento de solicitudes de protección internacional" in body
    assert "Protección internacional (refugio)" in body
    assert "Emerson Collective" in body
    assert "líneas 112–118" in body
    assert "/api/v1/centres/cm-tapachula-1/" in body


def test_the_pages_answer_in_english(client, centres):
    listed = client.get("/en/centros/")
    assert listed.status_code == 200
    assert '<html lang="en">' in listed.content.decode()
    page = client.get(f"/en/centros/{TAPACHULA}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert "International protection (asylum)" in body  # the need's English name


def test_an_unknown_centre_page_is_a_404(client, centres):
    assert client.get("/centros/cm-atlantida/").status_code == 404
    assert client.get("/en/centros/cm-atlantida/").status_code == 404


# --- nothing about people --------------------------------------------------------------


def test_no_public_output_says_anything_about_a_registered_person(client, person):
    assert person.centre.code == TAPACHULA and person.curp == PERSON["curp"]
    outputs = [
        client.get("/api/v1/centres/"),
        client.get("/api/v1/centres/?format=csv"),
        client.get("/api/v1/centres/?need=salud&state=07"),
        client.get(f"/api/v1/centres/{TAPACHULA}/"),
        client.get("/api/v1/needs/"),
        client.get("/centros/"),
        client.get("/centros/?entidad=07&necesidad=salud"),
        client.get(f"/centros/{TAPACHULA}/"),
        client.get(f"/en/centros/{TAPACHULA}/"),
    ]
    secrets = [
        PERSON["given_names"],
        PERSON["surnames"],
        "Eulalia",
        "Quiñónez",
        PERSON["curp"],
        "555 0199",
        str(person.ref),
    ]
    for response in outputs:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in secrets:
            assert secret not in text, (response.request["PATH_INFO"], secret)
