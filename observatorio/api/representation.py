"""Programs as the API shows them, read with a fixed number of plain queries.

:class:`~observatorio.api.serializers.ProgramSerializer` documents the shape (it
is what the OpenAPI schema says); this module produces it from ``values()``
rows instead of model instances, which is several times faster for a page of 50
or 500 programs. ``test_representation`` checks that both give the same output,
and Schemathesis checks every answer against the schema.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connections

from observatorio.programs.models import BlockStatus, Program, ResultFigure
from observatorio.search import version

from .serializers import ProgramSerializer

FIELDS = (
    "id",
    "cycle__edition",
    "section",
    "objective__number",
    "number",
    "title",
    "actor",
    "state__inegi_code",
    "state__name",
    "description",
    "results",
    "results_status",
    "has_quantitative_results",
    "challenges",
    "challenges_status",
    "start_date",
    "end_date",
    "permanent",
    "budget",
    "execution",
    "links",
    "status",
    "version",
    "updated_at",
    "source_id",
    "source__title",
    "source__publisher",
    "source__file_name",
    "source_first_line",
    "source_last_line",
)
FIGURE_FIELDS = ("program_id", "label", "value", "unit", "sex", "age_group", "nationality")


#: Numbers of ids a statement is compiled for; a list of ids is padded to the next one.
_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class _Statement:
    """A read query by a list of ids, compiled by the ORM once per database and size.

    Building and compiling the ORM query costs more than running it for a page of
    programs (about a millisecond each, five per page): the SQL is compiled once for
    each size in :data:`_SIZES` (the ids padded with the last one: ``IN`` ignores the
    repetition) and run with the page's ids; the rows go through the compiler's own
    converters, so values are exactly what the ORM gives (dates, decimals, JSON on
    SQLite). ``test_the_fast_representation_is_the_serializers`` holds it to that.
    """

    def __init__(self, build):
        self.build = build  # ids -> a values_list() QuerySet
        self._compiled: dict = {}

    def rows(self, ids: list[int]) -> list[tuple]:
        size = next((size for size in _SIZES if size >= len(ids)), None)
        if size is None:
            return list(self.build(ids))
        alias = DEFAULT_DB_ALIAS
        key = (connections[alias].vendor, size)
        compiled = self._compiled.get(key)
        if compiled is None:
            dummy = list(range(1, size + 1))
            compiler = self.build(dummy).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            # Only the ids may be parameters; otherwise run the ORM as usual.
            compiled = (compiler, sql) if list(params) == dummy else False
            self._compiled[key] = compiled
        if not compiled:
            return list(self.build(ids))
        compiler, sql = compiled
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [*ids, *[ids[-1]] * (size - len(ids))])
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))


def _program_rows(ids):
    return Program.objects.filter(pk__in=ids).values_list(*FIELDS)


def _figure_rows(ids):
    return (
        ResultFigure.objects.filter(program_id__in=ids).order_by("id").values_list(*FIGURE_FIELDS)
    )


def _relation_rows(relation: str, key: str, order: str):
    through = getattr(Program, relation).through
    target = getattr(Program, relation).field.m2m_reverse_field_name()

    def build(ids):
        return (
            through.objects.filter(program_id__in=ids)
            .order_by(f"{target}__{order}", f"{target}_id")
            .values_list("program_id", f"{target}__{key}")
        )

    return _Statement(build)


_PROGRAMS = _Statement(_program_rows)
_FIGURES = _Statement(_figure_rows)
_RELATIONS = {
    "institutions": _relation_rows("institutions", "acronym", "acronym"),
    "populations": _relation_rows("populations", "code", "name_es"),
    "secondary_objectives": _relation_rows("secondary_objectives", "number", "number"),
}


def _related(ids, relation: str) -> dict[int, list]:
    """``{program id: [key of each related record, in the catalogue's order]}``."""
    found = defaultdict(list)
    for program_id, value in _RELATIONS[relation].rows(ids):
        found[program_id].append(value)
    return found


@lru_cache(maxsize=1)
def _fields():
    """The serializer's own fields, to format values exactly as it does."""
    return ProgramSerializer().fields


def programs_as_dicts(ids: list[int]) -> list[dict]:
    """The programs whose ids are *ids*, in that order (unknown ids are skipped)."""
    if not ids:
        return []
    fields = _fields()
    budget, date, updated = fields["budget"], fields["start_date"], fields["updated_at"]
    value_field = fields["figures"].child.fields["value"]
    unique = list(dict.fromkeys(ids))
    rows = {row[0]: dict(zip(FIELDS, row, strict=True)) for row in _PROGRAMS.rows(unique)}
    institutions = _related(unique, "institutions")
    populations = _related(unique, "populations")
    secondary = _related(unique, "secondary_objectives")
    figures = defaultdict(list)
    for row in _FIGURES.rows(unique):
        figure = dict(zip(FIGURE_FIELDS, row, strict=True))
        figure["value"] = value_field.to_representation(figure["value"])
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
        result.append(
            {
                "id": pk,
                "cycle": row["cycle__edition"],
                "section": row["section"],
                "objective": row["objective__number"],
                "secondary_objectives": secondary.get(pk, []),
                "number": row["number"],
                "title": row["title"],
                "actor": row["actor"] or owner,
                "state": row["state__inegi_code"],
                "institutions": acronyms,
                "populations": populations.get(pk, []),
                "description": row["description"],
                "results": row["results"],
                "results_none": row["results_status"] == BlockStatus.NONE,
                "has_quantitative_results": row["has_quantitative_results"],
                "figures": figures.get(pk, []),
                "challenges": row["challenges"],
                "challenges_none": row["challenges_status"] == BlockStatus.NONE,
                "start_date": date.to_representation(row["start_date"])
                if row["start_date"]
                else None,
                "end_date": date.to_representation(row["end_date"]) if row["end_date"] else None,
                "permanent": row["permanent"],
                "budget": budget.to_representation(row["budget"])
                if row["budget"] is not None
                else None,
                "execution": row["execution"],
                "links": list(row["links"] or []),
                "status": row["status"],
                "version": row["version"],
                "source": {
                    "document": row["source__title"],
                    "publisher": row["source__publisher"],
                    "file": row["source__file_name"],
                    "first_line": row["source_first_line"],
                    "last_line": row["source_last_line"],
                }
                if row["source_id"]
                else None,
                "updated_at": updated.to_representation(row["updated_at"]),
            }
        )
    return result


def _text_weight(row: dict) -> int:
    """About how many bytes a representation holds (its long texts dominate)."""
    return 600 + sum(len(row[name] or "") for name in ("title", "description", "results"))


#: Representations of published programs for the current data version, per worker: the
#: public list's pages overlap (searches, filters and harvesting meet the same programs).
PUBLISHED = version.ResultCache(
    "api programs", max_items=20_000, max_weight=24_000_000, weight=_text_weight
)


def published_as_dicts(ids: list[int]) -> list[dict]:
    """:func:`programs_as_dicts` for published programs, through the per-worker cache.

    Only for programs every client may see: the data version changes with anything
    published or withdrawn (:mod:`observatorio.search.version`), not with drafts.
    The dicts are shared: callers must not change them.
    """
    data_version = version.current()
    found = {pk: PUBLISHED.get(data_version, pk) for pk in ids}
    missing = [pk for pk, row in found.items() if row is None]
    for row in programs_as_dicts(missing):
        found[row["id"]] = row
        PUBLISHED.put(data_version, row["id"], row)
    return [found[pk] for pk in ids if found.get(pk) is not None]
