"""The bounded XLSX reader: values as openpyxl reads them, and only the work the limits allow."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from observatorio.lib import xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(rows: str, *, strings: str | None = None, styles: str | None = None, pr="") -> bytes:
    """A minimal XLSX file: one sheet «Hoja» whose ``<sheetData>`` holds *rows*."""
    relations = [f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/s.xml"/>']
    parts = {
        "xl/worksheets/s.xml": f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{rows}</sheetData></worksheet>",
    }
    if strings is not None:
        relations.append(f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="ss.xml"/>')
        parts["xl/ss.xml"] = f'<sst xmlns="{MAIN}">{strings}</sst>'
    if styles is not None:
        relations.append(f'<Relationship Id="rId3" Type="{RELS}/styles" Target="st.xml"/>')
        parts["xl/st.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{pr}<sheets>'
        '<sheet name="Hoja" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE}">{"".join(relations)}</Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def read(data: bytes, columns: int = 5, max_rows: int = 1000, blank_run: int = 100, **more):
    book = xlsx.Workbook(data)
    limits = xlsx.Limits(max_columns=columns, max_rows=max_rows, blank_run=blank_run, **more)
    return dict(book.rows("Hoja", limits)), book.stats


def test_values_are_what_openpyxl_reads():
    source = openpyxl.Workbook()
    sheet = source.active
    sheet.title = "Hoja"
    sheet.append(["texto", 1, 2.5, -3, True, False, dt.date(2022, 1, 31), "  ", "ñandú 𝄞"])
    sheet["G1"].number_format = "DD/MM/YYYY"
    sheet["B3"] = dt.datetime(2022, 1, 31, 10, 30)
    sheet["C3"] = "=SUMA(1,2)"  # a formula without a cached value
    out = io.BytesIO()
    source.save(out)
    data = out.getvalue()
    expected = {}
    reference = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)["Hoja"]
    for number, row in enumerate(reference.iter_rows(values_only=True, max_col=12), start=1):
        if any(not xlsx.blank(value) for value in row):
            expected[number] = tuple(row) + (None,) * (12 - len(row))

    rows, _stats = read(data, columns=12)

    assert rows == expected
    assert rows[1][6] == dt.datetime(2022, 1, 31)


def test_shared_strings_rich_text_and_inline_strings_drop_phonetic_runs():
    strings = (
        "<si><t>uno</t></si>"
        "<si><r><t>dos</t></r><r><rPr><b/></rPr><t xml:space='preserve'> partes</t></r>"
        "<rPh sb='0' eb='1'><t>fonética</t></rPh></si>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c>'
        '<c r="C1" t="inlineStr"><is><r><t>en </t></r><r><t>línea</t></r></is></c>'
        '<c r="D1" t="str"><f>A1</f><v>calculado</v></c><c r="E1" t="e"><v>#N/A</v></c></row>'
    )

    result, _stats = read(workbook(rows, strings=strings))

    assert result == {1: ("dos partes", "uno", "en línea", "calculado", "#N/A")}


def test_prefixed_names_cells_without_references_and_the_1904_calendar():
    data = workbook(
        '<x:row xmlns:x="' + MAIN + '"><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>'
        '<x:c/><x:c s="1"><x:v>1</x:v></x:c></x:row><row><c><v>7</v></c></row>',
        styles='<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>',
        pr='<workbookPr date1904="1"/>',
    )

    result, _stats = read(data)

    assert result == {
        1: ("a", None, dt.datetime(1904, 1, 2), None, None),
        2: (7, None, None, None, None),
    }


def test_only_the_columns_asked_for_are_kept():
    row = '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c><c r="XFD1"><v>9</v></c></row>'

    result, _stats = read(workbook(row), columns=3)

    assert result == {1: (1, None, 3)}


def test_a_run_of_empty_rows_ends_the_data_even_when_the_rows_are_missing():
    near = '<row r="1"><c><v>1</v></c></row><row r="5"><c><v>5</v></c></row>'
    far = near + '<row r="106"><c><v>106</v></c></row>'

    assert list(read(workbook(near), blank_run=100)[0]) == [1, 5]
    assert list(read(workbook(far), blank_run=100)[0]) == [1, 5]  # rows 6–105 are empty
    assert list(read(workbook(far), blank_run=101)[0]) == [1, 5, 106]


def test_a_million_empty_rows_are_not_parsed():
    blank = '<row><c s="0"/><c s="0"/></row>'
    data = workbook('<row><c t="inlineStr"><is><t>dato</t></is></c></row>' + blank * 1_000_000)

    result, stats = read(data)

    assert list(result) == [1]
    # The rows up to the end of the run, and at most the rest of the chunk they were in.
    assert stats.rows <= 1 + 100 + xlsx.CHUNK // len(blank) + 1


def test_more_non_empty_rows_than_allowed_are_refused_on_the_next_one():
    row = "<row><c><v>1</v></c></row>"
    book = xlsx.Workbook(workbook(row * 1_000_000))
    rows = book.rows("Hoja", xlsx.Limits(max_columns=2, max_rows=10))

    assert len([next(rows) for _ in range(10)]) == 10
    with pytest.raises(xlsx.TooManyRows):
        next(rows)
    assert book.stats.rows <= 11 + xlsx.CHUNK // len(row) + 1  # and the rest of that chunk


@pytest.mark.parametrize(
    ("rows", "strings", "styles", "part"),
    [
        ("<row>" + "<c/>" * 16_384 + "</row>" + "<row><c/></row>" * 50, None, None, "sheet"),
        ('<row><c t="s"><v>199999</v></c></row>', "<si><t>x</t></si>" * 200_000, None, "strings"),
        ('<row><c s="99999"><v>1</v></c></row>', None, "<cellXfs>" + "<xf/>" * 100_000, "styles"),
    ],
)
def test_a_part_over_its_budget_of_elements_is_refused(rows, strings, styles, part):
    book = xlsx.Workbook(workbook(rows, strings=strings, styles=styles))

    with pytest.raises(xlsx.TooLarge) as refusal:
        list(book.rows("Hoja", xlsx.Limits(max_columns=5, max_rows=10, sheet_elements=10_000)))

    assert refusal.value.part == part


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="2"><c><v>1</v></c></row><row r="1"><c><v>1</v></c></row>',  # not ascending
        '<row r="x"/>',
        '<row><c r="1A"><v>1</v></c></row>',
        '<row><c t="s"><v>-1</v></c></row>',
        '<row><c t="s"><v>0</v></c></row>',  # no shared strings at all
        "<row><c><v>uno</v></c></row>",
        "<row><c><v>1</v></row>",
    ],
)
def test_damaged_sheets_are_refused(rows):
    with pytest.raises(xlsx.Damaged):
        read(workbook(rows))


def test_a_document_type_declaration_is_refused():
    data = workbook("")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/workbook.xml":
                content = b'<!DOCTYPE w [<!ENTITY e "x">]>' + content
            archive.writestr(name, content)

    with pytest.raises(xlsx.Damaged):
        xlsx.Workbook(out.getvalue())
