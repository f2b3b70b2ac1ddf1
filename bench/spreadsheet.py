"""Time the spreadsheet upload: a legitimate 1,000-report file and the spreadsheet bombs.

Usage: python bench/spreadsheet.py [N] [--db sqlite|postgres] [--pg-url URL] [--before]

Target (issue 14): any accepted file is read in under 2 s, and a bomb (a few hundred KB
that inflate into ~100 MB of empty rows, wide rows, shared strings or cell formats) costs no
more than a legitimate upload. For each file, N times (default 5), as Jalisco's enlace:
``read_upload`` (reading and validating every row, the part the target is about), then a
POST to ``/reportes/hoja/`` in-process through Django's test client (the whole request: form,
reading, validation, the drafts' commit, the redirect or the error page); wall and CPU
time. The reader's own work is printed beside it (rows and XML elements parsed, ``lib/xlsx.py``).
``--before`` also times, once per file, what the upload did before issue 14: openpyxl's
read-only reader iterating every row of the sheet (no validation); the bombs take minutes.

Everything runs inside one transaction that is rolled back: the database is left as it was.
SQLite: the development database (``make setup``). PostgreSQL: ``--pg-url`` (default database
``observatorio_bench_spreadsheet``), created, migrated and given the catalogues if missing.
Run on a quiet machine: wall time counts whatever else shares the cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
PG_URL = "postgres://postgres@127.0.0.1:5432/observatorio_bench_spreadsheet"
TARGET = 2.0
ROW = {
    "Título": "Ventanilla de atención a personas migrantes",
    "Objetivo principal": "7. Vulnerabilidades",
    "Objetivos secundarios": "15, 16",
    "Grupos de población": "Personas migrantes en tránsito; mujeres migrantes",
    "Descripción": "Orientación jurídica y canalización a servicios de salud. " * 4,
    "Resultados": "Se atendió a 1,200 personas en 14 municipios.",
    "Retos": "Falta de personal.",
    "Sin retos": "No",
    "Permanente": "Sí",
    "Presupuesto (MXN)": 150000.5,
    "Situación": "Vigente",
    "Enlaces": "https://jalisco.gob.mx/migrantes https://example.org/informe.pdf",
}


def _postgres(url: str) -> None:
    """Create the bench database if missing (never the project's own database)."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    if name in ("observatorio", "postgres"):
        raise SystemExit(f"refusing to use the database {name!r}")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(template: bytes, count: int) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Reportes"]
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for offset in range(count):
        row = dict(ROW, **{"Título": f"{ROW['Título']} {offset + 1}"})
        for header, value in row.items():
            sheet.cell(row=2 + offset, column=columns[header], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def inflated(data: bytes) -> int:
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


def reader_work(data: bytes, width: int) -> str:
    """What the bounded reader parses of the file (the same limits as the upload)."""
    from observatorio.lib import xlsx
    from observatorio.programs import spreadsheet

    limits = xlsx.Limits(
        max_columns=width,
        max_rows=1 + spreadsheet.MAX_ROWS + spreadsheet.PREFILLED_ROWS,
        blank_run=spreadsheet.BLANK_RUN,
    )
    book = xlsx.Workbook(data)
    outcome = ""
    try:
        for _row in book.rows(book.sheetnames[0], limits):
            pass
    except xlsx.XlsxError as exc:
        outcome = f", stopped: {type(exc).__name__}"
    elements = ", ".join(f"{part} {n:,}" for part, n in book.stats.elements.items())
    return f"rows parsed {book.stats.rows:,}; XML elements: {elements}{outcome}"


def before(data: bytes) -> str:
    """The reading of the upload before issue 14: openpyxl read-only, every row."""
    from openpyxl import load_workbook

    wall, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook[workbook.sheetnames[0]]
    sheet.reset_dimensions()
    rows = sum(1 for _row in sheet.iter_rows(values_only=True))
    workbook.close()
    return (
        f"openpyxl read-only, before issue 14: {time.perf_counter() - wall:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s CPU, {rows:,} rows"
    )


def timed(call, *args) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def figures(label: str, samples: list[tuple], target: float | None = None) -> str:
    walls = [sample[0] for sample in samples]
    median = statistics.median(walls)
    line = (
        f"  {label:<11} wall s: min {min(walls):.3f}  median {median:.3f}  max {max(walls):.3f}"
        f"  (CPU median {statistics.median(sample[1] for sample in samples):.3f})"
    )
    if target is not None:
        line += f"  target < {target:g} s: {'OK' if median < target else 'OVER TARGET'}"
    return line


def post(client, url: str, data: bytes) -> tuple[float, float, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from observatorio.programs import spreadsheet
    from observatorio.programs.models import Program

    upload = SimpleUploadedFile("reportes.xlsx", data, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    with transaction.atomic():
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.post(url, {"file": upload})
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if response.status_code == 302:
            outcome = f"{Program.objects.filter(cycle__edition=2099).count()} drafts created"
        else:
            errors = response.context["file_errors"] or response.context["row_errors"]
            outcome = f"refused: {errors[0].message[:70]}" if errors else "?"
        transaction.set_rollback(True)
    return wall, cpu, outcome


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=5, help="posts of each file")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--before", action="store_true", help="also time openpyxl's reading")
    args = parser.parse_args(argv[1:])
    if args.runs < 1:
        parser.error("N must be at least 1")
    if args.db == "postgres":
        _postgres(args.pg_url)
        os.environ["DATABASE_URL"] = args.pg_url

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from observatorio.accounts.testing import make_user
    from observatorio.catalog.models import GcmObjective
    from observatorio.programs import spreadsheet
    from observatorio.programs.models import ReportingCycle
    from observatorio.programs.tests import bombs

    if args.db == "postgres":
        call_command("migrate", interactive=False, verbosity=0)
        if not GcmObjective.objects.exists():
            call_command("load_catalogs", verbosity=0, stdout=io.StringIO())
    elif not GcmObjective.objects.exists():
        print("The catalogues are missing: run `make setup` first.", file=sys.stderr)
        return 2

    setup_test_environment(debug=True)  # responses keep their context (the errors shown)
    load = os.getloadavg()
    print(
        f"Spreadsheet upload ({connection.vendor}; {args.runs} posts of each file; "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f}; target: accepted files under "
        f"{TARGET:g} s)"
    )
    with transaction.atomic():
        today = timezone.localdate()
        cycle = ReportingCycle.objects.create(
            edition=2099,
            name="Ciclo de prueba del benchmark",
            period_start=today,
            period_end=today,
            opens_on=today - dt.timedelta(days=1),
            deadline=today + dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=20),
        )
        enlace = make_user("enlace_jalisco")
        template = spreadsheet.build_template(enlace, cycle)
        one = fill(template, 1)
        files = [
            ("legitimate, 1,000 reports", fill(template, 1000)),
            ("legitimate, 1 report", one),
            ("bomb: 1,000,000 empty rows", bombs.empty_rows(one)),
            ("bomb: 400 rows of 16,384 blank cells", bombs.wide_rows(one)),
            ("bomb: 1,000,000 rows with only the state", bombs.owner_only_rows(one)),
            ("bomb: 5,500,000 shared strings", bombs.shared_strings(one)),
            ("bomb: 3,000,000 cell formats", bombs.styles(one)),
        ]
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(enlace)
        url = f"{reverse('spreadsheet:upload')}?ciclo={cycle.edition}"
        width = len(spreadsheet.column_keys("estatal")) + spreadsheet.EXTRA_COLUMNS
        for label, data in files:
            size = f"{len(data) / 1024:,.0f} KB, {inflated(data) / 2**20:,.1f} MB inflated"
            print(f"{label} ({size})")
            reads = [
                timed(spreadsheet.read_upload, io.BytesIO(data), enlace, cycle)
                for _ in range(args.runs)
            ]
            print(figures("read_upload", reads, TARGET))
            posts = [post(client, url, data) for _ in range(args.runs)]
            print(figures("POST", posts))
            print(f"  {posts[-1][2]}")
            print(f"  reader: {reader_work(data, width)}")
            if args.before:
                print(f"  {before(data)}", flush=True)
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
