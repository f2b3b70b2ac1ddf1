"""The pure-Python parser of the IOM/CONOFAM good-practice study (no database, no Django)."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from functools import cache

import pytest

from observatorio.importers.practices import (
    CRITERIA,
    PanoramaFigure,
    ParsedPractice,
    PracticesFormatError,
    PracticesParse,
    parse_number,
    parse_practices,
)
from observatorio.lib.text import squash

from .helpers import COMPENDIUM, STRATEGY, STUDY

# Counted by hand in the study: one CUADRO of fichas per state.
PRACTICES_PER_STATE = {
    "Baja California": 5,
    "Chihuahua": 8,
    "Durango": 6,
    "Jalisco": 1,
    "Michoacán": 1,
    "San Luis Potosí": 2,
    "Ciudad de México": 3,
    "Estado de México": 2,
    "Puebla": 3,
    "Oaxaca": 5,
    "Veracruz": 3,
    "Yucatán": 5,
}
PRACTICES_PER_REGION = {"Norte": 19, "Occidente": 4, "Centro": 8, "Sur-Sureste": 13}
T, F, U = True, False, None


@cache
def study_text() -> str:
    return STUDY.read_text(encoding="utf-8")


@cache
def study() -> PracticesParse:
    return parse_practices(study_text())


def practice(state: str, number: int) -> ParsedPractice:
    found = [p for p in study().practices if p.state == state and p.number == number]
    assert len(found) == 1, f"{state} {number}: {len(found)} fichas"
    return found[0]


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


# --------------------------------------------------------------------------- the real study


def test_the_study_yields_44_practices_and_no_count_warning():
    parsed = study()
    assert len(parsed.practices) == 44
    assert not [w for _, w in parsed.warnings if "se esperaban" in w]


def test_each_state_has_the_number_of_fichas_printed_in_its_table():
    assert Counter(p.state for p in study().practices) == PRACTICES_PER_STATE


def test_each_region_has_the_practices_of_its_three_states():
    assert Counter(p.region for p in study().practices) == PRACTICES_PER_REGION


@pytest.mark.parametrize(
    ("state", "number", "line", "title", "marks"),
    [
        (
            "Baja California",
            1,
            506,
            "CREACIÓN DEL CONSEJO ESTATAL DE ASUNTOS MIGRATORIOS DEL ESTADO DE BAJA CALIFORNIA "
            "(CEAM) Y SU CONSEJO CONSULTIVO",
            (T, T, T, T, T),
        ),
        (
            "Baja California",
            2,
            643,
            "REGISTRO ESTATAL DE PERSONAS MIGRANTES Y PROGRAMA DE CREDENCIALIZACIÓN",
            (T, T, T, T, T),
        ),
        (
            "Baja California",
            5,
            976,
            "APOYO DIRECTO A PERSONAS MIGRANTES DURANTE LA EMERGENCIA SANITARIA POR COVID-19",
            (F, T, T, T, T),
        ),
        (
            "Chihuahua",
            6,
            1770,
            "CREACIÓN DE MECANÍSMOS PARA LA ATENCIÓN A PERSONAS MIGRANTES EN EL MARCO DE LA "
            "CONTINGENCIA SANITARIA POR COVID-19",
            (T, T, T, T, T),
        ),
        (
            "Chihuahua",
            7,
            1904,
            "APERTURA DEL CENTRO INTEGRAL DE ATENCIÓN A NIÑAS, NIÑOS Y ADOLESCENTES MIGRANTES "
            "“NOHEMÍ ÁLVAREZ QUILLAY” (CIANNAM)",
            (T, T, T, T, T),
        ),
        (
            "Durango",
            1,
            2221,
            "GESTIÓN DE TRÁMITES PARA LA OBTENCIÓN DE DOCUMENTOS OFICIALES Y OTROS SERVICIOS",
            (T, T, F, T, T),
        ),
        (
            "Jalisco",
            1,
            2946,
            "PLATAFORMA DIGITAL DE ATENCIÓN A PERSONAS MIGRANTES",
            (T, T, T, T, T),
        ),
        ("Michoacán", 1, 3093, "PROGRAMA “PALOMAS MENSAJERAS”", (T, T, T, T, T)),
        (
            "Ciudad de México",
            1,
            3414,
            "PROGRAMA CIUDAD HOSPITALARIA Y MOVILIDAD HUMANA",
            (T, T, T, T, T),
        ),
        (
            "Estado de México",
            2,
            4011,
            "TRASLADO DE PERSONAS MIGRANTES FALLECIDAS",
            (T, T, F, T, F),
        ),
        ("Puebla", 1, 4151, "PROGRAMA DE DOCUMENTACIÓN DE MIGRANTES POBLANOS", (T, T, F, T, T)),
        (
            "Oaxaca",
            1,
            4468,
            "GUELAGUETZA FAMILIAR E INTERCAMBIO CULTURAL OAXACA-ESTADOS UNIDOS",
            (T, T, T, T, T),
        ),
        (
            "Oaxaca",
            2,
            4586,
            "COORDINACIÓN INTERINSTITUCIONAL PARA LA OBTENCIÓN DE DOCUMENTOS DE IDENTIDAD Y "
            "PRESTACIÓN DE SERVICIOS DE MANERA GRATUITA",
            (T, T, F, T, T),
        ),
        (
            "Yucatán",
            4,
            5936,
            "PROGRAMA REENCUENTRO DE REUNIFICACIÓN FAMILIAR “CABECITAS BLANCAS” Y NUESTRA TIERRA "
            "JARANERA",
            (T, T, T, T, T),
        ),
    ],
)
def test_spot_checked_fichas_have_their_state_number_title_line_and_marks(
    state, number, line, title, marks
):
    found = practice(state, number)
    assert found.title == title
    assert found.line == line
    assert found.criteria == dict(zip(CRITERIA, marks, strict=True))
    assert found.end_line > found.line


@pytest.mark.parametrize(
    ("state", "number", "row_line", "unknown"),
    [
        ("Durango", 6, 2835, {"replicabilidad"}),
        ("San Luis Potosí", 2, 3297, {"replicabilidad"}),
        ("Ciudad de México", 3, 3666, {"asociacion", "eficacia"}),
        ("Estado de México", 1, 3956, {"eficacia"}),
        ("Veracruz", 2, 5403, {"innovacion"}),
        ("Veracruz", 3, 5507, {"innovacion"}),
    ],
)
def test_a_criterion_printed_without_a_mark_is_unknown_not_failed(state, number, row_line, unknown):
    found = practice(state, number)
    assert {name for name, value in found.criteria.items() if value is None} == unknown
    # Every mark that is printed in these six rows is a pass.
    assert all(value is True for name, value in found.criteria.items() if name not in unknown)
    assert sum(f"sin marca en la línea {row_line}" in w for w in found.warnings) == len(unknown)


def test_only_six_fichas_have_a_missing_mark():
    missing = {(p.state, p.number) for p in study().practices if None in p.criteria.values()}
    assert missing == {
        ("Durango", 6),
        ("San Luis Potosí", 2),
        ("Ciudad de México", 3),
        ("Estado de México", 1),
        ("Veracruz", 2),
        ("Veracruz", 3),
    }


def test_every_practice_of_the_study_qualifies_even_with_its_unknown_marks():
    assert {p.qualification for p in study().practices} == {"cumple"}
    # Three certain passes are enough, whatever the unknown ones turn out to be.
    assert practice("Ciudad de México", 3).criteria == {
        "sostenibilidad": T,
        "asociacion": U,
        "innovacion": T,
        "replicabilidad": T,
        "eficacia": U,
    }
    assert practice("Ciudad de México", 3).qualification == "cumple"
    assert practice("Estado de México", 2).qualification == "cumple"


@pytest.mark.parametrize(
    ("state", "number", "reprint_line"),
    [("Chihuahua", 6, 1880), ("Ciudad de México", 1, 3598), ("Puebla", 2, 4284)],
)
def test_a_criteria_row_reprinted_after_a_page_break_is_reported_and_not_reread(
    state, number, reprint_line
):
    found = practice(state, number)
    assert f"la fila de criterios se reimprime en la línea {reprint_line} (salto de página)" in (
        found.warnings
    )
    assert not found.justifications_separated
    assert found.justifications == dict.fromkeys(CRITERIA)


def test_the_text_after_a_reprinted_row_stays_in_the_justification():
    text = practice("Puebla", 2).justification_text
    assert text.startswith("Forma parte del Programa de Apoyo a Migrantes")
    assert "que creó la Coordinación Estatal de Asuntos Internacionales" in text
    assert "Sostenibilidad" not in text


def test_a_ficha_whose_first_page_lost_its_title_takes_the_full_title_printed_later():
    found = practice("Chihuahua", 6)
    assert found.line == 1770
    assert (
        "la ficha comienza en la línea 1770 sin número; se toma el 6 impreso en la línea 1791"
        in (found.warnings)
    )
    assert "título truncado (falta el comienzo) en la línea 1770" in found.warnings
    assert found.description.startswith("En el contexto de la emergencia sanitaria")


def test_a_ficha_that_never_prints_its_number_gets_the_next_one_with_a_warning():
    found = practice("Chihuahua", 8)
    assert found.line == 2044
    assert found.title == "DE SALUD “TODOS SOMOS MEXICANOS”"
    assert any("se infiere 8" in w for w in found.warnings)
    assert any("quizá truncado" in w for w in found.warnings)
    assert found.institution == "Jurisdicción Sanitaria II de la Secretaría de Salud del Estado"


def test_mexico_city_numbers_are_kept_as_printed_and_the_gap_is_reported():
    numbers = [p.number for p in study().practices if p.state == "Ciudad de México"]
    assert numbers == [1, 3, 4]
    assert (3628, "Ciudad de México: la numeración de las fichas pasa de 1 a 3") in study().warnings
    assert "la línea 3458 imprime el número 2 para esta ficha (que comienza como 1)" in (
        practice("Ciudad de México", 1).warnings
    )


def test_a_truncated_repeat_of_a_title_is_reported_and_the_full_title_kept():
    found = practice("Baja California", 2)
    assert found.title.endswith("CREDENCIALIZACIÓN")
    assert "título repetido truncado al final en la línea 683" in found.warnings
    assert "título repetido incompleto en la línea 1691" in practice("Chihuahua", 5).warnings


def test_titles_drop_the_footnote_calls_glued_to_them():
    assert practice("Chihuahua", 7).title.endswith("(CIANNAM)")
    assert practice("Puebla", 1).title.endswith("POBLANOS")
    assert practice("Oaxaca", 5).title.endswith("(PERSONA QUE TRANSMITE LA PALABRA SAGRADA)")
    assert (
        "nota al pie 42 pegada al título (se omite del título)" in practice("Chihuahua", 7).warnings
    )


@pytest.mark.parametrize(
    ("state", "number", "start"),
    [
        ("Baja California", 1, "El 21 de octubre del 2020 se consolidó"),  # CARACTERÍSTICAS
        ("Baja California", 5, "Se repartieron insumos"),  # DESCRIPCIÓN DE LA PRÁCTICA
        ("Chihuahua", 1, "El Consejo estatal de Población (COESPO)"),  # DESCRIPCIÓN:
        ("Chihuahua", 5, "Como una respuesta local"),  # CONTEXTO Y DESCRIPCIÓN
        ("Yucatán", 1, "Como parte de sus competencias"),  # DESCRIPCIÓN DE LA BUENA PRÁCTICA
        ("Ciudad de México", 3, "Se le otorga una cantidad establecida"),  # text on the label line
        ("Durango", 2, "Con base en la identificación de necesidades"),  # no label at all
    ],
)
def test_every_variant_of_the_description_label_is_recognised(state, number, start):
    assert practice(state, number).description.startswith(start)


def test_a_description_without_a_label_is_taken_with_a_warning():
    assert any("la descripción no lleva etiqueta" in w for w in practice("Durango", 2).warnings)


def test_labelled_fields_are_read_whole():
    assert practice("Yucatán", 1).institution == (
        "Dirección de Atención al Migrante del Instituto para el Desarrollo de la Cultura Maya "
        "del estado de Yucatán (INDEMAYA)."
    )
    assert practice("Ciudad de México", 1).institution == (
        "COORDINACIÓN DE MIGRANTES DE LA DIRECCIÓN GENERAL DE INCLUSIÓN SOCIAL, SIBISO"
    )
    assert practice("Chihuahua", 8).dimension.endswith("sin importar su estatus migratorio.")
    assert practice("Baja California", 4).dimension == "Retorno."
    population = practice("Ciudad de México", 3).target_population
    assert population.startswith("Población en condición de movilidad (huéspedes de la CDMX")
    assert "trabajadoras mayores de 18 años" in population


def test_justifications_are_split_only_where_five_paragraphs_make_it_certain():
    separated = {(p.state, p.number) for p in study().practices if p.justifications_separated}
    assert len(separated) == 10
    assert ("Baja California", 5) in separated
    bc5 = practice("Baja California", 5)
    assert bc5.justifications["sostenibilidad"].startswith("Existe un área de oportunidad")
    assert bc5.justifications["asociacion"].startswith("Coordinación con organizaciones")
    assert bc5.justifications["innovacion"].startswith("Fue una respuesta rápidamente")
    assert bc5.justifications["replicabilidad"].startswith("Esta práctica se llevó a cabo")
    assert bc5.justifications["eficacia"].startswith("Benefició a las personas")
    for p in study().practices:
        if not p.justifications_separated:
            assert p.justifications == dict.fromkeys(CRITERIA)
            assert any("justificaciones no separables" in w for w in p.warnings)


def test_the_whole_justification_text_is_always_kept():
    for p in study().practices:
        assert p.justification_text, (p.state, p.number)
    assert "Por lo que no se" in practice("Estado de México", 1).justification_text
    assert any("termina a mitad de frase" in w for w in practice("Estado de México", 1).warnings)


def test_no_page_furniture_leaks_into_the_texts():
    for p in study().practices:
        for text in (p.description, p.justification_text, p.target_population, p.title):
            for furniture in ("CUADRO", "http", "Disponible en", "CRITERIOS", "Elaboración propia"):
                assert furniture not in text, (p.state, p.number, furniture)


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


# --------------------------------------------------------------------------- hand-made excerpts

HEADER = (
    "CUADRO 2 BUENAS PRÁCTICAS ORIENTADAS A LA ATENCIÓN DE PERSONAS MIGRANTES EN BAJA CALIFORNIA"
)


def ficha(
    *,
    number: str = "1 ",
    title: str = "REGISTRO \n\nESTATAL DE \nPERSONAS \n\nMIGRANTES",
    label: str = "CARACTERÍSTICAS DE LA PRÁCTICA:",
    row: str = "Sostenibilidad ✔ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔",
    justification: str = "Es sostenible.\n\nSe coordina con el INM.\n\nEs nueva.\n\n"
    "Se puede replicar.\n\nCumple con los objetivos.",
    criteria_title: str | None = None,
) -> str:
    """Build one ficha the way the study prints it: fields page, then criteria page."""
    repeated = criteria_title if criteria_title is not None else f"{number}\n{title}"
    return (
        f" {HEADER}\n\n{number}\n{title}\n\n"
        "INSTITUCIÓN QUE COORDINA: Subsecretaría de Asuntos Migratorios\n\n"
        "DIMENSIÓN DE LA POBLACIÓN QUE ATIENDE: Retorno, tránsito y destino.\n\n"
        "POBLACIÓN OBJETIVO: Población en condición de movilidad.\n\n"
        f"{label}\n\n"
        "El registro es voluntario y permite conocer la ubicación de las personas.\n\n"
        f" {HEADER}\n\n{repeated}\n\nCRITERIOS DE EVALUACIÓN\n\n{row}\n\n{justification}\n"
    )


def test_a_title_wrapped_over_several_lines_comes_out_on_one_line():
    parsed = parse_practices(ficha())
    (found,) = parsed.practices
    assert (found.state, found.region, found.number) == ("Baja California", "Norte", 1)
    assert found.title == "REGISTRO ESTATAL DE PERSONAS MIGRANTES"
    assert found.line == 3


def test_a_repeated_title_cut_short_on_the_criteria_page_is_reported():
    text = ficha(
        title="PROGRAMA DE \nCREDENCIA- \n\nLIZACIÓN",
        criteria_title="1 \nPROGRAMA DE \nCREDENCIA- \n\nLIZACIÓ",
    )
    (found,) = parse_practices(text).practices
    assert found.title == "PROGRAMA DE CREDENCIALIZACIÓN"
    assert any("título repetido truncado al final" in w for w in found.warnings)


def test_a_title_repeated_within_its_own_block_is_kept_once():
    (found,) = parse_practices(ficha(title="RED DE \nENLACES\n\nRED DE \nENLACES")).practices
    assert found.title == "RED DE ENLACES"


@pytest.mark.parametrize(
    "label",
    [
        "CARACTERÍSTICAS DE LA PRÁCTICA:",
        "DESCRIPCIÓN DE LA PRÁCTICA:",
        "DESCRIPCIÓN:",
        "CONTEXTO Y DESCRIPCIÓN DE LA PRÁCTICA:",
        "DESCRIPCIÓN DE LA BUENA PRÁCTICA:",
    ],
)
def test_each_description_label_variant_introduces_the_description(label):
    (found,) = parse_practices(ficha(label=label)).practices
    assert found.description == (
        "El registro es voluntario y permite conocer la ubicación de las personas."
    )
    assert found.institution == "Subsecretaría de Asuntos Migratorios"
    assert found.dimension == "Retorno, tránsito y destino."
    assert found.target_population == "Población en condición de movilidad."


def test_an_institution_label_without_colon_is_still_a_label():
    text = ficha().replace("INSTITUCIÓN QUE COORDINA: ", "INSTITUCIÓN QUE COORDINA ")
    (found,) = parse_practices(text).practices
    assert found.institution == "Subsecretaría de Asuntos Migratorios"


@pytest.mark.parametrize(
    ("row", "criteria", "qualification"),
    [
        (
            "Sostenibilidad ✔ Asociación ✔ Innovación ✘ Replicabilidad ✔ Eficacia ✘",
            (T, T, F, T, F),
            "cumple",
        ),
        (
            "Sostenibilidad ✔ Asociación Innovación ✔ Replicabilidad ✔ Eficacia",
            (T, U, T, T, U),
            "cumple",
        ),
        (
            "Sostenibilidad ✔ Asociación Innovación ✘ Replicabilidad ✔ Eficacia",
            (T, U, F, T, U),
            "indeterminada",
        ),
        (
            "Sostenibilidad ✔ Asociación ✘ Innovación ✘ Replicabilidad Eficacia ✘",
            (T, F, F, U, F),
            "no_cumple",
        ),
    ],
)
def test_a_missing_mark_is_unknown_and_can_leave_the_qualification_open(
    row, criteria, qualification
):
    (found,) = parse_practices(ficha(row=row)).practices
    assert found.criteria == dict(zip(CRITERIA, criteria, strict=True))
    assert found.qualification == qualification
    unknown = sum(value is None for value in criteria)
    assert sum("se registra como desconocido" in w for w in found.warnings) == unknown


def test_a_reprinted_criteria_row_keeps_all_the_justification_but_stops_the_split():
    justification = (
        "Es sostenible gracias a la ley\n\nSe coordina con el INM.\n\n"
        f" {HEADER}\n\n1 \nREGISTRO\n\nCRITERIOS DE EVALUACIÓN\n\n"
        "Sostenibilidad ✔ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔\n\n"
        "que creó el Instituto.\n\nEs nueva.\n\nSe puede replicar.\n\nCumple."
    )
    (found,) = parse_practices(ficha(justification=justification)).practices
    assert any("la fila de criterios se reimprime" in w for w in found.warnings)
    assert not found.justifications_separated
    assert found.justifications == dict.fromkeys(CRITERIA)
    assert "que creó el Instituto." in found.justification_text
    assert "REGISTRO" not in found.justification_text


def test_a_reprinted_row_with_other_marks_is_reported_and_the_first_row_kept():
    justification = (
        "Es sostenible.\n\n CRITERIOS DE EVALUACIÓN\n\n"
        "Sostenibilidad ✘ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔\n\nCumple."
    )
    (found,) = parse_practices(ficha(justification=justification)).practices
    assert found.criteria["sostenibilidad"] is True
    assert any("no coincide con la primera" in w for w in found.warnings)


def test_five_justification_paragraphs_are_assigned_to_the_five_criteria_in_order():
    (found,) = parse_practices(ficha()).practices
    assert found.justifications_separated
    assert found.justifications == {
        "sostenibilidad": "Es sostenible.",
        "asociacion": "Se coordina con el INM.",
        "innovacion": "Es nueva.",
        "replicabilidad": "Se puede replicar.",
        "eficacia": "Cumple con los objetivos.",
    }


def test_six_justification_paragraphs_cannot_be_assigned_reliably():
    text = ficha(justification="Uno.\n\nDos.\n\nTres.\n\nCuatro.\n\nCinco.\n\nSeis.")
    (found,) = parse_practices(text).practices
    assert not found.justifications_separated
    assert found.justification_text == "Uno.\n\nDos.\n\nTres.\n\nCuatro.\n\nCinco.\n\nSeis."


def test_a_first_page_that_lost_the_start_of_the_title_uses_the_criteria_page_title():
    lost = (
        " SANITARIA POR \n\nCOVID-19\n\n"
        "INSTITUCIÓN QUE COORDINA: Consejo Estatal de Población (COESPO).\n\n"
        "DIMENSIÓN DE LA POBLACIÓN QUE ATIENDE: Retorno y tránsito.\n\n"
        "POBLACIÓN OBJETIVO: Población en condición de movilidad.\n\n"
        "DESCRIPCIÓN DE LA PRÁCTICA:\n\nSe instalaron filtros sanitarios.\n"
        " 6  \nACCIONES EN LA \nEMERGENCIA \nSANITARIA POR \n\nCOVID-19\n\n"
        "CRITERIOS DE EVALUACIÓN\n\n"
        "Sostenibilidad ✘ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔\n\n"
        "Fue temporal.\n"
    )
    text = ficha(number="5 ") + lost
    first_line = text.split("\n").index(" SANITARIA POR ") + 1
    previous, found = parse_practices(text).practices
    assert previous.number == 5
    assert found.number == 6
    assert found.title == "ACCIONES EN LA EMERGENCIA SANITARIA POR COVID-19"
    assert found.line == first_line
    assert found.description == "Se instalaron filtros sanitarios."
    assert any("título truncado (falta el comienzo)" in w for w in found.warnings)
    assert "ACCIONES" not in previous.justification_text
    assert "SANITARIA" not in previous.justification_text


PANORAMA = "\n".join(
    [
        " OAXACA",
        "",
        "CUADRO 18 PANORAMA MIGRATORIO ESTATAL",
        "",
        "Nombre del estado OAXACA",
        "",
        "Población Cuenta con un total de 4 132 148 personas habitantes, de las cuales, el 52.2% "
        "son mujeres y el 47.8% hombres",
        "",
        "Inmigración",
        "Del total de la población que habita en la entidad, 19 584 personas nacieron en otro "
        "país, 97% de ellas en Estados Unidos, 2.1% en Honduras, ",
        "1.85% en Guatemala y 13. 81% en otros países. ",
        "",
        "",
    ]
)


def test_shares_printed_in_one_sentence_that_exceed_100_percent_are_flagged_in_an_excerpt():
    text = PANORAMA + ficha().replace("BAJA CALIFORNIA", "OAXACA")
    parsed = parse_practices(text)
    assert [p.state for p in parsed.practices] == ["Oaxaca"]
    shares = [f for f in parsed.figures if f.indicator.startswith("Población nacida en otro país,")]
    assert [(f.value_as_printed, f.line) for f in shares] == [
        ("97%", 10),
        ("2.1%", 10),
        ("1.85%", 11),
        ("13. 81%", 11),
    ]
    assert all("shares_do_not_add_up" in f.flags for f in shares)
    sexes = [f for f in parsed.figures if f.indicator.startswith("Población total,")]
    assert [f.value for f in sexes] == [Decimal("52.2"), Decimal("47.8")]
    assert not any(f.flags for f in sexes)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ["", "   \n\n  \t"])
def test_empty_text_is_refused_in_spanish(text):
    with pytest.raises(PracticesFormatError, match="vacío"):
        parse_practices(text)


def test_binary_data_is_refused_in_spanish():
    with pytest.raises(PracticesFormatError, match="binario"):
        parse_practices("%PDF-1.7\x00\x00\x01 stream")


def test_another_document_is_refused_in_spanish():
    with pytest.raises(PracticesFormatError, match="no parece ser el estudio"):
        parse_practices(COMPENDIUM.read_text(encoding="utf-8"))
    strategy_opening = (
        "Estrategia Integral y Sostenible para la Protección e Integración de las personas en "
        "contextos de movilidad internacional.\n\nv. 30 de enero de 2019\n\nJUSTIFICACIÓN:\n\n"
        "Considerando la necesidad de que en las Entidades Federativas se garantice la protección "
        "e integración de las personas en contextos de movilidad..."
    )
    with pytest.raises(PracticesFormatError, match="no parece ser el estudio"):
        parse_practices(strategy_opening)


@pytest.mark.skipif(
    not STRATEGY.exists(), reason="the project seeds are not next to the repository"
)
def test_the_strategy_document_from_the_seeds_is_refused():
    with pytest.raises(PracticesFormatError):
        parse_practices(STRATEGY.read_text(encoding="utf-8"))


def test_a_study_cut_at_40_percent_is_parsed_and_reported_incomplete_instead_of_an_error():
    lines = study_text().split("\n")
    parsed = parse_practices("\n".join(lines[: int(len(lines) * 0.4)]))
    assert len(parsed.practices) == 16
    messages = [w for _, w in parsed.incomplete]
    assert "se esperaban 44 prácticas, se encontraron 16" in messages
    assert any("el texto parece truncado" in w for w in messages)
    assert "la última ficha (Durango, práctica 3) está incompleta" in messages
    last = parsed.practices[-1]
    assert last.criteria == dict.fromkeys(CRITERIA)
    assert last.qualification == "indeterminada"


def test_the_study_cut_by_characters_also_warns_about_its_last_ficha():
    text = study_text()
    parsed = parse_practices(text[: int(len(text) * 0.4)])
    assert any(w.startswith("se esperaban 44 prácticas") for _, w in parsed.incomplete)
    assert any("última ficha" in w for _, w in parsed.incomplete)


def test_the_whole_study_is_not_reported_incomplete():
    assert study().incomplete == []


def test_scrambled_pieces_of_the_study_never_crash_the_parser():
    text = study_text()
    rng = random.Random(20211)  # noqa: S311 - reproducible test data, not cryptography
    for _ in range(40):
        start = rng.randrange(len(text))
        piece = text[start : start + rng.randrange(1, 30000)]
        pieces = piece.split("\n")
        rng.shuffle(pieces)
        for candidate in (piece, "\n".join(pieces)):
            try:
                parsed = parse_practices(candidate)
            except PracticesFormatError:
                continue
            assert isinstance(parsed, PracticesParse)
