"""Identity at rest: sealed, bound to its column, searchable only by blind index; the keys
rotate without losing anything; the counts reach the indicators."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from observatorio.indicators.models import Indicator
from observatorio.registry import actions, crypto
from observatorio.registry.models import Person

from .conftest import ANA


def raw(person, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM registry_person WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def two_keys(monkeypatch):
    old, new, index = crypto.new_key(), crypto.new_key(), crypto.new_key()
    monkeypatch.setenv("OBSERVATORIO_REGISTRY_KEYS", f"old:{old}")
    monkeypatch.setenv("OBSERVATORIO_REGISTRY_INDEX_KEY", index)
    crypto.reset()
    yield old, new, index
    crypto.reset()


@pytest.mark.django_db
def test_identity_is_sealed_and_bound_to_its_column(ana):
    for column, value in (
        ("given_names", ANA["given_names"]),
        ("curp", ANA["curp"]),
        ("phone", ANA["phone"]),
    ):
        stored = raw(ana, column)
        assert value not in stored and stored.startswith("dev$")
    # A ciphertext copied into another column does not open there.
    with pytest.raises(InvalidTag):
        crypto.decrypt(raw(ana, "curp"), "registry.person.given_names")
    assert Person.objects.get(pk=ana.pk).curp == ANA["curp"]
    assert ana.curp_index and ANA["curp"] not in ana.curp_index


@pytest.mark.django_db
def test_exact_search_by_blind_index_and_duplicates_across_centres(world, ana):
    desk = world.desk
    assert [p.pk for p in actions.find(desk, curp=ANA["curp"].lower())] == [ana.pk]
    assert [p.pk for p in actions.find(desk, phone="962 555 0147")] == [ana.pk]
    found = actions.find(
        desk, names="anabel quetzalli zuniga xolalpa", birth_date=ANA["birth_date"]
    )
    assert [p.pk for p in found] == [ana.pk]
    assert actions.find(desk, curp="ZUXA910417MNEXLN05") == []
    twin = actions.register(
        world.other_desk, world.juarez, dict(ANA), {"registro": True, "seguimiento": True}, []
    )
    [pair] = actions.possible_duplicates(desk)
    assert {pair["first"].pk, pair["second"].pk} == {ana.pk, twin.pk}
    assert pair["first_visible"] and not pair["second_visible"]
    assert len(pair["reasons"]) == 3
    actions.dismiss_duplicate(desk, ana, twin)
    assert actions.possible_duplicates(desk) == []
    assert Person.objects.count() == 2  # never merged


@pytest.mark.django_db
def test_keys_rotate_and_nothing_is_lost(world, two_keys, capsys):
    old, new, index = two_keys
    person = actions.register(
        world.desk, world.tapachula, dict(ANA), {"registro": True, "seguimiento": True}, []
    )
    assert raw(person, "curp").startswith("old$")
    import os

    os.environ["OBSERVATORIO_REGISTRY_KEYS"] = f"new:{new},old:{old}"
    os.environ["OBSERVATORIO_REGISTRY_INDEX_KEY"] = crypto.new_key()
    crypto.reset()
    assert Person.objects.get(pk=person.pk).curp == ANA["curp"]  # old key still opens
    call_command("registry_rotate_keys")
    assert "Valores con otra llave: 5 de 5" in capsys.readouterr().out
    assert raw(person, "curp").startswith("old$")
    call_command("registry_rotate_keys", commit=True)
    assert raw(person, "curp").startswith("new$")
    os.environ["OBSERVATORIO_REGISTRY_KEYS"] = f"new:{new}"
    crypto.reset()
    again = Person.objects.get(pk=person.pk)
    assert (again.given_names, again.curp, again.phone) == (
        ANA["given_names"],
        ANA["curp"],
        ANA["phone"],
    )
    assert [p.pk for p in actions.find(world.desk, curp=ANA["curp"])] == [person.pk]


def test_production_refuses_to_run_without_keys(settings, monkeypatch):
    monkeypatch.delenv("OBSERVATORIO_REGISTRY_KEYS", raising=False)
    settings.REGISTRY_DEV_KEYS = False
    crypto.reset()
    try:
        with pytest.raises(ImproperlyConfigured, match="OBSERVATORIO_REGISTRY_KEYS"):
            crypto.encrypt("x", "p")
        monkeypatch.setenv("OBSERVATORIO_REGISTRY_KEYS", "k1:corta")
        monkeypatch.setenv("OBSERVATORIO_REGISTRY_INDEX_KEY", crypto.new_key())
        crypto.reset()
        with pytest.raises(ImproperlyConfigured, match="32 bytes"):
            crypto.encrypt("x", "p")
    finally:
        crypto.reset()


@pytest.mark.django_db
def test_the_nightly_command_feeds_the_indicators_and_keeps_counts_on_withdrawal(
    world, ana, capsys
):
    year = timezone.localdate().year
    call_command("registry_aggregate")
    out = capsys.readouterr().out
    assert f"Año {year}" in out and "personas" in out
    personas = Indicator.objects.get(code="personas")
    total = personas.values.filter(period=year).totals().national().get()
    assert total.value == 1 and total.source_cited.startswith("Registro de necesidades")
    actions.set_consent(world.desk, ana, "registro", False)
    call_command("registry_aggregate", year=year)
    assert personas.values.filter(period=year).totals().national().get().value == 1
    # Withdrawing the statistics consent takes the person out of the counts.
    actions.set_consent(world.desk, ana, "estadistica", False)
    call_command("registry_aggregate")
    assert not personas.values.filter(period=year).exists()
