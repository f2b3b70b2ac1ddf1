"""The good-practice study's parser on its numbers and panorama figures (no database, no
Django): printed numbers with their glued footnotes, and each state's and region's
figures with their value, unit, period, line, source and the inconsistencies flagged.

(The fichas: ``test_practices_parser.py``; the study, parsed once, in ``helpers.py``.)"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from observatorio.importers.practices import PanoramaFigure, parse_number
from observatorio.lib.text import squash

from .helpers import PRACTICES_PER_REGION, PRACTICES_PER_STATE, study, study_text


def figures_at(line: int, indicator: str | None = None) -> list[PanoramaFigure]:
    return [
        f
        for f in study().figures
        if f.line == line and (indicator is None or f.indicator == indicator)
    ]


def figure(line: int, indicator: str) -> PanoramaFigure:
    found = figures_at(line, indicator)
    assert len(found) == 1, f"{line} {indicator}: {found}"
    return found[0]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("printed", "value", "footnote", "flags"),
    [
        ("3 769 020", Decimal("3769020"), None, []),
        ("152,377", Decimal("152377"), None, ["ambiguous_number_format"]),
        ("1, 212 252", Decimal("1212252"), None, ["irregular_grouping", "mixed_separators"]),
        ("1, 212, 252", Decimal("1212252"), None, ["irregular_grouping"]),
        ("129 mil 231", Decimal("129231"), None, []),
        ("158 mil 095", Decimal("158095"), None, []),
        ("9,8%", Decimal("9.8"), None, ["decimal_comma"]),
        ("848l18", Decimal("848"), 18, ["footnote_glued"]),
        ("3 31019", Decimal("3310"), 19, ["footnote_glued"]),
        ("4 591 59", Decimal("4591"), 59, ["footnote_glued"]),
        ("36. 57", Decimal("36.57"), None, ["space_in_decimal"]),
        (".17", Decimal("0.17"), None, []),
        ("3,499.1", Decimal("3499.1"), None, []),
        ("$7 500, 000-", Decimal("7500000"), None, ["irregular_grouping", "mixed_separators"]),
        ("12 millones", Decimal("12000000"), None, []),
        ("21424", Decimal("21424"), None, []),
    ],
)
def test_printed_numbers_are_read_with_their_glued_footnotes(printed, value, footnote, flags):
    assert parse_number(printed) == (value, footnote, flags)


def test_a_footnote_glued_without_separator_needs_the_notes_of_the_page():
    assert parse_number("51530") == (Decimal("51530"), None, [])
    assert parse_number("51530", known_footnotes={30}) == (
        Decimal("515"),
        30,
        ["footnote_glued", "footnote_inferred"],
    )
    assert parse_number("525.71", known_footnotes={71})[:2] == (Decimal("525"), 71)


@pytest.mark.parametrize("printed", ["", "abc", "12.3.4", "1,2,3", "12 3456 7"])
def test_unreadable_numbers_give_none_and_say_so(printed):
    value, _, flags = parse_number(printed)
    assert value is None
    assert "unparseable" in flags


# --------------------------------------------------------------------------- panorama figures


@pytest.mark.parametrize(
    ("line", "indicator", "scope", "value", "printed", "unit", "period"),
    [
        (412, "Población total", "Baja California", "3769020", "3 769 020", "personas", ""),
        (
            418,
            "Población nacida en otro país",
            "Baja California",
            "152377",
            "152,377",
            "personas",
            "",
        ),
        (
            450,
            "Tarjetas de residente temporal emitidas",
            "Baja California",
            "848",
            "848l18",
            "tarjetas",
            "enero a junio 2021",
        ),
        (
            1099,
            "Encuentros con la Patrulla Fronteriza, sector El Paso: expulsiones por Título 42",
            "Chihuahua",
            "129231",
            "129 mil 231",
            "personas",
            "octubre de 2020 a julio de 2021",
        ),
        (
            3352,
            "Entradas registradas, porcentaje del total nacional",
            "Ciudad de México",
            "9.8",
            "9,8%",
            "%",
            "enero a junio de 2021",
        ),
        (
            153,
            "Población nacida en otro país",
            "México",
            "1212252",
            "1, 212 252",
            "personas",
            "2020",
        ),
        (
            391,
            "Retorno de personas mexicanas desde Estados Unidos, porcentaje del total nacional",
            "Sur-Sureste",
            "36.57",
            "36. 57%",
            "%",
            "",
        ),
        (
            332,
            "Emigración, porcentaje del total nacional",
            "Occidente",
            "34",
            "34%",
            "%",
            "marzo de 2015 a marzo de 2020",
        ),
        (
            2934,
            "Remesas recibidas",
            "Jalisco",
            "3499.1",
            "3,499.1",
            "millones de dólares",
            "",
        ),
        (
            4436,
            "Personas repatriadas desde Estados Unidos",
            "Oaxaca",
            "11704",
            "11 704",
            "personas",
            "enero a junio 2021",
        ),
    ],
)
def test_panorama_figures_keep_their_value_print_unit_period_and_line(
    line, indicator, scope, value, printed, unit, period
):
    found = figure(line, indicator)
    assert (found.scope, found.value, found.value_as_printed, found.unit, found.period) == (
        scope,
        Decimal(value),
        printed,
        unit,
        period,
    )


def test_every_figure_is_printed_on_the_line_it_names():
    lines = study_text().split("\n")
    for found in study().figures:
        if found.value_as_printed:
            assert squash(found.value_as_printed) in squash(lines[found.line - 1]), found


def test_figures_cover_the_regions_the_states_and_the_nation():
    kinds = Counter(f.scope_kind for f in study().figures)
    assert set(kinds) == {"nacional", "region", "estado"}
    assert {f.scope for f in study().figures if f.scope_kind == "region"} == set(
        PRACTICES_PER_REGION
    )
    assert {f.scope for f in study().figures if f.scope_kind == "estado"} == set(
        PRACTICES_PER_STATE
    )


def test_figures_cite_the_source_their_footnote_names():
    assert (
        figure(412, "Población total").source_cited == "INEGI, Censo de Población y Vivienda 2020"
    )
    assert figure(412, "Población total").footnote == 13
    assert figure(1089, "Tarjetas de residente permanente emitidas").footnote == 30
    assert figure(
        1099, "Encuentros con la Patrulla Fronteriza, sector El Paso: total"
    ).source_cited == ("U.S. Customs and Border Protection (CBP)")
    assert figure(4109, "Personas que emigraron a otros países").source_cited == (
        "CONAPO, Anuario de Migración y Remesas, 2021"
    )
    assert figure(1057, "Población total").source_cited == ""


def test_oaxaca_birthplace_shares_adding_up_to_114_percent_are_all_flagged():
    shares = [f for f in figures_at(4395) + figures_at(4396) if f.unit == "%"]
    assert [f.value for f in shares] == [
        Decimal("97"),
        Decimal("2.1"),
        Decimal("1.85"),
        Decimal("13.81"),
    ]
    assert all("shares_do_not_add_up" in f.flags for f in shares)
    # Veracruz and Yucatán print the same kind of row and it adds up.
    assert not [
        f for f in study().figures if "shares_do_not_add_up" in f.flags and f.scope != "Oaxaca"
    ]


@pytest.mark.parametrize(
    ("line", "indicator", "printed_total"),
    [
        (440, "Entradas registradas", "736 154"),  # 24,369 + 6,057 + 726,414 = 756,840
        (2142, "Población nacida en otro país", "15 335"),  # the countries add up to 15 334
        (4116, "Población nacida en otro país", "30 819"),  # the countries add up to 29 819
    ],
)
def test_totals_whose_printed_parts_do_not_add_up_are_flagged_with_their_parts(
    line, indicator, printed_total
):
    total = figure(line, indicator)
    assert total.value_as_printed == printed_total
    assert "parts_do_not_add_up" in total.flags
    flagged_states = {f.scope for f in study().figures if "parts_do_not_add_up" in f.flags}
    assert flagged_states == {"Baja California", "Durango", "Puebla"}


def test_shares_of_national_entries_that_contradict_the_printed_totals_are_flagged():
    flagged = {
        (f.scope, f.line, f.value_as_printed)
        for f in study().figures
        if "share_inconsistent_with_total" in f.flags
    }
    assert flagged == {
        ("Chihuahua", 1081, "17%"),
        ("Ciudad de México", 3352, "9,8%"),
        ("Estado de México", 3834, ".25%"),
    }
    # 7.62 % of 9 654 941 is Baja California's 736 154 entries.
    assert (
        "share_inconsistent_with_total"
        not in figure(441, "Entradas registradas, porcentaje del total nacional").flags
    )


def test_emigration_and_immigration_labels_swapped_in_western_states_are_flagged():
    swapped = {f.scope for f in study().figures if "labels_swapped" in f.flags}
    assert swapped == {"Jalisco", "Michoacán", "San Luis Potosí"}
    assert "labels_swapped" in figure(2928, "Población nacida en otro país").flags
    assert "labels_swapped" in figure(2933, "Personas que emigraron a otros países").flags


def test_other_printed_inconsistencies_are_flagged_not_fixed():
    assert (
        "wrong_state_in_text"
        in figure(2162, "Personas extranjeras que obtuvieron residencia").flags
    )
    presented = "Extranjeros presentados ante la autoridad migratoria"
    assert {figure(3863, presented).value, figure(3865, presented).value} == {386, 754}
    assert "conflicting_values" in figure(3863, presented).flags
    assert "value_repeated_from_other_state" in figure(3198, "Inmigrantes internacionales").flags
    missing = figure(4131, "Inmigrantes internacionales, originarios de Alemania")
    assert (missing.value, missing.flags) == (None, ["value_missing"])


def test_puebla_footnote_calls_that_point_to_notes_printed_for_mexico_city_are_reported():
    calls = [w for line, w in study().warnings if w.startswith("Puebla: la llamada a la nota")]
    assert len(calls) == 8
    assert (
        4084,
        "Puebla: la llamada a la nota 56 remite a una nota impresa en otra sección (línea 3335)",
    ) in (study().warnings)


def test_national_totals_printed_in_state_footnotes_become_national_figures():
    national = [f for f in study().figures if f.scope_kind == "nacional"]
    entries = {f.value for f in national if f.indicator == "Entradas registradas"}
    assert entries == {Decimal("9654941")}
    assert figure(470, "Tarjetas de residente permanente emitidas").scope == "México"
