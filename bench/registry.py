"""Load-test the needs registry (issue 19) at 1 million people and 3 million referrals.

Usage: python bench/registry.py [--people 1000000] [--referrals 3000000] [--clients 10]
                                [--saves 200] [--lookups 1000] [--quick] [--rebuild]
                                [--db-name observatorio_registry_bench] [--keep]
                                [--workers 2] [--pg-server postgres://postgres@127.0.0.1:5432]

Targets (issue 19), on PostgreSQL, on the 2-core machine: the registration save
(``actions.register``) p95 under 150 ms with 10 clients at once; the lookup of a person
by blind index (``actions.find(user, curp=...)``) under 20 ms (judged on the p95); the
aggregation of a year (``aggregates.publish``: every count of the 18 registry indicators,
written as values) under 60 s.

This script holds the command line, the Django settings, the choice between reusing the
database and filling it again, the measurements and what they print. Creating and
migrating the database, the synthetic people and the fill (``COPY`` from worker
processes) are in ``bench/registry_fill.py``, imported from this script's folder.

The database (its own: ``--db-name``, created on the server of ``--pg-server``)
    Migrated and loaded with the part of ``bootstrap`` the registry needs: the
    catalogues (``load_catalogs``), the coordination records that name the 7 centres
    (``load_coordination --commit``), the indicators' catalogue (``catalogue.load``:
    ``personas`` and ``servicios``; the panoramas and the compendium imports are not
    needed) and ``load_registry`` (the 15 needs, the centres, their 39 services, one
    indicator per need and ``personas-nuevas-registro``). A database already filled
    to the requested size (the manifest ``var/bench/registry-<db>.json`` and the row
    counts agree) is reused; otherwise it is dropped and filled again (``--rebuild``
    forces it). Without ``--keep`` the database is dropped at the end. Django runs in
    this process with DEBUG off (no query log) and fixed registry keys derived from a
    label (``OBSERVATORIO_REGISTRY_KEYS``, ``OBSERVATORIO_REGISTRY_INDEX_KEY``), so that
    a kept database stays readable from one run to the next.

The data set (``--people`` N, ``--referrals`` M; ``--quick``: 20,000 and 60,000)
    Written with PostgreSQL ``COPY`` by ``--workers`` processes (chunks of 10,000
    people, each its own transaction; the tables' secondary indexes are dropped
    during the fill and built again after, foreign keys are not checked row by row,
    then ``VACUUM ANALYZE``). Every person: a centre (weighted: the three of Chiapas
    the busiest), a registration date (85 % in the current year up to today, the rest
    the year before), sex, age (birth date for 90 %, a declared age for most of the
    rest; 20 % minors, with whoever accompanies them, 1 in 12 unaccompanied), a
    nationality and country of birth among HND, GTM, VEN, HTI, CUB, SLV, MEX, NIC,
    COL, ECU..., a population group of the catalogue (by nationality and age), names,
    a CURP (85 % of Mexicans, 25 % of the others), a phone (only with the follow-up
    consent). Identity values are sealed with ``crypto.encrypt`` under each
    ``Sealed`` field's own purpose (``registry.person.<field>``) and the blind
    indexes computed with ``crypto.blind`` as ``Person.index()`` does (checked on a
    sample through the ORM after the fill). Four consents each (statistics granted
    to 90 %, sharing 85 %, follow-up 60 %); one or two contacts (the first on the
    registration day) with one to three needs each; the M referrals spread at
    random over the people of each chunk (about M ÷ N each), for one of their needs,
    to a service of the catalogue (their centre's when it offers it) or an outside
    institution, 8 % sent, 10 % accepted, 42 % attended, 30 % closed (most with an
    attention date), 10 % rejected.

The run, in this order
    (a) lookups: ``--lookups`` calls of ``actions.find(user, curp=...)`` one after the
        other, 90 % CURPs of people in the database (read back through the ORM, the
        user being the staff of the person's centre: one person found) and 10 %
        valid CURPs nobody has; p50/p95/p99/max.
    (b) registration saves: ``--clients`` threads, each its own database connection
        and a staff user (``registry`` role and a ``StaffPost`` at one of the 7
        centres), start together and each make ``--saves`` calls of
        ``actions.register`` with synthetic people (a few unmeasured first); the
        user's cached scope and posts are dropped before each call, as each request
        loads its user again. Latency of each call, p50/p95/p99, saves per second and
        the client thread's CPU per save (the threads share one interpreter: with
        about 6-8 ms of Python per save, one process saves at most ~130 a second).
    (c) aggregation: ``aggregates.publish(current year)`` once, timed, with the time
        of each indicator's counts (``aggregates.counts``) and of the read of who
        consented (``aggregates.consenting``) beside it, and the process's peak memory.
    Rows the measurements wrote (people, their consents, contacts, needs, referrals,
    the access log) are removed at the start of the next run on a kept database.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import secrets
import sys
import threading
import time
from pathlib import Path

# bench/, this script's folder, is first on sys.path: the modules beside it import by name.
from harness import percentile
from registry_fill import (
    People,
    check_sample,
    create_database,
    drop_database,
    fill,
    prepare,
    random_curp,
    random_phone,
    staff_users,
)

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))

VAR = REPO / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "observatorio_registry_bench"
TARGET_SAVE_P95_MS = 150.0
TARGET_LOOKUP_MS = 20.0
TARGET_AGGREGATION_S = 60.0


# --- the database (its settings, reused or filled by registry_fill) ---------------------------


def _bench_key(label: str) -> str:
    """A fixed registry key derived from *label* (the same on every run)."""
    digest = hashlib.sha256(f"observatorio-registry-bench:{label}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def configure(pg_url: str) -> None:
    """Production-like settings on the bench's database, set before Django starts.

    DEBUG is off (no query log; the registry then needs real keys): fixed keys derived
    from a label, the same on every run, so that a kept database is still readable.
    """
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": pg_url,
            "OBSERVATORIO_DEBUG": "0",
            "OBSERVATORIO_SECRET_KEY": secrets.token_urlsafe(64),
            "OBSERVATORIO_VAR_DIR": str(VAR),
            "OBSERVATORIO_LOG_LEVEL": "WARNING",
            "OBSERVATORIO_REGISTRY_KEYS": f"bench:{_bench_key('data')}",
            "OBSERVATORIO_REGISTRY_INDEX_KEY": _bench_key("index"),
        }
    )


def counts() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_person")
        people = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_referral")
        return people, cursor.fetchone()[0]


def forget_measurements(manifest: dict) -> None:
    """Remove what earlier measurements wrote on a kept database (rows past the fill)."""
    from django.db import connection, transaction

    last = manifest["last_person"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM registry_identifiedneed WHERE contact_id IN "
            "(SELECT id FROM registry_contact WHERE person_id > %s)",
            [last],
        )
        cursor.execute(
            "DELETE FROM registry_referralnote WHERE referral_id IN "
            "(SELECT id FROM registry_referral WHERE person_id > %s)",
            [last],
        )
        for table in ("registry_contact", "registry_consent", "registry_referral"):
            cursor.execute(f"DELETE FROM {table} WHERE person_id > %s", [last])
        cursor.execute("DELETE FROM registry_person WHERE id > %s", [last])
        cursor.execute("DELETE FROM registry_accesslog")


def database(args) -> tuple[dict, dict]:
    """The bench's database filled to size (reused when it is): (manifest, users)."""
    import django

    manifest_path = VAR / f"registry-{args.db_name}.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
    if args.rebuild:
        drop_database(args.pg_server, args.db_name)
    created = create_database(args.pg_server, args.db_name)
    pg_url = f"{args.pg_server}/{args.db_name}"
    configure(pg_url)
    django.setup()
    started = time.perf_counter()
    prepare()
    users = staff_users()
    if (
        not created
        and manifest
        and manifest["people"] == args.people
        and manifest["referrals"] == args.referrals
    ):
        forget_measurements(manifest)
        if counts() == (args.people, args.referrals):
            print(
                f"  reusing the filled database ({args.people:,} people, {args.referrals:,} "
                f"referrals; filled earlier in {manifest['fill_seconds']} s)"
            )
            manifest["reused"] = True
            return manifest, users
    if not created:
        print("  the database is not the size asked for: dropped and filled again")
        from django.db import connections

        connections.close_all()
        drop_database(args.pg_server, args.db_name)
        create_database(args.pg_server, args.db_name)
        prepare()
        users = staff_users()
    print(f"  schema and catalogues: {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    details = fill(pg_url, args.people, args.referrals, args.workers, users)
    seconds = time.perf_counter() - started
    wrong = check_sample()
    print(
        f"  filled in {seconds:.1f} s (COPY {details['copy']} s with {args.workers} processes, "
        f"indexes {details['indexes']} s, VACUUM ANALYZE {details['vacuum']} s); "
        f"blind indexes of 200 people read back through the ORM: {200 - wrong} of 200 agree"
    )
    if wrong:
        raise SystemExit("the filled blind indexes do not match Person.index()")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_person")
        last = cursor.fetchone()[0]
    manifest = {
        "people": args.people,
        "referrals": args.referrals,
        "last_person": last,
        "fill_seconds": round(seconds, 1),
        **details,
        "reused": False,
    }
    VAR.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest))
    return manifest, users


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return f"{cursor.fetchone()[0] / 2**30:.2f} GB"


