"""The version of what the portal shows, and what each worker process keeps per version.

Why
    Every gunicorn worker keeps in memory what is expensive to recompute on each
    request at 50,000 programs: the search index's entry table and postings
    lists (``observatorio/search/index.py``), the facet bitsets
    (``observatorio/portal/facets.py``) and whole computed results
    (``observatorio/portal/querying.py``). All of it is valid for one *data
    version* only.

What
    :class:`~observatorio.search.models.DataVersion` is one row holding a random
    token. :func:`bump` replaces it, in the same transaction as the change, so a
    reader sees the new data and the new token together. :func:`current` reads
    it (one primary-key lookup, well under a millisecond) once per request (outside
    transactions; always inside one), so a publication is visible on the very next
    request in every worker. A random token rather than a counter: a rolled-back transaction
    restores the old token together with the old data, and a new bump can never
    produce a token that some worker already associates with other data.

When it changes (see :mod:`observatorio.search.signals`)
    ``index.rebuild`` and ``index.update_for`` (every publication and withdrawal
    goes through ``update_for``); saving or deleting a published program, or
    changing its institutions or populations; saving or deleting a good
    practice or any catalogue record a facet shows (states, regions and their
    members, objectives, institutions, population groups, reporting cycles);
    a committed import that changed anything (``sources.signals.imported``).
    Other writes that send no signal (``QuerySet.update``, ``bulk_create``, raw SQL)
    must call :func:`bump` themselves (or ``update_for``/``rebuild``).

Per-process memory
    :class:`Versioned` holds one value per (database, version) and rebuilds it
    when either changes; :class:`ResultCache` is a small LRU of computed results
    for the current version. ``RESULT_CACHE`` switches every result cache off
    (the benchmark's "cold" runs); the in-memory indexes stay on.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import IntegrityError, connections, transaction

from .models import DataVersion

T = TypeVar("T")

#: Whether the result caches (rankings, portal results) are used; the benchmark's cold run
#: sets it to False in each worker.
RESULT_CACHE = True

_ROW = 1
_READ = f"SELECT token FROM {DataVersion._meta.db_table} WHERE id = %s"  # noqa: S608


def _new_token() -> str:
    return secrets.token_hex(16)


class _RequestMemo(threading.local):
    """The version read once per request (see :func:`current`)."""

    def __init__(self):
        self.active = False
        self.tokens: dict[str, str] = {}


_memo = _RequestMemo()


def request_started(**kwargs) -> None:
    _memo.active = True
    _memo.tokens.clear()


def request_finished(**kwargs) -> None:
    _memo.active = False
    _memo.tokens.clear()


def current(using: str = "default") -> str:
    """The current data version of database *using* (creating the row if a flush removed it).

    Within one request, outside any transaction, the version is read once: a page asks
    for it three times or so (results, practices, rows), and on PostgreSQL each read is a
    round trip. The request then works on one version throughout; a publication that
    commits meanwhile shows on the next request. Inside a transaction it is always read
    (the transaction may change it, or be rolled back), and :func:`bump` forgets it.
    """
    connection = connections[using]
    remember = _memo.active and not connection.in_atomic_block
    if remember:
        token = _memo.tokens.get(using)
        if token is not None:
            return token
    token = _read(using)
    if remember:
        _memo.tokens[using] = token
    return token


def _read(using: str) -> str:
    # Plain SQL: this runs on every portal query, and the ORM's query building would cost
    # more than the primary-key lookup itself.
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_READ, [_ROW])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    try:
        with transaction.atomic(using=using):
            return DataVersion.objects.using(using).create(pk=_ROW, token=_new_token()).token
    except IntegrityError:  # another process created it first
        return DataVersion.objects.using(using).get(pk=_ROW).token


def bump(using: str = "default") -> str:
    """Give the data a new version (inside the caller's transaction, if any)."""
    _memo.tokens.pop(using, None)
    token = _new_token()
    updated = DataVersion.objects.using(using).filter(pk=_ROW).update(token=token)
    if not updated:
        try:
            with transaction.atomic(using=using):
                DataVersion.objects.using(using).create(pk=_ROW, token=token)
        except IntegrityError:
            DataVersion.objects.using(using).filter(pk=_ROW).update(token=token)
    return token


def _database(using: str) -> str:
    settings = connections[using].settings_dict
    return f"{settings['ENGINE']}:{settings['HOST']}:{settings['PORT']}:{settings['NAME']}"


class Versioned(Generic[T]):
    """One value built by *build* per (database, data version), kept by this process."""

    def __init__(self, build: Callable[[str], T]):
        self._build = build
        self._key: tuple[str, str] | None = None
        self._value: T | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, version: str, using: str = "default") -> T:
        key = (_database(using), version)
        if self._key != key:
            with self._lock:
                if self._key != key:
                    self._value = self._build(version)
                    self._key = key
                    self.builds += 1
        return self._value  # type: ignore[return-value]

    def peek(self) -> T | None:
        """The value built last, if any (for statistics)."""
        return self._value

    def clear(self) -> None:
        with self._lock:
            self._key, self._value = None, None


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
        key = (_database(using), version)
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
