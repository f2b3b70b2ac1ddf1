"""The good-practice study's parser on excerpts made by hand (no database, no Django):
fichas printed the way the study prints them (``ficha``), each with one of the study's
quirks (wrapped or repeated titles, label variants, missing marks, reprinted criteria
rows, justification paragraphs), and a state's panorama.

(The real study: ``test_practices_parser.py`` and ``test_practices_figures.py``.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from observatorio.importers.practices import CRITERIA, parse_practices

from .helpers import F, T, U

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
