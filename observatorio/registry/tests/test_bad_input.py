"""Bad input to the registry: a clear Spanish error, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from observatorio.registry import actions
from observatorio.registry.checks import Refused
from observatorio.registry.models import Person
from observatorio.registry.models_care import Referral

from .conftest import ALL_CONSENTS, ANA


def refused(call) -> str:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.message


@pytest.mark.django_db
def test_registration_refusals_write_nothing(world):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    child = (timezone.localdate() - dt.timedelta(days=365 * 9)).isoformat()
    cases = {
        "posterior a hoy": ({**ANA, "birth_date": future}, ALL_CONSENTS, []),
        "menor de edad": ({**ANA, "birth_date": child}, ALL_CONSENTS, []),
        "Procuraduría": ({**ANA, "birth_date": child, "guardian": "autoridad"}, ALL_CONSENTS, []),
        "Necesidad desconocida": (ANA, ALL_CONSENTS, ["vivienda-de-lujo"]),
        "consentimiento para el registro": (ANA, {**ALL_CONSENTS, "registro": False}, []),
        "teléfono": (ANA, {**ALL_CONSENTS, "seguimiento": False}, []),
        "CURP": ({**ANA, "curp": "NO-ES-CURP"}, ALL_CONSENTS, []),
        "país del catálogo": ({**ANA, "nationality": "ZZZ"}, ALL_CONSENTS, []),
        "AAAA-MM-DD": ({**ANA, "birth_date": "17/04/1991"}, ALL_CONSENTS, []),
        "nombre": ({**ANA, "given_names": "  "}, ALL_CONSENTS, []),
    }
    for expected, (data, consent, needs) in cases.items():
        message = refused(
            lambda d=data, c=consent, n=needs: actions.register(
                world.desk, world.tapachula, dict(d), dict(c), n
            )
        )
        assert expected in message, (expected, message)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_child_with_an_authority_is_registered_and_referred_to_dif(world):
    child = (timezone.localdate() - dt.timedelta(days=365 * 12)).isoformat()
    person = actions.register(
        world.desk,
        world.tapachula,
        {
            **ANA,
            "birth_date": child,
            "guardian": "autoridad",
            "authority": "PPNNA Chiapas",
            "phone": "",
        },
        {**ALL_CONSENTS, "compartir": False},
        [],
    )
    assert person.minor
    [referral] = person.referrals.all()
    assert referral.need.code == "proteccion_nna" and referral.service == world.nna_tapachula
    assert referral.shared == []


@pytest.mark.django_db
def test_a_referral_without_sharing_consent_is_refused(world):
    person = actions.register(
        world.desk, world.tapachula, dict(ANA), {**ALL_CONSENTS, "compartir": False}, []
    )
    message = refused(
        lambda: actions.refer(world.desk, person, "salud", service=world.health_tapachula)
    )
    assert "compartir" in message
    assert not Referral.objects.exists()
    assert "compartible" not in refused(
        lambda: actions.refer(
            world.desk, person, "salud", service=world.health_tapachula, shared=["pasaporte"]
        )
    )


@pytest.mark.django_db
def test_referral_and_contact_inputs_are_checked(world, ana):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert "anterior a hoy" in refused(
        lambda: actions.refer(
            world.desk, ana, "salud", service=world.health_tapachula, due_on=yesterday
        )
    )
    assert "uno de los dos" in refused(lambda: actions.refer(world.desk, ana, "salud"))
    assert "Dato que no se puede compartir" in refused(
        lambda: actions.refer(
            world.desk, ana, "salud", service=world.health_tapachula, shared=["pasaporte"]
        )
    )
    assert "al menos una" in refused(lambda: actions.record_contact(world.desk, ana, []))
    assert "2000" in refused(lambda: actions.record_contact(world.desk, ana, ["salud"], "x" * 2001))
    referral = actions.refer(world.desk, ana, "albergue", service=world.shelter_juarez)
    actions.update_referral(world.other_desk, referral, "atendida", "")
    assert "no puede pasar" in refused(
        lambda: actions.update_referral(world.other_desk, referral, "aceptada", "")
    )
    assert ana.contacts.count() == 1 and ana.referrals.count() == 1


@pytest.mark.django_db
def test_the_form_shows_spanish_errors_and_saves_nothing(client, world):
    client.force_login(world.desk)
    url = reverse("registry:register")
    answer = client.post(
        url,
        {
            "centre": world.tapachula.pk,
            "given_names": "Ana",
            "birth_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "sex": "mujer",
            "nationality": "HND",
            "country_of_birth": "HND",
            "population": "transito",
            "needs": ["salud"],
        },
    )
    body = answer.content.decode()
    assert answer.status_code == 200, body
    assert "Sin el consentimiento para el registro no se registra a nadie." in body
    assert not Person.objects.exists()
    answer = client.post(
        url,
        {
            "centre": world.tapachula.pk,
            "consent_registro": "on",
            "given_names": "x" * 500,
            "sex": "?",
        },
    )
    assert answer.status_code == 200 and not Person.objects.exists()
    for path in ("/registro/personas/no-es-uuid/", "/registro/canalizaciones/abc/"):
        assert client.get(path).status_code == 404
