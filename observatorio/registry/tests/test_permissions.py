"""Who reads and changes the registry: only staff posted where a record is held; every
other user, token and visitor is refused (404 like a missing record) and logged."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from observatorio.accounts.models import ApiToken
from observatorio.accounts.testing import PASSWORD
from observatorio.registry import actions, permissions
from observatorio.registry.checks import Refused
from observatorio.registry.models_care import AccessLog

from .conftest import ANA

OUTSIDERS = (
    "reviewer",
    "enlace_chiapas",
    "council_chihuahua",
    "reporter_sre",
    "outsider",
    "registry_tlaxcala",
)


def person_paths(ref):
    return [
        ("get", reverse("registry:person", args=[ref])),
        ("get", reverse("registry:rectify", args=[ref])),
        ("get", reverse("registry:export", args=[ref])),
        ("post", reverse("registry:contact", args=[ref])),
        ("post", reverse("registry:refer", args=[ref])),
        ("post", reverse("registry:relative", args=[ref])),
        ("post", reverse("registry:consent", args=[ref])),
    ]


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_of_the_centre_reads_and_the_read_is_logged(client, world, ana):
    login(client, world.desk)
    page = client.get(reverse("registry:person", args=[ana.ref]))
    assert page.status_code == 200
    assert ANA["surnames"] in page.content.decode()
    assert AccessLog.objects.filter(
        user=world.desk, action=AccessLog.Action.READ, person_ref=str(ana.ref)
    ).exists()
    # The state office reads the records of every centre of its state.
    login(client, world.officer)
    assert client.get(reverse("registry:person", args=[ana.ref])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_desk", *OUTSIDERS, "superuser"])
def test_everyone_else_gets_404_like_a_missing_record_and_is_logged(client, world, ana, who):
    if who == "other_desk":
        user = world.other_desk
    elif who == "superuser":
        user = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    else:
        user = world.cast(who)
    login(client, user)
    missing = uuid.uuid4()
    for method, url in person_paths(ana.ref):
        before = AccessLog.objects.filter(action=AccessLog.Action.REFUSED).count()
        answer = getattr(client, method)(url, {"purpose": "registro", "granted": "no"})
        ghost = getattr(client, method)(url.replace(str(ana.ref), str(missing)))
        assert answer.status_code in (403, 404), (who, url)
        if answer.status_code == 404:
            assert ghost.status_code == 404
        after = AccessLog.objects.filter(action=AccessLog.Action.REFUSED).count()
        assert after > before, (who, url)
    ana.refresh_from_db()
    assert not ana.anonymised
    assert ana.contacts.count() == 1 and not ana.referrals.exists()
    assert ANA["surnames"] not in client.get(reverse("registry:home")).content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_logged(client, ana):
    for method, url in person_paths(ana.ref):
        before = AccessLog.objects.filter(action=AccessLog.Action.REFUSED).count()
        answer = getattr(client, method)(url)
        assert answer.status_code == 302 and "/cuentas/entrar/" in answer["Location"]
        entry = AccessLog.objects.filter(action=AccessLog.Action.REFUSED).first()
        assert AccessLog.objects.filter(action=AccessLog.Action.REFUSED).count() == before + 1
        assert entry.user is None and entry.person_ref == str(ana.ref)
    for path in ("/registro/", "/registro/bitacora/", "/registro/duplicados/"):
        assert client.get(path).status_code == 302


@pytest.mark.django_db
def test_actions_refuse_another_scope_and_change_nothing(world, ana):
    other = world.other_desk
    attempts = [
        lambda: actions.record_contact(other, ana, ["salud"]),
        lambda: actions.refer(other, ana, "salud", service=world.health_tapachula),
        lambda: actions.set_consent(other, ana, "registro", False),
        lambda: actions.rectify(other, ana, {**ANA, "given_names": "Otra"}),
        lambda: actions.anonymise(other, ana),
        lambda: actions.export_record(other, ana),
        lambda: actions.add_relative(other, ana, "otro", "Alguien"),
        lambda: actions.register(other, world.tapachula, dict(ANA), {"registro": True}),
    ]
    for attempt in attempts:
        with pytest.raises(Refused):
            attempt()
    ana.refresh_from_db()
    assert ana.given_names == ANA["given_names"] and not ana.anonymised
    assert actions.find(other, curp=ANA["curp"]) == []
    assert list(permissions.visible(other)) == []


@pytest.mark.django_db
def test_a_receiving_centre_sees_only_what_the_referral_shares(client, world, ana):
    shelter = actions.refer(
        world.desk, ana, "albergue", service=world.shelter_juarez, shared=["nombre"]
    )
    login(client, world.other_desk)
    page = client.get(reverse("registry:referral", args=[shelter.pk])).content.decode()
    assert ANA["given_names"] in page
    assert ANA["curp"] not in page and ANA["phone"] not in page
    # ... and still not the person's record.
    assert client.get(reverse("registry:person", args=[ana.ref])).status_code == 404
    # The receiving centre marks it attended; the holder closes it.
    actions.update_referral(world.other_desk, shelter, "atendida", "Llegó y se alojó.")
    with pytest.raises(Refused):
        actions.update_referral(world.other_desk, shelter, "cerrada")
    actions.update_referral(world.desk, shelter, "cerrada")
    # A third party (the officer of Chiapas holds it; a reviewer does not) is refused.
    login(client, world.cast("reviewer"))
    hidden = client.get(reverse("registry:referral", args=[shelter.pk]))
    missing = client.get(reverse("registry:referral", args=[shelter.pk + 1000]))
    assert hidden.status_code == missing.status_code == 403


@pytest.mark.django_db
def test_only_data_officers_read_the_access_log(client, world, ana):
    login(client, world.desk)
    assert client.get(reverse("registry:access_log")).status_code == 403
    login(client, world.officer)
    page = client.get(reverse("registry:access_log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert str(ana.ref)[:8] in body and ANA["surnames"] not in body
    for who in ("reviewer", "enlace_chiapas", "outsider"):
        login(client, world.cast(who))
        assert client.get(reverse("registry:access_log")).status_code == 403


@pytest.mark.django_db
def test_no_api_token_reaches_a_person(client, world, ana):
    for user in (world.cast("reviewer"), world.desk):
        _token, key = ApiToken.issue(user, "prueba")
        for path in ("/api/v1/persons/", "/api/v1/registry/", f"/api/v1/persons/{ana.ref}/"):
            answer = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
            assert answer.status_code == 404
            assert ANA["surnames"] not in answer.content.decode()
