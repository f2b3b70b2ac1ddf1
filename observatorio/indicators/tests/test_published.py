"""The public cells: protection solved once per content and shared, withheld if it fails."""

from __future__ import annotations

import pytest

from observatorio.indicators import catalogue, published
from observatorio.indicators.models import Indicator, Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(catalogs):
    catalogue.load()
    services = Indicator.objects.get(code="servicios")
    for state, value in (("", 12), ("07", 9), ("14", 3)):
        Value.objects.create(
            indicator=services,
            period=2023,
            state=state,
            value=value,
            origin="registros",
            review="aprobado",
        )
    return services


def test_a_pattern_is_solved_once_per_content(services, monkeypatch):
    calls = []
    real = published.protect

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(published, "protect", counting)
    published._SOLVED.clear()
    first = published.cells(services)
    published._SOLVED.clear()  # another worker: it finds the pattern in the shared cache
    published._CELLS.clear()
    again = published.cells(services)
    assert first == again and len(calls) == 1
    assert {c.state: c.suppressed for c in first} == {"": False, "07": True, "14": True}
    Value.objects.filter(state="14").update(value=30)  # another content: solved again
    Value.objects.filter(state="").update(value=39)
    changed = published.cells(services)
    assert len(calls) == 2 and not any(c.suppressed for c in changed)


def test_a_failed_protection_withholds_every_cell(services, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("infeasible")

    monkeypatch.setattr(published, "protect", failing)
    published._SOLVED.clear()
    Value.objects.filter(state="14").update(value=4)  # a content not solved before
    found = published.cells(services)
    assert found and all(c.suppressed and c.value is None for c in found)
