"""Keep the search index and query it, identically on SQLite and PostgreSQL.

Storage
    Each published program and each good practice has one ``SearchEntry``
    whose ``tokens`` are the normalised words of its texts (see
    :mod:`observatorio.lib.search`) stored as ``" tok1 tok2 ... "``, and one
    ``Posting`` row per distinct token: ``(entry, token, tf, in_title)``, with
    a covering B-tree index on ``(token, entry, tf, in_title)``. A query keeps
    the entries that have a posting for *every* query token. The tokens come
    from one Python normaliser and the postings are integers written by one
    Python function, so both databases hold the same rows by construction;
    the scores are computed in Python from those integers, so hits, scores and
    order are identical too (``tests/test_postings.py`` compares every result
    with the original scan, on both databases).

Cost (at the benchmark's 51,900 programs; bench/RESULTS.md)
    The first version scanned ``tokens LIKE '% tok %'`` (no index can serve
    it) twice per token and scored every hit in Python: seconds per query.
    Now, in each worker process and for one data version
    (:mod:`observatorio.published.version`) at a time:

    * :class:`_Snapshot` reads the entry table once (~52,000 rows: about
      0.2 s) and numbers the entries in ``sort_key`` order, so that score ties
      are broken by comparing small integers; the good practices' postings
      (44 entries) are read with it;
    * a token's program postings are read through the index the first time a
      query needs them (the most frequent token, in 34,000 programs: about
      50 ms), then kept as arrays of positions, BM25 terms and title flags,
      plus a bitset, in an LRU bounded by :data:`MEMORY_BUDGET`;
    * a one-token query's ranking is made once per token; a several-token
      query ANDs the bitsets and adds the terms of its hits with C-level
      ``map``/``compress`` (a few milliseconds even for three frequent words);
    * ``caches.RANKINGS`` keeps recent rankings (off in the benchmark's cold runs).

Ranking
    BM25 (k1 = 1.2, b = 0.75) over ``tokens`` plus a title boost of
    ``TITLE_BOOST × idf`` for every query token present in the title; ties are
    broken by ``sort_key`` (cycle, part, objective, number for programs;
    state and number for practices), never by database order. The arithmetic
    is done in the same order as the original implementation (one addition
    per token and per title boost), so scores are the same floats.

Programs are indexed only while published (:func:`update_for` removes the
entry otherwise). Callers should call :func:`update_for` after saving a program
or practice, or run ``observatorio rebuild_search_index``; both give the data a
new version, which every worker notices on its next request.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, itemgetter, mul
from typing import NamedTuple

from django.db import connection, transaction

from observatorio.lib.search import document_tokens, query_tokens
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.published import caches, version
from observatorio.published.bits import bitset, selection
from observatorio.published.models import Posting, SearchEntry

K1 = 1.2
B = 0.75
TITLE_BOOST = 2.0

#: Memory for postings kept per worker process: about 13 bytes per posting, 20 more per
#: hit of a one-token ranking; least recently used tokens are dropped beyond it.
MEMORY_BUDGET = 64 * 2**20
#: Rows per INSERT statement when writing postings (4 parameters each; SQLite allows 32,766).
_INSERT_ROWS = 1000

PROGRAM = SearchEntry.Kind.PROGRAM.value
PRACTICE = SearchEntry.Kind.PRACTICE.value


def _program_fields(program: Program) -> tuple[str, list[str], str]:
    texts = [
        program.actor,
        program.state.name if program.state_id else "",
        program.description,
        program.results,
        program.challenges,
    ]
    objective = program.objective.number
    number = program.number or 0
    key = f"programa:{program.cycle.edition:04d}:{program.section}:{objective:02d}:{number:04d}"
    key = f"{key}:{program.pk:010d}"
    return program.title, texts, key


def _practice_fields(practice: GoodPractice) -> tuple[str, list[str], str]:
    texts = [
        practice.state.name,
        practice.coordinating_institution,
        practice.target_population,
        practice.description,
    ]
    key = f"practica:{practice.state.inegi_code}:{practice.number:04d}:{practice.pk:010d}"
    return practice.title, texts, key


def _entry(obj) -> SearchEntry:
    if isinstance(obj, Program):
        title, texts, key = _program_fields(obj)
        entry = SearchEntry(kind=SearchEntry.Kind.PROGRAM, program=obj)
    else:
        title, texts, key = _practice_fields(obj)
        entry = SearchEntry(kind=SearchEntry.Kind.PRACTICE, practice=obj)
    entry.title_tokens = document_tokens(title)
    entry.tokens = document_tokens(title, *texts)
    entry.length = len(entry.tokens.split())
    entry.sort_key = key
    return entry


def postings_of(tokens: str, title_tokens: str) -> list[tuple[str, int, bool]]:
    """``(token, tf, in_title)`` for every distinct token of an entry."""
    title = set(title_tokens.split())
    return [(token, tf, token in title) for token, tf in Counter(tokens.split()).items()]


def _write_postings(entries: list[SearchEntry]) -> int:
    """Insert the postings of saved *entries* (many rows per statement: fast on both DBs)."""
    rows = [
        (entry.pk, token, tf, in_title)
        for entry in entries
        for token, tf, in_title in postings_of(entry.tokens, entry.title_tokens)
    ]
    quote = connection.ops.quote_name
    table = quote(Posting._meta.db_table)
    columns = ", ".join(quote(c) for c in ("entry_id", "token", "tf", "in_title"))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_ROWS):
            chunk = rows[start : start + _INSERT_ROWS]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608
    return len(rows)


def _programs():
    return Program.objects.published().select_related("cycle", "objective", "state")


def _practices():
    return GoodPractice.objects.select_related("state")


def _save(entries: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(entries, batch_size=500)  # sets pk on both databases
    _write_postings(entries)


@transaction.atomic
def rebuild(chunk: int = 2000) -> int:
    """Replace the whole index with every published program and every practice."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # plain deletes: the ORM would load every entry first
        cursor.execute(f"DELETE FROM {quote(Posting._meta.db_table)}")  # noqa: S608
        cursor.execute(f"DELETE FROM {quote(SearchEntry._meta.db_table)}")  # noqa: S608
    count = 0
    # Practices first, then programs in compendium order: entry ids then follow the sort
    # keys, so postings read in id order are (nearly) in score-tie order already.
    programs = _programs().order_by(
        "cycle__edition", "section", "objective__number", "number", "pk"
    )
    for queryset in (_practices().order_by("state__inegi_code", "number", "pk"), programs):
        batch = []
        for obj in queryset.iterator(chunk_size=chunk):
            batch.append(_entry(obj))
            if len(batch) >= chunk:
                _save(batch)
                count += len(batch)
                batch = []
        _save(batch)
        count += len(batch)
    version.bump()
    return count


