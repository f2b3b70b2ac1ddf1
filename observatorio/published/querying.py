"""What the portal shows for a query string: the filtered programs, their order and facet counts.

The search page, the open-data downloads of "what is shown" and the benchmark
all go through :func:`programs_for`, which reads the portal's Spanish URL
parameters, validates them with the one filter definition
(:class:`observatorio.published.filters.ProgramFilter`) and returns the ordered
ids plus, for every facet, the count of programs per value *with every other
filter applied* (so a visitor can switch between values of a facet and see
what each would give). Invalid values are dropped and reported, never fatal.

Good practices have their own, smaller query (:func:`practices_for`): search
words, state and region.

How it stays fast at 50,000 programs (ARCHITECTURE.md, "Decisions"; bench/RESULTS.md)
    The parameters are still validated by ``ProgramFilter`` (so the API, the
    downloads and the portal cannot disagree about what a value means), but
    its query set is never run: the search comes from the postings index
    (:func:`observatorio.published.index.ranked_ids`) and the filters and facet
    counts from this process's bitset index of the published programs
    (:mod:`observatorio.published.facets`). Whole results are kept per
    normalised parameter set and language in a small per-process cache, for
    the current data version only (:mod:`observatorio.published.version`: one
    primary-key read per call tells whether anything was published,
    withdrawn or edited since). :func:`programs_for_sql` is the original SQL
    implementation: the reference the tests compare with, and the fallback
    should ``ProgramFilter`` gain a filter the bitset index does not know.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Region, State
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.published import caches, version
from observatorio.published.filters import (
    DEFAULT_REGION_SCHEME,
    PORTAL_PARAMS,
    ProgramFilter,
    portal_data,
)
from observatorio.published.index import hits as index_hits
from observatorio.published.index import ranked_ids

from .facets import KNOWN_FILTERS, facet_index, practice_index
from .ordering import RELEVANCE, order_of, ordered

#: Facet (portal parameter) → its heading, in the order the page shows them.
FACETS = {
    "parte": _("Parte"),
    "ciclo": _("Ciclo"),
    "objetivo": _("Objetivo del Pacto Mundial"),
    "entidad": _("Entidad federativa"),
    "region": _("Región"),
    "institucion": _("Institución"),
    "poblacion": _("Grupo de población"),
    "cuantitativos": _("Resultados cuantitativos"),
}
FILTER_OF = {spanish: name for spanish, name in PORTAL_PARAMS.items()}


@dataclass
class FacetValue:
    value: str  # as written in the URL
    label: str
    count: int
    selected: bool = False


@dataclass
class ProgramResults:
    ids: list[int]
    query: str
    applied: dict[str, str]  # portal parameter → value as written in the URL (valid only)
    facets: dict[str, list[FacetValue]]
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (facet heading, message)
    order: str = RELEVANCE  # ordering.ORDERS


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _filterset(data: dict) -> ProgramFilter:
    return ProgramFilter(data, queryset=Program.objects.published())


def _url_value(spanish: str, value) -> str:
    """The URL form of a cleaned filter value."""
    if spanish == "entidad":
        return value.inegi_code
    if spanish == "institucion":
        return value.acronym
    if spanish == "poblacion":
        return value.code
    if spanish == "region":
        if value.scheme == DEFAULT_REGION_SCHEME:
            return value.code
        return f"{value.scheme}:{value.code}"
    if spanish == "cuantitativos":
        return "si" if value else "no"
    return str(value)


def _facet_rows(spanish: str, base) -> list[FacetValue]:
    """Count the programs of *base* per value of one facet."""
    english = _english()
    if spanish == "parte":
        rows = base.values("section").annotate(n=Count("id")).order_by("section")
        return [
            FacetValue(r["section"], str(Program.Section(r["section"]).label), r["n"]) for r in rows
        ]
    if spanish == "ciclo":
        rows = base.values("cycle__edition").annotate(n=Count("id")).order_by("-cycle__edition")
        return [
            FacetValue(str(r["cycle__edition"]), str(r["cycle__edition"]), r["n"]) for r in rows
        ]
    if spanish == "objetivo":
        rows = (
            base.values("objective__number", "objective__short_es", "objective__short_en")
            .annotate(n=Count("id"))
            .order_by("objective__number")
        )
        return [
            FacetValue(
                str(r["objective__number"]),
                f"{r['objective__number']}. "
                + ((english and r["objective__short_en"]) or r["objective__short_es"]),
                r["n"],
            )
            for r in rows
        ]
    if spanish == "entidad":
        rows = (
            base.exclude(state=None)
            .values("state__inegi_code", "state__name")
            .annotate(n=Count("id"))
            .order_by("state__name")
        )
        return [FacetValue(r["state__inegi_code"], r["state__name"], r["n"]) for r in rows]
    if spanish == "region":
        regions = (
            Region.objects.filter(scheme=DEFAULT_REGION_SCHEME)
            .annotate(
                n=Count("members__programs", filter=Q(members__programs__in=base.values("pk")))
            )
            .filter(n__gt=0)
            .order_by("name")
        )
        return [FacetValue(r.code, r.name, r.n) for r in regions]
    if spanish == "institucion":
        rows = (
            base.exclude(institutions=None)
            .values("institutions__acronym", "institutions__name")
            .annotate(n=Count("id"))
            .order_by("-n", "institutions__acronym")
        )
        return [
            FacetValue(r["institutions__acronym"], r["institutions__acronym"], r["n"]) for r in rows
        ]
    if spanish == "poblacion":
        rows = (
            base.exclude(populations=None)
            .values("populations__code", "populations__name_es", "populations__name_en")
            .annotate(n=Count("id"))
            .order_by("-n", "populations__code")
        )
        return [
            FacetValue(
                r["populations__code"],
                (english and r["populations__name_en"]) or r["populations__name_es"],
                r["n"],
            )
            for r in rows
        ]
    if spanish == "cuantitativos":
        rows = dict(base.values_list("has_quantitative_results").annotate(n=Count("id")).order_by())
        return [
            FacetValue(value, str(label), rows[flag])
            for value, label, flag in (("si", _("Sí"), True), ("no", _("No"), False))
            if rows.get(flag)
        ]
    raise KeyError(spanish)


_BY_NAME = {name: spanish for spanish, name in PORTAL_PARAMS.items()}


def _validated(data: dict) -> tuple[ProgramFilter, list[tuple[str, str]]]:
    """The filter set for *data* once invalid values are dropped (*data* loses them too)."""
    filterset = _filterset(data)
    filterset.is_valid()
    ignored = []
    for name in filterset.errors:
        spanish = _BY_NAME.get(name, name)
        heading = FACETS.get(spanish, _("Palabras"))
        ignored.append((str(heading), " ".join(str(e) for e in filterset.errors[name])))
        data.pop(name, None)
    if ignored:
        filterset = _filterset(data)
        filterset.is_valid()
    return filterset, ignored


def _applied(applied_clean: dict) -> dict[str, str]:
    return {
        _BY_NAME[name]: _url_value(_BY_NAME[name], value)
        for name, value in applied_clean.items()
        if name != "search"
    }


@dataclass(frozen=True)
class _Computed:
    """What :func:`programs_for` caches: immutable, copied into a fresh result per call."""

    ids: tuple[int, ...]  # the same int objects as the indexes': 8 bytes per id
    query: str
    applied: tuple[tuple[str, str], ...]
    facets: tuple[tuple[str, tuple[tuple[str, str, int, bool], ...]], ...]
    ignored: tuple[tuple[str, str], ...]

    def result(self, order: str = RELEVANCE) -> ProgramResults:
        return ProgramResults(
            ids=list(self.ids),
            query=self.query,
            applied=dict(self.applied),
            facets={key: [FacetValue(*value) for value in values] for key, values in self.facets},
            ignored=list(self.ignored),
            order=order,
        )


#: Computed results for the current data version, per normalised parameters and language.


def programs_for(query) -> ProgramResults:
    """Validate the portal parameters in *query* (a QueryDict or dict) and run them.

    ``orden`` (:data:`~observatorio.published.ordering.ORDERS`) sorts the ids; an unknown
    order is relevance.
    """
    data = portal_data(query)
    order = order_of(query.get("orden"))
    data_version = version.current()
    key = (
        get_language(),
        order,
        tuple(sorted((name, str(value)) for name, value in data.items())),
    )
    computed = caches.RESULTS.get(data_version, key)
    if computed is None:
        computed = _compute(data, data_version)
        if order != RELEVANCE:
            computed = replace(computed, ids=tuple(ordered(computed.ids, order, data_version)))
        caches.RESULTS.put(data_version, key, computed)
    return computed.result(order)


def _compute(data: dict, data_version: str) -> _Computed:
    filterset, ignored = _validated(data)
    applied_clean = filterset.applied
    if not set(applied_clean) <= KNOWN_FILTERS:
        sql = _programs_for_sql(data, filterset, ignored)
        return _Computed(
            ids=tuple(sql.ids),
            query=sql.query,
            applied=tuple(sql.applied.items()),
            facets=tuple(
                (key, tuple((v.value, v.label, v.count, v.selected) for v in values))
                for key, values in sql.facets.items()
            ),
            ignored=tuple(ignored),
        )
    applied = _applied(applied_clean)
    query_text = (applied_clean.get("search") or "").strip()
    index = facet_index(data_version)
    ids, masks = _selected(index, applied_clean, data_version)
    english = _english()
    facets = []
    for spanish in FACETS:
        name = FILTER_OF[spanish]
        base = index.all
        for other, mask in masks.items():
            if other != name:
                base &= mask
        picked = applied.get(spanish)
        rows = index.rows(spanish, base, english)
        facets.append(
            (spanish, tuple((r.value, r.label, r.count, r.value == picked) for r in rows))
        )
    return _Computed(
        ids=tuple(ids),
        query=query_text,
        applied=tuple(applied.items()),
        facets=tuple(facets),
        ignored=tuple(ignored),
    )


def _selected(index, applied_clean: dict, data_version: str) -> tuple[list[int], dict]:
    """The ordered ids *applied_clean* selects, and each filter's bitset (for the counts)."""
    masks = {}
    found = link = None
    for name, value in applied_clean.items():
        if name == "search":
            if value.strip():
                found = index_hits(value.strip(), "programa", data_version)
                link = index.link(found.index)
                masks[name] = link.forward(found.mask)
        else:
            masks[name] = index.mask_for(name, value)
    chosen = index.all
    for mask in masks.values():
        chosen &= mask
    if found is None:
        return index.ids(chosen), masks
    # Relevance order: the hits, kept if every other filter lets them through.
    within = link.backward(chosen)
    return found.targets(within=None if within == found.mask else within), masks


