"""The pure-Python parser of the "Compendio General 2022" text (no database, no Django)."""

from __future__ import annotations

import os
import re
import textwrap
from collections import Counter
from functools import cache

import pytest

from observatorio.importers.compendium import (
    CompendiumFormatError,
    CompendiumParse,
    parse_compendium,
)

from .helpers import COMPENDIUM, STATE_NAMES, STRATEGY, STUDY

# Programs per objective 1..23, counted by hand on the numbered titles of the
# document (each objective restarts at 1; lists inside program texts excluded).
FEDERAL_COUNTS = [19, 2, 13, 9, 8, 6, 33, 10, 3, 12, 8, 9, 5, 8, 18, 15, 17, 5, 4, 8, 8, 4, 4]
STATE_COUNTS = [4, 2, 14, 17, 2, 7, 13, 6, 1, 4, 0, 0, 0, 1, 15, 4, 7, 5, 1, 2, 6, 2, 5]

OBJECTIVE_1 = (
    "Recopilar y utilizar datos exactos y desglosados para formular políticas con base empírica"
)

PARTICIPATING_STATES = [
    "CHIAPAS",
    "CIUDAD DE MÉXICO",
    "DURANGO",
    "ESTADO DE MÉXICO",
    "GUANAJUATO",
    "GUERRERO",
    "HIDALGO",
    "JALISCO",
    "MICHOACÁN",
    "MORELOS",
    "NAYARIT",
    "NUEVO LEÓN",
    "OAXACA",
    "PUEBLA",
    "QUINTANA ROO",
    "SINALOA",
    "SONORA",
    "TABASCO",
    "TLAXCALA",
    "YUCATÁN",
]


@cache
def document_text() -> str:
    return COMPENDIUM.read_text(encoding="utf-8")


@cache
def document_lines() -> tuple[str, ...]:
    return tuple(document_text().split("\n"))


@cache
def parsed() -> CompendiumParse:
    return parse_compendium(document_text(), state_names=STATE_NAMES)


def program_at(line: int):
    return next(p for p in parsed().programs if p.line == line)


def parse(text: str) -> CompendiumParse:
    return parse_compendium(textwrap.dedent(text), state_names=STATE_NAMES)


def block(number: int, title: str, *, body: str = "Descripción del programa.") -> str:
    """Return one well-formed program as the PDF prints it."""
    return (
        f"{number}. {title}\n\n{body}\n\n"
        "Resultados\n\nSe atendió a 10 personas.\n\nRetos\n\nMás recursos.\n\n"
    )


def messages(result: CompendiumParse) -> list[str]:
    return [message for _, message in result.warnings]


# --- the real document --------------------------------------------------------


@pytest.mark.slow
def test_it_finds_228_federal_and_118_state_programs():
    sections = Counter(p.section for p in parsed().programs)
    assert sections == {"federal": 228, "estatal": 118}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("section", "counts"), [("federal", FEDERAL_COUNTS), ("estatal", STATE_COUNTS)]
)
def test_it_files_each_program_under_the_objective_counted_by_hand(section, counts):
    found = Counter(p.objective for p in parsed().programs if p.section == section)
    assert [found[n] for n in range(1, 24)] == counts


@pytest.mark.slow
def test_the_numbering_has_no_gaps_under_any_objective():
    numbers: dict[tuple[str, int], list[int]] = {}
    for p in parsed().programs:
        numbers.setdefault((p.section, p.objective), []).append(p.number)
    for key, seen in numbers.items():
        assert seen == list(range(1, len(seen) + 1)), key


@pytest.mark.slow
def test_the_full_document_raises_no_document_warnings():
    assert parsed().warnings == []


