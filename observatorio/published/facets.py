"""Facet counts without SQL: the published programs' facet attributes as bitsets, per process.

The search page shows, for eight facets, how many programs each value would
give *with every other filter applied*. Done in SQL that is one ``GROUP BY``
per facet per request, each over ``pk IN (…thousands…)`` when there is a
query: far too slow at 50,000 programs. Instead each worker process keeps a
:class:`FacetIndex`, built once per data version
(:mod:`observatorio.published.version`):

* the published programs numbered 0…n-1 in compendium order (the order the
  database itself gives for ``ORDERING``, so collations and ``NULL`` placement
  are the database's);
* for every value of every facet (a part, a cycle, an objective, a state, a
  region of any scheme, an institution, a population group, yes/no for
  quantitative results) the set of programs that have it, as a Python ``int``
  used as a bitset (bit *i* = program *i*);
* the catalogue labels and the database's own sort order of names and codes.

A filter is the bitset of its value, a search is the bitset of its hits, and
their combination a bitwise AND; a facet count is ``(value & base).bit_count()``.
At 51,900 programs a bitset is 6.5 kB and one AND plus a count takes a few
microseconds, so all ~150 facet values of a page cost about a millisecond.
Building the index (one ordered query over the published programs, the two
many-to-many tables, the catalogues) takes about 0.45 s of CPU on SQLite and
0.2 s on PostgreSQL at that scale, once per worker after each change of the
data version. Search hits arrive numbered by the search index
(``sort_key`` order); :meth:`FacetIndex.link` maps them to this numbering
with a :class:`~observatorio.published.bits.Renumbering` (ten runs, one per cycle).

:class:`PracticeIndex` does the same for the good-practices tab (44 rows).

The SQL version stays in ``querying.programs_for_sql``: it is the reference the
tests compare this with, and the fallback for a filter this index does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

from django.db import connection
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, Region, State
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.published import caches, version
from observatorio.published.bits import Renumbering, bitset, column_bitsets, selection
from observatorio.published.filters import COMPENDIUM_ORDER, DEFAULT_REGION_SCHEME

#: The compendium order (``ProgramFilter.ordered_ids`` without a search).
ORDERING = COMPENDIUM_ORDER

#: Filter names (``ProgramFilter``) this index can apply; "search" is applied by the caller.
KNOWN_FILTERS = frozenset(
    {
        "search",
        "objective",
        "section",
        "state",
        "region",
        "institution",
        "population",
        "cycle",
        "quantitative",
    }
)


@dataclass(frozen=True)
class Row:
    """One facet value as the page shows it (``querying.FacetValue`` without ``selected``)."""

    value: str
    label: str
    count: int


def _integral(value) -> int | None:
    """An objective or cycle number as the database compares it: Django's integer fields
    truncate the filter value (``7.5`` selects objective 7)."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


PUBLISHED = Program.Status.PUBLISHED