@transaction.atomic
def update_for(obj: Program | GoodPractice) -> SearchEntry | None:
    """Index *obj* again (or drop it: a program that is no longer published)."""
    if isinstance(obj, Program):
        old = SearchEntry.objects.filter(program_id=obj.pk)
        fresh = _programs().filter(pk=obj.pk).first()
    elif isinstance(obj, GoodPractice):
        old = SearchEntry.objects.filter(practice_id=obj.pk)
        fresh = _practices().filter(pk=obj.pk).first()
    else:
        raise TypeError(f"No se indexa {type(obj).__name__}.")
    Posting.objects.filter(entry__in=old).delete()
    old.delete()
    version.bump()
    if fresh is None:
        return None
    entry = _entry(fresh)
    entry.save()
    _write_postings([entry])
    return entry


# --- the in-memory side of the index: one snapshot per worker process and data version ---


class _Raw:
    """One token's postings as read: entry positions (ascending), frequencies, title flags."""

    __slots__ = ("positions", "tf", "titles")

    def __init__(self, positions: array, tf: array, titles: bytes):
        self.positions, self.tf, self.titles = positions, tf, titles

    def __len__(self) -> int:
        return len(self.positions)


_NO_POSTINGS = _Raw(array("i"), array("i"), b"")


class _Scored:
    """One token within one kind: what BM25 needs, computed once per data version.

    ``contrib[j]`` is ``idf × tf × (k1 + 1) / (tf + norm)`` of the entry at
    ``positions[j]`` (the same expression, in the same order, as the original
    scan), ``titles[j]`` whether the token is in its title, ``mask`` the
    positions as a bitset (intersections are one AND), ``ranking`` the
    one-token ranked list, made when first asked for.
    """

    __slots__ = ("positions", "contrib", "titles", "boost", "mask", "_ranking")

    def __init__(self, positions, contrib, titles, boost: float, mask: int):
        self.positions, self.contrib, self.titles = positions, contrib, titles
        self.boost, self.mask, self._ranking = boost, mask, None

    def __len__(self) -> int:
        return len(self.positions)

    def bytes(self) -> int:
        """About how much memory this holds (arrays, the bitset, the ranking if made)."""
        n = len(self.positions)
        return 13 * n + self.mask.bit_length() // 8 + (20 * n if self._ranking else 0) + 100

    def ranking(self, targets: list[int]) -> Ranking:
        if self._ranking is None:
            scores = map(add, self.contrib, map(mul, repeat(self.boost), self.titles))
            rounded = list(map(round, scores, repeat(6)))
            self._ranking = _order(list(self.positions), rounded, self.mask, targets)
        return self._ranking


