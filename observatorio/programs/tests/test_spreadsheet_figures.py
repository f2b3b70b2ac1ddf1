"""The template's «Cifras» sheet, and the round trip: what the form accepts, the template does."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from observatorio.catalog.models import GcmObjective, PopulationGroup
from observatorio.programs import spreadsheet
from observatorio.programs.forms import FigureFormSet, ReportForm
from observatorio.programs.models import Program, Revision
from observatorio.programs.spreadsheet import RowError

from .test_spreadsheet import GOOD_ROW, fill

pytestmark = pytest.mark.django_db

FIGURE_HEADER = [
    "Fila del reporte",
    "Qué se cuenta",
    "Valor",
    "Unidad",
    "Sexo",
    "Grupo de edad",
    "Nacionalidad",
]
#: Three figures as a person writes them in the sheet: labels from the lists.
SHEET_FIGURES = [
    [2, "Personas atendidas", 830, "personas", "Mujeres", "30 a 59 años", "Honduras"],
    [2, "Familias canalizadas", 1200, "familias", "Total", "Todas las edades", "Guatemala"],
    [2, "Albergues apoyados", 4, "albergues", None, None, None],
]
#: The same figures as the report form posts them.
FORM_FIGURES = [
    ("Personas atendidas", "830", "personas", "mujeres", "30-59", "Honduras"),
    ("Familias canalizadas", "1200", "familias", "total", "todas", "Guatemala"),
    ("Albergues apoyados", "4", "albergues", "total", "todas", ""),
]


def with_figures(data: bytes, rows: list[list]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Cifras"]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=2 + offset, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_template_carries_a_figures_sheet_with_pick_lists(cast, open_cycle):
    data = spreadsheet.build_template(cast("enlace_jalisco"), open_cycle)

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Cifras"]
    assert [c.value for c in sheet[1]] == FIGURE_HEADER
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists == [
        "Listas!$A$2:$A$19",
        "Listas!$B$2:$B$5",
        "Listas!$C$2:$C$7",
        "Listas!$D$2:$D$250",
    ]
    assert workbook["Listas"]["D2"].value == "Afganistán"
    instructions = " ".join(str(c.value) for c in workbook["Instrucciones"]["A"] if c.value)
    assert "punto y coma (;)" in instructions
    assert "separados por comas" not in instructions


def test_what_the_form_accepts_the_template_accepts(cast, open_cycle):
    enlace = cast("enlace_jalisco")
    row = dict(
        GOOD_ROW,
        **{
            "Objetivos secundarios": "15; 16",
            "Presupuesto (MXN)": "$1,500,000.50",
            "Enlaces": "https://jalisco.gob.mx/migrantes; https://example.org/informe.pdf",
        },
    )
    data = with_figures(fill(spreadsheet.build_template(enlace, open_cycle), [row]), SHEET_FIGURES)
    result = spreadsheet.read_upload(io.BytesIO(data), enlace, open_cycle)
    assert result.errors == []
    (from_sheet,) = spreadsheet.commit(result, enlace, open_cycle)

    # The same report through the web form, with the same figures.
    objective = GcmObjective.objects.get(number=7)
    post = {
        "title": "Ventanilla de atención a personas migrantes",
        "objective": objective.pk,
        "secondary_objectives": list(
            GcmObjective.objects.filter(number__in=[15, 16]).values_list("pk", flat=True)
        ),
        "populations": list(
            PopulationGroup.objects.filter(
                name_es__in=["Personas migrantes en tránsito", "Mujeres migrantes"]
            ).values_list("pk", flat=True)
        ),
        "description": GOOD_ROW["Descripción"],
        "results": GOOD_ROW["Resultados"],
        "challenges": GOOD_ROW["Retos"],
        "start_date": "01/08/2022",
        "end_date": "2023-06-30",
        "budget": "$1,500,000.50",
        "execution": "vigente",
        "links_text": "https://jalisco.gob.mx/migrantes\nhttps://example.org/informe.pdf",
        "figures-TOTAL_FORMS": "3",
        "figures-INITIAL_FORMS": "0",
    }
    for index, values in enumerate(FORM_FIGURES):
        for name, value in zip(
            ("label", "value", "unit", "sex", "age_group", "nationality"), values, strict=True
        ):
            post[f"figures-{index}-{name}"] = value
    program = Program(cycle=open_cycle, section=Program.Section.STATE, state=from_sheet.state)
    form = ReportForm(post, instance=program, user=enlace, section=program.section)
    figures = FigureFormSet(post, instance=program)
    assert form.is_valid(), form.errors
    assert figures.is_valid(), figures.errors
    from_form = form.save()
    figures.instance = from_form
    figures.save()

    assert Revision.snapshot(from_form) == Revision.snapshot(from_sheet)
    assert from_sheet.figures.count() == 3
    assert from_sheet.has_quantitative_results


def test_a_bad_figure_gets_the_forms_message_and_nothing_is_written(cast, open_cycle):
    enlace = cast("enlace_jalisco")
    template = fill(spreadsheet.build_template(enlace, open_cycle), [GOOD_ROW])
    bad = [
        [2, "Personas", -3, "personas", None, None, None],
        [2, "Personas", 5, "kilos", None, None, None],
        [2, "Personas", 5, "personas", None, None, "Narnia"],
        [9, "Personas", 5, "personas", None, None, None],
    ]

    result = spreadsheet.read_upload(io.BytesIO(with_figures(template, bad)), enlace, open_cycle)

    assert result.errors == [
        RowError(2, "Cifras: Valor", "Las cifras no pueden ser negativas."),
        RowError(3, "Cifras: Unidad", "«kilos» no es una unidad de la lista."),
        RowError(4, "Cifras: Nacionalidad", "«Narnia» no es un país de la lista (ISO 3166)."),
        RowError(
            5,
            "Cifras: Fila del reporte",
            "«9» no es una fila de la hoja «Reportes» con un reporte.",
        ),
    ]
    assert result.rows == []


def test_an_older_template_without_figures_still_uploads(cast, open_cycle):
    enlace = cast("enlace_jalisco")
    workbook = openpyxl.load_workbook(
        io.BytesIO(fill(spreadsheet.build_template(enlace, open_cycle), [GOOD_ROW]))
    )
    del workbook["Cifras"]
    out = io.BytesIO()
    workbook.save(out)

    result = spreadsheet.read_upload(io.BytesIO(out.getvalue()), enlace, open_cycle)

    assert result.errors == []
    assert result.rows[0].figures == []
    assert result.rows[0].start_date == dt.date(2022, 8, 1)
