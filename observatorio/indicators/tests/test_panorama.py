"""The study's panorama figures as indicator values: what becomes a value, with its source."""

from __future__ import annotations

from decimal import Decimal

import pytest

from observatorio.indicators import catalogue, panorama
from observatorio.indicators.models import Value
from observatorio.indicators.panorama import breakdown, period_of


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("2020", (2020, "")),
        ("enero a junio 2021", (2021, "enero a junio de 2021")),
        ("enero a junio de 2021", (2021, "enero a junio de 2021")),
        ("2015 a 2020", (2020, "2015 a 2020")),
        ("enero a mayo", None),
        ("", None),
    ],
)
def test_a_printed_period_is_a_year_and_what_part_of_it(printed, expected):
    assert period_of(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Población nacida en otro país", {}),
        ("Población nacida en otro país, originaria de Venezuela", {"country_of_birth": "VEN"}),
        (
            "Población nacida en otro país, originaria de Estados Unidos de América",
            {"country_of_birth": "USA"},
        ),
        ("Población nacida en otro país, originaria de otros países", None),
        ("Personas que emigraron a otros países, mujeres", {"sex": "mujer"}),
        ("Población total", None),
    ],
)
def test_a_printed_name_is_the_indicator_and_its_breakdown(printed, expected):
    base = (
        "Personas que emigraron a otros países"
        if printed.startswith("Personas")
        else "Población nacida en otro país"
    )
    assert breakdown(printed, base) == expected


@pytest.mark.django_db
def test_the_panoramas_become_values_with_their_lines_and_loading_again_changes_nothing(
    real_data, practices_path
):
    catalogue.load()
    first = panorama.load()
    values = Value.objects.filter(origin=Value.Origin.PANORAMA)
    assert first.written == values.count() > 80
    again = panorama.load()
    assert again.written == first.written and values.count() == first.written
    lines = practices_path.read_text(encoding="utf-8").splitlines()
    for value in values.select_related("indicator", "source")[:200]:
        assert value.source.slug == "buenas-practicas-oim-conofam"
        assert value.review == Value.Review.APPROVED and value.value is not None
        printed = lines[int(value.source_lines) - 1]
        # The value is printed on its line (as digits, maybe with separators).
        digits = str(int(value.value)) if value.value == int(value.value) else str(value.value)
        assert digits in printed.replace(",", "").replace(" ", ""), (value, printed)


@pytest.mark.django_db
def test_percentages_regions_and_unknown_breakdowns_are_not_values(real_data):
    catalogue.load()
    loaded = panorama.load()
    assert sum(loaded.skipped.values()) > 0
    values = Value.objects.filter(origin=Value.Origin.PANORAMA)
    assert not values.filter(indicator__unit="%").exists()
    assert set(values.values_list("sex", flat=True)) <= {"", "mujer", "hombre"}
    assert values.filter(state="").exists() and values.exclude(state="").exists()
    # A second, different figure for the same cell is an alert, never a silent choice.
    assert any(
        any("imprime otra cifra" in flag for flag in flags)
        for flags in values.values_list("flags", flat=True)
    )
    assert values.filter(value__gt=Decimal(0)).count() == values.count()