def published_ids(filterset: ProgramFilter) -> list[int]:
    """The published programs a *validated* ``ProgramFilter`` selects, in its order.

    The same ids as ``filterset.ordered_ids()`` over ``Program.objects.published()``
    (by relevance with a search, in compendium order without), taken from this
    process's indexes instead of SQL: what the API answers anonymous clients with.
    """
    applied_clean = filterset.applied
    if not set(applied_clean) <= KNOWN_FILTERS:
        return filterset.ordered_ids()
    data_version = version.current()
    return _selected(facet_index(data_version), applied_clean, data_version)[0]


def programs_for_sql(query) -> ProgramResults:
    """:func:`programs_for` in SQL: one ``GROUP BY`` per facet (the reference; slow at scale)."""
    data = portal_data(query)
    filterset, ignored = _validated(data)
    return _programs_for_sql(data, filterset, ignored)


def _programs_for_sql(data: dict, filterset, ignored) -> ProgramResults:
    applied_clean = filterset.applied
    applied = _applied(applied_clean)
    query_text = (applied_clean.get("search") or "").strip()
    ids = filterset.ordered_ids()

    facets = {}
    for spanish in FACETS:
        name = FILTER_OF[spanish]
        if name in applied_clean:
            others = {k: v for k, v in data.items() if k != name}
            sub = _filterset(others)
            sub.is_valid()
            base = sub.qs
        else:
            base = filterset.qs
        values = _facet_rows(spanish, base)
        chosen = applied.get(spanish)
        for value in values:
            value.selected = value.value == chosen
        facets[spanish] = values
    return ProgramResults(
        ids=ids, query=query_text, applied=applied, facets=facets, ignored=ignored
    )


