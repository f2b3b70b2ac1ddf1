"""Values of one indicator from a CSV or XLSX file: read with bounded work, checked row by
row (errors in Spanish with their line), then written in one transaction.

The columns are the API's rows: ``period``, ``state``, ``sex``, ``age_group``,
``nationality``, ``country_of_birth``, ``population``, ``value``, ``status`` (and, if
present, ``period_label``); their order does not matter, unknown columns are refused. A
dry run (:func:`check`) changes nothing; :func:`import_values` writes everything or nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from observatorio.lib import bulk, xlsx

from . import permissions
from .actions import ValuesRefused
from .actions_values import CELL_FIELDS, Known, clean_cell, clean_number, recompute
from .models import DIMENSION_FIELDS, Indicator, Value, ValueRevision

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNCOMPRESSED = 60 * 1024 * 1024
#: Errors listed at most; a file with more says how many there are.
MAX_ERRORS = 200
COLUMNS = ("period", "state", *DIMENSION_FIELDS, "value", "status")
OPTIONAL = ("period_label",)


@dataclass
class Row:
    line: int
    cell: dict
    value: Decimal
    status: str


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, message))

    @property
    def ok(self) -> bool:
        return not self.error_count


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ValuesRefused(_("El archivo no es un CSV de texto."))
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for number, row in enumerate(reader, 1):
            if any(cell.strip() for cell in row):
                yield number, tuple(row)
    except csv.Error as exc:
        raise ValuesRefused(
            _("El CSV no se pudo leer en la línea %(line)s.") % {"line": reader.line_num}
        ) from exc


def _xlsx_rows(data: bytes):
    if not data.startswith(b"PK"):
        raise ValuesRefused(_("El archivo no es una hoja de cálculo XLSX ni un CSV."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValuesRefused(_("El archivo XLSX está dañado y no se pudo leer.")) from exc
    if inflated > MAX_UNCOMPRESSED:
        raise ValuesRefused(_("El contenido del archivo es demasiado grande; divídalo."))
    limits = xlsx.Limits(
        max_columns=len(COLUMNS) + len(OPTIONAL) + 2,
        max_rows=MAX_ROWS + 1,
        sheet_elements=(MAX_ROWS + 1) * 2 * (len(COLUMNS) + len(OPTIONAL) + 3),
    )
    try:
        with xlsx.Workbook(data) as workbook:
            if not workbook.sheetnames:
                raise ValuesRefused(_("El libro no tiene hojas."))
            for number, values in workbook.rows(workbook.sheetnames[0], limits):
                yield number, tuple(_text(v) for v in values)
    except xlsx.TooManyRows as exc:
        raise _too_many() from exc
    except xlsx.TooLarge as exc:
        raise ValuesRefused(
            _("La hoja tiene demasiadas celdas; divídala en varios archivos.")
        ) from exc
    except xlsx.XlsxError as exc:
        raise ValuesRefused(_("El archivo XLSX está dañado y no se pudo leer.")) from exc


def _too_many() -> ValuesRefused:
    return ValuesRefused(
        _("El archivo tiene más de %(max)s filas de datos; divídalo en varios.")
        % {"max": f"{MAX_ROWS:,}"}
    )


def read(data: bytes, name: str):
    """The rows of the file as (line, {column: text}); refuses what cannot be read."""
    if not data:
        raise ValuesRefused(_("El archivo está vacío."))
    if len(data) > MAX_BYTES:
        raise ValuesRefused(
            _("El archivo pesa más de %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
    rows = _xlsx_rows(data) if name.lower().endswith(".xlsx") else _csv_rows(data)
    header = None
    result = []
    for number, values in rows:
        if header is None:
            header = [_text(v).lower() for v in values]
            while header and not header[-1]:
                header.pop()
            unknown = [h for h in header if h not in COLUMNS + OPTIONAL]
            missing = [c for c in ("period", "value") if c not in header]
            if unknown or missing:
                raise ValuesRefused(
                    _(
                        "La primera fila debe nombrar las columnas %(columns)s. "
                        "Desconocidas: %(unknown)s; faltan: %(missing)s."
                    )
                    % {
                        "columns": ", ".join(COLUMNS),
                        "unknown": ", ".join(u[:30] for u in unknown[:5]) or "—",
                        "missing": ", ".join(missing) or "—",
                    }
                )
            if len(set(header)) != len(header):
                raise ValuesRefused(_("La primera fila repite una columna."))
            continue
        if len(result) >= MAX_ROWS:
            raise _too_many()
        cells = {h: _text(values[i]) if i < len(values) else "" for i, h in enumerate(header)}
        result.append((number, cells))
    if header is None:
        raise ValuesRefused(_("El archivo está vacío."))
    if not result:
        raise ValuesRefused(_("El archivo no tiene filas de datos debajo de los encabezados."))
    return result


def _key(cell: dict) -> tuple:
    return tuple(cell[f] for f in CELL_FIELDS)


def check(by, indicator: Indicator, data: bytes, name: str) -> Checked:
    """The dry run: every row checked against the indicator and the user's scope."""
    decision = permissions.can(by, "submit", indicator)
    if not decision:
        raise ValuesRefused(decision.reason)
    if indicator.is_computed or indicator.measure:
        raise ValuesRefused(
            _("«%(code)s» se calcula; sus valores no se importan.") % {"code": indicator.code}
        )
    rows = read(data, name)
    known = Known.load()
    existing = {tuple(getattr(v, f) for f in CELL_FIELDS): v for v in indicator.values.all()}
    allowed_states: dict[str, object] = {}  # the policy, asked once per state
    result = Checked()
    seen: dict[tuple, int] = {}
    for line, cells in rows:
        try:
            cell = clean_cell(
                indicator, {k: v for k, v in cells.items() if k in CELL_FIELDS}, known
            )
            number = clean_number(indicator, cells.get("value", ""))
        except ValuesRefused as refused:
            result.error(line, refused.message)
            continue
        status = cells.get("status", "") or Value.Status.PRELIMINARY
        if status not in Value.Status.values:
            result.error(line, _("El estado del dato debe ser preliminar o definitivo."))
            continue
        key = _key(cell)
        if key in seen:
            result.error(line, _("Repite la celda de la línea %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = line
        state = cell["state"]
        if state not in allowed_states:
            allowed_states[state] = permissions.can(
                by, "submit", Value(indicator=indicator, state=state)
            )
        if not allowed_states[state]:
            result.error(line, allowed_states[state].reason)
            continue
        current = existing.get(key)
        if current is not None and current.review == Value.Review.APPROVED:
            result.error(
                line,
                _("El valor está aprobado: un revisor debe desbloquearlo antes de corregirlo."),
            )
            continue
        if current is None:
            result.new += 1
        elif current.value == number and current.status == status:
            result.unchanged += 1
        else:
            result.changed += 1
        result.rows.append(Row(line, cell, number, status))
    return result


@transaction.atomic
def import_values(by, indicator: Indicator, data: bytes, name: str) -> Checked:
    """Check the file and, when every row is right, write all its values (or none)."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    checked = check(by, indicator, data, name)
    if not checked.ok:
        raise ValuesRefused(
            _("El archivo tiene %(n)s errores; corríjalos y súbalo de nuevo.")
            % {"n": checked.error_count}
        )
    existing = {
        tuple(getattr(v, f) for f in CELL_FIELDS): v for v in indicator.values.select_for_update()
    }
    created, updated, revisions = [], [], []
    for row in checked.rows:
        current = existing.get(_key(row.cell))
        if current is not None and (current.value, current.status) == (row.value, row.status):
            continue
        previous = current.value if current is not None else None
        target = current or Value(indicator=indicator, **row.cell)
        target.value, target.status = row.value, row.status
        target.review, target.origin = Value.Review.DRAFT, Value.Origin.FILE
        target.source_lines = str(row.line)
        (updated if current is not None else created).append(target)
        revisions.append((target, previous))
    # Tens of thousands of rows: the driver's executemany (lib/bulk.py), then the new
    # values' keys read back by their cells (the indicator is locked above).
    bulk.insert(Value, created)
    bulk.update(Value, updated, ["value", "status", "review", "origin", "source_lines"])
    if created:
        keys = {
            tuple(row[1:]): row[0]
            for row in indicator.values.values_list("pk", *CELL_FIELDS).iterator(chunk_size=5000)
        }
        for value in created:
            value.pk = keys[tuple(getattr(value, f) for f in CELL_FIELDS)]
    bulk.insert(
        ValueRevision,
        (
            ValueRevision(
                value=target,
                by=by,
                action=ValueRevision.Action.IMPORTED,
                previous=previous,
                new=target.value,
                review=target.review,
                comment=_("Línea %(line)s del archivo %(name)s")
                % {"line": target.source_lines, "name": name[:100]},
            )
            for target, previous in revisions
        ),
    )
    recompute(by, indicator, [target for target, _previous in revisions])
    return checked
