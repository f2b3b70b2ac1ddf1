"""Log-in throttling: too many failed attempts lock a username or a client address for a while.

The policy (``settings.LOGIN_THROTTLE``): after ``USERNAME_FAILURES`` failed attempts for one
username, or ``ADDRESS_FAILURES`` from one client address, within ``WINDOW`` seconds, every
further attempt for that username or from that address is refused for ``LOCKOUT`` seconds,
without checking the password. A successful log-in clears the username's failures.

Design
------
* **Where it is enforced.** In the authentication backend
  (:class:`observatorio.accounts.backends.ThrottledModelBackend`, the only entry of
  ``AUTHENTICATION_BACKENDS``), so that every ``authenticate()`` call obeys it: the log-in
  page, the admin's log-in page and anything added later. A refused attempt raises
  ``PermissionDenied`` before the password hasher runs and marks the request; the log-in
  view then answers 429 with the Spanish message and a ``Retry-After`` header.
* **Where the counters live.** In Django's default cache, a ``DatabaseCache`` (table
  ``observatorio_cache``): every gunicorn worker sees the same counters and no extra service
  is needed. ``observatorio bootstrap`` runs ``createcachetable``; Django's test runner
  creates the table in the test database too, so tests use the real backend, and each
  test's writes roll back with its transaction.
* **How failures are counted.** Not with ``incr`` (on ``DatabaseCache`` it is a read
  followed by a write that also resets the expiry, so concurrent failures would be lost
  and the window would slide). Each failure instead *claims a slot*: one of ``limit`` keys,
  taken with ``cache.add`` (an insert into a unique key, atomic on every backend) and
  expiring ``WINDOW`` seconds later. The live slots are the failures of the last
  ``WINDOW`` seconds. When they reach the limit, a lock key holding its own expiry time
  is set for ``LOCKOUT`` seconds. Attempts refused during a lock are not counted, so a
  lock is never extended by hammering it.
* **Keys.** SHA-256 of the case-folded, NFKC-normalised username and of the client
  address (an IPv6 address counts as its /64 network, which one client usually holds
  whole): no username is stored in the cache and every key has a fixed length.
* **Client address.** ``REMOTE_ADDR``, or behind ``TRUSTED_PROXIES`` reverse proxies the
  address those proxies appended to ``X-Forwarded-For`` (entries further left are
  written by the client and never trusted).

Every failure, lock and refusal is logged on the ``observatorio.security`` logger.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import random
import time
import unicodedata

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import ngettext

logger = logging.getLogger("observatorio.security")

#: Attribute set on a request whose log-in attempt was refused: seconds left in the lock.
LOCKED_FOR = "observatorio_login_locked_for"

_PREFIX = "observatorio:login"


def _policy() -> dict:
    return settings.LOGIN_THROTTLE


def _cache():
    return caches["default"]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    """The form under which attempts for *username* are counted (case and width folded)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def client_address(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as the configured proxies."""
    if request is None:
        return None
    address = (request.META.get("REMOTE_ADDR") or "").strip()
    proxies = _policy()["TRUSTED_PROXIES"]
    if proxies > 0:
        forwarded = [
            item.strip()
            for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if item.strip()
        ]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    return address or None


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _subjects(username: str | None, address: str | None) -> list[tuple[str, int, str]]:
    """(key prefix, limit, description for the log) of each counter an attempt touches."""
    policy = _policy()
    subjects = []
    if username is not None and normalise_username(username):
        subjects.append(
            (
                f"{_PREFIX}:user:{_digest(normalise_username(username))}",
                policy["USERNAME_FAILURES"],
                "usuario",
            )
        )
    if address:
        subjects.append(
            (
                f"{_PREFIX}:addr:{_digest(_address_key(address))}",
                policy["ADDRESS_FAILURES"],
                "dirección",
            )
        )
    return subjects


def locked_for(username: str | None, address: str | None) -> int:
    """Seconds left before *username* or *address* may try again (0 when not locked)."""
    subjects = _subjects(username, address)
    if not subjects:
        return 0
    locks = _cache().get_many([f"{prefix}:lock" for prefix, _limit, _what in subjects])
    now = time.time()
    remaining = [until - now for until in locks.values() if isinstance(until, int | float)]
    return max((math.ceil(r) for r in remaining if r > 0), default=0)


def _claim_slot(prefix: str, limit: int, window: int) -> int:
    """Record one failure under *prefix*; return the failures now live in the window."""
    cache = _cache()
    keys = [f"{prefix}:{i}" for i in range(limit)]
    live = cache.get_many(keys)
    free = [key for key in keys if key not in live]
    # Concurrent failures try the free slots in different orders, so that they rarely
    # compete for the same one.
    random.shuffle(free)
    for key in free:
        if cache.add(key, time.time(), timeout=window):
            break
    return len(cache.get_many(keys))


def record_failure(username: str | None, address: str | None) -> int:
    """Count a failed attempt; lock what reached its limit. Return the lock's seconds (or 0)."""
    policy = _policy()
    locked = 0
    counts = []
    for prefix, limit, what in _subjects(username, address):
        count = _claim_slot(prefix, limit, policy["WINDOW"])
        counts.append(f"{count}/{limit} por {what}")
        if count >= limit:
            lockout = policy["LOCKOUT"]
            _cache().set(f"{prefix}:lock", time.time() + lockout, timeout=lockout)
            locked = lockout
            logger.warning(
                "Inicio de sesión bloqueado %d s por %s tras %d intentos fallidos: "
                "usuario=%r dirección=%s",
                lockout,
                what,
                count,
                _for_log(username),
                address,
            )
    logger.warning(
        "Intento fallido de inicio de sesión: usuario=%r dirección=%s (%s)",
        _for_log(username),
        address,
        ", ".join(counts),
    )
    return locked


def record_refusal(username: str | None, address: str | None, seconds: int) -> None:
    """Log an attempt refused during a lock (it is not counted)."""
    logger.warning(
        "Intento de inicio de sesión rechazado sin verificar la contraseña "
        "(bloqueo, quedan %d s): usuario=%r dirección=%s",
        seconds,
        _for_log(username),
        address,
    )


def reset_username(username: str | None) -> None:
    """Forget the failed attempts for *username* (after a successful log-in)."""
    subjects = _subjects(username, None)
    if not subjects:
        return
    prefix, limit, _what = subjects[0]
    _cache().delete_many([f"{prefix}:{i}" for i in range(limit)])


def _for_log(username: str | None) -> str | None:
    return None if username is None else username[:150]


def refusal_message(seconds: int) -> str:
    """The Spanish message shown when an attempt is refused for *seconds* more."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Demasiados intentos fallidos de inicio de sesión. Por seguridad, espere "
        "%(minutes)d minuto antes de volver a intentarlo.",
        "Demasiados intentos fallidos de inicio de sesión. Por seguridad, espere "
        "%(minutes)d minutos antes de volver a intentarlo.",
        minutes,
    ) % {"minutes": minutes}
