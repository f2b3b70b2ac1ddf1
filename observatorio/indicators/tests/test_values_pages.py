"""The value capture pages: log-in, lists narrowed by the policy, the form, batches, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatorio.accounts.testing import PASSWORD
from observatorio.indicators.actions_values import approve_values, save_value
from observatorio.indicators.models import Value

pytestmark = pytest.mark.django_db

LIST = "/indicadores/captura/"
FORM = "/indicadores/captura/nuevo/"
BATCH = "/indicadores/captura/lote/"


@pytest.fixture(autouse=True)
def _fast(fast_hasher):
    pass


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def entry(indicators, **extra):
    data = {
        "indicator": indicators["entradas-registradas"].pk,
        "period": "2024",
        "period_label": "",
        "state": "14",
        "sex": "",
        "age_group": "",
        "nationality": "GTM",
        "country_of_birth": "",
        "population": "",
        "value": "1250",
        "status": "preliminar",
        "comment": "",
    }
    data.update(extra)
    return data


def test_the_capture_is_mounted_before_the_portals_indicator_pages():
    assert reverse("indicator_values:list") == LIST


def test_anonymous_visitors_are_sent_to_log_in(client, indicators):
    for url in (LIST, FORM, f"{LIST}1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    response = client.post(FORM, entry(indicators))
    assert response.status_code == 302 and "/cuentas/entrar/" in response["Location"]
    assert not Value.objects.exists()


def test_an_enlace_enters_a_value_of_their_state(client, indicators, cast):
    signed_in(client, cast("enlace_jalisco"))
    page = client.get(FORM)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Guatemala" in body and "Jalisco" in body and "Mujeres" in body
    assert "Solicitudes de la condición de refugiado" not in body  # COMAR's, national
    response = client.post(FORM, entry(indicators))
    value = Value.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{value.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Creado" in detail and "Se guardó el valor." in detail
    listing = client.get(LIST, {"indicador": "entradas-registradas", "periodo": "2024"})
    assert "1250" in listing.content.decode()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"state": "07"}, "Solo puede capturar valores de su propia entidad federativa."),
        ({"value": "-3"}, "El valor no puede ser negativo."),
        ({"value": "doce"}, "Escriba un número"),
        ({"value": "1.5"}, "Un conteo es un número entero."),
        ({"period": "1800"}, "El periodo debe estar entre 1900"),
        ({"sex": "mujer"}, "no se desagrega por sexo"),
        ({"nationality": "ZZZ"}, "Elija una opción de la lista."),
        ({"indicator": "999999"}, "Elija un indicador de la lista."),
    ],
)
def test_form_errors_are_in_spanish_and_nothing_is_saved(
    client, indicators, cast, changes, message
):
    signed_in(client, cast("enlace_jalisco"))
    response = client.post(FORM, entry(indicators, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Value.objects.exists()


def test_who_enters_nothing_gets_a_403_and_the_list_of_approved_values(client, indicators, cast):
    reviewer = cast("reviewer")
    approved = save_value(reviewer, indicators["entradas-registradas"], period=2024, value=9)
    approve_values(reviewer, indicators["entradas-registradas"], 2024)
    draft = save_value(reviewer, indicators["entradas-registradas"], period=2023, value=4)
    signed_in(client, cast("council_chihuahua"))
    assert client.get(FORM).status_code == 403
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}{approved.pk}/").status_code == 200
    assert client.get(f"{LIST}{draft.pk}/").status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404
    assert client.get(FORM, {"valor": draft.pk}).status_code == 403


def test_a_hidden_value_is_a_404_for_another_state(client, indicators, cast):
    draft = save_value(
        cast("enlace_chiapas"), indicators["entradas-registradas"], period=2024, state="07", value=3
    )
    signed_in(client, cast("enlace_jalisco"))
    assert client.get(f"{LIST}{draft.pk}/").status_code == 404
    assert client.get(FORM, {"valor": draft.pk}).status_code == 404
    listing = client.get(LIST, {"entidad": "07"}).content.decode()
    assert f'href="{LIST}{draft.pk}/"' not in listing
    assert "No hay valores con esos filtros." in listing


def test_a_reviewer_approves_and_unlocks_a_period_with_a_reason(client, indicators, cast):
    entries = indicators["entradas-registradas"]
    value = save_value(cast("enlace_jalisco"), entries, period=2024, state="14", value=5)
    signed_in(client, cast("enlace_jalisco"))
    refused = client.post(
        BATCH, {"indicator": entries.code, "period": "2024", "action": "aprobar"}, follow=True
    )
    assert "Solo el personal revisor" in refused.content.decode()
    assert Value.objects.get().review == "borrador"
    client.post(BATCH, {"indicator": entries.code, "period": "2024", "action": "enviar"})
    assert Value.objects.get().review == "enviado"

    client.logout()
    signed_in(client, cast("reviewer"))
    done = client.post(
        BATCH,
        {"indicator": entries.code, "period": "2024", "action": "aprobar", "comment": "Bien"},
        follow=True,
    )
    assert "Se aprobó 1 valor: queda bloqueado." in done.content.decode()
    assert Value.objects.get().review == "aprobado"
    no_reason = client.post(
        BATCH, {"indicator": entries.code, "period": "2024", "action": "desbloquear"}, follow=True
    )
    assert "Escriba el motivo del desbloqueo." in no_reason.content.decode()
    assert Value.objects.get().review == "aprobado"
    client.post(
        BATCH,
        {"indicator": entries.code, "period": "2024", "action": "desbloquear", "comment": "Ajuste"},
    )
    assert Value.objects.get().review == "borrador"
    history = client.get(f"{LIST}{value.pk}/").content.decode()
    for action in ("Creado", "Enviado a revisión", "Aprobado", "Desbloqueado", "Ajuste"):
        assert action in history


def test_a_locked_value_cannot_be_corrected_from_the_form(client, indicators, cast):
    entries = indicators["entradas-registradas"]
    save_value(cast("enlace_jalisco"), entries, period=2024, state="14", nationality="GTM", value=5)
    approve_values(cast("reviewer"), entries, 2024)
    signed_in(client, cast("enlace_jalisco"))
    response = client.post(FORM, entry(indicators, value="7"))
    assert "un revisor debe desbloquearlo" in response.content.decode()
    assert Value.objects.get().value == 5


def test_bad_filters_and_batches_answer_in_spanish_not_500(client, indicators, cast):
    signed_in(client, cast("reviewer"))
    response = client.get(LIST, {"periodo": "dos mil", "entidad": "99", "revision": "x"})
    assert response.status_code == 200
    assert "Escriba un año" in response.content.decode()
    response = client.post(
        BATCH, {"indicator": "no-existe", "period": "x", "action": "borrar"}, follow=True
    )
    assert response.status_code == 200
    assert "Elija un indicador de la lista." in response.content.decode()
    assert client.get(BATCH).status_code == 405
    response = client.post(
        BATCH,
        {"indicator": "costo-remesas", "period": "2024", "action": "aprobar", "next": "//evil"},
    )
    assert response["Location"] == LIST


def test_the_pages_speak_english_under_en(client, indicators, cast):
    signed_in(client, cast("reviewer"))
    for url, heading in (
        ("/en/indicadores/captura/", "Indicator value entry"),
        ("/en/indicadores/captura/nuevo/", "Enter a value"),
        ("/en/indicadores/captura/importar/", "Import values from a file"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert heading in response.content.decode(), url
