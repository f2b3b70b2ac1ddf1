"""What the benchmark scripts share: a free port, the server's environment, the PostgreSQL
database a benchmark owns, and percentiles. Imported by the scripts beside it."""

from __future__ import annotations

import math
import os
import secrets
import socket
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The checkout the benches run.
REPO = Path(__file__).resolve().parents[1]


def server_environment(db: str, pg_url: str, var: Path, **extra: str) -> dict:
    """The environment of a production-like server (DEBUG off) on *db* with its files in *var*.

    Every simulated client comes from 127.0.0.1: the API's per-address rate limit for
    anonymous clients is lifted. Over a one-second window, so that the throttle keeps about
    as many timestamps per address as a real client does under the production rate (at
    most 120 a minute), not the whole run's requests: the counting still costs its cache
    read and write on every request.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "OBSERVATORIO_DEBUG": "0",
        "OBSERVATORIO_SECRET_KEY": secrets.token_urlsafe(64),
        "OBSERVATORIO_ALLOWED_HOSTS": "127.0.0.1",
        "OBSERVATORIO_VAR_DIR": str(var),
        "PYTHONPATH": str(REPO),
        "OBSERVATORIO_API_ANON_RATE": "1000000/second",
        **extra,
        "DATABASE_URL": pg_url if db == "postgres" else "",
    }


def create_database(pg_url: str, rebuild: bool) -> tuple[str | None, bool]:
    """Create (or with *rebuild* recreate) the database of *pg_url*.

    Returns (a message when the server cannot be used, whether the database was created).
    """
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed", False
    server, _slash, name = pg_url.rpartition("/")
    if name == "observatorio":
        return "refusing to use the database «observatorio» (others use it)", False
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and rebuild:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0], False
    return None, not exists


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile *q* (0 < q ≤ 1) of *values*; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]
