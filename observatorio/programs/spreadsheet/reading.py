"""Reading an upload: the file, its «Reportes» sheet and header, then row after row.

The workbook is read by ``lib/xlsx.py`` with bounded work: the columns of the template (and a
few more a person may have added), rows until the first run of ``BLANK_RUN`` empty rows, and
no more than ``MAX_ROWS`` reports (``MAX_ROWS + PREFILLED_ROWS`` non-empty rows), so a small
file that inflates into a million empty rows or cells is read in a fraction of a second or
refused. Nothing is written to the database.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

from observatorio.lib import xlsx
from observatorio.lib.text import fold

from ..models import Program, ReportingCycle
from . import figures
from .cells import RowError, UploadResult, _blank, _Catalogue, _Cells, _parse_row
from .columns import (
    BLANK_RUN,
    COLUMNS,
    EXTRA_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    PREFILLED_ROWS,
    SHEET_REPORTS,
    _header_forms,
    column_keys,
)
from .scope import ReportingScope, may_upload, reporting_scope

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


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


def _open_workbook(data: bytes) -> xlsx.Workbook:
    """Open *data* as an XLSX workbook or refuse it saying what it is."""
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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Refused(_corrupt()) from exc
    if xlsx.WORKBOOK not in names:
        raise _Refused(not_xlsx)
    if inflated > MAX_UNCOMPRESSED:
        raise _Refused(
            _("El contenido del archivo es demasiado grande; divídalo en varios archivos.")
        )
    with _refusing(SHEET_REPORTS):
        return xlsx.Workbook(data)


def _corrupt() -> str:
    return _("El archivo XLSX está dañado y no se pudo leer. Ábralo y guárdelo de nuevo.")


@contextmanager
def _refusing(sheet: str):
    """Turn what the reader raises about an untrusted file into a refusal saying why."""
    try:
        yield
    except xlsx.TooManyRows as exc:
        raise _Refused(
            _(
                "La hoja «%(sheet)s» tiene más de %(rows)s filas con datos; divídala en varios "
                "archivos de hasta %(max)s reportes."
            )
            % {"sheet": sheet, "rows": MAX_ROWS + PREFILLED_ROWS, "max": MAX_ROWS}
        ) from exc
    except xlsx.TooLarge as exc:
        if exc.part == "sheet":
            message = _(
                "La hoja «%(sheet)s» tiene demasiadas celdas para una plantilla de reportes. "
                "Copie sus reportes en una plantilla nueva y súbala."
            ) % {"sheet": sheet}
        else:
            message = _(
                "El archivo tiene demasiado contenido para una plantilla de reportes. "
                "Copie sus reportes en una plantilla nueva y súbala."
            )
        raise _Refused(message) from exc
    except Exception as exc:  # noqa: BLE001 - any other failure of an untrusted file: "damaged"
        raise _Refused(_corrupt()) from exc


def _reports_sheet(workbook: xlsx.Workbook) -> str:
    for name in workbook.sheetnames:
        if fold(name) == fold(SHEET_REPORTS):
            return name
    if len(workbook.sheetnames) == 1:
        return workbook.sheetnames[0]
    raise _Refused(
        _("El archivo no tiene la hoja «%(sheet)s» de la plantilla.") % {"sheet": SHEET_REPORTS}
    )


def _sheet_rows(workbook: xlsx.Workbook, sheet: str, width: int) -> Iterator[tuple[int, tuple]]:
    """The non-empty rows of *sheet* up to the first long blank run, as (number, values).

    Only the first *width* columns are read, and no more rows than an upload may hold
    (refused on the next one); the reading's own errors become refusals, the validation's
    do not.
    """
    limits = xlsx.Limits(
        max_columns=width, max_rows=1 + MAX_ROWS + PREFILLED_ROWS, blank_run=BLANK_RUN
    )
    rows = workbook.rows(sheet, limits)
    while True:
        with _refusing(sheet):
            row = next(rows, None)
        if row is None:
            return
        yield row


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
        with _open_workbook(_read_bytes(file)) as workbook:
            _read_rows(workbook, user, cycle, mine, result)
    except _Refused as refusal:
        result.rows = []
        result.errors = [RowError(None, "", str(refusal))]
    return result


def _read_rows(workbook, user, cycle, mine: ReportingScope, result: UploadResult) -> None:
    sheet = _reports_sheet(workbook)
    keys = column_keys(mine.section)
    # The sheet's declared dimension is never read: rows are read until the data ends.
    rows = _sheet_rows(workbook, sheet, len(keys) + EXTRA_COLUMNS)
    first = next(rows, None)
    if first is None or first[0] != 1:
        raise _Refused(_("La hoja «%(sheet)s» está vacía.") % {"sheet": sheet})
    positions = _match_header(first[1], keys)
    header = {key: str(COLUMNS[key].header) for key in keys}
    content_keys = [k for k in keys if k != mine.owner_key]
    catalogue = _Catalogue()
    seen: dict[tuple, int] = {}
    existing = _duplicate_keys(user, cycle, mine)
    count = 0
    content_rows: set[int] = set()
    for number, values in rows:
        cells = {key: values[i] for key, i in positions.items()}
        # A row with only the pre-filled state or institution is an unused row.
        if all(_blank(cells[k]) for k in content_keys):
            continue
        count += 1
        content_rows.add(number)
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
    if count == 0:
        raise _Refused(
            _("La hoja «%(sheet)s» no tiene ningún reporte debajo del encabezado.")
            % {"sheet": sheet}
        )
    figures_sheet = figures.find_sheet(workbook)
    if figures_sheet is not None:
        width = len(figures.KEYS) + EXTRA_COLUMNS
        found = figures.read(
            _sheet_rows(workbook, figures_sheet, width), content_rows, result.errors
        )
        for parsed in result.rows:
            parsed.figures = found.get(parsed.row, [])
    if result.errors:
        result.rows = []
