"""The Global Compact follow-up indicator, counted from the reports themselves.

Indicators whose ``measure`` is ``programas`` (the catalogue's ``programas-por-objetivo``)
hold, for each reporting cycle (period = its edition), the programs published: the
national total and by objective counts every program, federal and state; each state's,
its own. :func:`refresh` rewrites those values from the published programs; it runs when
the catalogue is loaded and after any change to a program is committed (a program
published, withdrawn or moved to another objective), so the indicator never lags the
reports. The values are approved at once (they are counts of what is already public),
preliminary while the cycle is not complete and final once it is.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from observatorio.programs.models import Program, ReportingCycle

from .models import Indicator, Value

_CELL = ("state", "objective")


def counts(cycle: ReportingCycle) -> Counter:
    """Published programs of *cycle* by (state, objective); "" is all of them."""
    found: Counter = Counter()
    rows = (
        Program.objects.published()
        .filter(cycle=cycle)
        .values_list("section", "state__inegi_code", "objective__number")
    )
    for section, state, number in rows:
        objective = str(number)
        found["", ""] += 1
        found["", objective] += 1
        if section == Program.Section.STATE and state:
            found[state, ""] += 1
            found[state, objective] += 1
    return found


def _existing(indicator: Indicator, edition: int) -> dict:
    rows = indicator.values.filter(period=edition).values_list(*_CELL, "value", "status")
    return {(state, objective): (int(value), status) for state, objective, value, status in rows}


@transaction.atomic
def refresh(cycles=None) -> int:
    """Rewrite the follow-up values of *cycles* (every cycle by default) where they
    changed. Returns how many periods were rewritten."""
    indicators = list(Indicator.objects.filter(measure=Indicator.Measure.PROGRAMS))
    if not indicators:
        return 0
    cycles = list(ReportingCycle.objects.all() if cycles is None else cycles)
    rewritten = 0
    for indicator in indicators:
        for cycle in cycles:
            found = counts(cycle)
            status = Value.Status.FINAL if cycle.is_complete() else Value.Status.PRELIMINARY
            wanted = {cell: (n, status) for cell, n in found.items()}
            if _existing(indicator, cycle.edition) == wanted:
                continue
            indicator.values.filter(period=cycle.edition).delete()
            cited = _("Reportes publicados del ciclo %(edition)s (%(name)s).") % {
                "edition": cycle.edition,
                "name": cycle.name,
            }
            Value.objects.bulk_create(
                Value(
                    indicator=indicator,
                    period=cycle.edition,
                    state=state,
                    objective=objective,  # every other breakdown at its total ("")
                    value=n,
                    status=status,
                    review=Value.Review.APPROVED,
                    origin=Value.Origin.REPORTS,
                    source_cited=cited,
                )
                for (state, objective), n in sorted(found.items())
            )
            rewritten += 1
    return rewritten


# --- After a program changes ---------------------------------------------------------------


class _Refresh:
    """The refresh of one cycle, waiting for its transaction to commit."""

    def __init__(self, cycle_id: int):
        self.cycle_id = cycle_id

    def __call__(self) -> None:
        refresh(ReportingCycle.objects.filter(pk=self.cycle_id))


def _schedule(cycle_id: int) -> None:
    """Refresh *cycle_id* once, after the transaction that changed its programs commits
    (an import saving hundreds of programs refreshes once; a transaction rolled back
    takes its waiting refresh with it)."""
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    for savepoints, waiting, *_robust in connection.run_on_commit:
        if getattr(waiting, "cycle_id", None) == cycle_id and set(savepoints) == here:
            return
    transaction.on_commit(_Refresh(cycle_id))


def _program_changed(sender, instance: Program, **kwargs) -> None:
    if instance.cycle_id:
        _schedule(instance.cycle_id)


def connect() -> None:
    post_save.connect(_program_changed, sender=Program, dispatch_uid="followup-save")
    post_delete.connect(_program_changed, sender=Program, dispatch_uid="followup-delete")
