"""Spreadsheet bombs: small XLSX files whose XML inflates into a lot of work.

Each one starts from a real filled template and rewrites one part of the archive directly
(the XML is written in pieces, never held whole), so it stays under the upload's limits: a
few hundred KB compressed and under ``MAX_UNCOMPRESSED`` inflated. Used by the tests
(``test_spreadsheet_bombs.py``) and by ``bench/spreadsheet.py``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"  # the template's first sheet, «Reportes»
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
#: Rows of the template kept in a bomb: the header and the first filled row.
KEPT_ROWS = 2


def rewrite(data: bytes, parts: dict[str, Iterable[bytes]]) -> bytes:
    """*data* with the named parts replaced (or added) by the given pieces of XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for info in source.infolist():
            if info.filename not in parts:
                archive.writestr(info.filename, source.read(info.filename))
        for name, pieces in parts.items():
            with archive.open(name, "w") as handle:
                for piece in pieces:
                    handle.write(piece)
    return out.getvalue()


def inflated_size(data: bytes) -> int:
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


def _sheet(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode("utf-8")


def _split_sheet(data: bytes) -> tuple[str, str, str]:
    """The sheet XML before the rows kept, the rows kept, and after ``</sheetData>``."""
    xml = _sheet(data)
    xml = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", '<dimension ref="A1:XFD1048576"/>', xml)
    start = xml.index("<sheetData>") + len("<sheetData>")
    end = xml.index("</sheetData>")
    cut = xml.find(f'<row r="{KEPT_ROWS + 1}"', start, end)
    cut = end if cut < 0 else cut
    return xml[:start], xml[start:cut], xml[end:]


def _repeated(piece: bytes, times: int, batch: int = 1000) -> Iterator[bytes]:
    chunk = piece * batch
    for _ in range(times // batch):
        yield chunk
    yield piece * (times % batch)


def _sheet_with(data: bytes, piece: bytes, times: int) -> Iterator[bytes]:
    head, kept, tail = _split_sheet(data)
    yield (head + kept).encode("utf-8")
    yield from _repeated(piece, times)
    yield tail.encode("utf-8")


def empty_rows(data: bytes, rows: int = 1_000_000, cells: int = 8) -> bytes:
    """The filled template *data*, its first rows kept, then *rows* rows of blank styled cells.

    The sheet declares the largest dimension a sheet can have (``A1:XFD1048576``). With
    the defaults: about 300 KB compressed, 91 MB of sheet XML.
    """
    row = b"<row>" + b'<c s="1"/>' * cells + b"</row>"
    return rewrite(data, {SHEET: _sheet_with(data, row, rows)})


def wide_rows(data: bytes, rows: int = 400, cells: int = 16_384) -> bytes:
    """The filled template's first rows, then *rows* rows as wide as a sheet can be, all blank."""
    row = b"<row>" + b'<c s="1"/>' * cells + b"</row>"
    return rewrite(data, {SHEET: _sheet_with(data, row, rows)})


def owner_only_rows(data: bytes, rows: int = 1_000_000, column_number: int = 4) -> bytes:
    """The filled template's first rows, then *rows* rows with only the state column filled."""
    head, kept, tail = _split_sheet(data)
    # Cells without a reference are placed one after another: three blank ones, then D.
    row = b"<row>" + b"<c/>" * (column_number - 1)
    row += b'<c t="inlineStr"><is><t>Jalisco</t></is></c></row>'

    def pieces():
        yield (head + kept).encode("utf-8")
        yield from _repeated(row, rows)
        yield tail.encode("utf-8")

    return rewrite(data, {SHEET: pieces()})


def _with_part(data: bytes, name: str, kind: str, content_type: str) -> dict[str, bytes]:
    """The workbook's relationships and content types with part *name* added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = source.read(rels_name).decode("utf-8")
    types = source.read("[Content_Types].xml").decode("utf-8")
    target = name.removeprefix("xl/")
    if target not in rels:
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdBomb" Target="{target}" Type="http://schemas.openxmlformats'
            f'.org/officeDocument/2006/relationships/{kind}"/></Relationships>',
        )
    if f'PartName="/{name}"' not in types:
        types = types.replace(
            "</Types>",
            f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>',
        )
    return {rels_name: [rels.encode("utf-8")], "[Content_Types].xml": [types.encode("utf-8")]}


def shared_strings(data: bytes, strings: int = 5_500_000) -> bytes:
    """The filled template with a shared-string table of *strings* entries.

    The first entry is the filled row's title, which now points at it; the rest are never
    used. About 90 MB of XML.
    """
    head, kept, tail = _split_sheet(data)
    title = re.search(r'<c r="A2"[^>]*>.*?</c>', kept)
    text = re.search(r"<t[^>]*>(.*?)</t>", title.group(0)).group(1)
    kept = kept.replace(title.group(0), '<c r="A2" t="s"><v>0</v></c>')
    sheet = [(head + kept + tail).encode("utf-8")]

    def table():
        yield (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{strings}" '
            f'uniqueCount="{strings}"><si><t>{text}</t></si>'
        ).encode()
        yield from _repeated(b"<si><t>x</t></si>", strings - 1)
        yield b"</sst>"

    parts = _with_part(
        data,
        SHARED_STRINGS,
        "sharedStrings",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    )
    return rewrite(data, {**parts, SHEET: sheet, SHARED_STRINGS: table()})


def styles(data: bytes, formats: int = 3_000_000) -> bytes:
    """The filled template with *formats* more cell formats after its own (about 90 MB).

    The template's cells use its own first formats, so none of the added ones is needed.
    """
    xml = zipfile.ZipFile(io.BytesIO(data)).read(STYLES).decode("utf-8")
    end = xml.index("</cellXfs>")
    count = re.search(r'<cellXfs count="(\d+)"', xml)
    total = int(count.group(1)) + formats
    head = xml[:end].replace(count.group(0), f'<cellXfs count="{total}"')

    def pieces():
        yield head.encode("utf-8")
        yield from _repeated(b'<xf numFmtId="0" fontId="0"/>', formats)
        yield xml[end:].encode("utf-8")

    return rewrite(data, {STYLES: pieces()})
