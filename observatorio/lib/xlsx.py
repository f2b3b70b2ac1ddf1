"""Read the cell values of one sheet of an untrusted XLSX file, doing bounded work.

openpyxl, even read-only, parses whatever a file holds: every shared string and every cell
format when the workbook opens, then every row down to the last and every cell of each row.
A file of a few hundred KB can inflate into ~100 MB of empty rows, blank cells, strings or
formats and hold a worker for a minute or more (``bench/spreadsheet.py`` prints the figures).
This reader streams the XML of the parts it needs with expat and stops as soon as it has what
the caller asked for:

- **rows**: reading ends at the first run of ``blank_run`` empty rows (the end of the data;
  rows missing from the XML count as empty), and a sheet with more than ``max_rows``
  non-empty rows is refused when the next one is read;
- **columns**: only the first ``max_columns`` cells of a row are kept; the sheet's declared
  dimension (``<dimension ref="A1:XFD1048576">``) is never read;
- **shared strings and cell formats** are read lazily, only as far as the cells kept refer
  to them;
- **every part** is parsed under a budget of XML elements; a file over it is refused
  (:class:`TooLarge`). With the budgets below any file is read in a fraction of a second.

Values are what openpyxl returns with ``data_only=True``: text, ``int`` or ``float``,
``bool``, ``datetime`` (or ``time``/``timedelta``) for numbers formatted as dates, the error
text (``#N/A``) for errors, ``None`` for empty cells; the cached result of a formula.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

#: Bytes of a part inflated and parsed at a time.
CHUNK = 64 * 1024
#: XML elements looked at in a sheet, in the shared strings, in the styles, in the rest.
SHEET_ELEMENTS = 200_000
STRING_ELEMENTS = 200_000
STYLE_ELEMENTS = 100_000
SMALL_PART_ELEMENTS = 20_000
#: Excel's largest row and column.
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_COLUMN = re.compile(r"([A-Z]{1,3})")


class XlsxError(Exception):
    """The file cannot be read."""


class Damaged(XlsxError):
    """Not a readable XLSX workbook (bad ZIP, bad XML, a part or a reference missing)."""


class TooLarge(XlsxError):
    """A part holds more than its budget of XML elements; ``part`` says which kind."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part  # "sheet", "strings", "styles" or "workbook"


class TooManyRows(XlsxError):
    """The sheet has more non-empty rows than the caller accepts."""


@dataclass(frozen=True)
class Limits:
    max_columns: int
    max_rows: int  # non-empty rows, the header included
    blank_run: int = 100
    sheet_elements: int = SHEET_ELEMENTS


@dataclass
class Stats:
    """What a read looked at (for tests and the benchmark)."""

    rows: int = 0  # row elements parsed
    elements: dict[str, int] = field(default_factory=dict)  # XML elements parsed, by part


