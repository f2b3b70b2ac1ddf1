"""The rate counter: atomic hits, take-backs, blocks and turns."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from observatorio.ratelimit import counters
from observatorio.ratelimit.models import Counter

pytestmark = pytest.mark.django_db

KEY = counters.make_key("pruebas", "203.0.113.7")
NOW = 1_000_000 * 60.0  # the start of a minute-long window


def test_keys_are_fixed_length_hashes_of_their_parts():
    assert len(KEY) == 64 and "203.0.113.7" not in KEY
    assert counters.make_key("a", "bc") != counters.make_key("ab", "c")


def test_a_hit_is_one_statement_that_returns_the_new_count():
    counters.hit(KEY, 60, NOW)
    with CaptureQueriesContext(connection) as queries:
        hit = counters.hit(KEY, 60, NOW + 1)
    assert len(queries) == 1
    assert (hit.count, hit.previous, hit.blocked_for) == (2, 0, 0)
    assert hit.estimate == 2 and hit.within(2) and not hit.within(1)


def test_the_previous_window_weighs_by_the_part_still_within_the_duration():
    for _n in range(3):
        counters.hit(KEY, 60, NOW + 59)
    hit = counters.hit(KEY, 60, NOW + 60 + 20)  # a third into the next window
    assert (hit.count, hit.previous) == (1, 3)
    assert hit.estimate == pytest.approx(3 * 2 / 3 + 1)
    hit = counters.hit(KEY, 60, NOW + 180)  # two windows later nothing is left
    assert (hit.count, hit.previous) == (1, 0)


def test_a_hit_taken_back_is_not_counted():
    counters.hit(KEY, 60, NOW)
    counters.hit(KEY, 60, NOW).take_back()
    assert Counter.objects.get().count == 1
    # A take-back in a later window changes nothing, and a count never goes below 0.
    counters.take_back(KEY, 60, NOW + 60)
    counters.take_back(KEY, 60, NOW)
    counters.take_back(KEY, 60, NOW)
    assert Counter.objects.get().count == 0


def test_a_block_clears_the_counts_and_refuses_until_it_ends():
    for _n in range(5):
        counters.hit(KEY, 60, NOW)
    counters.block(KEY, 60, NOW, NOW + 900)

    row = Counter.objects.get()
    assert (row.count, row.previous, row.blocked_until) == (0, 0, NOW + 900)
    assert row.expires >= NOW + 900  # not cleaned while it lasts
    assert counters.blocked([KEY, counters.make_key("otra")], NOW + 899) == {KEY: NOW + 900}
    assert counters.hit(KEY, 60, NOW + 10).blocked_for == 890
    assert counters.blocked([KEY], NOW + 900) == {}
    # A shorter block does not shorten it.
    counters.block(KEY, 60, NOW, NOW + 10)
    assert Counter.objects.get().blocked_until == NOW + 900


def test_expired_rows_are_cleaned_but_not_blocked_ones(monkeypatch):
    blocked_key = counters.make_key("bloqueada")
    counters.hit(KEY, 60, NOW)
    counters.block(blocked_key, 60, NOW, NOW + 3600)
    monkeypatch.setattr(counters, "CLEAN_EVERY", 1)
    counters.hit(counters.make_key("otra"), 60, NOW + 600)
    assert counters.make_key("otra") in set(Counter.objects.values_list("key", flat=True))
    assert KEY not in set(Counter.objects.values_list("key", flat=True))
    assert blocked_key in set(Counter.objects.values_list("key", flat=True))


def test_a_turn_is_taken_once_until_it_ends():
    counters.hit(KEY, 60, NOW)
    assert counters.take_turn(KEY, NOW, NOW + 2)
    assert not counters.take_turn(KEY, NOW + 1, NOW + 5)
    assert counters.take_turn(KEY, NOW + 2, NOW + 6)
    assert counters.blocked([KEY], NOW + 2) == {KEY: NOW + 6}


def test_reset_forgets_counts_and_blocks():
    counters.hit(KEY, 60, NOW)
    counters.block(counters.make_key("otra"), 60, NOW, NOW + 60)
    counters.reset([KEY, counters.make_key("otra")])
    assert not Counter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_get_different_counts_and_one_turn():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's (this test runs on the PostgreSQL leg)")
    counters.hit(KEY, 60, NOW)
    barrier = threading.Barrier(20)
    counts, turns = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            counts.append(counters.hit(KEY, 60, NOW).count)
            turns.append(counters.take_turn(KEY, NOW, NOW + 30))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(counts) == list(range(2, 22))
    assert turns.count(True) == 1
