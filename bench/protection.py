"""Time the small-cell protection and its audit on one synthetic national period.

Usage: python bench/protection.py [--records N] [--k K] [--seed S] [--skew P] [--persons]
                                  [--release LPS]

Synthetic records (skewed categories, so that many cells are small) are counted into
every table an indicator publishes for one period: the national total; national × sex,
× age group, × nationality, × country of birth, × population, × sex × age group; the
state total; state × sex, × age group, × population — 32 states, 3 sexes, 6 age groups,
40 nationalities, 40 countries of birth, 12 population groups. All of them are protected
together (observatorio.indicators.protection.protect), then audited (audit).

Target (issue 17): protection and audit of every table of one national period in under
30 seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))

from observatorio.indicators.protection import DIMS, _audit, _Problem, protect  # noqa: E402
from observatorio.indicators.records import TABLES as RECORD_TABLES  # noqa: E402

SIZES = {
    "state": 32,
    "sex": 3,
    "age_group": 6,
    "nationality": 40,
    "country_of_birth": 40,
    "population": 12,
}
#: The tables an indicator publishes for one period (the record aggregator's).
TABLES = list(RECORD_TABLES)


def skewed(rng: np.random.Generator, n: int, size: int, power: float) -> np.ndarray:
    """Category codes 0..size-1 with Zipf-like weights (1/rank^power)."""
    weights = 1.0 / np.arange(1, size + 1) ** power
    return rng.choice(size, size=n, p=weights / weights.sum())


def records(n: int, seed: int, skew: float) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    columns = {
        "state": skewed(rng, n, SIZES["state"], 1.6 * skew),
        "sex": rng.choice(3, size=n, p=[0.47, 0.5, 0.03]),
        "age_group": rng.choice(6, size=n, p=[0.12, 0.08, 0.35, 0.38, 0.05, 0.02]),
        "nationality": skewed(rng, n, SIZES["nationality"], 2.0 * skew),
        "population": skewed(rng, n, SIZES["population"], 2.2 * skew),
    }
    # Mostly born where they are nationals of, sometimes elsewhere.
    elsewhere = rng.random(n) < 0.1
    columns["country_of_birth"] = np.where(
        elsewhere, skewed(rng, n, SIZES["country_of_birth"], 1.5 * skew), columns["nationality"]
    )
    return columns


def count(columns: dict[str, np.ndarray]) -> dict[tuple[str, ...], int]:
    """Every non-zero cell of every table, keyed as the protection module expects."""
    counts: dict[tuple[str, ...], int] = {}
    n = len(columns["state"])
    for table in TABLES:
        code = np.zeros(n, dtype=np.int64)
        for dim in table:
            code = code * SIZES[dim] + columns[dim]
        cells, tally = np.unique(code, return_counts=True)
        for cell, value in zip(cells.tolist(), tally.tolist(), strict=True):
            members = {}
            for dim in reversed(table):
                cell, member = divmod(cell, SIZES[dim])
                members[dim] = f"{member + 1:02d}"
            counts[tuple(members.get(dim, "") for dim in DIMS)] = value
    return counts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--skew", type=float, default=1.6, help="power applied to the Zipf-like weights"
    )
    parser.add_argument(
        "--persons",
        action="store_true",
        help="protect as distinct-person counts (additive=False: bounds, not sums)",
    )
    parser.add_argument(
        "--release", type=int, default=500, help="linear programs to spend un-suppressing"
    )
    args = parser.parse_args(argv[1:])

    started = time.perf_counter()
    counts = count(records(args.records, args.seed, args.skew))
    print(
        f"{args.records:,} synthetic records counted into {len(TABLES)} tables: "
        f"{len(counts):,} cells ({time.perf_counter() - started:.2f} s)"
    )

    started = time.perf_counter()
    additive = not args.persons
    result = protect(counts, k=args.k, additive=additive, release_lps=args.release)
    protect_seconds = time.perf_counter() - started

    started = time.perf_counter()
    exposures, lp_count = _audit(_Problem(counts, additive), result.suppressed, args.k)
    audit_seconds = time.perf_counter() - started

    print(f"k = {args.k}, {'distinct persons (bounds)' if args.persons else 'additive counts'}")
    print(f"  primary cells (1 to k-1):  {len(result.primary):,}")
    print(f"  secondary cells:           {len(result.secondary):,}")
    print(
        f"  hidden cells:              {result.hidden_cells:,} of {len(counts):,} "
        f"({result.hidden_cells / len(counts):.1%})"
    )
    print(
        f"  hidden total:              {result.hidden_total:,} of {result.published_total:,} "
        f"({result.hidden_share:.3%} of the sum of all cells)"
    )
    print("  by table (cells, primary, secondary, share of the table's sum hidden):")
    for table in TABLES:
        dims = set(table)
        keys = [key for key in counts if {d for d, m in zip(DIMS, key, strict=True) if m} == dims]
        hidden = [key for key in keys if key in result.suppressed]
        share = sum(counts[key] for key in hidden) / max(1, sum(counts[key] for key in keys))
        print(
            f"    {' × '.join(table) or 'national total':<28} {len(keys):>4} "
            f"{len(result.primary.intersection(keys)):>4} "
            f"{len(result.secondary.intersection(keys)):>4}  {share:.3%}"
        )
    print(
        f"protect(): {protect_seconds:.2f} s, {result.linear_programs:,} linear programs "
        f"(un-suppression budget {args.release:,})"
    )
    print(f"audit():   {audit_seconds:.2f} s, {lp_count:,} linear programs")
    print(f"exposed after protection: {len(exposures)}")
    total = protect_seconds + audit_seconds
    print(f"protection + audit: {total:.2f} s (target < 30 s)")
    return 0 if not exposures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
