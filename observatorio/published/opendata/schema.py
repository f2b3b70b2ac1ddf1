"""The shapes shared by every open-data table: fields, datasets and one rendered table.

A :class:`Dataset` names its columns once (:class:`Column`: name, Table Schema
type, description and how to read the value from an object); the CSV, JSON and
XLSX renderers and the ``datapackage.json`` descriptor all read that one
definition, so a column cannot differ between formats or be missing from the
schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Region
from observatorio.published.filters import DEFAULT_REGION_SCHEME


@dataclass
class Context:
    """What a column may need besides its object: absolute URLs of public pages."""

    request: Any
    _patterns: dict[str, str] = field(default_factory=dict)

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def url(self, name: str, pk: int) -> str:
        """Absolute URL of the page *name* for *pk*, in the default language (stable in data)."""
        pattern = self._patterns.get(name)
        if pattern is None:
            # Reverse once with a sentinel and fill the id in for every row: a download of
            # 50,000 programs should not resolve the URLconf 50,000 times.
            with translation.override(settings.LANGUAGE_CODE):
                path = reverse(name, args=[_SENTINEL])
            pattern = self.absolute(path).replace(str(_SENTINEL), "{}")
            self._patterns[name] = pattern
        return pattern.format(pk)


_SENTINEL = 987654321


@dataclass(frozen=True)
class Column:
    """One column of a dataset.

    ``type`` is a Table Schema type (``string``, ``integer``, ``number``,
    ``boolean``, ``date``); ``value(obj, context)`` returns a Python value of
    that type or None (missing). ``constraints`` and ``format`` go to the schema.
    """

    name: str
    type: str
    description: Any  # a lazy translation
    value: Callable[[Any, Context], Any]
    constraints: dict = field(default_factory=dict)
    format: str | None = None

    @property
    def type_label(self) -> str:
        """The type in words, for the data dictionary on ``/datos/``."""
        return str(TYPE_LABELS.get(self.type, self.type))

    def schema(self) -> dict:
        entry: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": str(self.description),
        }
        if self.format:
            entry["format"] = self.format
        if self.type == "boolean":
            # The CSV writes "sí" / "no" (read by Spanish spreadsheets and people alike).
            entry["trueValues"] = [YES]
            entry["falseValues"] = [NO]
        if self.constraints:
            entry["constraints"] = dict(self.constraints)
        return entry


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # the referenced dataset's name ("" for the dataset itself)
    reference: tuple[str, ...]

    def schema(self) -> dict:
        return {
            "fields": list(self.fields),
            "reference": {"resource": self.resource, "fields": list(self.reference)},
        }


@dataclass(frozen=True)
class Dataset:
    """A downloadable table.

    ``name`` is the English resource name (datapackage, JSON key); ``slug`` the
    Spanish name used in URLs and file names (``/datos/programas.csv``).
    ``objects(context, params)`` yields the objects of the rows in order and
    ``count(context, params)`` says how many there are; ``params`` are the
    validated options of the download (only the coverage matrix has one, the cycle).
    """

    name: str
    slug: str
    title: Any
    description: Any
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    objects: Callable[[Context, dict], Iterable[Any]]
    count: Callable[[Context, dict], int]
    source: str  # key of opendata.sources.SOURCES
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def rows(self, context: Context, objects: Iterable[Any]) -> Iterator[tuple]:
        """One tuple of values per object, in column order."""
        for obj in objects:
            yield tuple(column.value(obj, context) for column in self.columns)

    def schema(self) -> dict:
        """The Frictionless Table Schema of the dataset's CSV."""
        schema: dict[str, Any] = {
            "fields": [c.schema() for c in self.columns],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [fk.schema() for fk in self.foreign_keys]
        return schema


@dataclass
class Table:
    """One download: a dataset's rows (lazy), how many, and what was asked for."""

    dataset: Dataset
    rows: Iterable[tuple]
    count: int
    filename: str  # without extension
    filters: dict[str, str] = field(default_factory=dict)  # parameter → value as in the URL
    filter_labels: dict[str, str] = field(default_factory=dict)  # parameter → readable label
    ignored: list[dict] = field(default_factory=list)  # {parameter, value, message}
    url: str = ""  # where this download lives


#: The Table Schema types in words.
TYPE_LABELS = {
    "string": _("texto"),
    "integer": _("número entero"),
    "number": _("número"),
    "boolean": _("sí / no"),
    "date": _("fecha (AAAA-MM-DD)"),
}

#: How the files are written, stated in the datapackage and on ``/datos/``.
CSV_FORMAT_NOTE = _(
    "Los archivos CSV están en UTF-8 con marca de orden de bytes (BOM), separados por comas: "
    "Excel los abre con sus acentos. «CSV para Excel» es el mismo archivo en Windows-1252, la "
    "codificación que Excel en Windows y LibreOffice suponen al abrir un CSV sin preguntar; úselo "
    "si ve «MichoacÃ¡n» en lugar de «Michoacán». Las columnas tienen nombres en español y cada "
    "clave va acompañada de su nombre (entidad_clave y entidad, objetivo y objetivo_nombre); los "
    "valores lógicos se escriben «sí» o «no», las fechas AAAA-MM-DD y los números con punto "
    "decimal y sin separador de miles."
)


#: How the CSV files write a boolean (declared in the datapackage as its true and false values).
YES, NO = "sí", "no"


def yes_no(value: Any) -> Any:
    """A boolean as the CSV writes it; anything else unchanged."""
    if isinstance(value, bool):
        return YES if value else NO
    return value


#: The rule of every CSV file (``lib/csvfile.py``), stated in the datapackage and on ``/datos/``.
CSV_TEXT_NOTE = _(
    "En los archivos CSV, un texto que empieza con =, +, -, @, tabulador o retorno de carro se "
    "escribe con un apóstrofo (') delante, para que una hoja de cálculo no lo ejecute como "
    "fórmula; quítelo para recuperar el texto publicado. Los números (también los negativos) "
    "se escriben tal cual. Los archivos JSON conservan los textos exactos y los XLSX los "
    "guardan como texto."
)


# --- values --------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON has it: dates in ISO form, decimals as int or float."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _decimal(value)
    return value


def _decimal(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def joined(values: Iterable[Any]) -> str | None:
    """Several values in one cell, separated by ``"; "`` (None when there are none)."""
    items = [str(v) for v in values if v not in (None, "")]
    return "; ".join(items) if items else None


def attr(name: str) -> Callable[[Any, Context], Any]:
    """A column whose value is an attribute path of the object (``"state.inegi_code"``)."""
    parts = name.split(".")

    def read(obj, _context):
        for part in parts:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj if obj != "" else None

    return read


def key(name: str) -> Callable[[Any, Context], Any]:
    """A column whose value is a key of a row dict (empty text is missing)."""

    def read(row, _context):
        value = row[name]
        return value if value != "" else None

    return read


# --- column helpers ----------------------------------------------------------

#: A two-digit INEGI state code.
INEGI = {"pattern": "[0-9]{2}"}


def enum(choices) -> dict:
    """Constraint: one of a model's choices."""
    return {"enum": [value for value, _label in choices]}


def required(**more) -> dict:
    """Constraint: a value must be present (plus any other constraints)."""
    return {"required": True, **more}


def labels(choices) -> Callable[[Any], str | None]:
    """code → its Spanish label, for the ``…_nombre`` column beside a code column.

    Open data is Spanish whatever the language of the page it was downloaded from: the
    labels are read once per download in the default language.
    """
    table: dict[Any, str] = {}

    def label(code):
        if code in (None, ""):
            return None
        if not table:
            with translation.override(settings.LANGUAGE_CODE):
                table.update({value: str(text) for value, text in choices})
        return table.get(code, code)

    return label


def coded(name: str, description, named, read, choices) -> tuple[Column, Column]:
    """A code column (one of *choices*, read by *read*) and, beside it, ``<name>_nombre``
    with the code's Spanish label (described by *named*)."""
    label = labels(choices)
    return (
        Column(name, "string", description, read, enum(choices)),
        Column(f"{name}_nombre", "string", named, lambda obj, context: label(read(obj, context))),
    )


def region_code(region: Region | None) -> str | None:
    """A region as the portal writes it: ``norte`` in the study's scheme, else ``esquema:clave``."""
    if region is None:
        return None
    if region.scheme == DEFAULT_REGION_SCHEME:
        return region.code
    return f"{region.scheme}:{region.code}"


def format_description(subject, detail):
    """``"Subject: detail."`` with both parts translated lazily."""
    return format_lazy("{}: {}.", subject, detail)


def source_columns(prefix_description, document=None, first=None, last=None) -> tuple[Column, ...]:
    """The provenance columns of an imported record: document and first/last line.

    The readers default to a model instance's ``source.slug``, ``source_first_line``
    and ``source_last_line``.
    """
    return (
        Column(
            "fuente_documento",
            "string",
            _("Clave del documento fuente del que se importó el registro (vacío si no hay)."),
            document or attr("source.slug"),
        ),
        Column(
            "fuente_primera_linea",
            "integer",
            format_description(prefix_description, _("primera línea (desde 1) en el documento")),
            first or attr("source_first_line"),
        ),
        Column(
            "fuente_ultima_linea",
            "integer",
            format_description(prefix_description, _("última línea en el documento")),
            last or attr("source_last_line"),
        ),
    )