@dataclass
class PracticeResults:
    practices: list[GoodPractice]
    query: str
    applied: dict[str, str]
    facets: dict[str, list[FacetValue]]


#: Computed practice results for the current data version, per parameters and language.


def practices_for(query) -> PracticeResults:
    """Good practices matching the words in ``q`` and the ``entidad``/``region`` filters."""
    text = str(query.get("q") or "")[:200].strip()
    state_code = str(query.get("entidad") or "")[:2]
    region_code = str(query.get("region") or "")[:50]
    data_version = version.current()
    key = (get_language(), text, state_code, region_code)
    found = caches.PRACTICE_RESULTS.get(data_version, key)
    if found is None:
        found = _practices_for(text, state_code, region_code, data_version)
        caches.PRACTICE_RESULTS.put(data_version, key, found)
    # The cached instances are shared read-only; the lists and facet values are fresh.
    return PracticeResults(
        practices=list(found.practices),
        query=found.query,
        applied=dict(found.applied),
        facets={
            key: [FacetValue(v.value, v.label, v.count, v.selected) for v in values]
            for key, values in found.facets.items()
        },
    )


def _practices_for(text: str, state_code: str, region_code: str, data_version: str):
    """:func:`practices_for_sql` over this process's :class:`~.facets.PracticeIndex`."""
    index = practice_index(data_version)
    scope = index.practices
    ranking = None
    if text:
        ranking = ranked_ids(text, "practica", data_version)
        wanted = set(ranking)
        scope = [p for p in scope if p.pk in wanted]
    applied = {}
    state = index.states.get(state_code)
    region = index.region_by_code.get(region_code)
    members = index.members[region[0]] if region else set()
    by_state = [p for p in scope if p.state_id == state[0]] if state else scope
    by_region = [p for p in scope if p.state_id in members] if region else scope
    if state:
        applied["entidad"] = state[1]
    if region:
        applied["region"] = region[1]
    practices = [p for p in by_state if p.state_id in members] if region else list(by_state)
    if ranking is not None:
        position = {pk: i for i, pk in enumerate(ranking)}
        practices.sort(key=lambda p: position[p.pk])
    per_state = Counter(p.state_id for p in by_region)
    rank = index.state_rank
    state_rows = sorted(
        ((rank[pk], pk, n) for pk, n in per_state.items()),
    )
    by_pk = {pk: (code, name) for pk, code, name in index.states.values()}
    in_by_state = Counter(p.state_id for p in by_state)
    facets = {
        "entidad": [
            FacetValue(by_pk[pk][0], by_pk[pk][1], n, by_pk[pk][0] == applied.get("entidad"))
            for _rank, pk, n in state_rows
        ],
        "region": [
            FacetValue(code, name, n, code == applied.get("region"))
            for pk, code, name in index.regions
            if (n := sum(in_by_state[state] for state in index.members[pk]))
        ],
    }
    return PracticeResults(practices=practices, query=text, applied=applied, facets=facets)


