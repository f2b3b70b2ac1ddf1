"""Load-test the public search page and the API's program list at 50,000 programs.

Usage: python bench/portal.py [--db sqlite|postgres|both] [--rebuild] [--copies 150]
                              [--clients 20] [--duration 30] [--warmup 10] [--workers 3]
                              [--modes cold,normal,users] [--think 1.0]
                              [--suites portal,api] [--seed 7]

Targets, at 20 concurrent clients on a 2-core machine, on SQLite and PostgreSQL:
issue 5, the search page ``/buscar/``: p95 under 150 ms; issue 7, the API's
``GET /api/v1/programs/`` (search, filters, pages): p95 under 100 ms.

The data set (built once per database, again with ``--rebuild``)
    ``observatorio bootstrap`` imports the real 2022 compendium (346 published
    programs) and the 44 good practices; ``build_scaled`` (``bench/scaled.py``)
    then makes ``copies - 1`` more copies of every real program (``--copies 150``:
    51,900 programs): copy *j* goes to reporting cycle ``2022 - j % 10`` (ten cycles,
    2013–2022) as variant ``j // 10`` (numbered ``number + 100 × variant``
    within its objective). Each copy keeps the real title, texts,
    institutions, populations and derived flags, with small variations so that
    counts and search hits scale like real data: the years 2021/2022 in the
    texts follow the cycle, state programs move to another state (rotating
    through the 32) with the state's name replaced in their texts, and about a
    third of the copies drop one sentence of their description (so lengths and
    term frequencies vary). The search index is then rebuilt. SQLite:
    ``var/bench/observatorio.sqlite3``; PostgreSQL: database
    ``observatorio_bench`` (``--pg-url``); skipped with a message when no server
    answers.

The run
    gunicorn serves the project on 127.0.0.1 (a free port) with the production
    settings (``OBSERVATORIO_DEBUG=0``, a random secret key, collected static
    files, requests marked as HTTPS as the TLS proxy would), ``--workers``
    synchronous workers. After ``--warmup`` seconds of the same traffic
    (not measured: the workers load their indexes), ``--clients`` clients
    send requests for ``--duration`` seconds over a mix of URLs (see
    ``SCENARIOS``): word queries drawn from the vocabulary of the real
    compendium (frequent and rare words, accent-free variants, phrases from
    real titles), facet clicks and combinations, pages 2–5, browsing without a
    query, and the good-practices tab. Three modes, each on a freshly started
    server:

    * ``cold``: back to back (closed loop, no think time), every result cache
      off in each worker (each request ranks and counts from the in-memory
      indexes): the server saturated, the worst case. Latency is then about
      clients ÷ throughput (Little's law), so its p95 measures the CPU cost
      per request more than anything a person would wait.
    * ``normal``: back to back, the per-worker result caches on (their hit
      rate in the measured period is printed).
    * ``users``: the production setting (caches on) with each client pausing
      a think time after every answer (exponential, mean ``--think`` seconds:
      a person reading a result page), i.e. 20 people using the portal at the
      same moment; what the latency targets describe.

The ``api`` suite does the same against ``/api/v1/programs/`` as an anonymous
client (``API_SCENARIOS``: ``search=``, the portal's filters under their API
names, harvesting later pages at 50 or 100 per page); its per-address rate
limit is lifted for the run, since every simulated client is 127.0.0.1.

Add a scenario for another page or endpoint by appending to ``SCENARIOS`` or
``API_SCENARIOS``, or a new ``Suite`` to ``SUITES`` (all in ``bench/traffic.py``).

This script holds the command line, the server (``GUNICORN_CONF``: the workers' hooks;
``Server``) and the runs (``run_database``, ``run_mode``) with what they print. Beside it,
with ``bench/`` first on ``sys.path``: ``bench/scaled.py``, the data set (``build_scaled``,
``ensure_indicators``, ``child_build``, which the ``--child-build`` process runs), and
``bench/traffic.py``, the URL mixes and the load driver (``traffic``, ``drive``,
``Figures``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

# bench/, this script's folder, is first on sys.path: the modules beside it import by name.
from harness import create_database, free_port, server_environment
from scaled import CYCLES, VAR, child_build
from traffic import COLUMNS, SUITES, Figures, Suite, drive, get_status, traffic

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))

PG_URL = "postgres://postgres@127.0.0.1:5432/observatorio_bench"


# --- gunicorn ---------------------------------------------------------------------------------

# Hooks of the bench's gunicorn: switch the result caches off for a cold run, and report the
# cache hit counts of each worker (at the end of the warm-up, and at exit).
GUNICORN_CONF = """
import json
import os
import time

