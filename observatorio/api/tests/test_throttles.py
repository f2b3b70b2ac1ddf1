"""The API's request counter: one statement per request, a sliding-window estimate; the
client's address as the log-in throttle sees it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatorio.api import throttles
from observatorio.ratelimit import counters
from observatorio.ratelimit.models import Counter

PROGRAMS = "/api/v1/programs/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, set by the test: 10 minutes into a minute-long window's start."""
    now = [600.0]
    monkeypatch.setattr(throttles._DatabaseRateThrottle, "timer", staticmethod(lambda: now[0]))
    return now


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }


def test_one_statement_counts_a_request(anon):
    anon.get(PROGRAMS)  # the first request creates the row
    with CaptureQueriesContext(connection) as queries:
        assert anon.get(PROGRAMS).status_code == 200
    counting = [q["sql"] for q in queries if "ratelimit_counter" in q["sql"]]
    assert len(counting) == 1 and counting[0].lstrip().startswith("INSERT")
    assert not any("observatorio_cache" in q["sql"] for q in queries)
    (row,) = Counter.objects.all()
    assert row.count == 2 and row.previous == 0
    assert len(row.key) == 64 and "127.0.0.1" not in row.key  # hashed, nothing personal


def test_the_window_slides(anon, clock, three_a_minute):
    assert [anon.get(PROGRAMS).status_code for _ in range(3)] == [200, 200, 200]
    refused = anon.get(PROGRAMS)
    assert refused.status_code == 429
    # The next window starts in 60 s and the 3 requests must mostly slide out of it: with
    # 3 requests of the last window, a fourth fits once a third of the new one elapsed.
    assert int(refused["Retry-After"]) == 80
    assert Counter.objects.get().count == 3  # the refusal was taken back
    clock[0] += 59
    assert anon.get(PROGRAMS).status_code == 429
    clock[0] += 1 + 19  # 19 s into the next window: 3 × 41/60 + 1 = 3.05 > 3
    assert anon.get(PROGRAMS).status_code == 429
    clock[0] += 1  # 20 s: 3 × 40/60 + 1 = 3
    assert anon.get(PROGRAMS).status_code == 200
    row = Counter.objects.get()
    assert (row.count, row.previous) == (1, 3)
    clock[0] += 40  # the first second of the window after: 1 × 59/60 + 1 ≤ 3, twice
    assert [anon.get(PROGRAMS).status_code for _ in range(3)] == [200, 200, 429]
    clock[0] += 120  # two windows later nothing is left of either
    assert [anon.get(PROGRAMS).status_code for _ in range(3)] == [200, 200, 200]
    row = Counter.objects.get()
    assert (row.count, row.previous) == (3, 0)


def test_retry_after_within_a_window(anon, clock, three_a_minute):
    """Three requests at the end of a window, one at the start of the next: how long to wait
    until the previous window's weight lets a second one through."""
    clock[0] = 600 + 59
    assert [anon.get(PROGRAMS).status_code for _ in range(3)] == [200, 200, 200]
    clock[0] = 660 + 6  # 3 × 54/60 + 1 = 3.7 > 3: refused
    assert anon.get(PROGRAMS).status_code == 429
    clock[0] = 660 + 20  # 3 × 40/60 + 1 = 3: allowed
    assert anon.get(PROGRAMS).status_code == 200
    refused = anon.get(PROGRAMS)  # 3 × 40/60 + 2 = 4 > 3
    assert refused.status_code == 429
    # Room once 3 × (1 - e) + 2 ≤ 3, e = 2/3: at 40 s, i.e. 20 s from now.
    assert int(refused["Retry-After"]) == 20


def test_users_and_addresses_are_counted_apart(anon, client_for, clock, three_a_minute):
    assert [anon.get(PROGRAMS).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert anon.get(PROGRAMS, REMOTE_ADDR="10.0.0.2").status_code == 200
    api = client_for("reviewer")
    assert [api.get(PROGRAMS).status_code for _ in range(6)] == [200] * 5 + [429]
    assert client_for("enlace_jalisco").get(PROGRAMS).status_code == 200
    assert Counter.objects.count() == 4


def test_expired_rows_are_deleted(anon, clock, monkeypatch):
    anon.get(PROGRAMS, REMOTE_ADDR="10.0.0.7")
    clock[0] += 60 * 60
    monkeypatch.setattr(counters, "CLEAN_EVERY", 1)  # this request cleans
    anon.get(PROGRAMS)
    assert list(Counter.objects.values_list("expires", flat=True)) == [
        (int(clock[0] // 60) + 2) * 60
    ]


def test_the_counters_skip_the_write_ahead_log_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED tables are PostgreSQL's (this test runs on the PostgreSQL leg)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [Counter._meta.db_table],
        )
        assert cursor.fetchone() == ("u",)


def test_rotating_x_forwarded_for_from_an_untrusted_address_changes_nothing(
    anon, clock, three_a_minute, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]

    statuses = [
        anon.get(
            PROGRAMS, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_behind_trusted_proxies_the_rightmost_untrusted_entry_is_the_client(
    anon, clock, three_a_minute, settings
):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]

    def through_the_proxies(forwarded):
        return anon.get(
            PROGRAMS, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forwarded}, 10.1.1.1"
        ).status_code

    # What the client wrote on the left changes nothing; each client is counted apart.
    assert [through_the_proxies(f"192.0.2.{n}, 198.51.100.8") for n in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    assert through_the_proxies("198.51.100.9") == 200