def practices_for_sql(query) -> PracticeResults:
    """:func:`practices_for` in SQL (the reference the tests compare with)."""
    text = str(query.get("q") or "")[:200].strip()
    state_code = str(query.get("entidad") or "")[:2]
    region_code = str(query.get("region") or "")[:50]
    scope = GoodPractice.objects.select_related("state", "region")
    ranking = None
    if text:
        ranking = ranked_ids(text, "practica")
        scope = scope.filter(pk__in=ranking)
    applied = {}
    state = State.objects.filter(inegi_code=state_code).first()
    region = Region.objects.filter(scheme=DEFAULT_REGION_SCHEME, code=region_code).first()
    by_state = scope.filter(state=state) if state else scope
    by_region = scope.filter(state__regions=region) if region else scope
    if state:
        applied["entidad"] = state.inegi_code
    if region:
        applied["region"] = region.code
    chosen = by_state.filter(state__regions=region) if region else by_state
    practices = list(chosen.order_by("state__name", "number"))
    if ranking is not None:
        position = {pk: i for i, pk in enumerate(ranking)}
        practices.sort(key=lambda p: position[p.pk])
    state_rows = (
        by_region.values("state__inegi_code", "state__name")
        .annotate(n=Count("id"))
        .order_by("state__name")
    )
    regions = (
        Region.objects.filter(scheme=DEFAULT_REGION_SCHEME)
        .annotate(n=Count("members__practices", filter=Q(members__practices__in=by_state)))
        .filter(n__gt=0)
        .order_by("name")
    )
    facets = {
        "entidad": [
            FacetValue(
                r["state__inegi_code"],
                r["state__name"],
                r["n"],
                r["state__inegi_code"] == applied.get("entidad"),
            )
            for r in state_rows
        ],
        "region": [
            FacetValue(r.code, r.name, r.n, r.code == applied.get("region")) for r in regions
        ],
    }
    return PracticeResults(practices=practices, query=text, applied=applied, facets=facets)
