"""The version of what the portal shows: every per-worker cache is valid for one version.

Why
    Every gunicorn worker keeps in memory what is expensive to recompute on each
    request at 50,000 programs (:mod:`observatorio.published.caches` declares all of
    it). All of it is valid for one *data version* only.

What
    :class:`~observatorio.published.models.DataVersion` is one row holding a random
    token. :func:`bump` replaces it, in the same transaction as the change, so a
    reader sees the new data and the new token together. :func:`current` reads
    it (one primary-key lookup, well under a millisecond) once per request (outside
    transactions; always inside one), so a publication is visible on the very next
    request in every worker. A random token rather than a counter: a rolled-back transaction
    restores the old token together with the old data, and a new bump can never
    produce a token that some worker already associates with other data.

When it changes (see :mod:`observatorio.published.signals`)
    ``index.rebuild`` and ``index.update_for`` (every publication and withdrawal
    goes through ``update_for``); saving or deleting a published program, or
    changing its institutions or populations; saving or deleting a good
    practice or any catalogue record a facet shows (states, regions and their
    members, objectives, institutions, population groups, reporting cycles);
    a committed import that changed anything (``sources.signals.imported``).
    Only this package calls :func:`bump`: writers elsewhere send signals (model saves,
    the workflow's ``program_published``/``program_withdrawn``, ``imported``).
"""

from __future__ import annotations

import secrets
import threading

from django.db import IntegrityError, connections, transaction

from .models import DataVersion

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


def database_key(using: str) -> str:
    """Which database *using* is (per-process caches are kept per database and version)."""
    settings = connections[using].settings_dict
    return f"{settings['ENGINE']}:{settings['HOST']}:{settings['PORT']}:{settings['NAME']}"