@pytest.mark.slow
def test_the_first_federal_program_is_the_upmrip_studies_on_line_58():
    first = parsed().programs[0]
    assert (first.section, first.objective, first.number) == ("federal", 1, 1)
    assert first.title.startswith("Elaborar estudios, diagnósticos")
    assert first.title.endswith("orientados a sustentar las políticas públicas en la materia")
    assert first.actor == "UPMRIP-SEGOB"
    # The title starts on line 58 (" 1. Elaborar ..."), after the introduction.
    assert first.line == 58
    assert document_lines()[57].strip().startswith("1. Elaborar estudios")
    assert first.end_line == 81
    assert first.description.startswith("La generación de estudios e investigaciones")
    assert first.results.startswith("Tres publicaciones digitales de la Revista Rutas.")
    assert first.challenges.startswith("La existencia de datos e información suficiente")
    assert not first.challenges_none


@pytest.mark.slow
def test_every_line_number_points_at_the_first_line_of_the_title():
    lines = document_lines()
    for p in parsed().programs:
        assert lines[p.line - 1].strip().startswith(f"{p.number}."), p.line
        assert p.line < p.end_line


@pytest.mark.slow
def test_titles_carry_neither_the_number_nor_the_actor():
    for p in parsed().programs:
        assert not re.match(r"\d+\.", p.title), p.line
        assert not p.title.endswith(f"({p.actor})"), p.line
        assert p.title == p.title.strip() and "  " not in p.title and "\n" not in p.title


@pytest.mark.slow
def test_an_inner_parenthesis_stays_in_the_title():
    spc = program_at(441)
    assert spc.title == "Operación del Sistema de Protección Consular (SPC)"
    assert spc.actor == "SRE"


@pytest.mark.slow
def test_the_federal_title_printed_without_parentheses_keeps_its_institution():
    bare = program_at(2653)
    assert (
        bare.title == "Impulso normativo para la atención del Desplazamiento Forzado Interno (DFI)"
    )
    assert bare.actor == "UPMRIP-SEGOB"
    assert any("sin paréntesis" in w for w in bare.warnings)
    assert sum(any("sin paréntesis" in w for w in p.warnings) for p in parsed().programs) == 1


@pytest.mark.slow
def test_an_actor_after_a_blank_line_belongs_to_the_title():
    # "6. Investigación y evidencia sobre desplazamiento forzado interno (DFI)" / "" /
    # "(UPMRIP-SEGOB)"
    detached = program_at(324)
    assert detached.actor == "UPMRIP-SEGOB"
    assert detached.title.endswith("desplazamiento forzado interno (DFI)")


@pytest.mark.slow
def test_an_actor_wrapped_over_two_lines_is_read_whole():
    assert program_at(229).actor == "UPMRIP-SEGOB"  # "(UPMRIP-" / "SEGOB)"
    assert program_at(10845).actor == "Ciudad de México"  # "(Ciudad de" / "México)"
    assert program_at(12606).actor == "Michoacán de Ocampo"


@pytest.mark.slow
def test_a_parenthesis_followed_by_more_title_text_does_not_end_the_title():
    probipi = program_at(6761)
    assert probipi.title.startswith(
        "Programa para el Bienestar Integral de los Pueblos Indígenas (PROBIPI). Apoyos"
    )
    assert probipi.actor == "INPI"


@pytest.mark.slow
def test_the_state_title_ending_in_an_office_stays_in_the_state_part():
    office = program_at(12864)
    assert (office.section, office.objective, office.number) == ("estatal", 18, 5)
    assert office.actor == (
        "Despacho de la Gobernadora, Dirección de Atención a Migrantes del Estado de Tlaxcala"
    )
    assert any("entidad federativa" in w for w in office.warnings)


@pytest.mark.slow
def test_a_joint_actor_is_kept_as_printed():
    joint = program_at(2250)
    assert joint.actor == "STPS-SRE"
    assert joint.title == "Programa de Trabajadores Agrícolas Temporales (PTAT) México-Canadá"


