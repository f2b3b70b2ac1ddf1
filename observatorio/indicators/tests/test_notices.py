"""Notices of indicator values: sent to review → the reviewers; approved or unlocked →
whoever entered them; nobody is told of their own action."""

from __future__ import annotations

import pytest

from observatorio.indicators.actions_values import (
    approve_values,
    save_value,
    submit_values,
    unlock_values,
)
from observatorio.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


def test_values_sent_approved_and_unlocked_are_told(indicators, cast, reporter_of):
    entries = indicators["entradas-registradas"]
    reporter, reviewer = reporter_of("UPMRIP"), cast("reviewer")
    save_value(reporter, entries, period=2024, state="14", value="1250")
    save_value(reporter, entries, period=2024, state="07", value="90")
    assert submit_values(reporter, entries, 2024) == 2
    [sent] = notices(reviewer, Kind.VALUES_SUBMITTED)
    assert sent.title == "2 valores de «Entradas registradas» (2024) por revisar"
    assert sent.url == "/indicadores/captura/?indicador=entradas-registradas&periodo=2024"
    assert not notices(reporter, Kind.VALUES_SUBMITTED)  # not told of their own action

    approve_values(reviewer, entries, 2024, "Cifras cotejadas con el boletín")
    [approved] = notices(reporter, Kind.VALUES_APPROVED)
    assert "Se aprobaron los valores de «Entradas registradas» (2024)" == approved.title
    assert "Cifras cotejadas con el boletín" in approved.body
    assert not notices(reviewer, Kind.VALUES_APPROVED)

    unlock_values(reviewer, entries, 2024, "Falta Chiapas desagregado")
    [unlocked] = notices(reporter, Kind.VALUES_UNLOCKED)
    assert "Falta Chiapas desagregado" in unlocked.body


def test_a_refused_move_tells_nobody(indicators, cast, reporter_of):
    from observatorio.indicators.actions import ValuesRefused

    entries = indicators["entradas-registradas"]
    with pytest.raises(ValuesRefused):
        submit_values(reporter_of("UPMRIP"), entries, 2024)  # nothing in draft
    assert not Notification.objects.exists()
