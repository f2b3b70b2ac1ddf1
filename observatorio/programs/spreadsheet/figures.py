"""The «Cifras» sheet: a report's result figures, one per row, validated by the figure form.

Each row names the row of «Reportes» whose report it counts for; unit, sex, age group and
nationality are chosen from lists (the «Listas» sheet), as on the report form, and every
row goes through :class:`~observatorio.programs.forms.FigureForm`, so its rules and
messages are the form's. A workbook without the sheet (an older template) has no figures.
"""

from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatorio.catalog import countries
from observatorio.lib.text import fold
from observatorio.lib.xlsx import blank as _blank

from .. import report
from ..forms import FigureForm
from ..models import ResultFigure
from .cells import RowError
from .columns import SOURCE_LANGUAGE

SHEET_FIGURES = "Cifras"
SHEET_LISTS = "Listas"
ROW = "report_row"
#: The sheet's columns: the report's row, then the figure form's fields.
KEYS = (ROW, *ResultFigure.CONTENT)
WIDTHS = {ROW: 12, "label": 40, "value": 14, "unit": 16, "sex": 14, "age_group": 18}


def header(key: str) -> str:
    if key == ROW:
        return str(gettext_lazy("Fila del reporte"))
    return str(FigureForm.base_fields[key].label)


def header_forms(key: str) -> set[str]:
    with translation.override(SOURCE_LANGUAGE):
        spanish = header(key)
    return {fold(spanish), fold(header(key))}


def lists() -> dict[str, list[tuple[str, str]]]:
    """The pick-lists, as (value, label), in the order of the «Listas» sheet's columns."""
    return {
        "unit": [(value, str(label)) for value, label in report.UNITS],
        "sex": [(value, str(label)) for value, label in ResultFigure.Sex.choices],
        "age_group": [(value, str(label)) for value, label in ResultFigure.AgeGroup.choices],
        "nationality": [(name, name) for name in countries.spanish_names()],
    }


def _lookup() -> dict[str, dict[str, str]]:
    """Folded value or label (Spanish and the active language) → value, per list."""
    found: dict[str, dict[str, str]] = {}
    for language in (SOURCE_LANGUAGE, None):
        with translation.override(language) if language else nullcontext():
            for key, pairs in lists().items():
                table = found.setdefault(key, {})
                for value, label in pairs:
                    table.setdefault(fold(value), value)
                    table.setdefault(fold(label), value)
    return found


def write_sheets(wb, bold, fill, last_row: int) -> None:
    """Add the «Cifras» sheet with its pick-lists and the «Listas» sheet they point at."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    chosen = lists()
    sheet = wb.create_sheet(SHEET_FIGURES, 1)
    for index, key in enumerate(KEYS, start=1):
        cell = sheet.cell(row=1, column=index, value=header(key))
        cell.font = bold
        cell.fill = fill
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 24)
    sheet.freeze_panes = "A2"
    letters = {key: get_column_letter(i) for i, key in enumerate(KEYS, start=1)}

    catalogue = wb.create_sheet(SHEET_LISTS)
    for column, key in enumerate(chosen, start=1):
        letter = get_column_letter(column)
        catalogue.cell(row=1, column=column, value=header(key)).font = bold
        for row, (_value, label) in enumerate(chosen[key], start=2):
            catalogue.cell(row=row, column=column, value=label)
        catalogue.column_dimensions[letter].width = 28
        dv = DataValidation(
            type="list",
            formula1=f"{SHEET_LISTS}!${letter}$2:${letter}${1 + len(chosen[key])}",
            allow_blank=True,
        )
        dv.add(f"{letters[key]}2:{letters[key]}{last_row}")
        sheet.add_data_validation(dv)
    catalogue.protection.sheet = True
    rows = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="2",
        allow_blank=True,
        showInputMessage=True,
        prompt=_("El número de la fila de la hoja «Reportes» cuya cifra es esta."),
    )
    rows.add(f"{letters[ROW]}2:{letters[ROW]}{last_row}")
    sheet.add_data_validation(rows)
    for row in range(2, last_row + 1):
        sheet[f"{letters['value']}{row}"].number_format = "#,##0.##"


def find_sheet(workbook) -> str | None:
    return next((n for n in workbook.sheetnames if fold(n) == fold(SHEET_FIGURES)), None)


def read(rows, report_rows: set[int], errors: list[RowError]) -> dict[int, list[dict]]:
    """The valid figures by report row; problems go to *errors* (sheet, row, column)."""
    first = next(rows, None)
    if first is None or first[0] != 1:
        return {}
    positions = {}
    for index, value in enumerate(first[1]):
        if _blank(value):
            continue
        for key in KEYS:
            if fold(str(value).rstrip("* ")) in header_forms(key):
                positions.setdefault(key, index)
    missing = [header(k) for k in KEYS if k not in positions]
    if missing:
        errors.append(
            RowError(
                None,
                SHEET_FIGURES,
                _("Faltan columnas en la hoja «%(sheet)s»: %(columns)s.")
                % {"sheet": SHEET_FIGURES, "columns": ", ".join(missing)},
            )
        )
        return {}
    lookup = _lookup()
    found: dict[int, list[dict]] = {}
    for number, values in rows:
        cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue

        def error(key: str, message: str, number=number) -> None:
            errors.append(RowError(number, f"{SHEET_FIGURES}: {header(key)}", str(message)))

        target = _row_number(cells[ROW])
        if target is None or target not in report_rows:
            error(
                ROW,
                _("«%(value)s» no es una fila de la hoja «Reportes» con un reporte.")
                % {"value": report.shown("" if _blank(cells[ROW]) else cells[ROW])},
            )
            continue
        data = {key: _text(cells[key]) for key in KEYS if key != ROW}
        if isinstance(cells["value"], int | float | Decimal) and not isinstance(
            cells["value"], bool
        ):
            data["value"] = str(Decimal(str(cells["value"])))
        for key in ("unit", "sex", "age_group", "nationality"):
            data[key] = lookup[key].get(fold(data[key]), data[key]) if data[key] else ""
        data["unit"] = data["unit"] or ResultFigure._meta.get_field("unit").default
        data["sex"] = data["sex"] or ResultFigure.Sex.TOTAL
        data["age_group"] = data["age_group"] or ResultFigure.AgeGroup.ALL
        form = FigureForm(data)
        if not form.is_valid():
            for key, messages in form.errors.items():
                for text in messages:
                    error(key if key in KEYS else "label", text)
            continue
        figures = found.setdefault(target, [])
        if len(figures) >= report.MAX_FIGURES:
            error(ROW, _("Se admiten hasta %(n)s cifras por reporte.") % {"n": report.MAX_FIGURES})
            continue
        figures.append(form.cleaned_data)
    return found


def _row_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 8:
        return int(value.strip())
    return None


def _text(value) -> str:
    return "" if _blank(value) else str(value).strip()