def blank(value) -> bool:
    """An empty cell: no value, or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


#: What inflating or parsing a damaged part raises.
_UNREADABLE = (
    expat.ExpatError,
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


class _Stop(Exception):
    """Raised by a handler: nothing more of this part is needed."""


def _local(name: str) -> str:
    return name[name.rfind(" ") + 1 :]


class _Part:
    """One XML part of the archive, inflated and parsed a chunk at a time, under a budget."""

    kind = "workbook"

    def __init__(self, archive: zipfile.ZipFile, name: str, budget: int):
        self.budget = budget
        self.elements = 0
        self.done = False
        try:
            self.stream = archive.open(name)
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            raise Damaged(name) from exc
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.buffer_size = CHUNK
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self.text
        # No document type: no entities to expand, nothing external to fetch.
        self.parser.StartDoctypeDeclHandler = self._refuse
        self.parser.EntityDeclHandler = self._refuse

    def _refuse(self, *args):
        raise Damaged("DTD")

    def _start(self, name: str, attributes: dict) -> None:
        self.elements += 1
        if self.elements > self.budget:
            raise TooLarge(self.kind)
        self.start(_local(name), attributes)

    def _end(self, name: str) -> None:
        self.end(_local(name))

    def start(self, name: str, attributes: dict) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass

    def feed(self) -> bool:
        """Parse the next chunk; False once the part is finished (or no more is wanted)."""
        if self.done:
            return False
        try:
            data = self.stream.read(CHUNK)
            self.parser.Parse(data, not data)
        except _Stop:
            data = b""
        except _UNREADABLE as exc:
            raise Damaged(self.kind) from exc
        if not data:
            self.close()
        return not self.done

    def read_all(self) -> None:
        while self.feed():
            pass

    def close(self) -> None:
        self.done = True
        self.stream.close()


class _Relationships(_Part):
    def __init__(self, archive, name):
        super().__init__(archive, name, SMALL_PART_ELEMENTS)
        self.targets: dict[str, tuple[str, str]] = {}  # id -> (type, part name)
        self.read_all()

    def start(self, name, attributes):
        if name == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            kind = attributes.get("Type", "").rsplit("/", 1)[-1]
            self.targets[attributes.get("Id", "")] = (kind, posixpath.normpath(path))

    def first(self, kind: str) -> str | None:
        return next((path for k, path in self.targets.values() if k == kind), None)


class _WorkbookPart(_Part):
    def __init__(self, archive):
        super().__init__(archive, WORKBOOK, SMALL_PART_ELEMENTS)
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.date1904 = False
        self.read_all()

    def start(self, name, attributes):
        if name == "workbookPr":
            self.date1904 = attributes.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((v for k, v in attributes.items() if k.endswith("relationships id")), "")
            self.sheets.append((attributes.get("name", ""), rid))

    def end(self, name):
        if name == "sheets":
            raise _Stop


class _SharedStrings(_Part):
    """The shared-string table, read only as far as the highest index asked for."""

    kind = "strings"

    def __init__(self, archive, name):
        super().__init__(archive, name, STRING_ELEMENTS)
        self.items: list[str] = []
        self.pieces: list[str] = []
        self.collecting = False
        self.phonetic = 0

    def start(self, name, attributes):
        if name == "si":
            self.pieces = []
        elif name == "t":
            self.collecting = not self.phonetic
        elif name == "rPh":
            self.phonetic += 1

    def end(self, name):
        if name == "si":
            self.items.append("".join(self.pieces))
        elif name == "t":
            self.collecting = False
        elif name == "rPh":
            self.phonetic -= 1

    def text(self, data):
        if self.collecting:
            self.pieces.append(data)

    def get(self, index: int) -> str:
        while len(self.items) <= index and self.feed():
            pass
        if not 0 <= index < len(self.items):
            raise Damaged(f"shared string {index}")
        return self.items[index]


class _Styles(_Part):
    """The cell formats, read only as far as the highest format a cell uses."""

    kind = "styles"

    def __init__(self, archive, name):
        super().__init__(archive, name, STYLE_ELEMENTS)
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []  # the number format of each cell format (cellXfs)
        self.in_cell_formats = False
        self.known: dict[int, tuple[bool, bool]] = {}

    def start(self, name, attributes):
        if name == "numFmt":
            try:
                self.custom[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
            except ValueError as exc:
                raise Damaged("numFmt") from exc
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            try:
                self.formats.append(int(attributes.get("numFmtId", "0")))
            except ValueError as exc:
                raise Damaged("xf") from exc

    def end(self, name):
        if name == "cellXfs":
            raise _Stop  # nothing after the cell formats is needed

    def kind_of(self, index: int) -> tuple[bool, bool]:
        """Whether cell format *index* shows a number as a date, and as a duration."""
        if index not in self.known:
            while len(self.formats) <= index and self.feed():
                pass
            # A format the table lacks shows numbers as numbers (as openpyxl reads it).
            number_format = self.formats[index] if index < len(self.formats) else 0
            code = self.custom.get(number_format) or builtin_format_code(number_format)
            self.known[index] = (is_date_format(code), is_timedelta_format(code))
        return self.known[index]


class _Sheet(_Part):
    """A sheet's rows as they are parsed: (row number, [(column, type, style, text)])."""

    kind = "sheet"

    def __init__(self, archive, name, limits: Limits):
        super().__init__(archive, name, limits.sheet_elements)
        self.max_columns = limits.max_columns
        self.rows: list[tuple[int, list]] = []
        self.row_number = 0
        self.row_count = 0
        self.cells: list = []
        self.column = 0
        self.cell: list | None = None
        self.pieces: list[str] | None = None
        self.in_inline = False
        self.phonetic = 0

    def start(self, name, attributes):
        if name == "c":
            reference = attributes.get("r")
            if reference:
                match = _COLUMN.match(reference)
                if match is None:
                    raise Damaged(f"cell {reference}")
                column = 0
                for letter in match.group(1):
                    column = column * 26 + ord(letter) - 64
            else:
                column = self.column + 1
            if column > MAX_COLUMN:
                raise Damaged(f"column {column}")
            self.column = column
            if column <= self.max_columns:
                self.cell = [column, attributes.get("t", "n"), attributes.get("s"), None]
                self.cells.append(self.cell)
            else:
                self.cell = None  # past the columns asked for: only counted
        elif self.cell is None:
            if name == "row":
                self._row(attributes.get("r"))
        elif name in ("v", "t"):
            if name == "v" or (self.in_inline and not self.phonetic):
                self.pieces = []
        elif name == "is":
            self.in_inline = True
        elif name == "rPh":
            self.phonetic += 1

    def _row(self, reference: str | None) -> None:
        if reference:
            try:
                number = int(reference)
            except ValueError as exc:
                raise Damaged(f"row {reference}") from exc
            if not self.row_number < number <= MAX_ROW:
                raise Damaged(f"row {reference}")
        else:
            number = self.row_number + 1
        self.row_number = number
        self.row_count += 1
        self.cells = []
        self.column = 0

    def end(self, name):
        if name == "c":
            self.cell = None
            self.in_inline = False
            self.phonetic = 0
        elif name == "row":
            self.rows.append((self.row_number, self.cells))
        elif name in ("v", "t") and self.pieces is not None:
            if self.cell is not None:
                self.cell[3] = (self.cell[3] or "") + "".join(self.pieces)
            self.pieces = None
        elif name == "rPh" and self.cell is not None:
            self.phonetic -= 1
        elif name == "sheetData":
            raise _Stop  # what follows the rows is not needed

    def text(self, data):
        if self.pieces is not None:
            self.pieces.append(data)

    def take(self) -> list[tuple[int, list]]:
        rows, self.rows = self.rows, []
        return rows