class Ranking(NamedTuple):
    """Entry positions best first, their scores, the same entries as a bitset, their targets."""

    positions: array  # of int
    scores: array  # of float
    mask: int
    ids: list[int]  # primary keys: the snapshot's own int objects, so 8 bytes each here


_NOTHING = Ranking(array("i"), array("d"), 0, [])


def _order(positions: list[int], rounded: list[float], mask: int, targets) -> Ranking:
    """Sort by score, best first; ties keep *positions*' ascending (``sort_key``) order."""
    negative = [-score for score in rounded]
    order = sorted(range(len(positions)), key=negative.__getitem__)  # stable
    positions = list(map(positions.__getitem__, order))
    return Ranking(
        array("i", positions),
        array("d", map(rounded.__getitem__, order)),
        mask,
        list(map(targets.__getitem__, positions)),
    )


def _pick(chosen: bytes, positions) -> Iterable[int]:
    """``chosen[p]`` for every p of *positions* (``itemgetter`` loops in C)."""
    if len(positions) > 1:
        return itemgetter(*positions)(chosen)
    return [chosen[p] for p in positions]


class _Snapshot:
    """Entry table and postings cache of the index as it is in one data version."""

    def __init__(self, data_version: str):
        self.version = data_version
        rows = sorted(
            SearchEntry.objects.values_list(
                "sort_key", "id", "kind", "length", "program_id", "practice_id"
            )
        )
        self.size = len(rows)
        self.position = {row[1]: i for i, row in enumerate(rows)}
        self.kinds = [row[2] for row in rows]
        self.lengths = [row[3] for row in rows]
        self.targets = [row[4] if row[2] == PROGRAM else row[5] for row in rows]
        self.stats = {None: (len(rows), sum(self.lengths))}
        for kind in (PROGRAM, PRACTICE):
            lengths = [n for k, n in zip(self.kinds, self.lengths, strict=True) if k == kind]
            self.stats[kind] = (len(lengths), sum(lengths))
        self._norms: dict[str | None, list[float]] = {}
        self._scored: OrderedDict[tuple[str, str | None], _Scored] = OrderedDict()
        self._held = 0
        self._lock = threading.RLock()
        self.postings_loaded = 0
        # The good practices' postings are few (44 entries): all of them, once.
        self._practices = self._read_practices()

    def norms(self, kind: str | None) -> list[float]:
        """BM25 length normalisation of every entry against the average length in *kind*."""
        norms = self._norms.get(kind)
        if norms is None:
            n, total = self.stats[kind]
            avg_length = total / n
            norms = [K1 * (1 - B + B * length / avg_length) for length in self.lengths]
            self._norms[kind] = norms
        return norms

    def _raw(self, rows, kind: str | None) -> _Raw:
        """Rows ``(entry id, tf, in_title)`` as positions in this snapshot, of *kind* only."""
        if not rows:
            return _NO_POSTINGS
        entry_ids, tfs, titles = zip(*rows, strict=True)
        positions = list(map(self.position.get, entry_ids))
        # An entry written after this snapshot has no position: left out (the next request
        # sees a new data version, hence a new snapshot).
        kinds = self.kinds
        kept = [p is not None and (kind is None or kinds[p] == kind) for p in positions]
        if not all(kept):
            positions = list(compress(positions, kept))
            tfs, titles = tuple(compress(tfs, kept)), tuple(compress(titles, kept))
        # Entries are written in sort_key order (see rebuild), so this is nearly sorted.
        order = sorted(range(len(positions)), key=positions.__getitem__)
        return _Raw(
            array("i", map(positions.__getitem__, order)),
            array("i", map(tfs.__getitem__, order)),
            bytes(map(titles.__getitem__, order)),
        )

    def _read_practices(self) -> dict[str, _Raw]:
        quote = connection.ops.quote_name
        postings, entries = quote(Posting._meta.db_table), quote(SearchEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.token, p.entry_id, p.tf, p.in_title FROM {postings} p "  # noqa: S608
                f"INNER JOIN {entries} e ON e.id = p.entry_id WHERE e.kind = %s",
                [PRACTICE],
            )
            by_token: dict[str, list] = {}
            for token, *row in cursor.fetchall():
                by_token.setdefault(token, []).append(row)
        return {token: self._raw(rows, PRACTICE) for token, rows in by_token.items()}

    def _read(self, token: str, kind: str | None) -> _Raw:
        """*token*'s postings within *kind* (programs: from the covering index)."""
        if kind == PRACTICE:
            return self._practices.get(token, _NO_POSTINGS)
        table = connection.ops.quote_name(Posting._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entry_id, tf, in_title FROM {table} WHERE token = %s"  # noqa: S608
                " ORDER BY entry_id",
                [token],
            )
            rows = cursor.fetchall()
        self.postings_loaded += 1
        return self._raw(rows, kind)

    def scored(self, token: str, kind: str | None) -> _Scored:
        """*token*'s postings within *kind*, read and scored on first use."""
        key = (token, kind)
        with self._lock:
            found = self._scored.get(key)
            if found is not None:
                self._scored.move_to_end(key)
                return found
            raw = self._read(token, kind)
            n, _total = self.stats[kind]
            df = len(raw)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
            norm = self.norms(kind) if n else []
            k = K1 + 1
            contrib = array(
                "d",
                [
                    idf * tf * k / (tf + norm[i])
                    for i, tf in zip(raw.positions, raw.tf, strict=True)
                ],
            )
            mask = bitset(raw.positions, self.size)
            found = _Scored(raw.positions, contrib, raw.titles, TITLE_BOOST * idf, mask)
            self._scored[key] = found
            self._held += found.bytes()
            self._trim()
            return found

    def _trim(self) -> None:
        while self._held > MEMORY_BUDGET and len(self._scored) > 1:
            _key, dropped = self._scored.popitem(last=False)
            self._held -= dropped.bytes()

    def rank(self, tokens: list[str], kind: str | None) -> Ranking:
        """The entries with every token, best first."""
        n, _total = self.stats[kind]
        if not n or not tokens:
            return _NOTHING
        per_token = [self.scored(token, kind) for token in tokens]
        if not all(per_token):
            return _NOTHING
        if len(per_token) == 1:
            with self._lock:
                before = per_token[0].bytes()
                ranking = per_token[0].ranking(self.targets)
                self._held += per_token[0].bytes() - before
            return ranking
        hits = per_token[0].mask
        for scored in per_token[1:]:
            hits &= scored.mask
        if not hits:
            return _NOTHING
        chosen = selection(hits, self.size)
        positions = list(compress(range(self.size), chosen))
        # Add the terms token by token in query order, each title boost right after its
        # term: the same float additions as the one-token case and the original scan.
        scores = None
        for scored in per_token:
            pick = _pick(chosen, scored.positions)
            terms = compress(scored.contrib, pick)
            scores = terms if scores is None else map(add, scores, terms)
            boosts = map(mul, repeat(scored.boost), compress(scored.titles, pick))
            scores = map(add, scores, boosts)
        return _order(positions, list(map(round, scores, repeat(6))), hits, self.targets)


