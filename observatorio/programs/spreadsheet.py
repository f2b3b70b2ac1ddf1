"""The homogeneous report as a spreadsheet: the XLSX template and the upload of a filled one.

Three plain functions, no views:

- ``build_template(user, cycle) -> bytes``: a workbook for the user's scope (an enlace's
  state, a reporter's institution) with pick-lists that point at catalogue sheets.
- ``read_upload(file, user, cycle) -> UploadResult``: read a filled workbook, validate every
  row and collect every problem as (row, column, Spanish message). Nothing is written.
- ``commit(result, user, cycle) -> list[Program]``: create the draft reports of a valid
  result in one transaction, with a revision each.

Row numbers are the spreadsheet's own (the header is row 1), so a message points at the cell
the person has to fix. Whether a row may be created is asked of ``permissions.can`` with the
unsaved program, the same rule the report form obeys.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatorio.accounts.models import Role, Scope
from observatorio.catalog.models import (
    GcmObjective,
    Institution,
    InstitutionAlias,
    PopulationGroup,
    State,
    StateAlias,
)
from observatorio.lib.policy import Decision, deny
from observatorio.lib.text import fold, squash

from . import derived, permissions
from .forms import MAX_LINKS, MAX_TEXT, MAX_TITLE
from .models import BlockStatus, Program, ReportingCycle, Revision

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
# A 5 MB archive of text can inflate a lot; past this it is a zip bomb, not a report.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
PREFILLED_ROWS = 100
MAX_BUDGET = Decimal(10) ** 14
SOURCE_LANGUAGE = "es-mx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_REPORTS = "Reportes"
SHEET_INSTRUCTIONS = "Instrucciones"
SHEET_OBJECTIVES = "Objetivos"
SHEET_STATES = "Entidades"
SHEET_INSTITUTIONS = "Instituciones"
SHEET_POPULATIONS = "Poblaciones"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
YES = {"si", "yes", "true", "verdadero", "1", "x"}
NO = {"no", "false", "falso", "0"}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_NUMBERS = re.compile(r"[,;\s]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\b")
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # lazy: translated when the workbook is built or an error is shown
    width: int
    help: str = ""
    required: bool = False


COLUMNS = {
    c.key: c
    for c in (
        Column(
            "title",
            gettext_lazy("Título"),
            40,
            gettext_lazy("Nombre del programa o acción, sin siglas de la institución."),
            required=True,
        ),
        Column(
            "objective",
            gettext_lazy("Objetivo principal"),
            32,
            gettext_lazy("Elija el objetivo del Pacto Mundial de la lista."),
            required=True,
        ),
        Column(
            "secondary",
            gettext_lazy("Objetivos secundarios"),
            18,
            gettext_lazy("Números de objetivo separados por comas, por ejemplo: 2, 15."),
        ),
        Column(
            "state",
            gettext_lazy("Entidad federativa"),
            22,
            gettext_lazy("Su entidad federativa."),
        ),
        Column(
            "institution",
            gettext_lazy("Institución"),
            18,
            gettext_lazy("Siglas de su institución."),
        ),
        Column(
            "populations",
            gettext_lazy("Grupos de población"),
            40,
            gettext_lazy("Nombres de la hoja «Poblaciones» separados por punto y coma (;)."),
        ),
        Column(
            "description",
            gettext_lazy("Descripción"),
            60,
            gettext_lazy("Qué es, a quién atiende y cómo opera."),
            required=True,
        ),
        Column(
            "results",
            gettext_lazy("Resultados"),
            50,
            gettext_lazy("Resultados en el periodo del ciclo."),
        ),
        Column("challenges", gettext_lazy("Retos"), 40, gettext_lazy("Retos que enfrentó.")),
        Column(
            "no_challenges",
            gettext_lazy("Sin retos"),
            10,
            gettext_lazy("«Sí» solo si no hubo retos; entonces deje vacía la columna Retos."),
        ),
        Column(
            "start_date",
            gettext_lazy("Fecha de inicio"),
            14,
            gettext_lazy("Fecha con formato dd/mm/aaaa."),
        ),
        Column(
            "end_date",
            gettext_lazy("Fecha de término"),
            14,
            gettext_lazy("Fecha con formato dd/mm/aaaa; vacía si el programa es permanente."),
        ),
        Column(
            "permanent",
            gettext_lazy("Permanente"),
            12,
            gettext_lazy("«Sí» si el programa no tiene fecha de término."),
        ),
        Column(
            "budget",
            gettext_lazy("Presupuesto (MXN)"),
            16,
            gettext_lazy("Número en pesos mexicanos, sin signo; vacío si no se conoce."),
        ),
        Column(
            "execution",
            gettext_lazy("Situación"),
            14,
            gettext_lazy("Vigente, concluido o suspendido."),
        ),
        Column(
            "links",
            gettext_lazy("Enlaces"),
            40,
            gettext_lazy("Direcciones web (https://…) separadas por espacios."),
        ),
    )
}
STATE_KEYS = [k for k in COLUMNS if k != "institution"]
FEDERAL_KEYS = [k for k in COLUMNS if k != "state"]


def column_keys(section: str) -> list[str]:
    """The template's columns, in order, for the state or the federal part."""
    return STATE_KEYS if section == Program.Section.STATE else FEDERAL_KEYS


