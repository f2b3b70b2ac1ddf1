"""Time the slowest legitimate requests at the portal benchmark's scale (gunicorn's timeout).

Usage: python bench/slowest.py [--db sqlite|postgres] [--pg-url URL] [--runs 3]

A sync gunicorn worker that takes longer than ``timeout`` over one request (producing a
streamed download included) is killed, so the timeout in ``gunicorn.conf.py`` must exceed the
longest legitimate request with room to spare. This script serves, in-process through
Django's test client with the production settings (``OBSERVATORIO_DEBUG=0``), the requests
that do the most work: the full open-data downloads in each format, the search download of
every program, the API's largest page, the reviewers' CSV exports, a 1,000-report spreadsheet
upload and a bulk publication of 500 reports (the most the review list offers at once). Each
runs ``--runs`` times; the first, cold run is printed apart (it pays for the worker's first
index builds). Wall and CPU seconds, slowest first.

It uses the databases ``bench/portal.py`` builds (51,900 published programs; SQLite in
``var/bench/``, PostgreSQL ``--pg-url``): build them with that script first. Writes happen
inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
VAR = REPO / "var" / "bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/observatorio_bench"


def _environment(db: str, pg_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "OBSERVATORIO_DEBUG": "0",
            "OBSERVATORIO_SECRET_KEY": secrets.token_urlsafe(64),
            "OBSERVATORIO_ALLOWED_HOSTS": "127.0.0.1",
            "OBSERVATORIO_VAR_DIR": str(VAR),
            "OBSERVATORIO_LOG_LEVEL": "WARNING",
            "OBSERVATORIO_API_ANON_RATE": "1000000/second",
            "OBSERVATORIO_TASKS": "database",
            "DATABASE_URL": pg_url if db == "postgres" else "",
        }
    )


def body_size(response) -> int:
    if response.streaming:
        # The test client closes a streamed response once it is read to the end.
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv[1:])
    _environment(args.db, args.pg_url)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from observatorio.accounts.testing import make_user
    from observatorio.programs import spreadsheet
    from observatorio.programs.models import Program, ReportingCycle

    sys.path.insert(0, str(REPO / "bench"))
    from spreadsheet import fill  # noqa: E402 - bench/spreadsheet.py

    published = Program.objects.published().count()
    if published < 10_000:
        print(
            f"The {args.db} database has {published} published programs: build the portal "
            "benchmark's data set first (python bench/portal.py --db ...).",
            file=sys.stderr,
        )
        return 2
    latest = ReportingCycle.objects.order_by("-edition").first()
    load = os.getloadavg()
    print(
        f"Slowest legitimate requests ({connection.vendor}, {published:,} published programs; "
        f"{args.runs} runs each; {os.cpu_count()} CPUs, load average {load[0]:.2f})"
    )
    results = []
    with transaction.atomic():
        # The latest cycle, reopened for the upload.
        today = timezone.localdate()
        ReportingCycle.objects.filter(pk=latest.pk).update(
            opens_on=today - dt.timedelta(days=1),
            deadline=today + dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=20),
        )
        latest.refresh_from_db()
        enlace, reviewer = make_user("enlace_jalisco"), make_user("reviewer")
        anonymous = Client(HTTP_HOST="127.0.0.1")
        as_enlace = Client(HTTP_HOST="127.0.0.1")
        as_enlace.force_login(enlace)
        as_reviewer = Client(HTTP_HOST="127.0.0.1")
        as_reviewer.force_login(reviewer)
        upload = fill(spreadsheet.build_template(enlace, latest), 1000)
        batch = list(
            Program.objects.published()
            .filter(cycle=latest)
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )

        def post_upload():
            from django.core.files.uploadedfile import SimpleUploadedFile

            file = SimpleUploadedFile("r.xlsx", upload, content_type=spreadsheet.XLSX_CONTENT_TYPE)
            url = f"/reportes/hoja/?ciclo={latest.edition}"
            return as_enlace.post(url, {"file": file}, secure=True)

        def post_bulk_publish():
            Program.objects.filter(pk__in=batch).update(status=Program.Status.APPROVED)
            data = {"action": "publish", "programs": batch, "next": "/reportes/"}
            return as_reviewer.post("/reportes/lote/", data, secure=True)

        def get(client, url):
            return lambda: client.get(url, secure=True)

        cycle = latest.edition
        scenarios = [
            ("GET /datos/programas.xlsx", get(anonymous, "/datos/programas.xlsx")),
            ("GET /datos/programas.json", get(anonymous, "/datos/programas.json")),
            ("GET /datos/programas.csv", get(anonymous, "/datos/programas.csv")),
            ("GET /buscar/programas.xlsx", get(anonymous, "/buscar/programas.xlsx")),
            (
                "GET /buscar/programas.xlsx?q=migrantes",
                get(anonymous, "/buscar/programas.xlsx?q=migrantes"),
            ),
            ("GET /datos/cobertura.xlsx", get(anonymous, "/datos/cobertura.xlsx")),
            (
                "GET /api/v1/programs/?page_size=500&format=csv",
                get(anonymous, "/api/v1/programs/?page_size=500&format=csv"),
            ),
            (
                f"GET /reportes/?ciclo={cycle}&formato=csv (reviewer)",
                get(as_reviewer, f"/reportes/?ciclo={cycle}&formato=csv"),
            ),
            (
                f"GET /reportes/completitud/{cycle}/?formato=csv",
                get(as_reviewer, f"/reportes/completitud/{cycle}/?formato=csv"),
            ),
            ("GET /datos/", get(anonymous, "/datos/")),
            ("POST /reportes/hoja/ (1,000 reports)", post_upload),
            ("POST /reportes/lote/ (publish 500)", post_bulk_publish),
        ]
        for label, request in scenarios:
            walls, cpus = [], []
            status = size = 0
            for _ in range(args.runs):
                with transaction.atomic():
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = request()
                    size = body_size(response)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                    status = response.status_code
                    transaction.set_rollback(True)
            results.append((label, status, size, walls, cpus))
            print(
                f"  {label}: {status}, {size / 2**20:.1f} MB; wall first {walls[0]:.2f} s, "
                f"median {statistics.median(walls):.2f} s; CPU median "
                f"{statistics.median(cpus):.2f} s",
                flush=True,
            )
        transaction.set_rollback(True)
    print("\nSlowest first (median wall seconds, CPU):")
    for label, status, _size, walls, cpus in sorted(
        results, key=lambda r: -statistics.median(r[3])
    ):
        print(
            f"  {statistics.median(walls):7.2f} {statistics.median(cpus):7.2f}  {label} ({status})"
        )
    longest = max(max(r[3]) for r in results)
    print(f"Longest single request: {longest:.2f} s wall.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
