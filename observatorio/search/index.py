"""Keep the search index and query it, identically on SQLite and PostgreSQL.

Storage
    Each published program and each good practice has one ``SearchEntry``
    whose ``tokens`` are the normalised words of its texts (see
    :mod:`observatorio.lib.search`) stored as ``" tok1 tok2 ... "``. A query
    keeps the entries that contain *every* query token, each tested as
    ``tokens LIKE '% tok %'`` (Django ``__contains`` with space padding), which
    can only match a whole token. Because the tokens are produced by one Python
    normaliser and the match is a plain substring test, both databases return
    the same entries; the scores are computed in Python from integers read
    from the database, so they are identical too.

Cost
    ``LIKE '%…%'`` cannot use a B-tree index: every query scans the whole
    ``tokens`` column (one pass per query token, plus one ``COUNT`` per token
    for its document frequency). At 346 programs and 44 practices this is
    milliseconds. At 50,000 programs the table is a few tens of MB and each
    query a sequential scan; if that is too slow, add on PostgreSQL a GIN
    index with ``pg_trgm`` (``gin_trgm_ops`` serves ``LIKE '%x%'`` without
    changing the query or its results) and on SQLite an FTS5 table over the
    same token column. Neither was added here (pg_trgm needs an extension to
    be created by a superuser).

Ranking
    BM25 (k1 = 1.2, b = 0.75) over ``tokens`` plus a title boost of
    ``TITLE_BOOST × idf`` for every query token present in the title; ties are
    broken by ``sort_key`` (cycle, part, objective, number for programs;
    state and number for practices), never by database order.

Programs are indexed only while published (:func:`update_for` removes the
entry otherwise). Callers should call :func:`update_for` after saving a program
or practice, or run ``observatorio rebuild_search_index``.
"""

from __future__ import annotations

import math
from collections import Counter

from django.db import transaction
from django.db.models import Count, Sum

from observatorio.lib.search import document_tokens, query_tokens
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.search.models import SearchEntry

K1 = 1.2
B = 0.75
TITLE_BOOST = 2.0


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


def _programs():
    return Program.objects.published().select_related("cycle", "objective", "state")


def _practices():
    return GoodPractice.objects.select_related("state")


@transaction.atomic
def rebuild() -> int:
    """Replace the whole index with every published program and every practice."""
    SearchEntry.objects.all().delete()
    entries = [_entry(p) for p in _programs()] + [_entry(p) for p in _practices()]
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


@transaction.atomic
def update_for(obj: Program | GoodPractice) -> SearchEntry | None:
    """Index *obj* again (or drop it: a program that is no longer published)."""
    if isinstance(obj, Program):
        SearchEntry.objects.filter(program_id=obj.pk).delete()
        fresh = _programs().filter(pk=obj.pk).first()
    elif isinstance(obj, GoodPractice):
        SearchEntry.objects.filter(practice_id=obj.pk).delete()
        fresh = _practices().filter(pk=obj.pk).first()
    else:
        raise TypeError(f"No se indexa {type(obj).__name__}.")
    if fresh is None:
        return None
    entry = _entry(fresh)
    entry.save()
    return entry


def _has(token: str) -> dict:
    return {"tokens__contains": f" {token} "}


def search(q: str, kind: str | None = None) -> list[tuple[Program | GoodPractice, float]]:
    """Records whose tokens contain every token of *q*, best first, with their scores.

    *kind* is ``"programa"`` or ``"practica"`` (``SearchEntry.Kind``) or None for both.
    """
    tokens = query_tokens(q)
    if not tokens:
        return []
    scope = SearchEntry.objects.all()
    if kind is not None:
        scope = scope.filter(kind=SearchEntry.Kind(kind))
    totals = scope.aggregate(n=Count("id"), length=Sum("length"))
    n, total_length = totals["n"] or 0, totals["length"] or 0
    if not n:
        return []
    avg_length = total_length / n
    idf = {}
    for token in tokens:
        df = scope.filter(**_has(token)).count()
        if not df:
            return []
        idf[token] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    hits = scope
    for token in tokens:
        hits = hits.filter(**_has(token))
    hits = hits.select_related(
        "program__cycle", "program__objective", "program__state", "practice__state"
    )
    results = []
    for entry in hits:
        counts = Counter(entry.tokens.split())
        title = set(entry.title_tokens.split())
        norm = K1 * (1 - B + B * entry.length / avg_length)
        score = 0.0
        for token in tokens:
            tf = counts[token]
            score += idf[token] * tf * (K1 + 1) / (tf + norm)
            if token in title:
                score += TITLE_BOOST * idf[token]
        results.append((round(score, 6), entry.sort_key, entry.target))
    results.sort(key=lambda r: (-r[0], r[1]))
    return [(target, score) for score, _key, target in results]
