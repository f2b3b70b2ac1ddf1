"""Time the compendium parser on the real 2022 document.

Usage: python bench/parse_compendium.py [N]   (N parses, default 20)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))

from observatorio.importers.compendium import parse_compendium  # noqa: E402

SOURCE = REPO / "data" / "sources" / "compendio-general-2022.txt"
STATES = REPO / "observatorio" / "catalog" / "data" / "states.json"


def main(argv: list[str]) -> int:
    """Parse the document N times and print min/median/max seconds and what was found."""
    runs = int(argv[1]) if len(argv) > 1 else 20
    if runs < 1:
        print("N must be at least 1", file=sys.stderr)
        return 2
    text = SOURCE.read_text(encoding="utf-8")
    names = [
        v for state in json.loads(STATES.read_text(encoding="utf-8")) for v in state["variants"]
    ]
    timings = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = parse_compendium(text, state_names=names)
        timings.append(time.perf_counter() - started)
    federal = sum(p.section == "federal" for p in result.programs)
    print(f"{SOURCE.name}: {len(text.splitlines())} lines, {runs} runs")
    print(
        f"seconds: min {min(timings):.4f}  median {statistics.median(timings):.4f}  "
        f"max {max(timings):.4f}"
    )
    print(
        f"programs: {len(result.programs)} ({federal} federal, "
        f"{len(result.programs) - federal} state); headings: {len(result.headings)}; "
        f"glossary: {len(result.glossary)}; document warnings: {len(result.warnings)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
