"""Time the generation of the 2022 compendium as PDF and DOCX.

Usage: python bench/publications.py [N]   (N generations of each format, default 3)

Run after `observatorio bootstrap` (the 2022 compendium must be in the database).
Target (issue 6): the full 2022 compendium PDF in under 20 s and DOCX in under 5 s.
The first run of a process also pays for starting vl-convert's JavaScript
engine (the charts); it is reported apart. CPU time is printed beside wall time
because other work on the machine stretches the wall clock.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from observatorio.charts.render import _svg  # noqa: E402
from observatorio.programs.models import ReportingCycle  # noqa: E402
from observatorio.publications.renderers import render_compendium  # noqa: E402

TARGETS = {"pdf": 20.0, "docx": 5.0}


def pdf_pages(data: bytes) -> str:
    if not shutil.which("pdfinfo"):
        return "? (pdfinfo not installed)"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, text=True, check=True
        ).stdout
    return next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))


def timed(cycle, fmt: str, runs: int) -> bytes:
    walls, cpus = [], []
    data = b""
    for _ in range(runs):
        _svg.cache_clear()  # every run converts its charts, as a fresh process would
        wall, cpu = time.perf_counter(), time.process_time()
        data = render_compendium(cycle, fmt)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    median = statistics.median(walls)
    verdict = "OK" if median < TARGETS[fmt] else "OVER TARGET"
    print(f"{fmt.upper()} ({runs} runs)")
    print(
        f"  wall seconds: min {min(walls):.2f}  median {median:.2f}  max {max(walls):.2f}  "
        f"(target < {TARGETS[fmt]:.0f} s: {verdict})"
    )
    print(f"  cpu seconds:  median {statistics.median(cpus):.2f}")
    pages = pdf_pages(data) if fmt == "pdf" else "-"
    print(f"  size: {len(data) / 1024:.0f} KB; pages: {pages}")
    return data


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description="Time the generation of the 2022 compendium as PDF and DOCX."
    )
    parser.add_argument(
        "runs", nargs="?", type=int, default=3, help="generations of each format (default 3)"
    )
    runs = parser.parse_args(argv[1:]).runs
    if runs < 1:
        parser.error("N must be at least 1")
    cycle = ReportingCycle.objects.filter(edition=2022).first()
    if cycle is None or not cycle.programs.exists():
        print("The 2022 compendium is not in the database: run `observatorio bootstrap`.")
        return 2
    print(f"Compendio General 2022: {cycle.programs.count()} programs")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    from observatorio import charts

    started = time.perf_counter()
    charts.render_svg({"mark": "point", "data": {"values": [{"x": 1}]}})
    print(f"vl-convert start-up (once per process): {time.perf_counter() - started:.2f} s")
    for fmt in ("docx", "pdf"):
        timed(cycle, fmt, runs)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