@pytest.mark.slow
def test_the_state_part_begins_where_numbering_restarts_with_a_state_actor():
    programs = parsed().programs
    first_state = next(i for i, p in enumerate(programs) if p.section == "estatal")
    last_federal = programs[first_state - 1]
    assert (last_federal.objective, last_federal.number, last_federal.line) == (23, 4, 9547)
    state = programs[first_state]
    assert (state.objective, state.number, state.actor, state.line) == (1, 1, "Guanajuato", 9599)
    assert all(p.section == "estatal" for p in programs[first_state:])


@pytest.mark.slow
def test_state_actors_are_state_names_except_the_office():
    actors = Counter(p.actor for p in parsed().programs if p.section == "estatal")
    assert actors["Tlaxcala"] == 16 and actors["Michoacán de Ocampo"] == 15
    assert len(actors) == 21  # 20 states and the Tlaxcala office


@pytest.mark.slow
def test_no_challenges_reported_is_told_apart_from_real_challenges():
    programs = parsed().programs
    assert program_at(680).challenges == "No se reportaron retos."
    assert program_at(680).challenges_none
    assert program_at(9952).challenges == "Ninguno."
    assert program_at(9952).challenges_none
    assert program_at(8527).challenges == "No se reportan retos."
    assert program_at(8527).challenges_none
    assert not program_at(58).challenges_none
    assert sum(p.challenges_none for p in programs) == 44
    assert all(p.challenges for p in programs if p.challenges_none)


@pytest.mark.slow
def test_a_missing_results_block_is_none_and_warned():
    for line in (5359, 9236):
        program = program_at(line)
        assert program.results is None
        assert not program.results_none
        assert "Falta el bloque «Resultados»." in program.warnings
    assert [p.line for p in parsed().programs if p.results is None] == [5359, 9236]
    assert all(p.challenges is not None for p in parsed().programs)


@pytest.mark.slow
def test_results_and_challenges_reported_in_one_sentence_are_both_none():
    joint = program_at(6163)
    assert joint.results == joint.challenges == "No se reportaron resultados ni retos."
    assert joint.results_none and joint.challenges_none


@pytest.mark.slow
def test_results_not_reported_is_flagged():
    assert program_at(4242).results == "No se reportaron resultados."
    assert program_at(4242).results_none
    assert program_at(12887).results_none  # "No se reportaron ya que el programa no cuenta ..."
    assert not program_at(12887).challenges_none


@pytest.mark.slow
def test_headings_with_a_glued_footnote_or_a_colon_are_headings():
    assert program_at(2990).results.startswith("Durante el año 2021")  # "Resultados4"
    assert program_at(9466).results.startswith("Del mes de junio de 2021")  # "Resultados:"


@pytest.mark.slow
def test_a_sentence_ending_in_the_word_resultados_is_not_a_heading():
    doble = program_at(10490)
    assert doble.warnings == []
    assert doble.results.endswith("evaluar el ejercicio con base a Gestiones y/o Resultados.")


@pytest.mark.slow
def test_duplicated_headings_are_merged_and_warned():
    assert "Encabezado «Resultados» repetido en la línea 10535." in program_at(10507).warnings
    retos = program_at(10979)
    assert "Encabezado «Retos» repetido en la línea 11018." in retos.warnings
    assert retos.challenges.startswith("Poca cultura de la empleabilidad")
    assert "Contribuir al combate al desempleo." in retos.challenges


@pytest.mark.slow
def test_numbered_lists_inside_a_program_are_not_programs():
    lines = {p.line for p in parsed().programs}
    assert not lines & {136, 6527, 6529, 7951, 7966, 9118}
    contraloria = program_at(7942)
    assert "12. Programa Educación para Adultos (INEA)." in contraloria.description
    assert contraloria.results.startswith("La Coordinación General de Ciudadanización")


@pytest.mark.slow
def test_late_objective_headings_never_leak_into_program_text():
    vivienda = program_at(926)  # the "Objetivo 2." heading is printed inside its text
    assert "Objetivo" not in vivienda.description
    assert vivienda.results.startswith("Durante el período del 01 de junio de 2021")
    ocde = program_at(83)  # "Objetivo 1." and "ii. Objetivos del PMM" inside its results
    assert "Objetivo 1." not in ocde.results and "ii." not in ocde.results
    assert ocde.challenges.startswith("Compartir la información en los rubros")


