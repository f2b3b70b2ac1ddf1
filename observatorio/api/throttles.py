"""Request rates: per client address for anonymous clients, per user with a token.

The rates (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, from the variables
``OBSERVATORIO_API_ANON_RATE`` and ``OBSERVATORIO_API_USER_RATE``) are read on
every request, so a settings override applies at once.

How requests are counted
    Not with DRF's cache-based history (a list of timestamps read and written back on
    every request: on the database cache that is six statements, and two workers that
    read the same list at once lose one of the two requests). Each client has one row of
    :class:`~observatorio.api.models.RequestCount` holding its requests in the current
    fixed window and in the previous one, updated by **one** atomic
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (PostgreSQL and SQLite alike),
    shared by every worker and every server of the site.

    The rate is checked on a sliding window, estimated as the current window's count
    plus the previous window's count weighted by the part of it that still lies within
    one duration of now (as large rate limiters do). A refused request is taken off the
    count again, so that a client that waits as told gets through.

Stale rows (clients not seen for two windows) are deleted now and then, on about one
request in a thousand.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from functools import lru_cache

from django.db import connection
from rest_framework import throttling
from rest_framework.settings import api_settings

from .models import RequestCount

#: One request in CLEAN_EVERY deletes the rows that expired.
CLEAN_EVERY = 1000


@lru_cache(maxsize=4)
def _statements(vendor: str) -> tuple[str, str, str]:
    """The three statements, for the connection's database (*vendor* is the cache key)."""
    quote = connection.ops.quote_name
    table = quote(RequestCount._meta.db_table)
    key, period, count, previous, expires = map(
        quote, ("key", "period", "count", "previous", "expires")
    )
    # Only quoted identifiers are formatted in; every value is a parameter.
    upsert = f"""
        INSERT INTO {table} ({key}, {period}, {count}, {previous}, {expires})
        VALUES (%s, %s, 1, 0, %s)
        ON CONFLICT ({key}) DO UPDATE SET
            {previous} = CASE
                WHEN {table}.{period} = excluded.{period} THEN {table}.{previous}
                WHEN {table}.{period} = excluded.{period} - 1 THEN {table}.{count}
                ELSE 0 END,
            {count} = CASE
                WHEN {table}.{period} = excluded.{period} THEN {table}.{count} + 1
                ELSE 1 END,
            {period} = excluded.{period},
            {expires} = excluded.{expires}
        RETURNING {count}, {previous}
    """  # noqa: S608
    uncount = (
        f"UPDATE {table} SET {count} = {count} - 1 "  # noqa: S608
        f"WHERE {key} = %s AND {period} = %s AND {count} > 0"
    )
    clean = f"DELETE FROM {table} WHERE {expires} < %s"  # noqa: S608
    return upsert, uncount, clean


def count_request(key: str, duration: int, now: float) -> tuple[int, int, float]:
    """Count one request of *key* in the window of *now*: (count, previous, elapsed fraction).

    *count* includes this request; *elapsed* is how far into its window *now* is (0–1).
    """
    period = int(now // duration)
    count_sql, _uncount, clean_sql = _statements(connection.vendor)
    with connection.cursor() as cursor:
        if random.random() < 1 / CLEAN_EVERY:  # noqa: S311 - not for security
            cursor.execute(clean_sql, [now])
        cursor.execute(count_sql, [key, period, (period + 2) * duration])
        count, previous = cursor.fetchone()
    return count, previous, now / duration - period


def uncount_request(key: str, duration: int, now: float) -> None:
    """Take back a request counted by :func:`count_request` (it was refused)."""
    _count, uncount_sql, _clean = _statements(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(uncount_sql, [key, int(now // duration)])


class _DatabaseRateThrottle:
    """DRF's throttle interface over :func:`count_request` (see the module's docstring)."""

    timer = time.time

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.key = hashlib.sha256(ident.encode()).hexdigest()
        self.now = self.timer()
        count, previous, elapsed = count_request(self.key, self.duration, self.now)
        self.count, self.previous, self.elapsed = count, previous, elapsed
        if previous * (1 - elapsed) + count <= self.num_requests:
            return True
        uncount_request(self.key, self.duration, self.now)
        return False

    def wait(self):
        """Seconds until one more request fits, under the same estimate (at least 1)."""
        limit, count, previous = self.num_requests, self.count - 1, self.previous
        if count + 1 <= limit:
            # Room in this window once enough of the previous one has slid out.
            needed = 1 - (limit - count - 1) / previous if previous else self.elapsed
            seconds = (needed - self.elapsed) * self.duration
        else:
            # Only in the next window, once enough of this one has slid out.
            needed = 1 - (limit - 1) / count if count else 0
            seconds = (1 - self.elapsed + max(0.0, needed)) * self.duration
        return max(1, math.ceil(round(seconds, 6)))  # 80.00000000000001 is 80


class AnonThrottle(_DatabaseRateThrottle, throttling.AnonRateThrottle):
    pass


class UserThrottle(_DatabaseRateThrottle, throttling.UserRateThrottle):
    def get_cache_key(self, request, view):
        # Anonymous clients are counted by AnonThrottle alone.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