_start = None
_cpu = {"requests": 0, "request": 0.0, "queries": 0.0}
_began = 0.0


def _stats():
    from observatorio.published import caches

    figures = caches.stats()
    snapshot = caches.SEARCH_INDEX.peek()
    figures["token loads"] = [snapshot.postings_loaded if snapshot else 0, 0]
    figures["cpu"] = [_cpu["request"], _cpu["queries"], _cpu["requests"]]
    return figures


def post_worker_init(worker):
    from observatorio.portal import search_views

    if os.environ.get("BENCH_COLD") == "1":
        from observatorio.published import caches

        caches.RESULT_CACHE = False
    # Count the CPU time the page spends in the search and facet layer.
    for name in ("programs_for", "practices_for"):

        def timed(query, _original=getattr(search_views, name)):
            began = time.thread_time()
            try:
                return _original(query)
            finally:
                _cpu["queries"] += time.thread_time() - began

        setattr(search_views, name, timed)


def pre_request(worker, req):
    global _start, _began
    if _start is None and os.path.exists(os.environ["BENCH_MARK"]):
        _start = _stats()
    _began = time.thread_time()


def post_request(worker, req, environ, resp):
    _cpu["requests"] += 1
    _cpu["request"] += time.thread_time() - _began


def worker_exit(server, worker):
    with open(os.environ["BENCH_STATS"], "a") as out:
        out.write(json.dumps({"start": _start, "end": _stats()}) + "\\n")