@pytest.mark.slow
def test_every_objective_heading_is_printed_after_its_first_program():
    programs = parsed().programs
    for heading in parsed().headings:
        key = (heading.section, heading.number)
        first = next((p for p in programs if (p.section, p.objective) == key), None)
        if first is not None:  # state objectives 11-13 have none
            assert heading.line > first.line, heading


@pytest.mark.slow
def test_there_are_23_headings_in_each_part_with_their_titles_on_one_line():
    headings = parsed().headings
    for section in ("federal", "estatal"):
        assert [h.number for h in headings if h.section == section] == list(range(1, 24))
    first = headings[0]
    assert first.line == 111
    assert first.title == OBJECTIVE_1
    split = next(h for h in headings if h.section == "estatal" and h.number == 13)
    assert split.line == 11909
    assert split.title == (
        "Utilizar la detención de migrantes sólo como último recurso y buscar otras alternativas."
    )


@pytest.mark.slow
def test_paired_state_headings_come_after_their_programs():
    lines = {(h.section, h.number): h.line for h in parsed().headings}
    for first, second in ((9, 10), (14, 15), (19, 20)):
        assert lines["estatal", second] - lines["estatal", first] <= 10
        later = next(
            p for p in parsed().programs if p.section == "estatal" and p.objective == second
        )
        assert later.line < lines["estatal", first]


@pytest.mark.slow
def test_state_objectives_11_to_13_report_no_activities():
    assert parsed().empty_objectives == {"federal": [], "estatal": [11, 12, 13]}


@pytest.mark.slow
def test_page_numbers_are_removed_and_the_sentence_rejoined():
    senate = program_at(5766)  # page "97" falls inside its Retos
    assert "servidoras públicas encargadas del tema migratorio" in senate.challenges
    assert "97" not in senate.challenges
    # A bare number inside a table is a value, not a page number.
    assert "884" in program_at(12399).results


@pytest.mark.slow
def test_program_text_ends_before_the_next_title_heading_or_annex():
    programs = parsed().programs
    for current, following in zip(programs, programs[1:], strict=False):
        assert current.end_line < following.line
    assert programs[-1].end_line == 13345  # " ANEXOS" is line 13346
    assert program_at(9632).end_line == 9650  # before the state "Objetivo 1." heading


@pytest.mark.slow
def test_the_annex_lists_the_20_participating_states():
    assert parsed().participating_states == PARTICIPATING_STATES


@pytest.mark.slow
def test_the_glossary_pairs_each_institution_with_its_acronym():
    glossary = {(e.name, e.acronym) for e in parsed().glossary}
    assert len(parsed().glossary) == 40
    assert {
        ("INSTITUTO NACIONAL DE MIGRACIÓN", "INM/INAMI"),
        ("SECRETARÍA DE BIENESTAR", "BIENESTAR"),
        ("SECRETARIA DE SALUD", "SSA/SALUD"),
        ("GUARDIA NACIONAL", "G.N"),
        ("CENTRO NACIONAL DE INTELIGENCIA", "CNI"),
        ("CENTRO NACIONAL PARA LA PREVENCIÓN Y EL CONTROL DEL VIH/SIDA", "CENSIDA"),
        ("INSTITUTO MEXICANO DEL SEGURO SOCIAL", "IMSS"),
        ("SECRETARÍA DE RELACIONES EXTERIORES", "SRE"),
        ("Procuraduría Federal de Protección de Niñas, Niños y Adolescentes", "PFPNNA"),
        ("UNIDAD DE POLÍTICA MIGRATORIA, REGISTRO E IDENTIDAD DE PERSONAS", "UPMRIP"),
    } <= glossary
    first = parsed().glossary[0]
    assert document_lines()[first.line - 1].startswith("CENTRO NACIONAL DE INTELIGENCIA")


