"""Time the hostile-input sweep against gunicorn: how long each kind of hostile request takes.

Usage: python bench/hostile.py [--db sqlite|postgres|both] [--workers 2] [--rebuild]
                               [--pg-url postgres://postgres@127.0.0.1:5432/observatorio_hostile_bench]

Target (issue 14): every answer under 2 s (``TARGET_SECONDS``), and no 5xx.

The requests are those of the test ``observatorio/tests/test_hostile_sweep.py`` (see
``observatorio/tests/hostile.py``): every URL pattern of the project, anonymously, as a
reviewer and (report pages) as an enlace, and every operation of the API, anonymously and
with a reviewer's and an enlace's token, with NUL in the address and in every parameter,
1 MB strings in every parameter and form field, 50,000-level JSON bodies, 100,000-element
lists and a formset of 100,000 forms.

The data
    SQLite: a fresh copy of ``var/observatorio.sqlite3`` (``make setup``: the real 2022
    compendium and practices) in ``var/bench/hostile/``. PostgreSQL: the database
    ``observatorio_hostile_bench``, bootstrapped the first time (``--rebuild``: again);
    skipped with a message when no server answers.

The server
    gunicorn on 127.0.0.1 with the production settings (``OBSERVATORIO_DEBUG=0``, collected
    static files, requests marked as HTTPS as the TLS proxy would), ``--workers``
    synchronous workers, and no limit on the request line (``--limit-request-line 0``):
    gunicorn's default (4,094 bytes) would itself answer the 1 MB query strings with a 400,
    as any proxy in front of it would; here they reach Django.

The driver
    This script again (``--drive``), inside Django on the same database: it creates the
    records the addresses need, signs the identities in (a session and a CSRF cookie and
    header for the web, tokens for the API), finds each page's parameters through Django's
    test client, and sends every request over HTTP, one at a time, timing each answer to
    its last byte.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from harness import create_database, free_port, percentile, server_environment

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

VAR = REPO / "var" / "bench" / "hostile"
PG_URL = "postgres://postgres@127.0.0.1:5432/observatorio_hostile_bench"
TARGET_SECONDS = 2.0


# --- the driver (inside Django) -----------------------------------------------------------------


def drive(port: int, out: Path) -> None:
    import logging

    import django

    django.setup()
    # The discovery requests run here: their thousands of 4xx are expected (5xx are counted).
    logging.getLogger("django").setLevel(logging.ERROR)
    from django.test import Client
    from django.utils.crypto import get_random_string

    from observatorio.accounts.models import ApiToken
    from observatorio.accounts.testing import make_user
    from observatorio.tests import hostile

    samples = hostile.Samples.prepare()
    origin = f"127.0.0.1:{port}"
    csrf = get_random_string(32)
    web = {
        "Host": origin,
        "X-Forwarded-Proto": "https",
        "Referer": f"https://{origin}/",
        "X-CSRFToken": csrf,
    }
    headers = {"anonymous": {**web, "Cookie": f"csrftoken={csrf}"}}
    local = {"anonymous": _client(Client)}
    for username in ("reviewer", "enlace_jalisco"):
        client = _client(Client)
        client.force_login(make_user(username))
        session = client.cookies["sessionid"].value
        local[username] = client
        headers[username] = {**web, "Cookie": f"sessionid={session}; csrftoken={csrf}"}
        _token, key = ApiToken.issue(make_user(username), "bench")
        headers[f"{username}-token"] = {
            "Host": origin,
            "X-Forwarded-Proto": "https",
            "Authorization": f"Token {key}",
        }

    def discover(probe):
        response = local[probe.identity].generic(
            probe.method, probe.url, probe.body, content_type=probe.content_type or "text/plain"
        )
        return response.status_code, b"".join(response) if response.streaming else response.content

    def send(probe):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        extra = {"Content-Type": probe.content_type} if probe.content_type else {}
        connection.request(
            probe.method, probe.url, body=probe.body, headers={**headers[probe.identity], **extra}
        )
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    with out.open("w") as lines:
        plans = [("web", i, hostile.web_plan(discover, i, samples)) for i in hostile.WEB_IDENTITIES]
        plans += [("api", i, hostile.api_plan(i, samples)) for i in hostile.API_IDENTITIES]
        for surface, identity, probes in plans:
            start = time.monotonic()
            results = hostile.run(probes, send)
            took = time.monotonic() - start
            print(f"  {surface}, {identity}: {len(results)} answers in {took:.0f} s")
            for r in results:
                row = {"surface": surface, "category": r.category, "status": r.status}
                row |= {"seconds": r.seconds, "description": r.description}
                lines.write(json.dumps(row) + "\n")


def _client(client_class):
    return client_class(
        raise_request_exception=False, HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"
    )


# --- the databases and the server ------------------------------------------------------------


def _environment(db: str, pg_url: str) -> dict:
    # Every client is 127.0.0.1: no rate limit for the sweep, signed in or not.
    return server_environment(
        db,
        pg_url,
        VAR,
        OBSERVATORIO_LOG_LEVEL="CRITICAL",
        OBSERVATORIO_TASKS="immediate",
        OBSERVATORIO_API_USER_RATE="1000000/second",
    )


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "observatorio", *args], cwd=REPO, env=env, check=True)


def _prepare_sqlite(env: dict) -> str | None:
    source = REPO / "var" / "observatorio.sqlite3"
    if not source.exists():
        return "var/observatorio.sqlite3 does not exist: run `make setup` first"
    VAR.mkdir(parents=True, exist_ok=True)
    target = VAR / "observatorio.sqlite3"
    for path in VAR.glob("observatorio.sqlite3*"):
        path.unlink()
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)  # a consistent copy, WAL included
    return None


def _prepare_postgres(env: dict, pg_url: str, rebuild: bool) -> str | None:
    problem, created = create_database(pg_url, rebuild)
    if not problem and created:
        print(f"  bootstrapping {pg_url.rpartition('/')[2]} (a few minutes, once)")
        _manage(env, "bootstrap", "--verbosity", "0")
    return problem


def _serve(env: dict, workers: int, port: int, log) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--worker-class", "sync", "--timeout", "300", "--limit-request-line", "0"),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn terminó (código {process.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn no respondió a tiempo")


def run_database(db: str, args) -> Path | None:
    print(f"\n=== {db} ===")
    env = _environment(db, args.pg_url)
    problem = (
        _prepare_postgres(env, args.pg_url, args.rebuild)
        if db == "postgres"
        else _prepare_sqlite(env)
    )
    if problem:
        print(f"  skipped: {problem}")
        return None
    if not (VAR / "static" / "staticfiles.json").exists():
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    port = free_port()
    out = VAR / f"results-{db}.jsonl"
    with (VAR / f"gunicorn-{db}.log").open("w") as log:
        server = _serve(env, args.workers, port, log)
        try:
            subprocess.run(
                [sys.executable, __file__, "--drive", str(port), "--out", str(out)],
                cwd=REPO,
                env=env,
                check=True,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    return out


# --- the figures --------------------------------------------------------------------------


def report(db: str, path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["surface"], row["category"])].append(row)
    print(f"\n{db}: {len(rows)} answers")
    print(f"  {'surface':7} {'category':12} {'answers':>7} {'p95 ms':>8} {'max ms':>8}  statuses")
    for (surface, category), group in sorted(groups.items()):
        seconds = [r["seconds"] for r in group]
        statuses = ", ".join(
            f"{s}×{n}" for s, n in sorted(Counter(r["status"] for r in group).items())
        )
        print(
            f"  {surface:7} {category:12} {len(group):7} {percentile(seconds, 0.95) * 1000:8.1f} "
            f"{max(seconds) * 1000:8.1f}  {statuses}"
        )
    print("  slowest:")
    for row in sorted(rows, key=lambda r: -r["seconds"])[:10]:
        print(f"  {row['seconds'] * 1000:8.1f} ms  {row['status']}  {row['description']}")
    slow = sum(r["seconds"] >= TARGET_SECONDS for r in rows)
    errors = [r for r in rows if r["status"] >= 500]
    print(
        f"  over {TARGET_SECONDS:.0f} s: {slow}; server errors: {len(errors)}; "
        f"max {max(r['seconds'] for r in rows) * 1000:.0f} ms"
    )
    for row in errors[:20]:
        print(f"    {row['status']} {row['description']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--rebuild", action="store_true", help="bootstrap PostgreSQL again")
    parser.add_argument("--drive", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(args.drive, args.out)
        return 0
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        print("gunicorn is not installed in this virtualenv", file=sys.stderr)
        return 1
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_database(db, args) for db in databases}
    failed = False
    for db, path in results.items():
        if path is not None:
            report(db, path)
            rows = [json.loads(line) for line in path.read_text().splitlines()]
            failed |= any(r["status"] >= 500 or r["seconds"] >= TARGET_SECONDS for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
