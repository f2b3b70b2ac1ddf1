"""CSV for list endpoints (``?format=csv`` or ``Accept: text/csv``): one row per object.

Nested objects become ``parent.child`` columns, lists of values one cell joined
with ``; ``, lists of objects one cell of JSON. A paginated list renders its
``results`` only; the total and the next page travel in the ``X-Total-Count`` and
``Link`` headers.

Rows are written by the project's one CSV writer (``lib/csvfile.py``), which puts an
apostrophe before a text a spreadsheet would run as a formula (``'=HYPERLINK(…)``) and
writes numbers as they are. So values stay typed until the writer: a number field of the
serializer (decimals travel as strings in DRF's data) is handed over as a number, never as
text that happens to start with ``-``.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal, InvalidOperation

import orjson
from rest_framework import renderers, serializers

from observatorio.lib import csvfile
from observatorio.lib.renderers import register

_NUMBER_FIELDS = (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)


def _flatten(value, prefix: str, row: dict) -> None:
    """Put *value*'s cells into *row*; scalars keep their type for the writer."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), row)
    elif isinstance(value, list | tuple):
        if any(isinstance(item, dict | list | tuple) for item in value):
            row[prefix] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            row[prefix] = "; ".join("" if item is None else str(item) for item in value)
    else:
        row[prefix] = value


def _columns(serializer, prefix: str = "") -> dict[str, bool]:
    """The columns a serializer's objects flatten to, each with whether it holds a number."""
    columns: dict[str, bool] = {}
    for name, field in serializer.fields.items():
        column = f"{prefix}.{name}" if prefix else name
        if isinstance(field, serializers.Serializer):
            columns.update(_columns(field, column))
        else:
            columns[column] = isinstance(field, _NUMBER_FIELDS)
    return columns


def _number(value):
    """A number field's value as a number (DRF writes decimals as strings)."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value  # not a number after all: written (and escaped) as text
    return value


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            data = data["results"]
        elif isinstance(data, dict):
            data = [data]
        rows = []
        for item in data or []:
            row: dict = {}
            _flatten(item, "", row)
            rows.append(row)
        view = (renderer_context or {}).get("view")
        if view is not None and hasattr(view, "get_serializer_class"):
            # The serializer's columns, even for an empty list or a null nested object.
            columns = _columns(view.get_serializer_class()())
        else:
            columns = dict.fromkeys((column for row in rows for column in row), False)
        numbers = [column for column, is_number in columns.items() if is_number]
        out = io.StringIO()
        writer = csvfile.writer(out)
        writer.writerow(columns)
        for row in rows:
            for column in numbers:
                if column in row:
                    row[column] = _number(row[column])
            writer.writerow([row.get(column) for column in columns])
        return out.getvalue().encode(self.charset)


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, encoded by orjson: the same document in about a fifth of the time.

    Compact and UTF-8 like DRF's (``ensure_ascii`` off). Dates, times, decimals,
    lazy translations and anything else orjson does not write itself the way DRF
    does go through DRF's own encoder (``default``), so every value is written as
    before; an indented answer (``Accept: application/json; indent=2``) is left to
    DRF. ``tests/test_http.py`` compares both on every kind of answer.
    """

    _options = (
        orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    )

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=self.encoder_class().default, option=self._options)


#: What the API's formats are registered as (``lib/renderers``): the DRF renderer classes,
#: the default first (DRF answers with the first renderer a view offers).
API = "api"
register(API, "json", content_type=JSONRenderer.media_type)(JSONRenderer)
register(API, "csv", content_type=CSVRenderer.media_type)(CSVRenderer)
