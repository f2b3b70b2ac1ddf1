"""The postings index gives exactly what the original ``LIKE`` scan gave: hits, scores, order.

``scan`` below is the first implementation of ``search`` (one ``tokens LIKE '% tok %'``
per token, BM25 computed over every hit), kept here as the reference. Every
query of ``test_search_index`` (and random combinations of real words) must
give the same ``(kind, id, score)`` list from both, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from observatorio.lib.search import query_tokens
from observatorio.programs.models import Program
from observatorio.published import caches, index, version
from observatorio.published.index import K1, TITLE_BOOST, B, ranked, search, update_for
from observatorio.published.models import Posting, SearchEntry

from .test_search_index import EXPECTED, SAME

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def scan(q: str, kind: str | None = None) -> list[tuple[str, int, float]]:
    """The original search: LIKE scans and BM25 over every hit (the reference)."""
    tokens = query_tokens(q)
    if not tokens:
        return []
    scope = SearchEntry.objects.all()
    if kind is not None:
        scope = scope.filter(kind=kind)
    totals = scope.aggregate(n=Count("id"), length=Sum("length"))
    n, total_length = totals["n"] or 0, totals["length"] or 0
    if not n:
        return []
    avg_length = total_length / n
    idf = {}
    for token in tokens:
        df = scope.filter(tokens__contains=f" {token} ").count()
        if not df:
            return []
        idf[token] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    hits = scope
    for token in tokens:
        hits = hits.filter(tokens__contains=f" {token} ")
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
        target = entry.program_id if entry.kind == "programa" else entry.practice_id
        results.append((round(score, 6), entry.sort_key, entry.kind, target))
    results.sort(key=lambda r: (-r[0], r[1]))
    return [(kind, target, score) for score, _key, kind, target in results]


@pytest.fixture
def everything(real_data, db):
    """The 2022 compendium and the good-practice study, imported and indexed (shared)."""
    assert SearchEntry.objects.count() == 346 + 44


MORE = [
    "migrantes",
    "personas migrantes",
    "atención a personas migrantes",
    "programa nacional",
    "derechos humanos de las personas migrantes",
    "salud",
    "Jalisco",
    "2022",
    "frontera sur",
    "capacitación",
    "de la y",
    "palabrainexistente",
]


@pytest.mark.parametrize("kind", [None, "programa", "practica"])
def test_every_fixed_query_gives_the_scan_results(everything, kind):
    queries = list(EXPECTED) + [q for pair in SAME for q in pair] + MORE
    for q in queries:
        assert ranked(q, kind) == scan(q, kind), (q, kind)


def test_search_returns_the_records_of_the_ranking(everything):
    for q in ("regularizacion", "migrantes", "trata de personas"):
        got = [(type(obj).__name__, obj.pk, score) for obj, score in search(q)]
        names = {"programa": "Program", "practica": "GoodPractice"}
        assert got == [(names[k], pk, score) for k, pk, score in scan(q)]


def test_postings_hold_the_counts_of_each_entry(everything):
    by_entry: dict[int, dict[str, tuple[int, bool]]] = {}
    for entry_id, token, tf, in_title in Posting.objects.values_list(
        "entry_id", "token", "tf", "in_title"
    ):
        by_entry.setdefault(entry_id, {})[token] = (tf, in_title)
    entries = SearchEntry.objects.all()
    assert len(by_entry) == entries.count() == 390
    for entry in entries:
        title = set(entry.title_tokens.split())
        expected = {t: (n, t in title) for t, n in Counter(entry.tokens.split()).items()}
        assert by_entry[entry.pk] == expected


def test_a_tiny_postings_budget_changes_nothing(everything, monkeypatch):
    monkeypatch.setattr(index, "MEMORY_BUDGET", 50)
    monkeypatch.setattr(caches, "RESULT_CACHE", False)
    caches.SEARCH_INDEX.clear()
    for q in ("regularización migratoria", "niñas y niños no acompañados", "migrantes", "asilo"):
        assert ranked(q, "programa") == scan(q, "programa"), q
    assert len(index.snapshot()._scored) == 1


def test_update_for_keeps_the_postings_in_step(everything):
    program = Program.objects.get(section="federal", objective__number=1, number=1)
    before = version.current()
    program.title = "Programa sobre apicultura y meliponicultura"
    program.save()
    update_for(program)
    assert version.current() != before
    assert ranked("apicultura meliponicultura") == scan("apicultura meliponicultura")
    assert [pk for _k, pk, _s in ranked("apicultura")] == [program.pk]
    assert Posting.objects.filter(entry__program=program, token="apicultur").exists()
    Program.objects.filter(pk=program.pk).update(status=Program.Status.WITHDRAWN)
    update_for(program)
    assert ranked("apicultura") == []
    assert not Posting.objects.filter(entry__program=program).exists()


WORDS = [
    "migrantes",
    "niñas",
    "mujeres",
    "salud",
    "trata",
    "retorno",
    "asilo",
    "educación",
    "frontera",
    "refugiados",
    "atención",
    "personas",
    "consular",
    "Chiapas",
    "empleo",
    "jornaleros",
    "remesas",
    "indígenas",
    "protección",
    "derechos",
    "albergue",
    "capacitación",
    "xenofobia",
]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    kind=st.sampled_from([None, "programa", "practica"]),
)
def test_random_queries_give_the_scan_results(everything, words, kind):
    q = " ".join(words)
    assert ranked(q, kind) == scan(q, kind)