# --- the measurements -------------------------------------------------------------------------


def _fresh(user):
    """*user* as a new request sees it: its scope and posts not cached yet."""
    for name in ("_observatorio_scope", "_registry_posts"):
        user.__dict__.pop(name, None)
    return user


def registration(people: People) -> tuple:
    """The arguments of one ``actions.register`` call: a person registered today."""
    person = people.identity(people.today)
    consent = people.consents()
    if consent["seguimiento"] and people.rng.random() < 0.9:
        person["phone"] = random_phone(people.rng, person["nationality"])
    needs = people.needs_of(person["minor"], person["guardian"] == "autoridad")
    data = {k: v for k, v in person.items() if k not in ("age", "minor")}
    if data["declared_age"] is None:
        data["declared_age"] = ""
    return data, consent, needs


def measure_saves(users: dict, clients: int, saves: int, warmup: int = 5) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.utils import timezone

    from observatorio.catalog.models import PopulationGroup
    from observatorio.registry import actions
    from observatorio.registry.checks import Refused
    from observatorio.registry.models import Centre

    populations = set(PopulationGroup.objects.values_list("code", flat=True))
    centres = {c.pk: c for c in Centre.objects.all()}
    order = sorted(users)
    barrier = threading.Barrier(clients + 1)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    cpu: list[list[float]] = [[] for _ in range(clients)]
    refused: list[int] = [0] * clients
    errors: list[str] = []
    today = timezone.localdate()

    def client(n: int) -> None:
        try:
            centre = centres[order[n % len(order)]]
            # Its own instance: clients of the same centre do not share cached scopes.
            user = get_user_model().objects.get(pk=users[centre.pk].pk)
            people = People(random.Random(1000 + n), today, populations)
            work = [registration(people) for _ in range(warmup + saves)]
            for data, consent, needs in work[:warmup]:
                actions.register(_fresh(user), centre, data, consent, needs)
            barrier.wait()
            for data, consent, needs in work[warmup:]:
                began, began_cpu = time.perf_counter(), time.thread_time()
                try:
                    actions.register(_fresh(user), centre, data, consent, needs)
                except Refused:
                    refused[n] += 1
                latencies[n].append(time.perf_counter() - began)
                cpu[n].append(time.thread_time() - began_cpu)
        except Exception as exc:  # noqa: BLE001 - reported after the run
            errors.append(f"client {n}: {exc!r}")
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit("registration failed: " + "; ".join(errors[:3]))
    flat = [x * 1000 for row in latencies for x in row]
    flat_cpu = [x * 1000 for row in cpu for x in row]
    return {
        "cpu_p50": percentile(flat_cpu, 0.5),
        "cpu_mean": sum(flat_cpu) / len(flat_cpu),
        "count": len(flat),
        "refused": sum(refused),
        "p50": percentile(flat, 0.5),
        "p95": percentile(flat, 0.95),
        "p99": percentile(flat, 0.99),
        "max": max(flat),
        "per_second": len(flat) / elapsed,
        "seconds": elapsed,
    }