# --- small excerpts reproducing each pitfall -----------------------------------


def test_it_files_programs_under_the_objective_whose_numbering_restarted():
    result = parse(
        block(1, "Programa uno (SRE)")
        + "2. Programa dos (INM)\n\nDescripción dos.\n\n"
        # The heading of objective 1 is printed late, inside program 2.
        + "Objetivo 1. Recopilar y utilizar datos exactos y desglosados\n"
        + "para formular políticas con base empírica\n"
        + " Resultados\n\nResultado dos.\n\nRetos\n\nReto dos.\n\n"
        + block(1, "Programa tres (CONAPO)")
        + "Objetivo 2. Minimizar los factores adversos\n\n"
        + block(2, "Programa cuatro (SADER)")
    )
    assert [(p.objective, p.number) for p in result.programs] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    second = result.programs[1]
    assert second.description == "Descripción dos."
    assert second.results == "Resultado dos."
    assert [(h.number, h.title) for h in result.headings] == [
        (1, OBJECTIVE_1),
        (2, "Minimizar los factores adversos"),
    ]
    assert result.programs[2].end_line < result.headings[1].line


def test_paired_headings_after_their_programs_do_not_shift_the_objectives():
    result = parse(
        block(1, "Programa federal (SRE)")
        + block(1, "Programa estatal (Chiapas)")
        + block(1, "Otro programa estatal (Tabasco)")
        + "Objetivo 1. Primero.\n\nObjetivo 2. Segundo.\n\n"
    )
    state = [(p.objective, p.number) for p in result.programs if p.section == "estatal"]
    assert state == [(1, 1), (2, 1)]
    assert [(h.section, h.number) for h in result.headings] == [("estatal", 1), ("estatal", 2)]
    assert not [m for m in messages(result) if "aparece junto a programas" in m]


def test_a_title_wrapped_over_lines_and_a_blank_line_is_joined():
    result = parse(
        """\
        7. Elaboración y publicación del Anuario de Migración y Remesas México,

        edición 2021 (CONAPO)

        Publicación anual.

        Resultados

        1471 visitas.

        Retos

        Recursos.
        """
    )
    (program,) = result.programs
    assert (
        program.title
        == "Elaboración y publicación del Anuario de Migración y Remesas México, edición 2021"
    )
    assert program.actor == "CONAPO"
    assert program.line == 1


def test_an_actor_wrapped_with_a_hyphen_is_joined_without_a_space():
    result = parse(block(1, "Estrategia para el Fortalecimiento (UPMRIP-\nSEGOB)"))
    assert result.programs[0].actor == "UPMRIP-SEGOB"
    assert result.programs[0].title == "Estrategia para el Fortalecimiento"


def test_parentheses_inside_the_title_belong_to_the_name():
    result = parse(
        block(1, "Operación del Sistema de Protección Consular (SPC) (SRE)")
        + block(2, "Fondo de Infraestructura Social (FISE)(INM)")
        + block(
            3,
            "Programa para el Bienestar (PROBIPI).\nApoyos para mujeres indígenas (INPI)",
        )
    )
    assert [(p.title, p.actor) for p in result.programs] == [
        ("Operación del Sistema de Protección Consular (SPC)", "SRE"),
        ("Fondo de Infraestructura Social (FISE)", "INM"),
        ("Programa para el Bienestar (PROBIPI). Apoyos para mujeres indígenas", "INPI"),
    ]


