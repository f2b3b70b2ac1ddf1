"""The download formats: one renderer per format, all reading the same :class:`Table`.

Each registers itself as ``("dataset", <format>)`` in the project's one registry
(``lib/renderers``), in the order the pages list them.

* **CSV**: written by the project's one CSV writer (``lib/csvfile.py``): UTF-8
  *with* a byte-order mark, so that Excel in Spanish opens it with its accents
  (LibreOffice and every CSV library read the mark as the encoding and drop it),
  RFC 4180 (comma, ``"`` quoting, CRLF line ends), a header row of the column
  names; missing values are empty, booleans ``sí``/``no`` (declared as the
  fields' ``trueValues``/``falseValues`` in the datapackage), dates ``YYYY-MM-DD``,
  numbers as numbers. A text that begins with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return is written after an apostrophe (``'=HYPERLINK(…)``) so that a
  spreadsheet cannot run it as a formula; values reach the writer typed, so
  numbers (a negative one included) never get it and the numeric columns stay
  valid for the datapackage. Streamed: rows are read from the database a chunk at
  a time and never held in memory together. The JSON download keeps every text
  exactly as published.
* **CSV para Excel** (``<conjunto>.excel.csv``): the same file in Windows-1252, without
  a mark: what Excel in Spanish on Windows and LibreOffice read when they open a CSV
  without asking (LibreOffice's default import is Windows-1252 whatever the mark says).
  The few signs that code page lacks (bullets and arrows such as ``●`` and ``➔``) become
  ``•`` and ``»``, anything else ``?``; the UTF-8 CSV is the exact one.
* **JSON**: one object ``{dataset, title, source, terms, url, filters,
  ignored, count, <dataset name>: [row objects]}``; also streamed; booleans
  ``true``/``false``.
* **XLSX**: written by openpyxl in write-only mode to a temporary file; a sheet
  with a header row and the rows (booleans ``sí``/``no`` as in the CSV), and a
  sheet "Acerca de" with the filters applied and ignored, the source and its
  terms, and the columns.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from observatorio.lib import csvfile
from observatorio.lib.renderers import register

from .schema import Table, plain, yes_no
from .sources import PROGRAMS_NOTE, SOURCES, credit

#: The byte-order mark that starts every CSV (Excel reads the file as UTF-8 only with it).
BOM = "\ufeff"
#: Bytes gathered before a chunk of a streamed download is sent.
BUFFER = 64 * 1024
#: Excel refuses longer cells; longer texts are cut and end with "…".
XLSX_CELL_LIMIT = 32767


#: What the datasets' renderers are registered as (``lib/renderers``).
DATASET = "dataset"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _buffered(pieces: Iterable[str], encode=lambda text: text.encode("utf-8")) -> Iterator[bytes]:
    size, parts = 0, []
    for piece in pieces:
        parts.append(piece)
        size += len(piece)
        if size >= BUFFER:
            yield encode("".join(parts))
            size, parts = 0, []
    if parts:
        yield encode("".join(parts))


def _attachment(response, table: Table, extension: str):
    response["Content-Disposition"] = content_disposition_header(
        True, f"{table.filename}.{extension}"
    )
    return response


class _Echo:
    """A file-like object whose ``write`` hands the line back (for a CSV writer in a generator)."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Table) -> Iterator[str]:
    writer = csvfile.writer(_Echo())
    yield writer.writerow(table.dataset.header)
    for row in table.rows:
        # Typed values (decimals as int or float, as in JSON): the writer escapes text only.
        yield writer.writerow([yes_no(plain(value)) for value in row])


@register(DATASET, "csv", content_type="text/csv")
def render_csv(table: Table) -> StreamingHttpResponse:
    lines = itertools.chain([BOM], _csv_lines(table))
    response = StreamingHttpResponse(
        _buffered(lines), content_type="text/csv; charset=utf-8; header=present"
    )
    return _attachment(response, table, "csv")


#: The code page Excel (in Spanish, on Windows) and LibreOffice assume for a CSV file that does
#: not say its encoding: LibreOffice ignores a UTF-8 byte-order mark unless its import is told
#: the file is UTF-8. Windows-1252 has every letter and sign of Spanish.
EXCEL_ENCODING = "cp1252"
#: Signs of the reports that Windows-1252 lacks, and what the Excel CSV writes instead; any
#: other is written as "?". The UTF-8 CSV keeps them.
EXCEL_SUBSTITUTES = str.maketrans(
    {"●": "•", "○": "•", "▪": "•", "■": "•", "➔": "»", "➢": "»", "→": "»", "✓": "•"}
)


