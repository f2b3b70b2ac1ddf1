"""Which reporting cycles the public sees, and which one a page shows when none is asked for."""

from __future__ import annotations

from observatorio.programs.models import ReportingCycle


def published_cycles() -> list[ReportingCycle]:
    """Cycles with at least one published program, newest first."""
    return list(ReportingCycle.objects.with_published())


def default_cycle(cycles: list[ReportingCycle]) -> ReportingCycle | None:
    """The edition a page shows when none is asked for: the latest complete one.

    A cycle in progress (its first reports published one by one) never replaces the last
    complete edition; it is offered in the selector and shows its own progress. With no
    complete edition yet, the latest cycle with published reports.
    """
    complete = [c for c in cycles if c.is_complete()]
    return complete[0] if complete else (cycles[0] if cycles else None)