def test_a_numbered_list_inside_the_text_is_not_a_program():
    result = parse(
        block(1, "Programa Combate a la Impunidad (SFP)")
        + "2. Contraloría Social (SFP)\n\nEn los siguientes programas federales:\n\n"
        "1. Programa Sembrando Vida;\n"
        "2. Jóvenes Construyendo el Futuro;\n"
        "12. Programa Educación para Adultos (INEA).\n\n"
        "Resultados\n\nSe validaron 12 programas.\n\nRetos\n\nFortalecer.\n\n"
        + block(3, "Código de Ética (SFP)")
    )
    assert [(p.number, p.actor) for p in result.programs] == [(1, "SFP"), (2, "SFP"), (3, "SFP")]
    assert "12. Programa Educación para Adultos (INEA)." in result.programs[1].description
    assert not [m for m in messages(result) if "Salto" in m or "secuencia" in m]


def test_heading_variants_are_recognised():
    result = parse(
        "1. Uno (SRE)\n\nTexto.\n\nResultados:\n\nR1.\n\nRetos2\n\nC1.\n\n"
        "2. Dos (SRE)\n\nTexto.\n\n Resultados4  \n\nR2.\n\n  Retos   \n\nC2.\n\n"
    )
    assert [(p.results, p.challenges) for p in result.programs] == [("R1.", "C1."), ("R2.", "C2.")]
    assert all(p.warnings == [] for p in result.programs)


def test_a_sentence_ending_in_resultados_is_not_a_heading():
    result = parse(
        "1. Doble Nacionalidad (Nayarit)\n\nTexto.\n\nResultados\n\n"
        "El Programa está en proceso de evaluar el ejercicio con base a Gestiones y/o\n"
        "Resultados.\n\nRetos\n\nQue todos tengan documento.\n"
    )
    (program,) = result.programs
    assert program.results.endswith("Gestiones y/o Resultados.")
    assert program.warnings == []


def test_a_missing_block_is_none_and_warned_while_a_duplicate_is_merged():
    result = parse(
        "1. Sin resultados (SRE)\n\nTexto.\n\nRetos\n\nCoordinación.\n\n"
        "2. Sin retos (SRE)\n\nTexto.\n\nResultados\n\nAlgo.\n\n"
        "3. Dos veces (SRE)\n\nTexto.\n\nResultados\n\nA.\n\nResultados\n\nB.\n\nRetos\n\nC.\n"
    )
    missing_results, missing_challenges, twice = result.programs
    assert missing_results.results is None and not missing_results.results_none
    assert "Falta el bloque «Resultados»." in missing_results.warnings
    assert missing_challenges.challenges is None and not missing_challenges.challenges_none
    assert "Falta el bloque «Retos»." in missing_challenges.warnings
    assert twice.results == "A.\n\nB."
    assert any("repetido" in w for w in twice.warnings)


def test_no_results_nor_challenges_in_one_sentence_sets_both_flags():
    result = parse(
        "1. Mecanismo de Coordinación (SRE)\n\nTexto.\n\nNo se reportaron resultados ni retos.\n"
        " 2. Capacitación (SRE)\n \nTexto.\n\nResultados\n\nR.\n\nRetos\n\nC.\n"
    )
    first, second = result.programs
    assert first.results_none and first.challenges_none
    assert first.description == "Texto."
    assert second.line == 6 and not second.challenges_none


@pytest.mark.parametrize(
    ("statement", "none"),
    [
        ("No se reportaron retos.", True),
        ("No se reportaron retos", True),
        ("No se reportan retos.", True),
        ("Ninguno.", True),
        ("Ninguno institucionalmente para el cumplimiento de los objetivos.", True),
        ("No se cuenta con estadísticas públicas en materia de trata.", False),
        ("Falta de recursos humanos.", False),
    ],
)
def test_only_an_explicit_statement_means_no_challenges(statement, none):
    result = parse(f"1. Programa (SRE)\n\nTexto.\n\nResultados\n\nR.\n\nRetos\n\n{statement}\n")
    assert result.programs[0].challenges_none is none
    assert result.programs[0].challenges == statement


