"""The XLSX template: the «Reportes» sheet with pick-lists, instructions and catalogue sheets."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, State
from observatorio.lib.text import fold

from ..models import Program, ReportingCycle
from ..report import MAX_TITLE
from . import figures
from .columns import (
    BLANK_RUN,
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    PREFILLED_ROWS,
    SHEET_INSTITUTIONS,
    SHEET_INSTRUCTIONS,
    SHEET_OBJECTIVES,
    SHEET_POPULATIONS,
    SHEET_REPORTS,
    SHEET_STATES,
    column_keys,
    yes_no,
)
from .scope import ReportingScope, may_upload, reporting_scope


def _objective_label(objective: GcmObjective) -> str:
    return f"{objective.number}. {objective.short or objective.title}"


def build_template(user, cycle: ReportingCycle) -> bytes:
    """Return the XLSX template for *user*'s scope in *cycle*."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    decision = may_upload(user, cycle)
    if not decision:
        raise PermissionDenied(decision.reason)
    mine = reporting_scope(user)
    keys = column_keys(mine.section)
    objectives = list(GcmObjective.objects.order_by("number"))
    states = list(State.objects.order_by("name"))
    institutions = list(
        Institution.objects.filter(order=Institution.Order.FEDERAL).order_by("acronym")
    )
    populations = sorted(PopulationGroup.objects.all(), key=lambda p: fold(p.name))
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    fixed_fill = PatternFill("solid", fgColor="EEEEEE")
    wrap = Alignment(wrap_text=True, vertical="top")
    last = MAX_ROWS + 1

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_REPORTS
    for index, key in enumerate(keys, start=1):
        column = COLUMNS[key]
        cell = ws.cell(row=1, column=index, value=str(column.header))
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    letter = {key: get_column_letter(i) for i, key in enumerate(keys, start=1)}

    def rows(key: str) -> str:
        return f"{letter[key]}2:{letter[key]}{last}"

    # The reporter's own state or institution, already filled in.
    owner = mine.default_owner
    if owner is not None:
        owner_column = keys.index(mine.owner_key) + 1
        for row in range(2, PREFILLED_ROWS + 2):
            cell = ws.cell(row=row, column=owner_column, value=mine.owner_label(owner))
            cell.fill = fixed_fill
    for key in ("start_date", "end_date"):
        for row in range(2, last + 1):
            ws[f"{letter[key]}{row}"].number_format = "DD/MM/YYYY"
    for key in ("budget",):
        for row in range(2, last + 1):
            ws[f"{letter[key]}{row}"].number_format = "#,##0.00"

    def validation(key: str, **kwargs) -> None:
        column = COLUMNS[key]
        dv = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=str(column.header)[:32],
            prompt=str(column.help)[:255],
            **kwargs,
        )
        if kwargs.get("type"):
            dv.showErrorMessage = True
            dv.errorTitle = _("Valor no válido")[:32]
            dv.error = str(column.help)[:255]
        dv.add(rows(key))
        ws.add_data_validation(dv)

    yes, no = yes_no()
    execution = ",".join(str(label) for label in Program.Execution.labels)
    validation("title", type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TITLE))
    validation(
        "objective", type="list", formula1=f"{SHEET_OBJECTIVES}!$A$2:$A${1 + len(objectives)}"
    )
    validation("secondary_objectives")
    if mine.section == Program.Section.STATE:
        validation("state", type="list", formula1=f"{SHEET_STATES}!$A$2:$A${1 + len(states)}")
    else:
        validation(
            "institutions",
            type="list",
            formula1=f"{SHEET_INSTITUTIONS}!$A$2:$A${1 + len(institutions)}",
        )
    validation("populations")
    for key in ("description", "results", "challenges", "links"):
        validation(key)
    validation("challenges_none", type="list", formula1=f'"{yes},{no}"')
    validation("permanent", type="list", formula1=f'"{yes},{no}"')
    for key in ("start_date", "end_date"):
        validation(
            key,
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2100,12,31)",
        )
    # No numeric restriction: «$1,500,000.50» or «1 500 000» typed as text is read as the form
    # reads it.
    validation("budget")
    validation("execution", type="list", formula1=f'"{execution}"')

    figures.write_sheets(wb, bold, header_fill, last)
    _instructions_sheet(wb.create_sheet(SHEET_INSTRUCTIONS, 2), mine, cycle, keys, wrap, bold)

    def catalogue(title: str, headers: list[str], values: list[tuple], widths: list[int]) -> None:
        sheet = wb.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = header_fill
        for row in values:
            sheet.append(list(row))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        # Read-only reference lists (no password: this only prevents accidental edits).
        sheet.protection.sheet = True

    catalogue(
        SHEET_OBJECTIVES,
        [_("Objetivo"), _("Número"), _("Título completo")],
        [(_objective_label(o), o.number, o.title) for o in objectives],
        [34, 9, 100],
    )
    catalogue(
        SHEET_STATES,
        [_("Entidad federativa"), _("Clave INEGI"), _("Nombre oficial")],
        [(s.name, s.inegi_code, s.official_name) for s in states],
        [24, 12, 50],
    )
    catalogue(
        SHEET_INSTITUTIONS,
        [_("Siglas"), _("Nombre")],
        [(i.acronym, i.name) for i in institutions],
        [16, 90],
    )
    catalogue(
        SHEET_POPULATIONS,
        [_("Grupo de población"), _("Descripción")],
        [(p.name, p.description_es) for p in populations],
        [60, 100],
    )
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions_sheet(sheet, mine: ReportingScope, cycle, keys, wrap, bold) -> None:
    owners = ", ".join(mine.owner_label(o) for o in (mine.states or mine.institutions))
    part = _("parte estatal") if mine.section == Program.Section.STATE else _("parte federal")
    lines = [
        (_("Plantilla de reportes del Pacto Mundial para la Migración"), True),
        (
            _("Ciclo: %(cycle)s (periodo del %(start)s al %(end)s).")
            % {
                "cycle": cycle.name,
                "start": cycle.period_start.strftime("%d/%m/%Y"),
                "end": cycle.period_end.strftime("%d/%m/%Y"),
            },
            False,
        ),
        (_("Reporta: %(owners)s (%(part)s).") % {"owners": owners, "part": part}, False),
        ("", False),
        (_("Cómo llenarla"), True),
        (
            _("1. Escriba un programa o acción por fila en la hoja «Reportes», desde la fila 2."),
            False,
        ),
        (_("2. No cambie ni borre los encabezados de la fila 1."), False),
        (
            _("3. Las columnas Título, Objetivo principal y Descripción son obligatorias."),
            False,
        ),
        (
            _("4. Elija de las listas el objetivo, la situación y las respuestas Sí/No."),
            False,
        ),
        (
            _(
                "5. Donde una celda lleva varios valores (objetivos secundarios, grupos de "
                "población como en la hoja «Poblaciones», enlaces) se separan con punto y "
                "coma (;)."
            ),
            False,
        ),
        (
            _("6. Las fechas van con formato dd/mm/aaaa; el presupuesto, en pesos (1,500,000.50)."),
            False,
        ),
        (
            _(
                "7. Solo puede reportar programas de su propia entidad o institución; "
                "las filas de otras se rechazan."
            ),
            False,
        ),
        (
            _(
                "8. Suba el archivo en formato .xlsx (hasta %(mb)s MB y %(rows)s reportes). "
                "Si alguna fila tiene errores no se guarda nada: corríjalos y súbalo de nuevo."
            )
            % {"mb": MAX_BYTES // (1024 * 1024), "rows": MAX_ROWS},
            False,
        ),
        (
            _("9. Los reportes se crean como borradores; revíselos y envíelos desde el sitio."),
            False,
        ),
        (
            _(
                "10. Escriba los reportes sin dejar %(n)s filas vacías seguidas: la lectura "
                "termina ahí y lo que esté debajo no se lee."
            )
            % {"n": BLANK_RUN},
            False,
        ),
        (
            _(
                "11. Las cifras de resultados van en la hoja «Cifras», una por fila: el número "
                "de la fila de «Reportes» a que pertenece, qué se cuenta, el valor y, de las "
                "listas, la unidad, el sexo, el grupo de edad y la nacionalidad."
            ),
            False,
        ),
        ("", False),
        (_("Columnas"), True),
    ]
    for key in keys:
        column = COLUMNS[key]
        mark = " *" if column.required else ""
        lines.append((f"{column.header}{mark}: {column.help}", False))
    sheet.column_dimensions["A"].width = 110
    for row, (text, strong) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = wrap
        if strong:
            cell.font = bold