def _windows_1252(text: str) -> bytes:
    text = unicodedata.normalize("NFC", text).translate(EXCEL_SUBSTITUTES)
    return text.encode(EXCEL_ENCODING, errors="replace")


@register(DATASET, "excel.csv", extension="csv", content_type="text/csv", label="CSV para Excel")
def render_excel_csv(table: Table) -> StreamingHttpResponse:
    """The same CSV in Windows-1252, for spreadsheets that open a CSV without asking."""
    response = StreamingHttpResponse(
        _buffered(_csv_lines(table), _windows_1252),
        content_type="text/csv; charset=windows-1252; header=present",
    )
    return _attachment(response, table, "excel.csv")


def _source_note(table: Table) -> tuple[str, str]:
    source = SOURCES[table.dataset.source]
    note = credit(source)
    if table.dataset.name == "programs":
        note = f"{PROGRAMS_NOTE} {note}"
    return note, str(source.terms)


@register(DATASET, "json", content_type="application/json")
def render_json(table: Table) -> StreamingHttpResponse:
    header = table.dataset.header
    note, terms = _source_note(table)
    head = {
        "dataset": table.dataset.name,
        "title": str(table.dataset.title),
        "source": note,
        "terms": terms,
        "url": table.url,
        "filters": table.filters,
        "ignored": table.ignored,
        "count": table.count,
    }

    def pieces() -> Iterator[str]:
        opening = json.dumps(head, ensure_ascii=False, indent=1)
        yield opening[: opening.rstrip().rindex("}")].rstrip()
        yield f',\n "{table.dataset.name}": ['
        separator = "\n"
        for row in table.rows:
            record = {name: plain(value) for name, value in zip(header, row, strict=True)}
            yield separator + json.dumps(record, ensure_ascii=False)
            separator = ",\n"
        yield "\n ]\n}\n"

    response = StreamingHttpResponse(
        _buffered(pieces()), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, table, "json")


def _xlsx_value(value, ws):
    """A cell value: numbers, booleans and dates as such, text always as text."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, bool):
        return yes_no(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > XLSX_CELL_LIMIT:
        value = value[: XLSX_CELL_LIMIT - 1] + "…"
    if value[:1] in ("=", "#"):
        # openpyxl would store "=…" as a formula and "#N/A" as an error: force text.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _bold(ws, values: Iterable) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _sheet_title(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31]


@register(DATASET, "xlsx", content_type=XLSX_TYPE)
def render_xlsx(table: Table) -> FileResponse:
    columns = table.dataset.columns
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(_sheet_title(table.dataset.slug))
    data.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = 48 if column.type == "string" and column.name not in _NARROW else 14
        data.column_dimensions[get_column_letter(index)].width = width
    data.append(_bold(data, table.dataset.header))
    for row in table.rows:
        data.append([_xlsx_value(value, data) for value in row])

    about = workbook.create_sheet(_sheet_title(_("Acerca de")))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 40
    about.column_dimensions["C"].width = 60
    note, terms = _source_note(table)
    about.append(_bold(about, [_("Conjunto de datos"), table.dataset.title]))
    about.append([_("Descripción"), str(table.dataset.description)])
    about.append([_("Renglones"), table.count])
    about.append([_("Descargado de"), table.url])
    about.append([_("Fecha"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")])
    about.append([_("Fuente"), _xlsx_value(note, about)])
    about.append([_("Condiciones de uso"), _xlsx_value(terms, about)])
    about.append([])
    about.append(_bold(about, [_("Filtros aplicados"), _("Valor"), _("Significado")]))
    if not table.filters:
        about.append([_("ninguno")])
    for parameter, value in table.filters.items():
        label = table.filter_labels.get(parameter, "")
        about.append([parameter, _xlsx_value(value, about), _xlsx_value(label, about)])
    about.append([])
    about.append(_bold(about, [_("Filtros ignorados"), _("Valor"), _("Motivo")]))
    if not table.ignored:
        about.append([_("ninguno")])
    for entry in table.ignored:
        about.append(
            [
                entry["parameter"],
                _xlsx_value(entry["value"], about),
                _xlsx_value(entry["message"], about),
            ]
        )
    about.append([])
    about.append(_bold(about, [_("Columna"), _("Tipo"), _("Descripción")]))
    for column in columns:
        about.append([column.name, column.type, str(column.description)])

    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(stream)
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"{table.filename}.xlsx",
        content_type=XLSX_TYPE,
    )


#: Short text columns that need no wide column in the spreadsheet.
_NARROW = {
    "parte",
    "entidad_clave",
    "clave_inegi",
    "clave_iso",
    "clave",
    "siglas",
    "ciclo",
    "sexo",
    "grupo_edad",
}