def measure_lookups(users: dict, lookups: int, last_person: int) -> dict:
    from django.db import connection

    from observatorio.registry import actions
    from observatorio.registry.models import Person

    rng = random.Random(19)
    existing = lookups - lookups // 10
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM registry_person TABLESAMPLE SYSTEM (%s) REPEATABLE (19) "
            "WHERE curp_index <> '' AND id <= %s",
            [min(100.0, max(1.0, 100.0 * existing * 20 / max(last_person, 1))), last_person],
        )
        ids = [row[0] for row in cursor.fetchall()]
    ids = rng.sample(ids, min(existing, len(ids)))
    wanted = [(p.curp, p.centre_id, 1) for p in Person.objects.filter(pk__in=ids)]
    centres = sorted(users)
    wanted += [
        (random_curp(rng, None, "mujer"), rng.choice(centres), 0)
        for _ in range(lookups - len(wanted))
    ]
    rng.shuffle(wanted)
    times, cpu, wrong = [], [], 0
    for curp, centre_id, expected in wanted:
        user = _fresh(users[centre_id])
        began, began_cpu = time.perf_counter(), time.thread_time()
        found = actions.find(user, curp=curp)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        wrong += (len(found) >= 1) != bool(expected)
    hits = [t for t, w in zip(times, wanted, strict=True) if w[2]]
    misses = [t for t, w in zip(times, wanted, strict=True) if not w[2]]
    return {
        "count": len(times),
        "existing": len(hits),
        "wrong": wrong,
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "max": max(times),
        "cpu_p50": percentile(cpu, 0.5),
        "hit_p95": percentile(hits, 0.95),
        "miss_p95": percentile(misses, 0.95),
    }


