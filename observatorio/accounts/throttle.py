"""Log-in throttling: lock the attacker, not the account.

The policy (``settings.LOGIN_THROTTLE``; failures are counted over the last ``WINDOW``
seconds, 15 minutes):

* **Per (username, address) pair**: after ``PAIR_FAILURES`` (5) failures that pair is
  locked for ``LOCKOUT`` seconds (15 minutes). Whoever guesses from that address is locked
  out; the real user, from another address, is not.
* **Per address**: after ``ADDRESS_FAILURES`` (20) failures from one address, whatever the
  usernames, that address is locked for ``LOCKOUT`` seconds.
* **Per username, from anywhere**: never locked, slowed down. From the
  ``USERNAME_SLOWDOWN_AFTER``-th (10th) attempt on, each attempt for the username holds it
  for 1, 2, 4, 8 … seconds, at most ``USERNAME_MAX_DELAY`` (60): meanwhile attempts for it
  are answered 429 with that ``Retry-After``. An attacker spread over many addresses gets
  about one guess a minute; the real user waits a minute at most (while such an attack
  goes on, the turn goes to whoever asks first once the minute is over).

Attempts refused by a lock or a hold are neither counted nor checked, so hammering a lock
never extends it. A successful log-in forgets the pair's and the username's failures (its
own attempt does not count against the address). When a lock ends, the pair or address
has its full allowance again.

Design
------
* **Where it is enforced.** In the authentication backend
  (:class:`observatorio.accounts.backends.ThrottledModelBackend`, the only entry of
  ``AUTHENTICATION_BACKENDS``), so that every ``authenticate()`` call obeys it: the log-in
  page, the admin's log-in page and anything added later. A refused attempt raises
  ``PermissionDenied`` before the password hasher runs and leaves its :class:`Refusal` on
  the request; the log-in view then answers 429 with the Spanish message and
  ``Retry-After``.
* **Counted before the password is checked.** :func:`begin` first reads the locks and holds
  of the three keys (one statement, nothing written), then counts the attempt on the pair,
  the address and the username with the site's rate counter
  (:mod:`observatorio.ratelimit.counters`: one atomic upsert each, returning the new
  count), and only then lets the password be checked. Parallel attempts therefore get
  different counts: of 40 wrong passwords sent at once for one pair, 5 are checked and
  the others refused (and taken back). The username's hold is taken by a conditional
  update that one attempt wins. A failure that used up a pair's or address's allowance
  locks it (:func:`~observatorio.ratelimit.counters.block`).
* **Keys.** SHA-256 of a purpose and the case-folded, NFKC-normalised username and/or the
  client address (an IPv6 address counts as its /64 network, which one client usually
  holds whole): no username is stored and every key has a fixed length. Unknown usernames
  are counted like known ones, so the answers reveal nothing about which exist.
* **Client address.** :func:`observatorio.ratelimit.clients.client_address`, shared with
  the API: ``X-Forwarded-For`` only from ``OBSERVATORIO_TRUSTED_PROXIES``.

Every failure, lock, hold and refusal is logged on the ``observatorio.security`` logger.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import ngettext

from observatorio.ratelimit import counters
from observatorio.ratelimit.clients import address_key

logger = logging.getLogger("observatorio.security")

#: Attribute set on a request whose log-in attempt was refused: its :class:`Refusal`.
REFUSAL = "observatorio_login_refusal"

#: The throttle's clock (tests move it instead of sleeping).
clock = time.time


def _policy() -> dict:
    return settings.LOGIN_THROTTLE


def normalise_username(username: str | None) -> str:
    """The form under which attempts for *username* are counted (case and width folded)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


@dataclass(frozen=True)
class Refusal:
    """An attempt refused without checking the password: for how long, and why."""

    seconds: int
    #: "lock" (the pair or the address, minutes) or "slowdown" (the username, seconds).
    kind: str

    def message(self) -> str:
        if self.kind == "slowdown":
            return slowdown_message(self.seconds)
        return lock_message(self.seconds)


#: What each counter is for, as the log names it.
_LABELS = {"pair": "usuario y dirección", "address": "dirección", "username": "usuario"}


@dataclass
class _Counted:
    """One of the counters an attempt is counted on."""

    kind: str  # "pair", "address" (locked at their limit) or "username" (slowed down)
    key: str
    limit: int
    hit: counters.Hit | None = None

    @property
    def locks(self) -> bool:
        return self.kind != "username"

    @property
    def label(self) -> str:
        return _LABELS[self.kind]


