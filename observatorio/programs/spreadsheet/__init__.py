"""The homogeneous report as a spreadsheet: the XLSX template and the upload of a filled one.

Three plain functions, no views:

- ``build_template(user, cycle) -> bytes``: a workbook for the user's scope (an enlace's
  state, a reporter's institution) with pick-lists that point at catalogue sheets
  (``template.py``).
- ``read_upload(file, user, cycle) -> UploadResult``: read a filled workbook, validate every
  row and collect every problem as (row, column, Spanish message). Nothing is written
  (``reading.py`` for the file and its sheet, ``cells.py`` for each row).
- ``commit(result, user, cycle) -> list[Program]``: create the draft reports of a valid
  result in one transaction, with a revision each (``commit.py``).

Row numbers are the spreadsheet's own (the header is row 1), so a message points at the cell
the person has to fix. Whether a row may be created is asked of ``permissions.can`` with the
unsaved program, the same rule the report form obeys (``scope.py``). The columns, sheet names
and limits live in ``columns.py``.
"""

from .cells import ParsedRow, RowError, UploadResult
from .columns import (
    BLANK_RUN,
    COLUMNS,
    EXTRA_COLUMNS,
    FEDERAL_KEYS,
    MAX_BUDGET,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    PREFILLED_ROWS,
    STATE_KEYS,
    XLSX_CONTENT_TYPE,
    Column,
    column_keys,
)
from .commit import commit
from .reading import read_upload
from .scope import ReportingScope, may_upload, reporting_scope
from .template import build_template

__all__ = [
    "BLANK_RUN",
    "COLUMNS",
    "EXTRA_COLUMNS",
    "FEDERAL_KEYS",
    "MAX_BUDGET",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "PREFILLED_ROWS",
    "STATE_KEYS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "ParsedRow",
    "ReportingScope",
    "RowError",
    "UploadResult",
    "build_template",
    "column_keys",
    "commit",
    "may_upload",
    "read_upload",
    "reporting_scope",
]
