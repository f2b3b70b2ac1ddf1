"""Every per-worker cache of published data, declared in one place, and how it is invalidated.

What is kept
    Each gunicorn worker keeps in memory what would be too slow to recompute on every
    request at 50,000 programs (ARCHITECTURE.md, "Decisions"; ``bench/RESULTS.md``):

    ==================  =======================================  ==========================
    cache               what it holds                            filled by
    ==================  =======================================  ==========================
    SEARCH_INDEX        the index's entry table and postings     ``index.snapshot``
    RANKINGS            recent rankings per (kind, tokens)       ``index.ranked``
    FACETS              bitsets of the published programs        ``facets.facet_index``
    PRACTICE_FACETS     the good practices' small index          ``facets.practice_index``
    RESULTS             whole search-page results per query      ``querying.programs_for``
    PRACTICE_RESULTS    good-practice results per query          ``querying.practices_for``
    REPRESENTATIONS     published programs as the API shows      ``representation``
    API_PAGES           anonymous API list pages                 ``api.views``
    API_SELECTIONS      ordered ids per API filter combination   ``api.views``
    SORT_KEYS           title and cycle order of the programs    ``ordering.sort_keys``
    VOCABULARY          the index's folded words, by length      ``suggestions.vocabulary``
    SUGGESTIONS         "¿Quisiste decir …?" per query           ``suggestions.suggest``
    SEARCH_FACETS       the search page's rendered facet lists   ``portal.search_views``
    CHARTS              the site's charts as accessible SVG      ``charts.site.cached``
    INDICATORS          indicator definitions by code, labels    ``portal.views_indicators``
    ==================  =======================================  ==========================

How it is invalidated
    By the data version alone (:mod:`observatorio.published.version`): every value is
    kept for one (database, version) and dropped as soon as a request sees another
    version. The version changes in the same transaction as anything the public sees
    (:mod:`observatorio.published.signals` connects the receivers: model saves, the
    workflow's publications and withdrawals, committed imports), so no writer ever
    clears a cache or calls ``bump`` by hand.

``RESULT_CACHE`` switches the result caches off (the benchmark's "cold" runs); the
indexes (``Versioned``) stay on. :func:`clear` empties everything (tests).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from .version import database_key

T = TypeVar("T")

#: Whether the result caches are used; the benchmark's cold run sets it to False.
RESULT_CACHE = True


class Versioned(Generic[T]):
    """One value per (database, data version), built when either changes."""

    def __init__(self, name: str):
        self.name = name
        self._key: tuple[str, str] | None = None
        self._value: T | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, version: str, build: Callable[[str], T], using: str = "default") -> T:
        """The value for *version*, made by ``build(version)`` if this process has none."""
        key = (database_key(using), version)
        if self._key != key:
            with self._lock:
                if self._key != key:
                    self._value = build(version)
                    self._key = key
                    self.builds += 1
        return self._value  # type: ignore[return-value]

    def peek(self) -> T | None:
        """The value built last, if any (for statistics)."""
        return self._value

    def clear(self) -> None:
        with self._lock:
            self._key, self._value = None, None

    def stats(self) -> dict:
        return {"name": self.name, "builds": self.builds}


class ResultCache:
    """A least-recently-used map of computed results for one data version at a time.

    *weight* says how much of *max_weight* a value takes (e.g. the number of ids
    it holds), so that a few huge results cannot fill the memory of a worker.
    Counts hits and misses (the benchmark prints the hit rate).
    """

    def __init__(self, name: str, max_items: int, max_weight: int, weight=lambda value: 1):
        self.name = name
        self.max_items = max_items
        self.max_weight = max_weight
        self._weight = weight
        self._items: OrderedDict = OrderedDict()
        self._version: tuple[str, str] | None = None
        self._total = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _check_version(self, version: str, using: str) -> None:
        key = (database_key(using), version)
        if self._version != key:
            self._items.clear()
            self._total = 0
            self._version = key

    def get(self, version: str, key, using: str = "default"):
        """The cached value or None (a miss is counted; nothing is kept while disabled)."""
        if not RESULT_CACHE:
            self.misses += 1
            return None
        with self._lock:
            self._check_version(version, using)
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value[0]

    def put(self, version: str, key, value, using: str = "default") -> None:
        if not RESULT_CACHE:
            return
        weight = self._weight(value)
        if weight > self.max_weight:
            return
        with self._lock:
            self._check_version(version, using)
            old = self._items.pop(key, None)
            if old is not None:
                self._total -= old[1]
            self._items[key] = (value, weight)
            self._total += weight
            while self._items and (
                len(self._items) > self.max_items or self._total > self.max_weight
            ):
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._total -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._total = 0
            self._version = None

    def stats(self) -> dict:
        return {"name": self.name, "hits": self.hits, "misses": self.misses}


def _ids(value) -> int:
    """Weight of a result that holds ids (a ranking, a page's selection, a search result)."""
    return len(getattr(value, "ids", value)) + 1


def _text(row: dict) -> int:
    """About how many bytes a representation holds (its long texts dominate)."""
    return 600 + sum(len(row[name] or "") for name in ("title", "description", "results"))


SEARCH_INDEX: Versioned = Versioned("search index")
RANKINGS = ResultCache("rankings", max_items=512, max_weight=1_500_000, weight=_ids)
FACETS: Versioned = Versioned("facets")
PRACTICE_FACETS: Versioned = Versioned("practice facets")
RESULTS = ResultCache("program results", max_items=1024, max_weight=3_000_000, weight=_ids)
PRACTICE_RESULTS = ResultCache("practice results", max_items=512, max_weight=512)
#: Shared dicts: callers must not change them.
REPRESENTATIONS = ResultCache("api programs", max_items=20_000, max_weight=24_000_000, weight=_text)
API_PAGES = ResultCache(
    "api program pages", max_items=256, max_weight=5000, weight=lambda page: len(page["results"])
)
#: The pages of one listing (a client harvesting pages 1–40) validate, rank and filter once.
API_SELECTIONS = ResultCache("api selections", max_items=512, max_weight=2_000_000, weight=_ids)

#: Rendered charts (SVG text and their table rows) per (chart, parameters, language).
CHARTS = ResultCache(
    "charts", max_items=512, max_weight=40_000_000, weight=lambda c: len(getattr(c, "svg", "")) + 1
)

#: The indicator pages' definitions (by code) and member labels (by language). The values
#: themselves are kept by their own fingerprint (``indicators.published``): approvals
#: change values without a model save, so they do not change the data version.
INDICATORS = ResultCache("indicator definitions", max_items=256, max_weight=256)

#: Built only when a visitor asks for a sort other than relevance, or types a word that
#: matches nothing (reading every published text once per version: about a second at
#: 50,000 programs).
SORT_KEYS: Versioned = Versioned("sort keys")
VOCABULARY: Versioned = Versioned("vocabulary")
#: Query → corrected query or None (both are worth keeping: a miss scans the vocabulary).
SUGGESTIONS = ResultCache("suggestions", max_items=1024, max_weight=1024)
#: The search page's facet lists as HTML, per language and page state: rendering some
#: 150 links through the template language costs more than computing their counts.
SEARCH_FACETS = ResultCache("search page facets", max_items=1024, max_weight=1024)

INDEXES = (SEARCH_INDEX, FACETS, PRACTICE_FACETS, SORT_KEYS, VOCABULARY)
RESULT_CACHES = (
    RANKINGS,
    RESULTS,
    PRACTICE_RESULTS,
    REPRESENTATIONS,
    API_PAGES,
    API_SELECTIONS,
    SUGGESTIONS,
    SEARCH_FACETS,
    CHARTS,
    INDICATORS,
)


def clear() -> None:
    """Forget everything this process keeps (tests; a new version does it by itself)."""
    for cache in (*INDEXES, *RESULT_CACHES):
        cache.clear()


def stats() -> dict:
    """Hits and misses of every result cache, and how often the indexes were built."""
    figures = {c.name: [c.hits, c.misses] for c in RESULT_CACHES}
    figures["index builds"] = [sum(index.builds for index in INDEXES), 0]
    return figures
