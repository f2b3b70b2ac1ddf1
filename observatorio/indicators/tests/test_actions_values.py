"""Entering, sending, approving and unlocking values: scope, validation, locks, history and
the values computed by formula."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from observatorio.indicators.actions import ValuesRefused
from observatorio.indicators.actions_values import (
    approve_values,
    save_value,
    submit_values,
    unlock_values,
)
from observatorio.indicators.models import Value, ValueRevision

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Value.objects.values_list("pk", "value", "review")),
        ValueRevision.objects.count(),
    )


def test_a_reporter_enters_corrects_sends_and_a_reviewer_approves(indicators, cast, reporter_of):
    entries = indicators["entradas-registradas"]
    reporter = reporter_of("UPMRIP")
    saved = save_value(reporter, entries, period=2024, state="14", value="1250")
    assert saved.value == 1250 and saved.review == "borrador" and saved.origin == "formulario"
    again = save_value(
        reporter, entries, period=2024, state="14", value="1300", comment="Corrección"
    )
    assert again.pk == saved.pk and again.value == 1300
    assert submit_values(reporter, entries, 2024) == 1
    assert approve_values(cast("reviewer"), entries, 2024, "Revisado") == 1
    saved.refresh_from_db()
    assert saved.review == "aprobado"
    history = list(saved.revisions.values_list("action", "previous", "new", "review", "comment"))
    assert history == [
        ("creado", None, Decimal(1250), "borrador", ""),
        ("modificado", Decimal(1250), Decimal(1300), "borrador", "Corrección"),
        ("enviado", Decimal(1300), Decimal(1300), "enviado", ""),
        ("aprobado", Decimal(1300), Decimal(1300), "aprobado", "Revisado"),
    ]
    assert saved.revisions.first().by == reporter


def test_approved_values_are_locked_until_a_reviewer_unlocks_them_with_a_reason(
    indicators, cast, reporter_of
):
    entries = indicators["entradas-registradas"]
    reporter, reviewer = reporter_of("UPMRIP"), cast("reviewer")
    save_value(reporter, entries, period=2024, state="14", value=10)
    approve_values(reviewer, entries, 2024)
    before = snapshot()
    with pytest.raises(ValuesRefused, match="aprobado"):
        save_value(reporter, entries, period=2024, state="14", value=11)
    with pytest.raises(ValuesRefused, match="aprobado"):
        save_value(reviewer, entries, period=2024, state="14", value=11)
    with pytest.raises(ValuesRefused, match="motivo"):
        unlock_values(reviewer, entries, 2024, "  ")
    with pytest.raises(ValuesRefused, match="UPM"):
        unlock_values(reporter, entries, 2024, "Error de captura")
    assert snapshot() == before
    assert unlock_values(reviewer, entries, 2024, "Error de captura") == 1
    value = save_value(reporter, entries, period=2024, state="14", value=11)
    assert value.value == 11
    assert value.revisions.filter(action="desbloqueado", comment="Error de captura").exists()


@pytest.mark.parametrize(
    "user, cell",
    [
        ("enlace_chiapas", {"state": "14"}),  # another state
        ("enlace_jalisco", {"state": ""}),  # the national value
        ("reporter_sre", {"state": "14"}),  # another institution
        ("council_chihuahua", {"state": "08"}),
        ("outsider", {"state": "14"}),
        (None, {"state": "14"}),
    ],
)
def test_other_scopes_are_refused_and_nothing_changes(indicators, cast, user, cell):
    entries = indicators["entradas-registradas"]
    by = cast(user) if user else AnonymousUser()
    save_value(cast("reviewer"), entries, period=2024, state="14", value=5)
    before = snapshot()
    with pytest.raises(ValuesRefused):
        save_value(by, entries, period=2024, value=7, **cell)
    with pytest.raises(ValuesRefused):
        approve_values(by, entries, 2024)
    if user != "enlace_jalisco":
        with pytest.raises(ValuesRefused):
            submit_values(by, entries, 2024)
    assert snapshot() == before


def test_an_enlace_enters_and_sends_only_their_states_values(indicators, cast):
    entries = indicators["entradas-registradas"]
    enlace = cast("enlace_jalisco")
    save_value(cast("reviewer"), entries, period=2024, state="07", value=3)
    save_value(enlace, entries, period=2024, state="14", nationality="GTM", value=4)
    assert submit_values(enlace, entries, 2024) == 1
    reviews = dict(entries.values.values_list("state", "review"))
    assert reviews == {"07": "borrador", "14": "enviado"}


@pytest.mark.parametrize(
    "cell, number, message",
    [
        ({"sex": "mujer"}, 1, "no se desagrega"),  # entradas: entidad, nacionalidad
        ({"state": "99"}, 1, "no es un valor válido"),
        ({"nationality": "XXX"}, 1, "no es un valor válido"),
        ({}, -1, "negativo"),
        ({}, "1.5", "entero"),
        ({}, "doce", "número"),
        ({}, "NaN", "número"),
        ({"period": 1800}, 1, "entre 1900"),
        ({"period": 3000}, 1, "entre 1900"),
    ],
)
def test_cells_and_numbers_are_validated_in_spanish(indicators, cast, cell, number, message):
    cell = {"period": 2024, **cell}
    with pytest.raises(ValuesRefused, match=message):
        save_value(cast("reviewer"), indicators["entradas-registradas"], value=number, **cell)
    assert not Value.objects.exists()


def test_a_percentage_is_at_most_100_and_a_formula_is_not_entered(indicators, cast):
    reviewer = cast("reviewer")
    with pytest.raises(ValuesRefused, match="100"):
        save_value(reviewer, indicators["costo-remesas"], period=2024, value="100.5")
    assert save_value(reviewer, indicators["costo-remesas"], period=2024, value="4.25").value
    with pytest.raises(ValuesRefused, match="fórmula"):
        save_value(reviewer, indicators["refugio-resuelto-en-tiempo"], period=2024, value=50)
    with pytest.raises(ValuesRefused, match="registros"):
        save_value(reviewer, indicators["servicios"], period=2024, value=50)


def test_the_formula_is_computed_again_when_its_inputs_change(indicators, cast, reporter_of):
    comar = reporter_of("COMAR")
    reviewer = cast("reviewer")
    requests = indicators["refugio-solicitudes"]
    in_time = indicators["refugio-solicitudes-resueltas-en-tiempo"]
    share = indicators["refugio-resuelto-en-tiempo"]
    save_value(comar, in_time, period=2024, nationality="HND", value=1)
    assert not share.values.exists()  # no denominator yet
    save_value(comar, requests, period=2024, nationality="HND", value=3)
    computed = share.values.get(period=2024, nationality="HND")
    assert computed.value == Decimal("33.33") and computed.origin == "formula"
    assert computed.review == "borrador"
    assert computed.revisions.get().action == "calculado"

    approve_values(reviewer, in_time, 2024)
    computed.refresh_from_db()
    assert computed.review == "borrador"  # one input is still a draft
    approve_values(reviewer, requests, 2024)
    computed.refresh_from_db()
    assert computed.review == "aprobado"

    unlock_values(reviewer, requests, 2024, "Cifra revisada por COMAR")
    computed.refresh_from_db()
    assert computed.review == "borrador"
    save_value(comar, requests, period=2024, nationality="HND", value=0)
    assert not share.values.exists()  # a zero denominator: no computed value
    save_value(comar, requests, period=2024, nationality="HND", value=4)
    assert share.values.get().value == Decimal("25.00")
    with pytest.raises(ValuesRefused, match="se calcula"):
        approve_values(reviewer, share, 2024)


def test_approved_values_are_published_and_unlocked_ones_leave_the_portal(indicators, cast):
    from observatorio.indicators import published

    costs, reviewer = indicators["costo-remesas"], cast("reviewer")
    save_value(reviewer, costs, period=2024, value="4.25")
    assert published.cells(costs) == []
    approve_values(reviewer, costs, 2024)
    assert [cell.value for cell in published.cells(costs)] == [4.25]
    unlock_values(reviewer, costs, 2024, "Revisión de la fuente")
    assert published.cells(costs) == []