def measure_aggregation(year: int) -> dict:
    """``aggregates.publish(year)``, with the time of each indicator's counts (and of the
    read of who consented, when the module has it) taken by wrapping those functions."""
    from observatorio.registry import aggregates

    per_indicator: list[tuple[str, float, int]] = []
    wrapped = {}

    def timing(name: str):
        original = getattr(aggregates, name)
        wrapped[name] = original

        def timed(*args, **kwargs):
            began = time.perf_counter()
            found = original(*args, **kwargs)
            seconds = time.perf_counter() - began
            if name == "counts":
                kind, need = args[0], (args[2] if len(args) > 2 else kwargs.get("need"))
                label = need.indicator_code if need is not None else kind
            else:
                label = f"({name}: who consented to statistics)"
            per_indicator.append((label, seconds, len(found)))
            return found

        setattr(aggregates, name, timed)

    for name in ("consenting", "counts"):
        if hasattr(aggregates, name):
            timing(name)
    try:
        started = time.perf_counter()
        published = aggregates.publish(year)
        seconds = time.perf_counter() - started
    finally:
        for name, original in wrapped.items():
            setattr(aggregates, name, original)
    return {
        "seconds": seconds,
        "indicators": per_indicator,
        "written": sum(published.written.values()),
        "skipped": published.skipped,
        "peak_mb": peak_memory_mb(),
    }