def _header_forms(key: str) -> set[str]:
    """The folded header of a column in Spanish and in the active language."""
    header = COLUMNS[key].header
    with translation.override(SOURCE_LANGUAGE):
        spanish = str(header)
    return {fold(spanish.rstrip("* ")), fold(str(header).rstrip("* "))}


# --- who uploads -------------------------------------------------------------


@dataclass(frozen=True)
class ReportingScope:
    """The part a user reports in and the states or institutions they speak for."""

    section: str
    states: tuple[State, ...] = ()
    institutions: tuple[Institution, ...] = ()

    @property
    def owner_key(self) -> str:
        return "state" if self.section == Program.Section.STATE else "institution"

    @property
    def default_owner(self) -> State | Institution | None:
        owners = self.states or self.institutions
        return owners[0] if len(owners) == 1 else None

    def owner_label(self, owner) -> str:
        return owner.name if isinstance(owner, State) else owner.acronym


def reporting_scope(user) -> ReportingScope | None:
    """An enlace reports their state's programs; a reporter their institution's (as the form)."""
    scope = Scope.of(user)
    states = scope.states_for(Role.LIAISON)
    if states:
        return ReportingScope(
            Program.Section.STATE, states=tuple(State.objects.filter(pk__in=states))
        )
    institutions = scope.institutions_for(Role.REPORTER)
    if institutions:
        return ReportingScope(
            Program.Section.FEDERAL,
            institutions=tuple(Institution.objects.filter(pk__in=institutions)),
        )
    return None


def may_upload(user, cycle: ReportingCycle) -> Decision:
    """Whether *user* may create reports in *cycle* at all (asks the policy with a probe)."""
    if not getattr(user, "is_authenticated", False):
        return deny(_("Inicie sesión para continuar."))
    mine = reporting_scope(user)
    if mine is None:
        return deny(_("Su cuenta no reporta por ninguna entidad ni institución."))
    probe = Program(cycle=cycle, section=mine.section)
    if mine.states:
        probe.state = mine.states[0]
    return permissions.can(user, "create", probe)


# --- the template ------------------------------------------------------------


def _objective_label(objective: GcmObjective) -> str:
    return f"{objective.number}. {objective.short or objective.title}"


def _yes_no() -> tuple[str, str]:
    return _("Sí"), _("No")


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

    yes, no = _yes_no()
    execution = ",".join(str(label) for label in Program.Execution.labels)
    validation("title", type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TITLE))
    validation(
        "objective", type="list", formula1=f"{SHEET_OBJECTIVES}!$A$2:$A${1 + len(objectives)}"
    )
    validation("secondary")
    if mine.section == Program.Section.STATE:
        validation("state", type="list", formula1=f"{SHEET_STATES}!$A$2:$A${1 + len(states)}")
    else:
        validation(
            "institution",
            type="list",
            formula1=f"{SHEET_INSTITUTIONS}!$A$2:$A${1 + len(institutions)}",
        )
    validation("populations")
    for key in ("description", "results", "challenges", "links"):
        validation(key)
    validation("no_challenges", type="list", formula1=f'"{yes},{no}"')
    validation("permanent", type="list", formula1=f'"{yes},{no}"')
    for key in ("start_date", "end_date"):
        validation(
            key,
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2100,12,31)",
        )
    validation("budget", type="decimal", operator="greaterThanOrEqual", formula1="0")
    validation("execution", type="list", formula1=f'"{execution}"')

    _instructions_sheet(wb.create_sheet(SHEET_INSTRUCTIONS), mine, cycle, keys, wrap, bold)

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
                "5. Los grupos de población se escriben como en la hoja «Poblaciones», "
                "separados por punto y coma (;)."
            ),
            False,
        ),
        (_("6. Las fechas van con formato dd/mm/aaaa; el presupuesto, como número."), False),
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


