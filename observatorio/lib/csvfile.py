"""The one CSV writer of the project (every CSV the site, the API and the releases write).

RFC 4180 (comma, ``"`` quoting, CRLF line ends). A cell is written by its Python type, so
the caller keeps values typed until here:

- ``None``: empty;
- ``bool``: ``true`` / ``false``;
- ``int``, ``float``, ``Decimal``: the number as it is (``-3.5`` stays ``-3.5``);
- ``date`` and ``datetime``: ISO 8601;
- anything else is text. A text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is written with an apostrophe before it (``'=HYPERLINK(…)``), so that a
  spreadsheet opening the file shows it instead of running it as a formula (*CSV
  injection*). A text that only looks like a number (``"-5"`` in a text column) is text
  and gets the apostrophe too; numbers are never touched, so numeric columns stay
  numeric for validators such as ``frictionless``.

The JSON downloads keep every text exactly as published; the XLSX ones store texts as
texts, which cannot run either.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

#: What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What is written before such a text.
ESCAPE = "'"


def neutralise(text: str) -> str:
    """*text* with an apostrophe before it if a spreadsheet would run it as a formula."""
    return ESCAPE + text if text.startswith(FORMULA_START) else text


def cell(value) -> str:
    """The text of one CSV cell for *value* (see the module's rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return neutralise(str(value))


class Writer:
    """``csv.writer`` with every cell passed through :func:`cell`.

    ``writerow`` returns what the file's ``write`` returns, so a writer over an object
    whose ``write`` hands the line back can be read line by line (streamed responses).
    """

    def __init__(self, file, **options):
        options.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(file, **options)

    def writerow(self, values: Iterable):
        return self._writer.writerow([cell(value) for value in values])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> Writer:
    """A CSV writer over *file* (anything with ``write``); options as ``csv.writer``'s."""
    return Writer(file, **options)