def _pairs(model, name: str, **filters):
    """(owner id, related id) rows of a many-to-many table."""
    field = model._meta.get_field(name)
    return (
        field.remote_field.through.objects.filter(**filters)
        .values_list(f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id")
        .iterator(chunk_size=10_000)
    )


class FacetIndex:
    """The published programs and their facet values in one data version."""

    def __init__(self, data_version: str = ""):
        self.version = data_version
        self._link = None
        # The ORM writes the query (joins, ordering: the database's collation and NULL
        # placement); the rows are read raw, without per-row conversion.
        query = (
            Program.objects.published()
            .order_by(*ORDERING)
            .values_list(
                "pk",
                "section",
                "cycle__edition",
                "objective__number",
                "state_id",
                "has_quantitative_results",
            )
        )
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        self.size = size = len(rows)
        columns = list(zip(*rows, strict=True)) if rows else [()] * 6
        self.order = list(columns[0])
        self.position = {pk: i for i, pk in enumerate(self.order)}
        self.all = (1 << size) - 1

        def group(pairs) -> dict:
            positions: dict = {}
            for key, i in pairs:
                positions.setdefault(key, []).append(i)
            return {key: bitset(found, size) for key, found in positions.items()}

        self.section = column_bitsets(columns[1])
        self.cycle = column_bitsets(columns[2])
        self.objective = column_bitsets(columns[3])
        self.state = column_bitsets(columns[4])
        self.state.pop(None, None)
        # SQLite returns the boolean as 0/1, PostgreSQL as False/True; NULL has no facet value.
        self.quantitative = column_bitsets([None if v is None else bool(v) for v in columns[5]])
        self.quantitative.pop(None, None)
        position = self.position
        self.institution = group(
            (value, position[program])
            for program, value in _pairs(Program, "institutions", program__status=PUBLISHED)
            if program in position
        )
        self.population = group(
            (value, position[program])
            for program, value in _pairs(Program, "populations", program__status=PUBLISHED)
            if program in position
        )
        self.region = {}
        for region, state in _pairs(Region, "members"):
            self.region[region] = self.region.get(region, 0) | self.state.get(state, 0)
        # Catalogue labels, and the database's own order of the names and codes it sorts by.
        self.objectives = {
            number: (short_es, short_en)
            for number, short_es, short_en in GcmObjective.objects.values_list(
                "number", "short_es", "short_en"
            )
        }
        self.states = list(State.objects.order_by("name").values_list("pk", "inegi_code", "name"))
        self.regions = list(
            Region.objects.filter(scheme=DEFAULT_REGION_SCHEME)
            .order_by("name")
            .values_list("pk", "code", "name")
        )
        self.institutions = list(
            Institution.objects.order_by("acronym").values_list("pk", "acronym")
        )
        self.populations = list(
            PopulationGroup.objects.order_by("code").values_list("pk", "code", "name_es", "name_en")
        )

    # --- filters ---------------------------------------------------------------------------

    def mask_for(self, name: str, value) -> int:
        """The programs a cleaned ``ProgramFilter`` value selects (``name`` ≠ "search")."""
        if name == "objective":
            return self.objective.get(_integral(value), 0)
        if name == "cycle":
            return self.cycle.get(_integral(value), 0)
        if name == "section":
            return self.section.get(value, 0)
        if name == "state":
            return self.state.get(value.pk, 0)
        if name == "region":
            return self.region.get(value.pk, 0)
        if name == "institution":
            return self.institution.get(value.pk, 0)
        if name == "population":
            return self.population.get(value.pk, 0)
        if name == "quantitative":
            return self.quantitative.get(bool(value), 0)
        raise KeyError(name)

    def ids(self, mask: int) -> list[int]:
        """Ids of the programs in *mask*, in compendium order."""
        if mask == self.all:
            return list(self.order)
        return list(compress(self.order, selection(mask, self.size)))

    def link(self, search_index) -> Renumbering:
        """From the search index's entry numbering to this one (published programs only)."""
        found = self._link
        if found is None or found[0] is not search_index:
            position = self.position
            pairs = [
                (i, position[target])
                for i, (kind, target) in enumerate(
                    zip(search_index.kinds, search_index.targets, strict=True)
                )
                if kind == "programa" and target in position
            ]
            found = self._link = (search_index, Renumbering(pairs, search_index.size, self.size))
        return found[1]

    # --- counts ----------------------------------------------------------------------------

    def rows(self, spanish: str, base: int, english: bool) -> list[Row]:
        """One facet's values with their counts within *base*, as ``_facet_rows`` lists them."""
        if spanish == "parte":
            return [
                Row(section, str(Program.Section(section).label), n)
                for section, n in sorted(self._counts(self.section, base).items())
            ]
        if spanish == "ciclo":
            return [
                Row(str(edition), str(edition), n)
                for edition, n in sorted(self._counts(self.cycle, base).items(), reverse=True)
            ]
        if spanish == "objetivo":
            rows = []
            for number, n in sorted(self._counts(self.objective, base).items()):
                short_es, short_en = self.objectives[number]
                label = f"{number}. " + ((english and short_en) or short_es)
                rows.append(Row(str(number), label, n))
            return rows
        if spanish == "entidad":
            counts = self._counts(self.state, base)
            return [Row(code, name, counts[pk]) for pk, code, name in self.states if pk in counts]
        if spanish == "region":
            counts = self._counts(self.region, base)
            return [Row(code, name, counts[pk]) for pk, code, name in self.regions if pk in counts]
        if spanish == "institucion":
            counts = self._counts(self.institution, base)
            ranked = [
                (-counts[pk], rank, acronym)
                for rank, (pk, acronym) in enumerate(self.institutions)
                if pk in counts
            ]
            return [Row(acronym, acronym, -n) for n, _rank, acronym in sorted(ranked)]
        if spanish == "poblacion":
            counts = self._counts(self.population, base)
            ranked = [
                (-counts[pk], rank, code, (english and name_en) or name_es)
                for rank, (pk, code, name_es, name_en) in enumerate(self.populations)
                if pk in counts
            ]
            return [Row(code, label, -n) for n, _rank, code, label in sorted(ranked)]
        if spanish == "cuantitativos":
            counts = self._counts(self.quantitative, base)
            return [
                Row(value, str(label), counts[flag])
                for value, label, flag in (("si", _("Sí"), True), ("no", _("No"), False))
                if counts.get(flag)
            ]
        raise KeyError(spanish)

    @staticmethod
    def _counts(masks: dict, base: int) -> dict:
        counts = {}
        for key, mask in masks.items():
            n = (mask & base).bit_count()
            if n:
                counts[key] = n
        return counts


def facet_index(data_version: str | None = None) -> FacetIndex:
    """This process's facet index for the current (or given) data version."""
    return caches.FACETS.get(data_version or version.current(), FacetIndex)


class PracticeIndex:
    """The good practices with their states and regions, for ``querying.practices_for``.

    Forty-four rows today: kept per data version so that the good-practices tab
    (and the tab's count, shown on every search page) costs no query.
    """

    def __init__(self, data_version: str = ""):
        self.version = data_version
        self.practices = list(
            GoodPractice.objects.select_related("state", "region").order_by("state__name", "number")
        )
        self.states = {
            code: (pk, code, name)
            for pk, code, name in State.objects.values_list("pk", "inegi_code", "name")
        }
        self.state_rank = {
            pk: rank
            for rank, pk in enumerate(State.objects.order_by("name").values_list("pk", flat=True))
        }
        default = Region.objects.filter(scheme=DEFAULT_REGION_SCHEME).order_by("name")
        self.regions = list(default.values_list("pk", "code", "name"))
        self.region_by_code = {code: (pk, code, name) for pk, code, name in self.regions}
        self.members: dict[int, set[int]] = {pk: set() for pk, _code, _name in self.regions}
        for region, state in _pairs(Region, "members", region__scheme=DEFAULT_REGION_SCHEME):
            self.members[region].add(state)


def practice_index(data_version: str | None = None) -> PracticeIndex:
    """This process's good-practice index for the current (or given) data version."""
    return caches.PRACTICE_FACETS.get(data_version or version.current(), PracticeIndex)
