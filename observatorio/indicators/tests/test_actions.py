"""Replacing an indicator's counts from a file of records: replaced, never added; locked
once approved; atomic."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from observatorio.indicators import catalogue
from observatorio.indicators.actions import ValuesRefused, replace_record_counts
from observatorio.indicators.models import Indicator, Value


class Cell(NamedTuple):  # the shape of records.Cell
    period: int
    state: str
    sex: str
    age_group: str
    nationality: str
    country_of_birth: str
    population: str
    value: int


def cells(period: int, total: int) -> list[Cell]:
    return [
        Cell(period, "", "", "", "", "", "", total),
        Cell(period, "07", "", "", "", "", "", total - 3),
        Cell(period, "07", "mujer", "", "", "", "", 3),
    ]


@pytest.fixture
def services(catalogs):
    catalogue.load()
    return Indicator.objects.get(code="servicios")


def totals(indicator) -> dict:
    return dict(indicator.values.national().totals().values_list("period", "value"))


@pytest.mark.django_db
def test_running_twice_replaces_the_periods_of_the_file(services):
    first = replace_record_counts(services, [2023], cells(2023, 40))
    assert first.written == 3 and first.removed == 0
    replace_record_counts(services, [2024], cells(2024, 10))
    again = replace_record_counts(services, [2023], cells(2023, 50))
    assert again.removed == 3 and again.written == 3
    assert totals(services) == {2023: 50, 2024: 10}
    assert services.values.count() == 6
    assert set(services.values.values_list("origin", flat=True)) == {"registros"}


@pytest.mark.django_db
def test_approved_values_are_locked_and_nothing_changes(services):
    replace_record_counts(services, [2023], cells(2023, 40))
    services.values.filter(period=2023).update(review=Value.Review.APPROVED)
    with pytest.raises(ValuesRefused, match="aprobados"):
        replace_record_counts(services, [2023, 2024], cells(2023, 99) + cells(2024, 7))
    assert totals(services) == {2023: 40}


@pytest.mark.django_db
def test_values_entered_another_way_are_not_overwritten(services):
    Value.objects.create(indicator=services, period=2022, value=12, origin=Value.Origin.FORM)
    with pytest.raises(ValuesRefused, match="no vienen de registros"):
        replace_record_counts(services, [2022], cells(2022, 30))
    assert totals(services) == {2022: 12}


@pytest.mark.django_db
def test_an_indicator_not_counted_from_records_is_refused(services):
    census = Indicator.objects.get(code="poblacion-nacida-en-otro-pais")
    with pytest.raises(ValuesRefused, match="no se calcula a partir de registros"):
        replace_record_counts(census, [2020], cells(2020, 10))
    assert not census.values.exists()