def peak_memory_mb() -> float:
    """This process's peak resident memory (``VmHWM``; the fill's workers are apart)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=3_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 people, 60,000 referrals")
    parser.add_argument("--clients", type=int, default=10, help="concurrent registration clients")
    parser.add_argument("--saves", type=int, default=200, help="registrations per client")
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="fill processes")
    parser.add_argument("--db-name", default=DB_NAME)
    parser.add_argument("--pg-server", default=PG_SERVER, help="server URL, without a database")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and fill again")
    parser.add_argument("--keep", action="store_true", help="keep the database (to reuse it)")
    args = parser.parse_args(argv[1:])
    if args.quick:
        args.people, args.referrals = 20_000, 60_000
    if args.people < 1 or args.referrals < 0 or args.clients < 1 or args.saves < 1:
        parser.error("--people, --clients and --saves must be at least 1")
    if args.db_name in ("observatorio", "postgres"):
        parser.error(f"refusing to use the database «{args.db_name}»")
    load = os.getloadavg()
    print(
        f"Registry benchmark (issue 19): {args.people:,} people, {args.referrals:,} referrals "
        f"on PostgreSQL ({args.db_name}); {os.cpu_count()} CPUs, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )
    started = time.perf_counter()
    try:
        manifest, users = database(args)
        from django.db import connection
        from django.utils import timezone

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"  database size {database_size()} (PostgreSQL {version})", flush=True)

        print(f"  load average before measuring: {_load()}", flush=True)
        lookups = measure_lookups(users, args.lookups, manifest["last_person"])
        print(
            f"\nLookup by blind index (actions.find(curp=...)), {lookups['count']:,} one after "
            f"another ({lookups['existing']:,} existing, the rest nobody's): "
            f"p50 {lookups['p50']:.1f} ms, p95 {lookups['p95']:.1f} ms, "
            f"p99 {lookups['p99']:.1f} ms, max {lookups['max']:.1f} ms "
            f"(found p95 {lookups['hit_p95']:.1f}, not found p95 {lookups['miss_p95']:.1f}); "
            f"CPU of the calling thread p50 {lookups['cpu_p50']:.1f} ms; "
            f"unexpected results: {lookups['wrong']}",
            flush=True,
        )

        print(f"  load average: {_load()}", flush=True)
        saves = measure_saves(users, args.clients, args.saves)
        print(
            f"\nRegistration saves (actions.register), {args.clients} clients × {args.saves}: "
            f"p50 {saves['p50']:.1f} ms, p95 {saves['p95']:.1f} ms, p99 {saves['p99']:.1f} ms, "
            f"max {saves['max']:.1f} ms; {saves['per_second']:.1f} saves/s "
            f"({saves['count']:,} in {saves['seconds']:.1f} s, {saves['refused']} refused); "
            f"CPU of the client thread per save p50 {saves['cpu_p50']:.1f} ms, mean "
            f"{saves['cpu_mean']:.1f} ms (the {args.clients} threads share one interpreter)",
            flush=True,
        )

        year = timezone.localdate().year
        print(f"  load average: {_load()}", flush=True)
        aggregation = measure_aggregation(year)
        print(
            f"\nAggregation (aggregates.publish({year})): {aggregation['seconds']:.1f} s, "
            f"{sum(not n.startswith('(') for n, _s, _c in aggregation['indicators'])} "
            f"indicators, {aggregation['written']:,} values "
            "written"
        )
        for name, seconds, cells in aggregation["indicators"]:
            unit = "people" if name.startswith("(") else "cells"
            print(f"  {name:<44} {seconds:7.2f} s  {cells:>9,} {unit}")
        print(f"  peak memory of this process so far: {aggregation['peak_mb']:,.0f} MB")
        for code, reason in aggregation["skipped"].items():
            print(f"  skipped {code}: {reason}")

        print(f"\nTargets ({args.people:,} people, {args.referrals:,} referrals)")
        print(
            f"  registration save p95 {saves['p95']:.1f} ms < {TARGET_SAVE_P95_MS:g} ms with "
            f"{args.clients} clients: {verdict(saves['p95'] < TARGET_SAVE_P95_MS)}"
        )
        print(
            f"  lookup by blind index p95 {lookups['p95']:.1f} ms < {TARGET_LOOKUP_MS:g} ms: "
            f"{verdict(lookups['p95'] < TARGET_LOOKUP_MS)} (max {lookups['max']:.1f} ms: "
            f"{verdict(lookups['max'] < TARGET_LOOKUP_MS)})"
        )
        print(
            f"  aggregation {aggregation['seconds']:.1f} s < {TARGET_AGGREGATION_S:g} s: "
            f"{verdict(aggregation['seconds'] < TARGET_AGGREGATION_S)}"
        )
        print(f"  (whole run {time.perf_counter() - started:.0f} s)")
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            drop_database(args.pg_server, args.db_name)
            (VAR / f"registry-{args.db_name}.json").unlink(missing_ok=True)
            print(f"  database {args.db_name} dropped (--keep keeps it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
