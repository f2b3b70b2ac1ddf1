"""The report is declared once (programs/report.py): every way of writing it follows.

The web form, the spreadsheet's columns, the API's input, the revisions, the history and
the pre-fill list exactly the declared fields, and the same bad value gets the same
Spanish message through the form, a spreadsheet row and the API.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from observatorio.api import serializers
from observatorio.api.writing import CONTENT_FIELDS
from observatorio.catalog.models import State
from observatorio.programs import forms, history, report, spreadsheet
from observatorio.programs.models import REVISION_FIELDS, Program, Revision
from observatorio.programs.spreadsheet import RowError
from observatorio.programs.tests.test_report_pages import form_data
from observatorio.programs.tests.test_spreadsheet import GOOD_ROW, fill
from observatorio.published.representation import programs_as_dicts

from .test_programs_write import URL, state_report

DECLARED = [field.name for field in report.FIELDS]


def declared(**where) -> list[str]:
    return [f.name for f in report.FIELDS if all(getattr(f, k) == v for k, v in where.items())]


# --- one list of fields ---------------------------------------------------------------


def test_the_form_has_exactly_the_declared_fields_with_their_labels(db):
    form = forms.ReportForm(user=None, section=Program.Section.FEDERAL)

    names = [name for name in form.fields if name != "version"]
    assert sorted(names) == sorted(report.BY_NAME[n].form_key for n in declared(form=True))
    for name in declared(form=True):
        field = report.BY_NAME[name]
        assert form.fields[field.form_key].label == field.label
        assert form.fields[field.form_key].required == field.required


def test_a_state_report_form_has_no_institutions(db):
    form = forms.ReportForm(user=None, section=Program.Section.STATE)
    assert "institutions" not in form.fields
    assert "title" in form.fields


def test_the_spreadsheet_columns_are_the_declared_ones_in_order():
    assert list(spreadsheet.COLUMNS) == declared(column=True)
    assert spreadsheet.STATE_KEYS == [n for n in declared(column=True) if n != "institutions"]
    assert spreadsheet.FEDERAL_KEYS == [n for n in declared(column=True) if n != "state"]
    for name, column in spreadsheet.COLUMNS.items():
        assert column.header == report.BY_NAME[name].header


def test_the_api_writes_exactly_the_declared_fields():
    content = serializers.ReportContentSerializer().fields
    assert list(content) == declared(api=True)
    assert set(serializers.ProgramCreateSerializer().fields) - set(content) == {
        "cycle",
        "section",
        "state",
    }
    assert set(serializers.ProgramUpdateSerializer().fields) - set(content) == {"version"}
    assert list(CONTENT_FIELDS) == [n for n in declared(api=True) if n != "figures"]


def test_the_api_and_the_representation_show_every_declared_field(client_for, open_cycle):
    response = client_for("enlace_jalisco").post(URL, state_report(), format="json")
    assert response.status_code == 201, response.content
    (shown,) = programs_as_dicts([response.json()["id"]])

    assert set(DECLARED) <= set(shown)
    assert list(shown) == serializers.ProgramSerializer.Meta.fields


def test_revisions_snapshot_and_label_exactly_the_declared_fields(client_for, open_cycle):
    response = client_for("enlace_jalisco").post(URL, state_report(), format="json")
    program = Program.objects.get(pk=response.json()["id"])

    expected = [report.BY_NAME[n].snapshot_key for n in declared(revised=True)]
    assert list(REVISION_FIELDS) == expected
    assert list(Revision.snapshot(program)) == expected
    assert list(history.LABELS) == expected
    assert Revision.snapshot(program)["challenges_status"] == "reportado"


def test_the_prefill_takes_the_declared_fields_and_leaves_the_results(client_for, open_cycle):
    response = client_for("enlace_jalisco").post(URL, state_report(), format="json")
    program = Program.objects.get(pk=response.json()["id"])

    initial = forms.prefill(program)

    assert set(initial) == {report.BY_NAME[n].form_key for n in declared(prefilled=True)}
    assert "results" not in initial and "budget" not in initial
    assert initial["links_text"] == "https://www.gob.mx/migrantes"
    assert [o.number for o in initial["secondary_objectives"]] == [7]


# --- one message per rule -------------------------------------------------------------

LINKS = " ".join(f"https://ejemplo.org/{n}" for n in range(11))

#: (rule's field, form data, spreadsheet cells, API values, the one message)
SAME_MESSAGE = [
    (
        "budget",
        {"budget": "mucho"},
        {"Presupuesto (MXN)": "mucho"},
        {"budget": "mucho"},
        "«mucho» no es un monto; escríbalo en pesos, por ejemplo 1,500,000.50.",
    ),
    (
        "budget",
        {"budget": "-5"},
        {"Presupuesto (MXN)": -5},
        {"budget": "-5"},
        "El presupuesto no puede ser negativo.",
    ),
    (
        "title",
        {"title": ""},
        {"Título": None},
        {"title": ""},
        "Este dato es obligatorio.",
    ),
    (
        "title",
        {"title": "x" * 501},
        {"Título": "x" * 501},
        {"title": "x" * 501},
        "El texto admite hasta 500 caracteres y tiene 501.",
    ),
    (
        "end_date",
        {"permanent": "", "start_date": "2022-05-01", "end_date": "2022-01-01"},
        {
            "Permanente": "No",
            "Fecha de inicio": dt.date(2022, 5, 1),
            "Fecha de término": dt.date(2022, 1, 1),
        },
        {"permanent": False, "start_date": "2022-05-01", "end_date": "2022-01-01"},
        "La fecha de término es anterior a la de inicio.",
    ),
    (
        "end_date",
        {"permanent": "on", "end_date": "2023-01-01"},
        {"Permanente": "Sí"},
        {"permanent": True, "end_date": "2023-01-01"},
        "Un programa permanente no tiene fecha de término.",
    ),
    (
        "secondary_objectives",
        {"secondary_objectives": ["primary"]},
        {"Objetivos secundarios": "7"},
        {"secondary_objectives": [21]},
        "El objetivo principal no se repite entre los secundarios.",
    ),
    (
        "challenges",
        {"challenges_none": "on"},
        {"Sin retos": "Sí"},
        {"challenges_none": True},
        "Describa los retos o marque «No se reportan retos», no ambas cosas.",
    ),
    (
        "links",
        {"links_text": "javascript:alert(1)"},
        {"Enlaces": "javascript:alert(1)"},
        {"links": ["javascript:alert(1)"]},
        "«javascript:alert(1)» no es una dirección web válida (https://…).",
    ),
    (
        "links",
        {"links_text": LINKS.replace(" ", "\n")},
        {"Enlaces": LINKS},
        {"links": LINKS.split()},
        "Se admiten hasta 10 enlaces.",
    ),
]


@pytest.mark.parametrize(("name", "web", "cells", "api", "message"), SAME_MESSAGE)
def test_the_same_bad_value_gets_the_same_message_everywhere(
    cast, client_for, open_cycle, name, web, cells, api, message
):
    enlace = cast("enlace_jalisco")
    declared_field = report.BY_NAME[name]

    # The web form.
    data = form_data(**web)
    if data.get("secondary_objectives") == ["primary"]:
        data["secondary_objectives"] = [data["objective"]]
    state = State.objects.get(inegi_code="14")
    program = Program(cycle=open_cycle, section=Program.Section.STATE, state=state)
    form = forms.ReportForm(data, instance=program, user=enlace, section=program.section)
    assert not form.is_valid()
    assert form.errors[declared_field.form_key] == [message]

    # A spreadsheet row.
    template = spreadsheet.build_template(enlace, open_cycle)
    row = dict(GOOD_ROW, **cells)
    result = spreadsheet.read_upload(io.BytesIO(fill(template, [row])), enlace, open_cycle)
    assert result.errors == [RowError(2, str(declared_field.header), message)]

    # The API.
    response = client_for("enlace_jalisco").post(URL, state_report(**api), format="json")
    assert response.status_code == 400
    assert response.json()[name] == [message]
    assert not Program.objects.exists()


# --- amounts as written in Mexico -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("150000", "150000.00"),
        ("1,500,000", "1500000.00"),
        ("$1,500,000.50", "1500000.50"),
        ("1 500 000", "1500000.00"),
        ("1\u00a0500\u00a0000", "1500000.00"),
        ("$ 2,000 MXN", "2000.00"),
        ("0.5", "0.50"),
    ],
)
def test_an_amount_written_in_mexico_is_read(text, amount):
    assert str(report.parse_amount(text)) == amount


@pytest.mark.parametrize("text", ["1,5", "1.500.000", "1,50,000", "15 00", "$", "1e6", "١٢٣"])
def test_an_amount_that_is_not_one_is_refused_with_the_rules_message(text):
    with pytest.raises(ValidationError) as refused:
        report.parse_amount(text)
    assert refused.value.messages == [report.message("not_an_amount", value=text)]


@pytest.mark.parametrize("text", ["1,500,000", "$1,500,000.50", "1 500 000"])
def test_the_form_the_spreadsheet_and_the_api_take_the_same_amounts(
    cast, client_for, open_cycle, text
):
    enlace = cast("enlace_jalisco")
    expected = report.parse_amount(text)
    state = State.objects.get(inegi_code="14")
    program = Program(cycle=open_cycle, section=Program.Section.STATE, state=state)
    form = forms.ReportForm(
        form_data(budget=text), instance=program, user=enlace, section=program.section
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["budget"] == expected

    template = spreadsheet.build_template(enlace, open_cycle)
    row = dict(GOOD_ROW, **{"Presupuesto (MXN)": text})
    result = spreadsheet.read_upload(io.BytesIO(fill(template, [row])), enlace, open_cycle)
    assert result.errors == []
    assert result.rows[0].budget == expected

    response = client_for("enlace_jalisco").post(URL, state_report(budget=text), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["budget"] == str(expected)


def test_the_history_names_a_change_by_its_declared_label():
    changes = history.diff({"challenges_status": "reportado"}, {"challenges_status": "ninguno"})

    assert [change.label for change in changes] == ["No se reportan retos"]
    assert changes[0].html == "<del>Reportado</del> <ins>Se reportó que no hubo</ins>"
