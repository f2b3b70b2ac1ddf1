"""The pure-Python parser of the IOM/CONOFAM good-practice study (no database, no Django):
the real study's 44 fichas (states, numbers, titles, fields, criteria and their marks),
and input it must refuse or survive (other documents, a cut or scrambled study).

Its numbers and panorama figures: ``test_practices_figures.py``; fichas made by hand:
``test_practices_excerpts.py``; the study, parsed once, in ``helpers.py``."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from observatorio.importers.practices import (
    CRITERIA,
    ParsedPractice,
    PracticesFormatError,
    PracticesParse,
    parse_practices,
)

from .helpers import (
    COMPENDIUM,
    PRACTICES_PER_REGION,
    PRACTICES_PER_STATE,
    STRATEGY,
    F,
    T,
    U,
    study,
    study_text,
)


def practice(state: str, number: int) -> ParsedPractice:
    found = [p for p in study().practices if p.state == state and p.number == number]
    assert len(found) == 1, f"{state} {number}: {len(found)} fichas"
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
