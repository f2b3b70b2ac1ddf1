"""The site's one rate-limit primitive: atomic counters in the database.

Used by the API's request rates (:mod:`observatorio.api.throttles`) and by the log-in
throttle (:mod:`observatorio.accounts.throttle`).

How a hit is counted
    Each key (a SHA-256, :func:`make_key`) has one row of
    :class:`~observatorio.ratelimit.models.Counter` holding its hits in the current fixed
    window and in the previous one. :func:`hit` counts one with **one** atomic
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL and SQLite alike), so that
    workers counting the same key at once each get a different count back: none can read
    "4" while another is counting the fifth. Callers count *first* and then decide.

    The caller checks a sliding window, estimated as the current window's count plus the
    previous window's count weighted by the part of it that still lies within one duration
    of now (:attr:`Hit.estimate`, as large rate limiters do). A refused hit is taken back
    (:meth:`Hit.take_back`), so that a client that waits as told gets through and hammering
    a limit does not extend it.

Blocks
    A key can also be refused until a time: :func:`block` (a lock: it clears the counts, so
    the key starts afresh when the block ends) and :func:`take_turn` (a hold that only one
    of concurrent callers obtains: an ``UPDATE … WHERE blocked_until <= now``).
    :func:`blocked` reads the blocks of several keys in one statement without counting.

On PostgreSQL the table is UNLOGGED (see the migration). Stale rows (keys not seen for two
windows and not blocked) are deleted now and then, on about one hit in :data:`CLEAN_EVERY`.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import F
from django.db.models.functions import Greatest

from .models import Counter

#: One hit in CLEAN_EVERY deletes the rows that expired.
CLEAN_EVERY = 1000


def make_key(*parts: str) -> str:
    """The key of what *parts* name (a purpose first): SHA-256, so nothing personal is stored."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Hit:
    """One counted hit: the key's counts including it, and its block."""

    key: str
    duration: int
    now: float
    count: int
    previous: int
    blocked_until: float

    @property
    def period(self) -> int:
        return int(self.now // self.duration)

    @property
    def elapsed(self) -> float:
        """How far into its window the hit is (0–1)."""
        return self.now / self.duration - self.period

    @property
    def estimate(self) -> float:
        """Hits in the last *duration* seconds, this one included (the sliding estimate)."""
        return self.previous * (1 - self.elapsed) + self.count

    def within(self, limit: float) -> bool:
        return self.estimate <= limit

    @property
    def blocked_for(self) -> int:
        """Whole seconds left in the key's block (0 when not blocked)."""
        return whole(self.blocked_until - self.now) if self.blocked_until > self.now else 0

    def take_back(self) -> None:
        take_back(self.key, self.duration, self.now)

    def wait(self, limit: int) -> int:
        """Seconds until one more hit fits *limit*, once this one was taken back (at least 1)."""
        count, previous, elapsed = self.count - 1, self.previous, self.elapsed
        if count + 1 <= limit:
            # Room in this window once enough of the previous one has slid out.
            needed = 1 - (limit - count - 1) / previous if previous else elapsed
            seconds = (needed - elapsed) * self.duration
        else:
            # Only in the next window, once enough of this one has slid out.
            needed = 1 - (limit - 1) / count if count else 0
            seconds = (1 - elapsed + max(0.0, needed)) * self.duration
        return max(1, whole(seconds))


def whole(value: float) -> int:
    """*value* rounded up, ignoring floating-point dust (80.00000000000001 is 80)."""
    return math.ceil(round(value, 6))


@lru_cache(maxsize=4)
def _statements(vendor: str) -> tuple[str, str, str]:
    """The hit, block and clean statements, for the connection's database (*vendor*)."""
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    key, period, count, previous, expires, until = map(
        quote, ("key", "period", "count", "previous", "expires", "blocked_until")
    )
    # Only quoted identifiers are formatted in; every value is a parameter. SET expressions
    # read the row as it was before the statement, on both databases.
    hit = f"""
        INSERT INTO {table} ({key}, {period}, {count}, {previous}, {expires}, {until})
        VALUES (%s, %s, 1, 0, %s, 0)
        ON CONFLICT ({key}) DO UPDATE SET
            {previous} = CASE
                WHEN {table}.{period} = excluded.{period} THEN {table}.{previous}
                WHEN {table}.{period} = excluded.{period} - 1 THEN {table}.{count}
                ELSE 0 END,
            {count} = CASE
                WHEN {table}.{period} = excluded.{period} THEN {table}.{count} + 1
                ELSE 1 END,
            {period} = excluded.{period},
            {expires} = CASE
                WHEN {table}.{until} > excluded.{expires} THEN {table}.{until}
                ELSE excluded.{expires} END
        RETURNING {count}, {previous}, {until}
    """  # noqa: S608
    block = f"""
        INSERT INTO {table} ({key}, {period}, {count}, {previous}, {expires}, {until})
        VALUES (%s, %s, 0, 0, %s, %s)
        ON CONFLICT ({key}) DO UPDATE SET
            {period} = excluded.{period},
            {count} = 0,
            {previous} = 0,
            {expires} = CASE
                WHEN {table}.{expires} > excluded.{expires} THEN {table}.{expires}
                ELSE excluded.{expires} END,
            {until} = CASE
                WHEN {table}.{until} > excluded.{until} THEN {table}.{until}
                ELSE excluded.{until} END
    """  # noqa: S608
    clean = f"DELETE FROM {table} WHERE {expires} < %s"  # noqa: S608
    return hit, block, clean


def hit(key: str, duration: int, now: float) -> Hit:
    """Count one hit of *key* in the *duration*-second window of *now* (one statement)."""
    period = int(now // duration)
    hit_sql, _block, clean_sql = _statements(connection.vendor)
    with connection.cursor() as cursor:
        if random.random() < 1 / CLEAN_EVERY:  # noqa: S311 - not for security
            cursor.execute(clean_sql, [now])
        cursor.execute(hit_sql, [key, period, (period + 2) * duration])
        count, previous, blocked_until = cursor.fetchone()
    return Hit(key, duration, now, count, previous, blocked_until)


def take_back(key: str, duration: int, now: float) -> None:
    """Take back a hit counted by :func:`hit` at *now* (it was refused)."""
    Counter.objects.filter(key=key, period=int(now // duration), count__gt=0).update(
        count=F("count") - 1
    )


def block(key: str, duration: int, now: float, until: float) -> None:
    """Refuse *key* until *until* (or its later block) and clear its counts (one statement).

    When the block ends the key starts afresh: the block stood for the hits it clears.
    """
    period = int(now // duration)
    _hit, block_sql, _clean = _statements(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(block_sql, [key, period, max(until, (period + 2) * duration), until])


def take_turn(key: str, now: float, until: float) -> bool:
    """Hold *key* until *until* if it is not blocked at *now*; whether this call got the turn.

    One conditional ``UPDATE``: of callers racing for the same key, one gets it. The key's
    row must exist (a :func:`hit` creates it).
    """
    return bool(
        Counter.objects.filter(key=key, blocked_until__lte=now).update(
            blocked_until=until, expires=Greatest(F("expires"), until)
        )
    )


def blocked(keys: Iterable[str], now: float) -> dict[str, float]:
    """The blocks in force at *now* among *keys*: key -> end (one statement, nothing counted)."""
    return dict(
        Counter.objects.filter(key__in=list(keys), blocked_until__gt=now).values_list(
            "key", "blocked_until"
        )
    )


def reset(keys: Iterable[str]) -> None:
    """Forget *keys*: their counts and blocks."""
    Counter.objects.filter(key__in=list(keys)).delete()
