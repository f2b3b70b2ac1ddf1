"""The project's one CSV writer: RFC 4180, numbers as numbers, formula-leading text neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from observatorio.lib import csvfile


def written(*rows) -> str:
    out = io.StringIO()
    writer = csvfile.writer(out)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
        ("=1+1", "'=1+1"),
        ("+52 55 1234 5678", "'+52 55 1234 5678"),
        ("-5", "'-5"),  # text that looks like a number is still text
        ("- viñeta", "'- viñeta"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcon tabulador", "'\tcon tabulador"),
        ("\rcon retorno", "'\rcon retorno"),
        ("Texto = normal", "Texto = normal"),
        ("'ya con apóstrofo", "'ya con apóstrofo"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(value, cell):
    assert csvfile.cell(value) == cell
    assert parsed(written([value])) == [[cell]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-5, "-5"),
        (-1500.5, "-1500.5"),
        (Decimal("-12.50"), "-12.50"),
        (0, "0"),
        (True, "true"),
        (False, "false"),
        (None, ""),
        (dt.date(2022, 8, 1), "2022-08-01"),
    ],
)
def test_numbers_booleans_dates_and_missing_values_are_written_as_such(value, cell):
    assert csvfile.cell(value) == cell
    assert parsed(written([value])) == [[cell]]


def test_rows_are_rfc_4180_with_crlf_and_quotes():
    text = written(["id", "título"], [1, 'dice "hola",\nadiós'], [-2, "-dos"])

    assert text == 'id,título\r\n1,"dice ""hola"",\nadiós"\r\n-2,\'-dos\r\n'


def test_a_writer_over_a_line_echo_returns_each_line():
    class Echo:
        def write(self, value):
            return value

    writer = csvfile.writer(Echo())

    assert writer.writerow(["=x", -1]) == "'=x,-1\r\n"


def test_no_module_writes_csv_but_through_this_one():
    root = Path(csvfile.__file__).resolve().parents[1]
    writers = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "csvfile.py"
        and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
