"""lib.bulk: rows written with executemany read back as the ORM would have stored them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from observatorio.indicators import catalogue
from observatorio.indicators.models import Indicator, Value
from observatorio.lib import bulk

pytestmark = pytest.mark.django_db


def test_insert_and_update_store_what_the_orm_would(catalogs):
    catalogue.load()
    indicator = Indicator.objects.get(code="entradas-registradas")
    values = [
        Value(
            indicator=indicator,
            period=2024,
            state=state,
            value=Decimal("1250.5"),
            origin=Value.Origin.FILE,
            flags=["revisar"],
        )
        for state in ("07", "14")
    ]
    assert bulk.insert(Value, values) == 2
    stored = {v.state: v for v in Value.objects.filter(indicator=indicator, period=2024)}
    assert set(stored) == {"07", "14"}
    first = stored["07"]
    assert first.value == Decimal("1250.5") and first.flags == ["revisar"]
    assert first.updated_at is not None and first.review == Value.Review.DRAFT
    first.value, first.status = Decimal(7), Value.Status.FINAL
    before = first.updated_at
    assert bulk.update(Value, [first], ["value", "status"]) == 1
    first.refresh_from_db()
    assert first.value == 7 and first.status == "definitivo" and first.updated_at >= before
    assert Value.objects.get(pk=stored["14"].pk).value == Decimal("1250.5")
    assert bulk.insert(Value, []) == 0 and bulk.update(Value, [], ["value"]) == 0