def test_page_numbers_are_dropped_and_the_broken_sentence_rejoined():
    result = parse(
        "1. Programa (SRE)\n\nTexto.\n\nResultados\n\n"
        "Servicios Cantidad\nAcciones de promoción a la\nSalud\n\n884\n\n"
        "Retos\n\n● Mayor capacitación de las personas servidoras públicas\n\n \n\n97\n\n"
        "encargadas del tema migratorio.\n"
    )
    (program,) = result.programs
    assert program.results == "Servicios Cantidad Acciones de promoción a la Salud\n\n884"
    assert program.challenges == (
        "● Mayor capacitación de las personas servidoras públicas encargadas del tema migratorio."
    )


def test_a_numbering_jump_is_accepted_with_a_warning():
    result = parse(block(1, "Uno (SRE)") + block(2, "Dos (SRE)") + block(4, "Cuatro (SRE)"))
    assert [p.number for p in result.programs] == [1, 2, 4]
    assert any("Salto en la numeración" in m for m in messages(result))


def test_an_objective_without_heading_is_warned():
    result = parse(block(1, "Uno (SRE)") + "Objetivo 1. Primero.\n\n" + block(1, "Otro (SRE)"))
    assert [p.objective for p in result.programs] == [1, 2]
    assert (result.programs[1].line, "Parte federal: el objetivo 2 no tiene encabezado.") in (
        result.warnings
    )


def test_empty_objective_notes_skip_objective_numbers():
    note = "No se reportaron actividades correspondientes a este objetivo.\n\n"
    result = parse(
        block(1, "Federal (SRE)")
        + block(1, "Estatal (Chiapas)")
        + note
        + note
        + block(1, "Otro estatal (Tabasco)")
    )
    assert [(p.section, p.objective) for p in result.programs] == [
        ("federal", 1),
        ("estatal", 1),
        ("estatal", 4),
    ]
    assert result.empty_objectives == {"federal": [], "estatal": [2, 3]}


def test_an_institution_without_parentheses_is_read_and_warned():
    result = parse(
        "4. Impulso normativo para la atención del Desplazamiento Forzado Interno\n"
        "(DFI) UPMRIP-SEGOB\n\n\nEsta acción tiene como objetivo.\n\n"
        "Resultados\n\nR.\n\nRetos\n\nC.\n"
    )
    (program,) = result.programs
    assert program.actor == "UPMRIP-SEGOB"
    assert (
        program.title
        == "Impulso normativo para la atención del Desplazamiento Forzado Interno (DFI)"
    )
    assert any("sin paréntesis" in w for w in program.warnings)


def test_a_state_program_with_an_office_as_actor_stays_in_the_state_part():
    result = parse(
        block(1, "Federal (SRE)")
        + block(1, "Estatal (Tlaxcala)")
        + block(2, "Cursos (Despacho de la Gobernadora, Dirección de\nAtención a Migrantes)")
    )
    office = result.programs[-1]
    assert office.section == "estatal"
    assert office.actor == "Despacho de la Gobernadora, Dirección de Atención a Migrantes"
    assert any("no es el nombre de una entidad" in w for w in office.warnings)