def snapshot(data_version: str | None = None) -> _Snapshot:
    """This process's view of the index in the current (or given) data version."""
    return caches.SEARCH_INDEX.get(data_version or version.current(), _Snapshot)


@dataclass(frozen=True)
class Hits:
    """A query's hits in one snapshot of the index (``ranking.positions`` number its entries)."""

    index: _Snapshot
    ranking: Ranking

    @property
    def mask(self) -> int:
        return self.ranking.mask

    def targets(self, within: int | None = None) -> list[int]:
        """Ids of the programs or practices hit, best first (only those in *within*, a bitset
        of entry positions, when given)."""
        if within is None:
            return list(self.ranking.ids)
        chosen = selection(within, self.index.size)
        return list(compress(self.ranking.ids, _pick(chosen, self.ranking.positions)))


def hits(q: str, kind: str | None = None, data_version: str | None = None) -> Hits:
    """The entries (of *kind*, or both kinds) with every token of *q*, best first."""
    data_version = data_version or version.current()
    index = snapshot(data_version)
    tokens = query_tokens(q)
    if not tokens:
        return Hits(index, _NOTHING)
    if kind is not None:
        kind = SearchEntry.Kind(kind).value
    key = (kind, tuple(tokens))
    found = caches.RANKINGS.get(data_version, key)
    if found is None:
        found = index.rank(tokens, kind)
        caches.RANKINGS.put(data_version, key, found)
    return Hits(index, found)


