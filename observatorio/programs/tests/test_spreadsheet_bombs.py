"""Spreadsheet bombs within the upload's limits: the work done is bounded by what is read.

Each bomb is a small file (hundreds of KB) whose XML inflates to tens of MB of rows, cells,
shared strings or formats. The tests count the bytes the upload inflates from each part of
the archive: reading stops at the first long run of empty rows, reads only the columns of
the template and only the shared strings and formats its cells use, and refuses what no
template could hold. Timings are printed by ``bench/spreadsheet.py``, not asserted here.
"""

from __future__ import annotations

import collections
import io
import zipfile

import openpyxl
import pytest

from observatorio.programs import spreadsheet
from observatorio.programs.models import Program
from observatorio.programs.spreadsheet import RowError

from . import bombs
from .test_spreadsheet import GOOD_ROW, STATE_HEADER, fill, post

#: Bytes of a bomb's part the upload may inflate: the rows it needs and a few chunks more.
BOUND = 1024 * 1024


@pytest.fixture
def inflated(monkeypatch):
    """Bytes read from each member of any ZIP archive opened during the test, by name."""
    read = collections.Counter()
    original = zipfile.ZipFile.open

    def counting_open(self, name, mode="r", *args, **kwargs):
        handle = original(self, name, mode, *args, **kwargs)
        if mode == "r":
            member = name.filename if isinstance(name, zipfile.ZipInfo) else name
            plain_read = handle.read

            def counted(n=-1):
                data = plain_read(n)
                read[member] += len(data)
                return data

            handle.read = counted
        return handle

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    return read


@pytest.fixture
def enlace(cast):
    return cast("enlace_jalisco")


@pytest.fixture
def filled(enlace, open_cycle) -> bytes:
    """The template of Jalisco's enlace with one report in row 2."""
    return fill(spreadsheet.build_template(enlace, open_cycle), [GOOD_ROW])


def part_size(data: bytes, name: str) -> int:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo(name).file_size


def within_limits(data: bytes) -> None:
    assert len(data) < 600 * 1024  # a small upload…
    assert bombs.inflated_size(data) < spreadsheet.MAX_UNCOMPRESSED  # …within the limits


def read(data: bytes, enlace, cycle):
    return spreadsheet.read_upload(io.BytesIO(data), enlace, cycle)


def test_a_million_empty_rows_end_at_the_first_long_run_of_blank_rows(
    enlace, open_cycle, filled, inflated
):
    data = bombs.empty_rows(filled)
    within_limits(data)
    assert part_size(data, bombs.SHEET) > 90_000_000

    result = read(data, enlace, open_cycle)

    assert result.ok, result.errors
    assert [row.row for row in result.rows] == [2]
    assert result.rows[0].title == "Ventanilla de atención a personas migrantes"
    # The header, the report and the run of blank rows that ends the data: a few KB of the
    # 91 MB the sheet inflates to (give or take a chunk of the stream).
    assert 0 < inflated[bombs.SHEET] < BOUND


def test_the_million_empty_rows_upload_creates_its_one_draft(client, enlace, open_cycle, filled):
    client.force_login(enlace)

    response = post(client, open_cycle, bombs.empty_rows(filled))

    assert response.status_code == 302
    assert list(Program.objects.values_list("title", flat=True)) == [
        "Ventanilla de atención a personas migrantes"
    ]


def test_rows_as_wide_as_a_sheet_are_refused_before_they_are_read(
    enlace, open_cycle, filled, inflated
):
    data = bombs.wide_rows(filled)
    within_limits(data)
    assert part_size(data, bombs.SHEET) > 60_000_000

    result = read(data, enlace, open_cycle)

    assert result.errors == [
        RowError(
            None,
            "",
            "La hoja «Reportes» tiene demasiadas celdas para una plantilla de reportes. "
            "Copie sus reportes en una plantilla nueva y súbala.",
        )
    ]
    # The cells up to the reader's budget: a few MB of the 65 the sheet inflates to.
    assert 0 < inflated[bombs.SHEET] < 4 * BOUND


def test_a_million_rows_with_only_the_state_are_refused_early(enlace, open_cycle, filled, inflated):
    data = bombs.owner_only_rows(filled)
    within_limits(data)

    result = read(data, enlace, open_cycle)

    assert result.errors == [
        RowError(
            None,
            "",
            "La hoja «Reportes» tiene más de 1100 filas con datos; divídala en varios "
            "archivos de hasta 1000 reportes.",
        )
    ]
    assert 0 < inflated[bombs.SHEET] < BOUND


def test_only_the_shared_strings_the_cells_use_are_read(enlace, open_cycle, filled, inflated):
    data = bombs.shared_strings(filled)
    within_limits(data)
    assert part_size(data, bombs.SHARED_STRINGS) > 90_000_000

    result = read(data, enlace, open_cycle)

    assert result.ok, result.errors
    assert result.rows[0].title == "Ventanilla de atención a personas migrantes"
    assert 0 < inflated[bombs.SHARED_STRINGS] < BOUND


def test_only_the_cell_formats_the_cells_use_are_read(enlace, open_cycle, filled, inflated):
    data = bombs.styles(filled)
    within_limits(data)
    assert part_size(data, bombs.STYLES) > 80_000_000

    result = read(data, enlace, open_cycle)

    assert result.ok, result.errors
    assert result.rows[0].start_date == GOOD_ROW["Fecha de inicio"]  # a date format, still
    assert 0 < inflated[bombs.STYLES] < BOUND


def _rows_at(template: bytes, rows: dict[int, dict]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Reportes"]
    for number, values in rows.items():
        for header, value in values.items():
            sheet.cell(row=number, column=STATE_HEADER.index(header) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_report_after_a_hundred_empty_rows_is_not_read(enlace, open_cycle):
    # Rows 3 to 101 of the template carry the state; 102 to 251 are empty.
    template = spreadsheet.build_template(enlace, open_cycle)
    rows = {2: GOOD_ROW, 252: dict(GOOD_ROW, **{"Título": "Después del hueco"})}

    result = read(_rows_at(template, rows), enlace, open_cycle)

    assert result.ok, result.errors
    assert [row.row for row in result.rows] == [2]
    instructions = openpyxl.load_workbook(io.BytesIO(template))["Instrucciones"]
    assert (
        "10. Escriba los reportes sin dejar 100 filas vacías seguidas: la lectura termina ahí "
        "y lo que esté debajo no se lee."
    ) in [cell.value for cell in instructions["A"]]


def test_a_report_after_fewer_than_a_hundred_empty_rows_is_read(enlace, open_cycle):
    template = spreadsheet.build_template(enlace, open_cycle)
    rows = {2: GOOD_ROW, 200: dict(GOOD_ROW, **{"Título": "Después del hueco"})}

    result = read(_rows_at(template, rows), enlace, open_cycle)

    assert result.ok, result.errors
    assert [row.row for row in result.rows] == [2, 200]
