"""The template's columns, sheets and limits, shared by the template and the reading."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from observatorio.lib.text import fold

from .. import report
from ..models import Program

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
# A 5 MB archive of text can inflate a lot; past this it is a zip bomb, not a report.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
PREFILLED_ROWS = 100
#: Empty rows in a row that end the data of an upload: nothing below them is read.
BLANK_RUN = 100
#: Columns of an upload read beyond the template's, for the ones a person may have added.
EXTRA_COLUMNS = 10
MAX_BUDGET = report.MAX_AMOUNT
SOURCE_LANGUAGE = "es-mx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_REPORTS = "Reportes"
SHEET_INSTRUCTIONS = "Instrucciones"
SHEET_OBJECTIVES = "Objetivos"
SHEET_STATES = "Entidades"
SHEET_INSTITUTIONS = "Instituciones"
SHEET_POPULATIONS = "Poblaciones"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # lazy: translated when the workbook is built or an error is shown
    width: int
    help: str = ""
    required: bool = False


#: The template's columns, in order: the report's declared fields that have one.
COLUMNS = {
    declared.name: Column(
        declared.name,
        declared.header,
        declared.width,
        declared.column_help or declared.help,
        # The owner's cell may be left blank: it is then the user's only state or institution.
        required=(declared.required or declared.required_in_sheet)
        and declared.kind not in ("state", "institutions"),
    )
    for declared in report.FIELDS
    if declared.column
}
STATE_KEYS = [k for k in COLUMNS if k != "institutions"]
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


def yes_no() -> tuple[str, str]:
    return _("Sí"), _("No")
