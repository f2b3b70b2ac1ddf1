"""Coverage of a cycle: published state programs per state and PMM objective.

One query gives the counts; the matrix keeps every state and every objective so
that empty cells (gaps) and states that did not report are visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from observatorio.catalog.models import GcmObjective, State
from observatorio.programs.models import Program, ReportingCycle


@dataclass
class StateRow:
    state: State
    counts: list[int]  # one per objective, in objective order
    total: int = 0
    objectives_covered: int = 0

    @property
    def reported(self) -> bool:
        return self.total > 0


@dataclass
class Coverage:
    cycle: ReportingCycle | None
    objectives: list[GcmObjective]
    rows: list[StateRow]
    objective_totals: list[int] = field(default_factory=list)
    maximum: int = 0

    @property
    def states_reporting(self) -> int:
        return sum(1 for row in self.rows if row.reported)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    def measure(self, name: str) -> dict[str, int]:
        """Value per INEGI code for the map: ``programas`` or ``objetivos`` (covered)."""
        if name == "objetivos":
            return {row.state.inegi_code: row.objectives_covered for row in self.rows}
        return {row.state.inegi_code: row.total for row in self.rows}


MEASURES = ("programas", "objetivos")


def coverage(cycle: ReportingCycle | None) -> Coverage:
    """Count published state programs of *cycle* by state and objective."""
    objectives = list(GcmObjective.objects.order_by("number"))
    states = list(State.objects.order_by("name"))
    counts: dict[tuple[int, int], int] = {}
    if cycle is not None:
        rows = (
            Program.objects.published()
            .filter(cycle=cycle, section=Program.Section.STATE, state__isnull=False)
            .values_list("state_id", "objective_id")
            .annotate(n=Count("id"))
        )
        counts = {(state_id, objective_id): n for state_id, objective_id, n in rows}
    result = Coverage(cycle=cycle, objectives=objectives, rows=[])
    for state in states:
        cells = [counts.get((state.pk, o.pk), 0) for o in objectives]
        result.rows.append(
            StateRow(
                state=state,
                counts=cells,
                total=sum(cells),
                objectives_covered=sum(1 for c in cells if c),
            )
        )
    result.objective_totals = [
        sum(row.counts[i] for row in result.rows) for i in range(len(objectives))
    ]
    result.maximum = max((c for row in result.rows for c in row.counts), default=0)
    return result


def programs_by_state(
    cycle: ReportingCycle | None,
    objective: int | None = None,
    section: str | None = None,
    measure: str = "programas",
) -> dict[str, int]:
    """Per state (INEGI code → value, zeros kept): published programs of *cycle* located in it,
    or (*measure* ``objetivos``) how many objectives they cover.

    *objective* (a number) keeps one PMM objective; *section* one part (``estatal`` or
    ``federal``: a federal program counts where its report names a state).
    """
    values = {code: 0 for code in State.objects.values_list("inegi_code", flat=True)}
    if cycle is None:
        return values
    programs = Program.objects.published().filter(cycle=cycle, state__isnull=False)
    if objective is not None:
        programs = programs.filter(objective__number=objective)
    if section:
        programs = programs.filter(section=section)
    rows = programs.values_list("state__inegi_code", "objective_id").annotate(n=Count("id"))
    for code, _objective, n in rows.order_by():
        values[code] += n if measure == "programas" else 1
    return values