def test_the_annexes_join_wrapped_names_and_drop_glued_footnotes():
    result = parse(
        block(1, "Programa (SRE)") + " ANEXOS\n\n"
        "1. Entidades federativas de la República Mexicana que colaboraron para el\ninforme.\n\n"
        "ENTIDADES\nFEDERATIVAS\n\nCHIAPAS\nCIUDAD DE\n\nMÉXICO\nESTADO DE\nMÉXICO\n\nNUEVO LEÓN\n"
        " 1. Glosario con las dependencias de la APF, que colaboraron para el\ninforme\n\n"
        "Dependencias e Instituciones Acrónimo\n\n"
        "INSTITUTO NACIONAL DE MIGRACIÓN INM/INAMI\n\n"
        "INSTITUTO MEXICANO DEL SEGURO\nSOCIAL\n\nIMSS\n\n"
        "SECRETARÍA DE BIENESTAR14 BIENESTAR\n\n"
        "14 La Secretaría del Bienestar aportó información a este informe sobre el\n"
        "Programa 3X1 que no operó en el periodo.\n"
        " SECRETARÍA DE TURISMO SECTUR\n"
        " Compendio General 2022\n\nEl presente documento se realizó en la Coordinación.\n"
    )
    assert result.participating_states == [
        "CHIAPAS",
        "CIUDAD DE MÉXICO",
        "ESTADO DE MÉXICO",
        "NUEVO LEÓN",
    ]
    assert [(e.name, e.acronym) for e in result.glossary] == [
        ("INSTITUTO NACIONAL DE MIGRACIÓN", "INM/INAMI"),
        ("INSTITUTO MEXICANO DEL SEGURO SOCIAL", "IMSS"),
        ("SECRETARÍA DE BIENESTAR", "BIENESTAR"),
        ("SECRETARÍA DE TURISMO", "SECTUR"),
    ]
    assert result.programs[0].end_line < 15
    assert not [m for m in messages(result) if "glosario" in m or "anexo" in m]


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n \t\n"])
def test_an_empty_text_is_refused_in_spanish(text):
    with pytest.raises(CompendiumFormatError, match="vacío"):
        parse_compendium(text, state_names=STATE_NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "%PDF-1.7\n\x00\x01\x02 binario",
        "".join(chr(c) for c in os.urandom(4000) if c not in (9, 10, 13)),
        "\ufffd" * 500 + "\n1. Programa (SRE)\n",
    ],
)
def test_binary_garbage_is_refused_in_spanish(text):
    with pytest.raises(CompendiumFormatError, match="binario"):
        parse_compendium(text, state_names=STATE_NAMES)


def test_another_document_is_refused_as_not_a_compendium():
    if not STRATEGY.exists():
        pytest.skip("the project seeds are not next to the repository")
    with pytest.raises(CompendiumFormatError, match="no parece un compendio"):
        parse_compendium(STRATEGY.read_text(encoding="utf-8"), state_names=STATE_NAMES)


def test_the_good_practice_study_is_refused_as_not_a_compendium():
    with pytest.raises(CompendiumFormatError, match="no parece un compendio"):
        parse_compendium(STUDY.read_text(encoding="utf-8"), state_names=STATE_NAMES)


def test_numbered_titles_without_result_blocks_are_not_a_compendium():
    with pytest.raises(CompendiumFormatError):
        parse("1. Introducción (SRE)\n\nTexto.\n\n2. Marco legal (INM)\n\nMás texto.\n")


@pytest.mark.slow
def test_a_truncated_compendium_is_parsed_and_its_gaps_reported():
    lines = document_lines()
    result = parse_compendium("\n".join(lines[: int(len(lines) * 0.4)]), state_names=STATE_NAMES)
    assert len(result.programs) == 123
    assert all(p.section == "federal" for p in result.programs)
    found = messages(result)
    assert any("parte estatal" in m for m in found)
    assert any("objetivos sin programas" in m and "23" in m for m in found)
    assert any("anexos" in m for m in found)


@pytest.mark.slow
def test_a_compendium_cut_inside_a_program_warns_that_it_is_truncated():
    lines = document_lines()
    result = parse_compendium("\n".join(lines[:9521]), state_names=STATE_NAMES)
    last = result.programs[-1]
    assert (last.objective, last.number, last.challenges) == (23, 3, None)
    assert (last.line, last.warnings[0]) == (9466, "Falta el bloque «Retos».")
    assert any("truncado" in message for line, message in result.warnings if line == 9466)


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [i / 20 for i in range(1, 20)])
def test_a_compendium_cut_anywhere_never_crashes(fraction):
    lines = document_lines()
    cut = "\n".join(lines[: int(len(lines) * fraction)])
    try:
        result = parse_compendium(cut, state_names=STATE_NAMES)
    except CompendiumFormatError:
        assert fraction < 0.01
        return
    assert result.programs
    assert result.warnings, "a truncated document must say so"