@dataclass
class Attempt:
    """An attempt counted before its password is checked; report how it ended."""

    username: str | None
    address: str | None
    counted: list[_Counted] = field(default_factory=list)

    def failed(self) -> None:
        """The password was wrong: lock what used up its allowance, and log."""
        policy = _policy()
        lockout = policy["LOCKOUT"]
        for item in self.counted:
            # Locked once the next attempt would not fit (with the sliding estimate, this
            # failure may be the 5th of the last WINDOW seconds with a fractional count).
            if not item.locks or item.hit.within(item.limit - 1):
                continue
            counters.block(item.key, policy["WINDOW"], item.hit.now, clock() + lockout)
            logger.warning(
                "Inicio de sesión bloqueado %d s por %s tras %d intentos fallidos: "
                "usuario=%r dirección=%s",
                lockout,
                item.label,
                counters.whole(item.hit.estimate),
                _for_log(self.username),
                self.address,
            )
        logger.warning(
            "Intento fallido de inicio de sesión: usuario=%r dirección=%s (%s)",
            _for_log(self.username),
            self.address,
            ", ".join(
                f"{counters.whole(item.hit.estimate)}/{item.limit} por {item.label}"
                for item in self.counted
            ),
        )

    def succeeded(self) -> None:
        """The password was right: forget the pair's and the username's failures."""
        counters.reset(item.key for item in self.counted if item.kind != "address")
        for item in self.counted:
            if item.kind == "address":
                item.hit.take_back()


def _subjects(username: str | None, address: str | None) -> list[_Counted]:
    policy = _policy()
    name = normalise_username(username)
    network = address_key(address) if address else ""
    subjects = []
    if name and network:
        subjects.append(
            _Counted(
                "pair", counters.make_key("login:pair", name, network), policy["PAIR_FAILURES"]
            )
        )
    if network:
        subjects.append(
            _Counted(
                "address", counters.make_key("login:address", network), policy["ADDRESS_FAILURES"]
            )
        )
    if name:
        subjects.append(
            _Counted(
                "username",
                counters.make_key("login:username", name),
                policy["USERNAME_SLOWDOWN_AFTER"],
            )
        )
    return subjects


def begin(username: str | None, address: str | None) -> Attempt | Refusal:
    """Count an attempt before its password is checked, or refuse it (see the docstring)."""
    policy = _policy()
    window = policy["WINDOW"]
    now = clock()
    subjects = _subjects(username, address)

    # Locks and holds in force: refused without counting anything.
    ends = counters.blocked([item.key for item in subjects], now)
    if ends:
        kind = "lock" if any(item.locks and item.key in ends for item in subjects) else "slowdown"
        return _refuse(username, address, counters.whole(max(ends.values()) - now), kind)

    attempt = Attempt(username, address)
    for item in subjects:
        item.hit = counters.hit(item.key, window, now)
        attempt.counted.append(item)
        if item.locks:
            if item.hit.blocked_for or not item.hit.within(item.limit):
                # Locked meanwhile, or its allowance is being used by attempts in flight.
                seconds = item.hit.blocked_for or item.hit.wait(item.limit)
                return _take_back(attempt, _refuse(username, address, seconds, "lock"))
            continue
        # The username: from the K-th attempt on, each holds it for 1, 2, 4 … seconds.
        if item.hit.blocked_for:
            refusal = _refuse(username, address, item.hit.blocked_for, "slowdown")
            return _take_back(attempt, refusal)
        beyond = counters.whole(item.hit.estimate) - item.limit
        if beyond >= 0:
            delay = min(2 ** min(beyond, 30), policy["USERNAME_MAX_DELAY"])
            if not counters.take_turn(item.key, now, now + delay):
                # Another attempt for the username took the turn a moment ago.
                held = counters.blocked([item.key], now).get(item.key, now + 1)
                refusal = _refuse(username, address, counters.whole(held - now), "slowdown")
                return _take_back(attempt, refusal)
            logger.warning(
                "Inicio de sesión frenado: usuario=%r dirección=%s (%d intentos por usuario; "
                "el siguiente espera %d s)",
                _for_log(username),
                address,
                counters.whole(item.hit.estimate),
                delay,
            )
    return attempt


def _take_back(attempt: Attempt, refusal: Refusal) -> Refusal:
    for item in attempt.counted:
        item.hit.take_back()
    return refusal


def _refuse(username: str | None, address: str | None, seconds: int, kind: str) -> Refusal:
    seconds = max(1, seconds)
    logger.warning(
        "Intento de inicio de sesión rechazado sin verificar la contraseña "
        "(%s, quedan %d s): usuario=%r dirección=%s",
        "bloqueo" if kind == "lock" else "espera",
        seconds,
        _for_log(username),
        address,
    )
    return Refusal(seconds, kind)


def _for_log(username: str | None) -> str | None:
    return None if username is None else username[:150]


def lock_message(seconds: int) -> str:
    """The Spanish message shown while a pair or an address is locked for *seconds* more."""
    minutes = max(1, counters.whole(seconds / 60))
    return ngettext(
        "Demasiados intentos fallidos de inicio de sesión. Por seguridad, espere "
        "%(minutes)d minuto antes de volver a intentarlo.",
        "Demasiados intentos fallidos de inicio de sesión. Por seguridad, espere "
        "%(minutes)d minutos antes de volver a intentarlo.",
        minutes,
    ) % {"minutes": minutes}


def slowdown_message(seconds: int) -> str:
    """The Spanish message shown while a username is held for *seconds* more."""
    return ngettext(
        "Hubo muchos intentos fallidos con este usuario. Por seguridad, espere "
        "%(seconds)d segundo antes de volver a intentarlo.",
        "Hubo muchos intentos fallidos con este usuario. Por seguridad, espere "
        "%(seconds)d segundos antes de volver a intentarlo.",
        seconds,
    ) % {"seconds": seconds}