# --- reading an upload -------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (None for the whole file), the column and why."""

    row: int | None
    column: str
    message: str


@dataclass
class ParsedRow:
    """A valid row, ready to become a draft report."""

    row: int
    title: str
    objective: GcmObjective
    secondary: list[GcmObjective] = field(default_factory=list)
    state: State | None = None
    institution: Institution | None = None
    populations: list[PopulationGroup] = field(default_factory=list)
    description: str = ""
    results: str = ""
    challenges: str = ""
    no_challenges: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    permanent: bool = False
    budget: Decimal | None = None
    execution: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class UploadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]


class _Refused(Exception):
    """The whole file is refused, with a Spanish message."""


def _read_bytes(file) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _Refused(_too_big(size))
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _Refused(_too_big(size or len(data)))
    if not data:
        raise _Refused(_("El archivo está vacío."))
    return data


def _too_big(size: int) -> str:
    return _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.") % {
        "size": f"{size / (1024 * 1024):.1f}",
        "max": MAX_BYTES // (1024 * 1024),
    }


def _open_workbook(data: bytes):
    """Open *data* as an XLSX workbook or refuse it saying what it is."""
    from openpyxl import load_workbook

    not_xlsx = _(
        "El archivo no es una hoja de cálculo XLSX. Descargue la plantilla, llénela y "
        "guárdela como libro de Excel (.xlsx)."
    )
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise _Refused(
                _(
                    "El archivo está protegido con contraseña. Quite la contraseña, "
                    "guárdelo como .xlsx y súbalo de nuevo."
                )
            )
        raise _Refused(
            _(
                "El archivo es un libro de Excel 97-2003 (.xls) u otro documento antiguo de "
                "Office. Guárdelo como libro de Excel (.xlsx)."
            )
        )
    if not data.startswith(b"PK"):
        raise _Refused(not_xlsx)
    corrupt = _("El archivo XLSX está dañado y no se pudo leer. Ábralo y guárdelo de nuevo.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Refused(corrupt) from exc
    if "xl/workbook.xml" not in names:
        raise _Refused(not_xlsx)
    if inflated > MAX_UNCOMPRESSED:
        raise _Refused(
            _("El contenido del archivo es demasiado grande; divídalo en varios archivos.")
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of an untrusted file means "damaged"
        raise _Refused(corrupt) from exc


def _reports_sheet(workbook):
    for name in workbook.sheetnames:
        if fold(name) == fold(SHEET_REPORTS):
            return workbook[name]
    if len(workbook.sheetnames) == 1:
        return workbook[workbook.sheetnames[0]]
    raise _Refused(
        _("El archivo no tiene la hoja «%(sheet)s» de la plantilla.") % {"sheet": SHEET_REPORTS}
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Catalogue:
    """The catalogues, loaded once per upload, keyed by folded names."""

    def __init__(self):
        self.objectives = {o.number: o for o in GcmObjective.objects.all()}
        self.states: dict[str, State] = {}
        for state in State.objects.all():
            self.states[fold(state.name)] = state
            self.states[fold(state.official_name)] = state
            self.states[state.inegi_code] = state
        for alias in StateAlias.objects.select_related("state"):
            self.states.setdefault(alias.folded, alias.state)
        self.institutions: dict[str, Institution] = {}
        for institution in Institution.objects.all():
            self.institutions[fold(institution.acronym)] = institution
            self.institutions.setdefault(fold(institution.name), institution)
        for alias in InstitutionAlias.objects.select_related("institution"):
            self.institutions.setdefault(alias.folded, alias.institution)
        self.populations: dict[str, PopulationGroup] = {}
        for group in PopulationGroup.objects.all():
            for name in (group.name_es, group.name_en, group.code):
                if name:
                    self.populations.setdefault(fold(name), group)


class _RowReader:
    """Validate one row's cells, collecting every error instead of stopping at the first."""

    def __init__(self, number: int, values: dict, header: dict[str, str]):
        self.number = number
        self.values = values
        self.header = header
        self.errors: list[RowError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.header[key], str(message)))

    def raw(self, key: str):
        return self.values.get(key)

    def text(self, key: str, limit: int, *, one_line: bool = False) -> str:
        value = self.raw(key)
        if _blank(value):
            text = ""
        elif isinstance(value, dt.datetime | dt.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = str(value).strip()
        if one_line:
            text = squash(text)
        if COLUMNS[key].required and not text:
            self.error(key, _("Este dato es obligatorio."))
        if len(text) > limit:
            self.error(
                key,
                _("El texto admite hasta %(n)s caracteres y tiene %(len)s.")
                % {"n": limit, "len": len(text)},
            )
        return text

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        folded = fold(str(value))
        if folded in YES:
            return True
        if folded in NO:
            return False
        yes, no = _yes_no()
        self.error(
            key,
            _("«%(value)s» no es una respuesta válida; escriba «%(yes)s» o «%(no)s».")
            % {"value": _shown(value), "yes": yes, "no": no},
        )
        return False

    def date(self, key: str) -> dt.date | None:
        value = self.raw(key)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            for pattern in DATE_FORMATS:
                try:
                    return dt.datetime.strptime(value.strip(), pattern).date()
                except ValueError:
                    continue
        self.error(
            key,
            _("«%(value)s» no es una fecha; escriba una fecha con formato dd/mm/aaaa.")
            % {"value": _shown(value)},
        )
        return None

    def budget(self, key: str) -> Decimal | None:
        value = self.raw(key)
        if _blank(value):
            return None
        amount = None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            amount = Decimal(str(value))
        elif isinstance(value, str):
            cleaned = re.sub(r"[\s,$]|MXN", "", value, flags=re.IGNORECASE)
            try:
                amount = Decimal(cleaned)
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite():
            self.error(
                key,
                _("«%(value)s» no es un número; escriba el monto en pesos, por ejemplo 150000.")
                % {"value": _shown(value)},
            )
            return None
        if amount < 0:
            self.error(key, _("El presupuesto no puede ser negativo."))
            return None
        if amount >= MAX_BUDGET:
            self.error(key, _("El presupuesto es demasiado grande."))
            return None
        return amount.quantize(Decimal("0.01"))


def _shown(value) -> str:
    """A cell value as it is quoted back in a message (short)."""
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _objective_number(value) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    match = _LEADING_NUMBER.match(str(value))
    return int(match.group(1)) if match else None


class _Cells(_RowReader):
    """The catalogue-backed cells of a row: objectives, populations, owner and friends."""

    def __init__(self, number: int, values: dict, header: dict[str, str], catalogue: _Catalogue):
        super().__init__(number, values, header)
        self.catalogue = catalogue

    def objective(self, key: str) -> GcmObjective | None:
        raw = self.raw(key)
        if _blank(raw):
            self.error(key, _("Este dato es obligatorio."))
            return None
        number = _objective_number(raw)
        objective = self.catalogue.objectives.get(number) if number is not None else None
        if objective is None and isinstance(raw, str):
            objective = GcmObjective.resolve(raw)
        if objective is None:
            self.error(
                key,
                _("«%(value)s» no es un objetivo del Pacto Mundial; elija uno del 1 al 23.")
                % {"value": _shown(raw)},
            )
        return objective

    def secondary(self, key: str, primary: GcmObjective | None) -> list[GcmObjective]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        found: list[GcmObjective] = []
        pieces = [raw] if isinstance(raw, int | float) else _NUMBERS.split(str(raw).strip())
        for piece in pieces:
            if piece == "":
                continue
            number = _objective_number(piece)
            objective = self.catalogue.objectives.get(number) if number is not None else None
            if objective is None:
                self.error(
                    key,
                    _("«%(value)s» no es un número de objetivo del 1 al 23.")
                    % {"value": _shown(piece)},
                )
            elif objective == primary:
                self.error(key, _("El objetivo principal no se repite entre los secundarios."))
            elif objective not in found:
                found.append(objective)
        return found

    def populations(self, key: str) -> list[PopulationGroup]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        found: list[PopulationGroup] = []
        for name in str(raw).split(";"):
            if not name.strip():
                continue
            group = self.catalogue.populations.get(fold(name))
            if group is None:
                self.error(
                    key,
                    _("«%(value)s» no es un grupo de población del catálogo (hoja «%(sheet)s»).")
                    % {"value": _shown(name), "sheet": SHEET_POPULATIONS},
                )
            elif group not in found:
                found.append(group)
        return found

    def execution(self, key: str) -> str:
        raw = self.raw(key)
        if _blank(raw):
            return ""
        options = {fold(value): value for value in Program.Execution.values}
        for value, label in Program.Execution.choices:
            options[fold(str(label))] = value
        with translation.override(SOURCE_LANGUAGE):
            for value, label in Program.Execution.choices:
                options[fold(str(label))] = value
        execution = options.get(fold(str(raw)), "")
        if not execution:
            self.error(
                key,
                _("«%(value)s» no es una situación válida; escriba %(options)s.")
                % {
                    "value": _shown(raw),
                    "options": ", ".join(f"«{label}»" for label in Program.Execution.labels),
                },
            )
        return execution

    def links(self, key: str) -> list[str]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        links = str(raw).split()
        if len(links) > MAX_LINKS:
            self.error(key, _("Se admiten hasta %(n)s enlaces.") % {"n": MAX_LINKS})
        for link in links:
            try:
                _validate_url(link)
            except ValidationError:
                self.error(
                    key,
                    _("«%(link)s» no es una dirección web válida (https://…).")
                    % {"link": _shown(link)},
                )
        return links

    def owner(self, mine: ReportingScope) -> State | Institution | None:
        """The row's state or institution; a blank cell means the user's only one."""
        key = mine.owner_key
        raw = self.raw(key)
        if _blank(raw):
            if mine.default_owner is None:
                self.error(key, _("Este dato es obligatorio."))
            return mine.default_owner
        if key == "state":
            owner = self.catalogue.states.get(fold(str(raw)))
            unknown = _("«%(value)s» no es una entidad federativa del catálogo.")
        else:
            owner = self.catalogue.institutions.get(fold(str(raw)))
            unknown = _("«%(value)s» no es una institución del catálogo.")
        if owner is None:
            self.error(key, unknown % {"value": _shown(raw)})
        return owner


def _parse_row(cells: _Cells, mine: ReportingScope, user, cycle) -> ParsedRow | None:
    """Validate one row; return it ready to create, or None when it has errors."""
    title = cells.text("title", MAX_TITLE, one_line=True)
    description = cells.text("description", MAX_TEXT)
    results = cells.text("results", MAX_TEXT)
    challenges = cells.text("challenges", MAX_TEXT)
    no_challenges = cells.boolean("no_challenges")
    if no_challenges and challenges:
        cells.error("challenges", _("Describa los retos o marque «Sin retos», no ambas cosas."))
    start = cells.date("start_date")
    end = cells.date("end_date")
    permanent = cells.boolean("permanent")
    if start and end and end < start:
        cells.error("end_date", _("La fecha de término es anterior a la de inicio."))
    if permanent and end:
        cells.error("end_date", _("Un programa permanente no tiene fecha de término."))
    budget = cells.budget("budget")
    objective = cells.objective("objective")
    secondary = cells.secondary("secondary", objective)
    populations = cells.populations("populations")
    execution = cells.execution("execution")
    links = cells.links("links")
    owner = cells.owner(mine)
    state = owner if isinstance(owner, State) else None
    institution = owner if isinstance(owner, Institution) else None

    if owner is not None:
        # Ask the one policy with the unsaved program, as the report form does.
        candidate = Program(cycle=cycle, section=mine.section, state=state, title=title)
        decision = permissions.can(user, "create", candidate)
        # The policy cannot see an unsaved program's institutions; the form checks them too.
        if decision and institution is not None and institution not in mine.institutions:
            decision = deny(_("Solo puede reportar programas de su propia institución."))
        if not decision:
            cells.error(mine.owner_key, decision.reason)

    if cells.errors:
        return None
    return ParsedRow(
        row=cells.number,
        title=title,
        objective=objective,
        secondary=secondary,
        state=state,
        institution=institution,
        populations=populations,
        description=description,
        results=results,
        challenges=challenges,
        no_challenges=no_challenges,
        start_date=start,
        end_date=end,
        permanent=permanent,
        budget=budget,
        execution=execution,
        links=links,
    )


def _match_header(header_row: tuple, keys: list[str]) -> dict[str, int]:
    """Map each column key to its index in the file, or refuse naming the missing columns."""
    found: dict[str, int] = {}
    wanted = {key: _header_forms(key) for key in keys}
    for index, value in enumerate(header_row):
        if _blank(value):
            continue
        folded = fold(str(value).rstrip("* "))
        for key, forms in wanted.items():
            if folded in forms:
                if key in found:
                    raise _Refused(
                        _("La columna «%(column)s» aparece dos veces en el encabezado.")
                        % {"column": COLUMNS[key].header}
                    )
                found[key] = index
    missing = [str(COLUMNS[key].header) for key in keys if key not in found]
    if missing:
        raise _Refused(
            _(
                "El encabezado no coincide con la plantilla. Faltan las columnas: %(columns)s. "
                "Descargue la plantilla y copie sus filas en ella."
            )
            % {"columns": ", ".join(missing)}
        )
    return found


def _duplicate_keys(user, cycle, mine: ReportingScope) -> dict[tuple, int]:
    """The reports already in *cycle* for the user's scope, keyed like uploaded rows."""
    existing = Program.objects.filter(cycle=cycle, section=mine.section).exclude(
        status=Program.Status.WITHDRAWN
    )
    if mine.section == Program.Section.STATE:
        existing = existing.filter(state__in=mine.states)
        return {(p.objective_id, p.state_id, fold(p.title)): p.pk for p in existing}
    keys = {}
    for p in existing.filter(institutions__in=mine.institutions).prefetch_related("institutions"):
        for institution in p.institutions.all():
            keys[(p.objective_id, institution.pk, fold(p.title))] = p.pk
    return keys


def read_upload(file, user, cycle: ReportingCycle) -> UploadResult:
    """Read and validate a filled template; never writes to the database."""
    result = UploadResult()
    decision = may_upload(user, cycle)
    if not decision:
        result.errors.append(RowError(None, "", decision.reason))
        return result
    mine = reporting_scope(user)
    try:
        workbook = _open_workbook(_read_bytes(file))
        try:
            _read_rows(workbook, user, cycle, mine, result)
        finally:
            workbook.close()
    except _Refused as refusal:
        result.rows = []
        result.errors = [RowError(None, "", str(refusal))]
    return result


def _read_rows(workbook, user, cycle, mine: ReportingScope, result: UploadResult) -> None:
    sheet = _reports_sheet(workbook)
    # Some programs write wrong sheet dimensions; read what is there instead.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    try:
        first = next(rows)
    except StopIteration:
        first = ()
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML
        raise _Refused(_("El archivo XLSX está dañado y no se pudo leer.")) from exc
    if all(_blank(v) for v in first):
        raise _Refused(_("La hoja «%(sheet)s» está vacía.") % {"sheet": sheet.title})
    keys = column_keys(mine.section)
    positions = _match_header(first, keys)
    header = {key: str(COLUMNS[key].header) for key in keys}
    content_keys = [k for k in keys if k != mine.owner_key]
    catalogue = _Catalogue()
    seen: dict[tuple, int] = {}
    existing = _duplicate_keys(user, cycle, mine)
    count = 0
    try:
        for number, values in enumerate(rows, start=2):
            cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
            # A row with only the pre-filled state or institution is an unused row.
            if all(_blank(cells[k]) for k in content_keys):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _Refused(
                    _(
                        "La hoja tiene más de %(max)s reportes; divídala en varios archivos "
                        "de hasta %(max)s filas."
                    )
                    % {"max": MAX_ROWS}
                )
            reader = _Cells(number, cells, header, catalogue)
            parsed = _parse_row(reader, mine, user, cycle)
            if parsed is not None:
                owner = parsed.state or parsed.institution
                key = (parsed.objective.pk, owner.pk, fold(parsed.title))
                if key in seen:
                    reader.error(
                        "title",
                        _("Repite el reporte de la fila %(row)s (mismo título y objetivo).")
                        % {"row": seen[key]},
                    )
                elif key in existing:
                    reader.error(
                        "title",
                        _(
                            "Ya existe un reporte con este título y objetivo en el ciclo "
                            "(reporte n.º %(pk)s)."
                        )
                        % {"pk": existing[key]},
                    )
                seen.setdefault(key, number)
            result.errors.extend(reader.errors)
            if parsed is not None and not reader.errors:
                result.rows.append(parsed)
    except _Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML surfaces while iterating
        raise _Refused(_("El archivo XLSX está dañado y no se pudo leer.")) from exc
    if count == 0:
        raise _Refused(
            _("La hoja «%(sheet)s» no tiene ningún reporte debajo del encabezado.")
            % {"sheet": sheet.title}
        )
    if result.errors:
        result.rows = []


# --- writing -----------------------------------------------------------------


def commit(result: UploadResult, user, cycle: ReportingCycle) -> list[Program]:
    """Create the draft reports of a valid upload, all of them or none."""
    if result.errors or not result.rows:
        raise ValueError("Only a valid upload with rows can be committed.")
    mine = reporting_scope(user)
    if mine is None:
        raise PermissionDenied(_("Su cuenta no reporta por ninguna entidad ni institución."))
    note = _("importado de hoja de cálculo")
    created = []
    with transaction.atomic():
        for row in result.rows:
            program = Program(
                cycle=cycle,
                section=mine.section,
                objective=row.objective,
                title=row.title,
                state=row.state,
                description=row.description,
                results=row.results,
                challenges=row.challenges,
                challenges_status=BlockStatus.NONE if row.no_challenges else BlockStatus.REPORTED,
                start_date=row.start_date,
                end_date=row.end_date,
                permanent=row.permanent,
                budget=row.budget,
                execution=row.execution,
                links=row.links,
                status=Program.Status.DRAFT,
                created_by=user,
                # The groups in the sheet are a person's choice (even none); the
                # template has no figures, so only the results text can count.
                populations_inferred=False,
                has_quantitative_results=derived.has_quantitative_results(row.results, 0),
            )
            decision = permissions.can(user, "create", program)
            if not decision:
                raise PermissionDenied(decision.reason)
            program.save()
            created.append(program)
        # The relations and first revisions of every new draft, a few statements in all
        # (a row at a time, a 1,000-row sheet took tens of seconds on PostgreSQL). Drafts
        # are not on the portal, so no data version changes (search/signals.py).
        relations = (
            (Program.institutions, lambda row: [row.institution] if row.institution else []),
            (Program.secondary_objectives, lambda row: row.secondary),
            (Program.populations, lambda row: row.populations),
        )
        for descriptor, targets in relations:
            through = descriptor.through
            source = descriptor.field.m2m_field_name() + "_id"
            target = descriptor.field.m2m_reverse_field_name() + "_id"
            through.objects.bulk_create(
                [
                    through(**{source: program.pk, target: item.pk})
                    for program, row in zip(created, result.rows, strict=True)
                    for item in dict.fromkeys(targets(row))
                ]
            )
        loaded = Program.objects.filter(pk__in=[p.pk for p in created]).select_related(
            "objective", "state"
        )
        loaded = loaded.prefetch_related(
            "secondary_objectives", "institutions", "populations", "figures"
        ).in_bulk()
        author = user if getattr(user, "pk", None) else None
        Revision.objects.bulk_create(
            [
                # New drafts: each one's first revision.
                Revision(
                    program=program,
                    number=1,
                    author=author,
                    note=str(note),
                    data=Revision.snapshot(loaded[program.pk]),
                )
                for program in created
            ]
        )
    return created