"""


def _environment(db: str, pg_url: str) -> dict:
    return server_environment(
        db, pg_url, VAR, OBSERVATORIO_DB_CONN_MAX_AGE="60", OBSERVATORIO_LOG_LEVEL="WARNING"
    )


class Server:
    """gunicorn on 127.0.0.1 with the bench's hooks; stop() waits for the workers' reports."""

    def __init__(self, env: dict, workers: int, cold: bool, label: str):
        self.port = free_port()
        self.stats = VAR / f"stats-{label}.jsonl"
        self.mark = VAR / f"mark-{label}"
        for path in (self.stats, self.mark):
            path.unlink(missing_ok=True)
        conf = VAR / "gunicorn.conf.py"
        conf.write_text(GUNICORN_CONF)
        env = {
            **env,
            "BENCH_COLD": "1" if cold else "0",
            "BENCH_STATS": str(self.stats),
            "BENCH_MARK": str(self.mark),
        }
        self.log = (VAR / f"gunicorn-{label}.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--config",
                str(conf),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--timeout",
                "120",
            ],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn terminó (código {self.process.returncode})")
            try:
                if asyncio.run(get_status(self.port, "/buscar/")) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn no respondió a tiempo")

    def start_measuring(self) -> None:
        self.mark.touch()

    def worker_memory(self) -> list[int]:
        """Resident memory of each worker, in MB (Linux /proc; empty elsewhere)."""
        sizes = []
        try:
            task = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            for pid in task.read_text().split():
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) // 1024)
        except OSError:
            return []
        return sizes

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        totals: dict = {}
        if self.stats.exists():
            for line in self.stats.read_text().splitlines():
                report = json.loads(line)
                start = report["start"] or {}
                for name, values in report["end"].items():
                    before = start.get(name, [0] * len(values))
                    totals.setdefault(name, [0] * len(values))
                    for i, value in enumerate(values):
                        totals[name][i] += value - before[i]
        return dict(totals)


# --- one database -----------------------------------------------------------------------------


def run_database(db: str, args) -> list[tuple[str, str, Figures, dict]]:
    print(f"\n=== {db} ===")
    env = _environment(db, args.pg_url)
    if db == "postgres":
        problem, _created = create_database(args.pg_url, args.rebuild)
        if problem:
            print(f"  PostgreSQL SKIPPED: no server answers at {args.pg_url} ({problem})")
            return []
    elif args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"observatorio.sqlite3{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, __file__, "--child-build", db, "--copies", str(args.copies)]
        + (["--rebuild"] if args.rebuild else []),
        cwd=REPO,
        env=env,
    )
    if build.returncode:
        print(f"  building the data set failed (exit {build.returncode})")
        return []
    manifest = json.loads((VAR / f"dataset-{db}.json").read_text())
    print(
        f"  data set: {manifest['programs']} published programs ({manifest['real']} real × "
        f"{manifest['copies']}: {CYCLES} cycles, states rotated, years and sentences varied), "
        f"{manifest['practices']} good practices, {manifest['postings']} postings; "
        f"database {manifest['size']}"
    )
    if manifest["reused"]:
        print(
            f"  built earlier in {manifest['build_seconds']} s (copies "
            f"{manifest['copy_seconds']} s, index {manifest['index_seconds']} s); "
            f"checked in {time.perf_counter() - started:.1f} s"
        )
    else:
        print(
            f"  built in {manifest['build_seconds']} s (copies {manifest['copy_seconds']} s, "
            f"search index {manifest['index_seconds']} s)"
        )
    results = []
    for suite in args.suites:
        for mode in args.modes:
            results.append(run_mode(db, suite, mode, env, manifest, args))
    return results


def run_mode(db: str, suite: Suite, mode: str, env: dict, manifest: dict, args):
    label = f"{db}-{suite.name}-{mode}"
    load = os.getloadavg()
    print(
        f"\n--- {suite.name} ({suite.issue}), {db}, {mode}: {args.clients} clients, "
        f"{args.workers} sync workers, "
        f"warm-up {args.warmup:g} s, measured {args.duration:g} s; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ---"
    )
    server = Server(env, args.workers, cold=(mode == "cold"), label=label)
    try:
        server.wait_ready()
        urls = traffic(manifest, args.seed, suite.scenarios)
        think = args.think if mode == "users" else 0.0
        asyncio.run(drive(server.port, args.clients, args.warmup, urls, False, think))
        server.start_measuring()
        started = time.perf_counter()
        samples = asyncio.run(drive(server.port, args.clients, args.duration, urls, True, think))
        elapsed = time.perf_counter() - started
        memory = server.worker_memory()
    finally:
        caches = server.stop()
    print(f"  {'scenario':<12} {COLUMNS}")
    by_scenario = defaultdict(list)
    for sample in samples:
        by_scenario[sample.scenario].append(sample)
    for scenario in suite.scenarios:
        if by_scenario.get(scenario.name):
            figures = Figures.of(by_scenario[scenario.name], elapsed)
            print(f"  {scenario.name:<12} {figures.columns()}")
    overall = Figures.of(samples, elapsed)
    print(f"  {'overall':<12} {overall.columns()}")
    statuses = Counter(s.status for s in samples if s.status != 200)
    if statuses:
        print(f"  non-200 answers: {dict(statuses)} (0 = connection error or timeout)")
    print(
        "  during the measured period, all workers: "
        f"{caches.get('index builds', [0])[0]} index builds (entry table, facet bitsets), "
        f"{caches.get('token loads', [0])[0]} tokens' postings read from the database"
    )
    if memory:
        print(f"  worker memory (resident): {', '.join(f'{m} MB' for m in memory)}")
    if caches.get("cpu") and caches["cpu"][2]:
        request_cpu, query_cpu, served = caches["cpu"]
        print(f"  server CPU per request: {1000 * request_cpu / served:.1f} ms")
    if suite.name == "portal" and caches.get("cpu") and caches["cpu"][2]:
        print(
            f"  server CPU per request: {1000 * request_cpu / served:.1f} ms, of which "
            f"{1000 * query_cpu / served:.1f} ms in programs_for/practices_for (search, facets, "
            "result caches); the rest is the view, its page queries and the template"
        )
    for name, (hits, misses, *_rest) in sorted(caches.items()):
        if name in ("index builds", "token loads", "cpu"):
            continue
        if hits + misses:
            print(
                f"  cache '{name}': {hits} hits, {misses} misses "
                f"({100 * hits / (hits + misses):.0f}% hit rate)"
            )
    verdict = "reached" if overall.p95 < suite.target_ms and not overall.errors else "NOT reached"
    print(f"  target p95 < {suite.target_ms:g} ms at {args.clients} clients: {verdict}")
    return db, suite, mode, overall, caches


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rebuild", action="store_true", help="recreate the data set")
    parser.add_argument("--copies", type=int, default=150, help="copies of each real program")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=45, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--modes", default="cold,normal,users", help="any of cold, normal, users (comma-separated)"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time of the users mode, seconds"
    )
    parser.add_argument(
        "--suites", default="portal,api", help="portal (the search page), api (its list) or both"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the URL mix")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--child-build", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    if args.copies < 1 or args.clients < 1 or args.workers < 1:
        parser.error("--copies, --clients and --workers must be at least 1")
    VAR.mkdir(parents=True, exist_ok=True)
    if args.child_build:
        return child_build(args.child_build, args.copies, args.rebuild)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or not set(args.modes) <= {"cold", "normal", "users"}:
        parser.error("--modes takes cold, normal and/or users, comma-separated")
    names = [n.strip() for n in args.suites.split(",") if n.strip()]
    if not names or not set(names) <= set(SUITES):
        parser.error("--suites takes portal, api or portal,api")
    args.suites = [SUITES[n] for n in names]
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        print("gunicorn is not installed in this virtualenv", file=sys.stderr)
        return 2
    load = os.getloadavg()
    print(
        f"Portal benchmark: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}."
    )
    for suite in args.suites:
        print(
            f"URL mix of '{suite.name}' ({suite.issue}; target p95 < {suite.target_ms:g} ms): "
            + ", ".join(f"{s.name} {s.weight:.0%} ({s.description})" for s in suite.scenarios)
        )
    print(
        f"gunicorn: {args.workers} synchronous workers (the work is CPU-bound Python: threads "
        "would share one GIL; one worker more than cores keeps both busy while another waits "
        "on the database). Modes: cold = clients back to back (saturation), every result cache "
        "off in each worker (each request validates, ranks and counts from the in-memory "
        "indexes, which every mode loads during the warm-up); normal = back to back, "
        f"per-worker result caches on; users = caches on, each client pausing a think time "
        f"(exponential, mean {args.think:g} s) after each answer, as a person reading the page."
    )
    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        results.extend(run_database(db, args))
    if results:
        print(f"\nSummary ({args.clients} clients, {args.workers} sync gunicorn workers)")
        print(
            f"  {'suite':<6} {'database':<9} {'mode':<7} {COLUMNS} {'cpu/req':>8} {'search':>7} "
            f"{'hits':>5}  target"
        )
        for db, suite, mode, overall, caches in results:
            ok = overall.p95 < suite.target_ms and not overall.errors
            request_cpu, query_cpu, served = caches.get("cpu") or (0, 0, 0)
            per_request, in_search = (
                1000 * request_cpu / max(served, 1),
                1000 * query_cpu / max(served, 1),
            )
            cache = "program results" if suite.name == "portal" else "api program pages"
            hits, misses = caches.get(cache, [0, 0])[:2]
            print(
                f"  {suite.name:<6} {db:<9} {mode:<7} {overall.columns()} "
                f"{per_request:>6.1f}ms {in_search:>5.1f}ms "
                f"{100 * hits / max(hits + misses, 1):>4.0f}%  "
                f"p95 < {suite.target_ms:g} ms: {'yes' if ok else 'NO'}"
            )
        print(
            "  cpu/req: server CPU time per request; search: of which in programs_for and "
            "practices_for (the portal's search layer; not timed for the API); hits: portal "
            "results or API pages served from the per-worker cache"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
