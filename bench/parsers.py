"""Time the document parsers on the real source documents.

Usage: python bench/parsers.py [N]   (N parses of each document, default 20)

Target (issue 2): the whole compendium parses in under 1 second.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))

from observatorio.importers.compendium import parse_compendium  # noqa: E402
from observatorio.importers.practices import parse_practices  # noqa: E402

SOURCES = REPO / "data" / "sources"
STATES = REPO / "observatorio" / "catalog" / "data" / "states.json"


def timed(label: str, path: Path, parse: Callable[[str], object], runs: int):
    """Parse *path* *runs* times, print the timings, and return the last result."""
    text = path.read_text(encoding="utf-8")
    timings = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = parse(text)
        timings.append(time.perf_counter() - started)
    print(f"{label} ({path.name}: {len(text.splitlines())} lines, {runs} runs)")
    print(
        f"  seconds: min {min(timings):.4f}  median {statistics.median(timings):.4f}  "
        f"max {max(timings):.4f}"
    )
    return result


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 20
    if runs < 1:
        print("N must be at least 1", file=sys.stderr)
        return 2
    names = [
        v for state in json.loads(STATES.read_text(encoding="utf-8")) for v in state["variants"]
    ]
    compendium = timed(
        "Compendium parser",
        SOURCES / "compendio-general-2022.txt",
        lambda text: parse_compendium(text, state_names=names),
        runs,
    )
    federal = sum(p.section == "federal" for p in compendium.programs)
    print(
        f"  programs: {len(compendium.programs)} ({federal} federal, "
        f"{len(compendium.programs) - federal} state); headings: {len(compendium.headings)}; "
        f"glossary: {len(compendium.glossary)}; document warnings: {len(compendium.warnings)}"
    )
    study = timed(
        "Good-practice study parser",
        SOURCES / "buenas-practicas-oim-conofam.txt",
        parse_practices,
        runs,
    )
    print(
        f"  practices: {len(study.practices)}; panorama figures: {len(study.figures)}; "
        f"document warnings: {len(study.warnings)}; incomplete: {len(study.incomplete)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