class Workbook:
    """An XLSX workbook opened for reading one sheet's values (see the module)."""

    def __init__(self, data: bytes):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise Damaged("zip") from exc
        self.stats = Stats()
        workbook = _WorkbookPart(self.archive)
        relationships = _Relationships(self.archive, WORKBOOK_RELS)
        self.epoch = MAC_EPOCH if workbook.date1904 else WINDOWS_EPOCH
        self._sheets: dict[str, str] = {}
        for name, rid in workbook.sheets:
            kind, path = relationships.targets.get(rid, ("", ""))
            if kind == "worksheet":
                self._sheets[name] = path
        self._strings_path = relationships.first("sharedStrings")
        self._styles_path = relationships.first("styles")
        self._strings: _SharedStrings | None = None
        self._styles: _Styles | None = None

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def close(self) -> None:
        self.archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _string(self, index: int) -> str:
        if self._strings is None:
            if self._strings_path is None:
                raise Damaged("no shared strings")
            self._strings = _SharedStrings(self.archive, self._strings_path)
        return self._strings.get(index)

    def _format(self, style: str | None) -> tuple[bool, bool]:
        if not style or self._styles_path is None:
            return False, False
        if self._styles is None:
            self._styles = _Styles(self.archive, self._styles_path)
        try:
            index = int(style)
        except ValueError as exc:
            raise Damaged(f"style {style}") from exc
        return self._styles.kind_of(index)

    def _value(self, kind: str, style: str | None, raw: str | None):
        if raw is None:
            return None
        try:
            if kind == "s":
                return self._string(int(raw))
            if kind in ("inlineStr", "str", "e"):
                return raw
            if kind == "b":
                return raw.strip() not in ("0", "", "false")
            if kind == "d":
                return from_ISO8601(raw.strip())
            raw = raw.strip()
            if not raw:
                return None
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
            is_date, is_duration = self._format(style)
            if is_date:
                return from_excel(number, self.epoch, timedelta=is_duration)
            return number
        except (ValueError, OverflowError) as exc:
            raise Damaged(f"value {raw[:20]!r}") from exc

    def rows(self, sheet: str, limits: Limits) -> Iterator[tuple[int, tuple]]:
        """The non-empty rows of *sheet*, as (row number, ``max_columns`` values).

        Ends at the first run of ``limits.blank_run`` empty rows; raises
        :class:`TooManyRows` on the row after ``limits.max_rows`` non-empty ones and
        :class:`TooLarge` when a part exceeds its budget.
        """
        part = _Sheet(self.archive, self._sheets[sheet], limits)
        width = limits.max_columns
        last = run = kept = 0
        try:
            while True:
                more = part.feed()
                for number, cells in part.take():
                    values = [None] * width
                    for column, kind, style, raw in cells:
                        values[column - 1] = self._value(kind, style, raw)
                    run += number - last - 1  # rows missing from the XML are empty
                    last = number
                    if run >= limits.blank_run:
                        return
                    if all(blank(value) for value in values):
                        run += 1
                        if run >= limits.blank_run:
                            return
                        continue
                    run = 0
                    kept += 1
                    if kept > limits.max_rows:
                        raise TooManyRows(number)
                    yield number, tuple(values)
                if not more:
                    return
        finally:
            part.close()
            self.stats.rows += part.row_count
            for each in (part, self._strings, self._styles):
                if each is not None:
                    self.stats.elements[each.kind] = each.elements
