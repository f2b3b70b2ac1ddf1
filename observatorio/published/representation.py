"""Programs as the API and the portal show them, read with a fixed number of plain queries.

:class:`~observatorio.api.serializers.ProgramSerializer` documents the shape (it
is what the OpenAPI schema says); this module produces it from ``values()``
rows instead of model instances, which is several times faster for a page of 50
or 500 programs, and formats dates, amounts and timestamps as DRF does (the API's
tests compare both outputs field by field, and Schemathesis checks every answer
against the schema).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from observatorio.programs import report
from observatorio.programs.models import BlockStatus, Program, ResultFigure

from . import caches, version

#: The report's declared fields stored in the program's own row, as the API shows them
#: (``programs/report.py``); the relations and figures are read apart below.
_STORED = {
    "objective": "objective__number",
    "state": "state__inegi_code",
    "challenges_none": "challenges_status",
}
_RELATED = ("objectives", "institutions", "populations", "figures")
DECLARED = tuple(
    (field.name, _STORED.get(field.name, field.name), field.kind)
    for field in report.FIELDS
    if field.kind not in _RELATED
)
FIELDS = tuple(
    dict.fromkeys(
        (
            "id",
            "cycle__edition",
            "section",
            "number",
            "actor",
            "state__name",
            "results_status",
            "has_quantitative_results",
            *(column for _name, column, _kind in DECLARED),
            "version",
            "updated_at",
            "source_id",
            "source__title",
            "source__publisher",
            "source__file_name",
            "source_first_line",
            "source_last_line",
        )
    )
)
#: The keys of a program as the API shows it, in order (ProgramSerializer's fields).
ORDER = (
    "id",
    "cycle",
    "section",
    "objective",
    "secondary_objectives",
    "number",
    "title",
    "actor",
    "state",
    "institutions",
    "populations",
    "description",
    "results",
    "results_none",
    "has_quantitative_results",
    "figures",
    "challenges",
    "challenges_none",
    *report.TERMS,
    "status",
    "version",
    "source",
    "updated_at",
)
FIGURE_FIELDS = ("program_id", *ResultFigure.CONTENT)


#: Numbers of ids a statement is compiled for; a list of ids is padded to the next one.
_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class _Statement:
    """A read query by a list of ids, compiled by the ORM once per database and size.

    Building and compiling the ORM query costs more than running it for a page of
    programs (about a millisecond each, three per page): the SQL is compiled once and
    run with the page's ids; the rows go through the compiler's own converters, so
    values are exactly what the ORM gives (dates, decimals, JSON on SQLite).
    ``test_the_fast_representation_is_the_serializers`` holds it to that.

    On PostgreSQL the ids are one array parameter (``id = ANY(%s)``, the form PostgreSQL
    gives an ``IN`` list anyway): one statement for every size, and a short query text,
    which psycopg converts once and caches (a text with hundreds of placeholders was
    split by a regular expression on every call: a tenth of an API request's CPU). On
    SQLite the statement is compiled for each size in :data:`_SIZES`, the ids padded with
    the last one (``IN`` ignores the repetition). A ``UNION`` takes the ids once per part.
    """

    def __init__(self, build):
        self.build = build  # ids -> a values_list() QuerySet
        self._compiled: dict = {}

    def _compile(self, vendor: str, size: int):
        dummy = list(range(1, size + 1))
        compiler = self.build(dummy).query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        # Only the ids may be parameters (once per part of a UNION); otherwise run the ORM
        # as usual.
        repeats, remainder = divmod(len(params), size)
        if remainder or not repeats or list(params) != dummy * repeats:
            return False
        if vendor == "postgresql":
            placeholders = f"IN ({', '.join(['%s'] * size)})"
            if sql.count(placeholders) != repeats or sql.count("%s") != size * repeats:
                return False
            sql = sql.replace(placeholders, "= ANY(%s)")
            size = 1
        return compiler, sql, repeats

    def rows(self, ids: list[int]) -> list[tuple]:
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        if vendor == "postgresql":
            size, ids = 1, [list(ids)]
        else:
            size = next((size for size in _SIZES if size >= len(ids)), None)
            if size is None:
                return list(self.build(ids))
            ids = [*ids, *[ids[-1]] * (size - len(ids))]
        key = (vendor, size)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(vendor, size)
        if not compiled:
            return list(self.build(ids if vendor != "postgresql" else ids[0]))
        compiler, sql, repeats = compiled
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, ids * repeats)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))


def _program_rows(ids):
    return Program.objects.filter(pk__in=ids).values_list(*FIELDS)


def _figure_rows(ids):
    return (
        ResultFigure.objects.filter(program_id__in=ids).order_by("id").values_list(*FIGURE_FIELDS)
    )


#: The related records a representation lists: (relation, key shown, order), each in the
#: catalogue's order.
RELATIONS = (
    ("institutions", "acronym", "acronym", False),
    ("populations", "code", "name_es", False),
    ("secondary_objectives", "number", "number", True),  # numbers, ordered as numbers
)


def _relation_rows(ids):
    """Every relation of :data:`RELATIONS` in one ``UNION ALL`` (one round trip, not three).

    Rows are (relation's index, program id, key, text order, number order, target id),
    sorted by the database as the three queries were: the order column of a text
    ordering is compared with the database's collation, that of a number as a number.
    """
    parts = []
    for index, (relation, key, order, numeric) in enumerate(RELATIONS):
        through = getattr(Program, relation).through
        target = getattr(Program, relation).field.m2m_reverse_field_name()
        parts.append(
            through.objects.filter(program_id__in=ids)
            .annotate(
                # A literal, not a parameter: only the ids may be parameters (_Statement).
                relation=RawSQL(str(int(index)), (), output_field=IntegerField()),  # noqa: S611
                key=Cast(f"{target}__{key}", output_field=CharField()),
                text_order=Cast(Value(None), output_field=CharField())  # typed NULL, for UNION
                if numeric
                else Cast(f"{target}__{order}", output_field=CharField()),
                number_order=Cast(f"{target}__{order}", output_field=IntegerField())
                if numeric
                else Cast(Value(None), output_field=IntegerField()),
                target=F(f"{target}_id"),
            )
            .values_list("relation", "program_id", "key", "text_order", "number_order", "target")
            .order_by()
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by(
        "relation", "program_id", "text_order", "number_order", "target"
    )


_PROGRAMS = _Statement(_program_rows)
_FIGURES = _Statement(_figure_rows)
_RELATIONS = _Statement(_relation_rows)


def _related(ids) -> dict[str, dict[int, list]]:
    """``{relation: {program id: [key of each related record, in the catalogue's order]}}``."""
    found = {relation: defaultdict(list) for relation, *_rest in RELATIONS}
    lists = [found[relation] for relation, *_rest in RELATIONS]
    numeric = [is_number for *_rest, is_number in RELATIONS]
    for index, program_id, key, _text, _number, _target in _RELATIONS.rows(ids):
        lists[index][program_id].append(int(key) if numeric[index] else key)
    return found


#: Amounts and figure values have two decimal places (the model's columns).
_CENTS = Decimal("0.01")


def _amount(value) -> str | None:
    """A decimal as the API writes it: a string with its two places (``"1500.00"``)."""
    return None if value is None else format(Decimal(value).quantize(_CENTS), "f")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _timestamps():
    """A formatter of aware timestamps in the current time zone, looked up once: ISO 8601,
    with ``Z`` for UTC (as DRF writes them)."""
    zone = timezone.get_current_timezone()

    def represent(value):
        if not value:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def programs_as_dicts(ids: list[int]) -> list[dict]:
    """The programs whose ids are *ids*, in that order (unknown ids are skipped)."""
    if not ids:
        return []
    updated = _timestamps()
    unique = list(dict.fromkeys(ids))
    rows = {row[0]: dict(zip(FIELDS, row, strict=True)) for row in _PROGRAMS.rows(unique)}
    related = _related(unique)
    institutions = related["institutions"]
    populations = related["populations"]
    secondary = related["secondary_objectives"]
    figures = defaultdict(list)
    for row in _FIGURES.rows(unique):
        figure = dict(zip(FIGURE_FIELDS, row, strict=True))
        figure["value"] = _amount(figure["value"])
        figures[figure.pop("program_id")].append(figure)

    result = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        acronyms = institutions.get(pk, [])
        owner = (
            row["state__name"]
            if row["section"] == Program.Section.STATE and row["state__inegi_code"]
            else "-".join(acronyms)
        )
        shown = {
            "id": pk,
            "cycle": row["cycle__edition"],
            "section": row["section"],
            "number": row["number"],
            "actor": row["actor"] or owner,
            "results_none": row["results_status"] == BlockStatus.NONE,
            "has_quantitative_results": row["has_quantitative_results"],
            "secondary_objectives": secondary.get(pk, []),
            "institutions": acronyms,
            "populations": populations.get(pk, []),
            "figures": figures.get(pk, []),
        }
        for name, column, kind in DECLARED:
            value = row[column]
            if kind == "date":
                value = _day(value)
            elif kind == "amount":
                value = _amount(value)
            elif kind == "links":
                value = list(value or [])
            elif name == "challenges_none":
                value = value == BlockStatus.NONE
            shown[name] = value
        shown["version"] = row["version"]
        shown["source"] = (
            {
                "document": row["source__title"],
                "publisher": row["source__publisher"],
                "file": row["source__file_name"],
                "first_line": row["source_first_line"],
                "last_line": row["source_last_line"],
            }
            if row["source_id"]
            else None
        )
        shown["updated_at"] = updated(row["updated_at"])
        # In the order the API documents (ProgramSerializer's fields).
        result.append({key: shown[key] for key in ORDER})
    return result


def published_as_dicts(ids: list[int]) -> list[dict]:
    """:func:`programs_as_dicts` for published programs, through the per-worker cache.

    Only for programs every client may see: the data version changes with anything
    published or withdrawn (:mod:`observatorio.published.version`), not with drafts.
    The dicts are shared: callers must not change them.
    """
    data_version = version.current()
    found = {pk: caches.REPRESENTATIONS.get(data_version, pk) for pk in ids}
    missing = [pk for pk, row in found.items() if row is None]
    for row in programs_as_dicts(missing):
        found[row["id"]] = row
        caches.REPRESENTATIONS.put(data_version, row["id"], row)
    return [found[pk] for pk in ids if found.get(pk) is not None]