def matches(token: str, kind: str | None = None, data_version: str | None = None) -> int:
    """How many entries (of *kind*, or both kinds) hold the normalised *token*."""
    if kind is not None:
        kind = SearchEntry.Kind(kind).value
    return len(snapshot(data_version).scored(token, kind))


def ranked(q: str, kind: str | None = None, data_version: str | None = None):
    """``(kind, target id, score)`` of the records with every token of *q*, best first.

    *kind* is ``"programa"`` or ``"practica"`` (``SearchEntry.Kind``) or None for both.
    """
    found = hits(q, kind, data_version)
    kinds, (positions, scores, _mask, ids) = found.index.kinds, found.ranking
    return [
        (kinds[p], target, score) for p, target, score in zip(positions, ids, scores, strict=True)
    ]


def ranked_ids(q: str, kind: str, data_version: str | None = None) -> list[int]:
    """Ids of the programs or practices (*kind*) matching *q*, best first."""
    return hits(q, kind, data_version).targets()


def search(q: str, kind: str | None = None) -> list[tuple[Program | GoodPractice, float]]:
    """Records whose tokens contain every token of *q*, best first, with their scores.

    *kind* is ``"programa"`` or ``"practica"`` (``SearchEntry.Kind``) or None for both.
    Loads every hit as a model instance: use :func:`ranked_ids` when ids are enough.
    """
    hits = ranked(q, kind)
    programs = Program.objects.select_related("cycle", "objective", "state").in_bulk(
        [target for k, target, _score in hits if k == PROGRAM]
    )
    practices = GoodPractice.objects.select_related("state").in_bulk(
        [target for k, target, _score in hits if k == PRACTICE]
    )
    found = {PROGRAM: programs, PRACTICE: practices}
    return [(found[k][target], score) for k, target, score in hits if target in found[k]]
