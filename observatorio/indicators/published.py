"""What the public sees of indicators: approved values, small cells protected.

Every public output (pages, charts, maps, downloads, the API) reads values through
:func:`cells`: the approved values of one indicator, protected one period at a time
over *every* cell of that period together (:mod:`observatorio.indicators.protection`),
then narrowed to what was asked (a state, a breakdown). Narrowing after protecting is
what makes a page of one state as safe as the whole table: the suppression pattern is
the same whichever part is shown. A suppressed cell has no value and says so; it is
never shown as 0.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from observatorio.practices.flags import flag_label

from .models import DIMENSION_FIELDS, DIMENSIONS, Indicator, Value
from .protection import OBSERVED, audit, protect

logger = logging.getLogger(__name__)

#: The fields of a cell's key, in the order of protection.Key.
KEY_FIELDS = ("state", *DIMENSION_FIELDS)


@dataclass(frozen=True)
class Cell:
    period: int
    period_label: str
    state: str
    sex: str
    age_group: str
    nationality: str
    country_of_birth: str
    population: str
    objective: str
    value: int | float | None
    suppressed: bool
    status: str
    flags: tuple[str, ...] = ()
    source_cited: str = ""

    @property
    def notes(self) -> tuple[str, ...]:
        """What a reader should know of this value: the source it cites, then its alerts."""
        cited = (_("Fuente citada: %(source)s") % {"source": self.source_cited},)
        return (cited if self.source_cited else ()) + tuple(map(flag_label, self.flags))

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in KEY_FIELDS)

    def breakdown(self) -> tuple[str, ...]:
        """The dimensions this cell is broken down by, besides the state."""
        return tuple(name for field, name in DIMENSIONS if getattr(self, field))


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def approved(indicator: Indicator):
    """The values the public may see: approved ones; of an indicator counted from records,
    only periods approved as a whole (a period half approved would publish a table whose
    parts do not add up, and its protection would not hold)."""
    values = indicator.values.filter(review=Value.Review.APPROVED)
    if indicator.measure:
        pending = indicator.values.exclude(review=Value.Review.APPROVED).values("period")
        values = values.exclude(period__in=pending)
    return values


def periods(indicator: Indicator) -> list[int]:
    """The periods with approved values, newest first."""
    return list(approved(indicator).order_by("-period").values_list("period", flat=True).distinct())


def latest_periods() -> dict[int, int]:
    """Each indicator's newest period with published values (as :func:`periods`, for all
    the indicators in one query): indicator id → period."""
    reviews: dict[tuple[int, int], set[str]] = defaultdict(set)
    measured = set(Indicator.objects.exclude(measure="").values_list("pk", flat=True))
    rows = Value.objects.values_list("indicator_id", "period", "review").distinct()
    for indicator, period, review in rows:
        reviews[indicator, period].add(review)
    latest: dict[int, int] = {}
    for (indicator, period), found in reviews.items():
        whole = found == {Value.Review.APPROVED}
        if (whole or (Value.Review.APPROVED in found and indicator not in measured)) and (
            period > latest.get(indicator, 0)
        ):
            latest[indicator] = period
    return latest


#: Part of every kept pattern's key: change it when the protection's rules change, so that
#: no pattern solved by older rules is served again.
RULES_VERSION = 3

#: Suppression patterns already computed in this process, by the content they protect.
_SOLVED: OrderedDict[str, frozenset] = OrderedDict()
_SOLVED_MOST = 512


def _protected(indicator: Indicator, counts: dict) -> frozenset:
    """The cells of one period to suppress. The tables of a file of records hold every
    cell, so their sums are constraints an attacker can use (services; distinct persons
    are taken as the counts show them: a sum where their parts add up to the total, bounds
    where a person counts in two parts). Values printed or entered one by one
    (a few states of a panorama) may not be complete tables: each relation is taken as the
    strongest one the values agree with (``protection.OBSERVED``). The result is
    audited (the attacker's linear programs); should the protection fail or the audit find
    a cell exposed, every cell is withheld (never published unprotected).

    Solving takes from milliseconds to seconds for a large national period, so the
    pattern is kept by the content it protects (the cells, k and the rule: a changed or
    newly approved value is another content): in this process and in the shared cache,
    where every worker finds what one solved (the approval warms it).
    """
    additive = {
        Indicator.Measure.SERVICES: True,
        # Distinct persons: each relation as the counts show it (protection.OBSERVED): a
        # table whose people add up to its total (one sex, one nationality each) is a sum;
        # one whose parts count a person twice (two states in a year) gives bounds.
        Indicator.Measure.PERSONS: OBSERVED,
    }.get(indicator.measure, OBSERVED)
    digest = hashlib.sha256(
        repr((RULES_VERSION, sorted(counts.items()), indicator.min_cell, additive)).encode()
    ).hexdigest()
    found = _SOLVED.get(digest)
    if found is None:
        key = f"indicator-protection:{digest}"
        stored = cache.get(key)
        if stored is None:
            try:
                found = protect(counts, k=indicator.min_cell, additive=additive).suppressed
                # The audit before publishing: the attacker's programs on the result.
                if audit(counts, found, k=indicator.min_cell, additive=additive):
                    raise RuntimeError("a suppressed cell is exposed")
            except (RuntimeError, ValueError):
                logger.error(
                    "La protección del indicador %s falló; se reservan sus celdas.", indicator.code
                )
                found = frozenset(counts)
            cache.set(key, sorted(found), timeout=None)
        else:
            found = frozenset(tuple(k) for k in stored)
        _SOLVED[digest] = found
        if len(_SOLVED) > _SOLVED_MOST:
            _SOLVED.popitem(last=False)
    else:
        _SOLVED.move_to_end(digest)
    return found


#: Every published cell of an indicator, kept in this process by its values' fingerprint.
_CELLS: OrderedDict[tuple, tuple[Cell, ...]] = OrderedDict()
_CELLS_MOST = 64
_ROW = ("period", "period_label", *KEY_FIELDS, "value", "status", "flags", "source_cited")


#: One indexed query per request (written once: the ORM's compiling cost more than it).
_FINGERPRINT = f"""
    SELECT COUNT(*), MAX(updated_at),
           SUM(CASE WHEN review = %s THEN 1 ELSE 0 END),
           SUM(CASE WHEN review = %s THEN id ELSE 0 END),
           SUM(CASE WHEN review = %s THEN value ELSE 0 END)
    FROM {Value._meta.db_table} WHERE indicator_id = %s
"""  # noqa: S608 - the table's own name; the values are parameters


def _fingerprint(indicator: Indicator) -> tuple:
    """What changes whenever a value of *indicator* does, published or not: how many there
    are and the latest saved (a new, deleted or corrected value), and how many, which and
    how much are approved (an approval or unlock, which updates rows without saving them).
    One query over the indicator's rows."""
    approved_ = Value.Review.APPROVED
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT, [approved_, approved_, approved_, indicator.pk])
        found = cursor.fetchone()
    return (indicator.pk, indicator.min_cell, indicator.measure, *map(str, found))


def _all_cells(indicator: Indicator) -> tuple[Cell, ...]:
    fingerprint = _fingerprint(indicator)
    kept = _CELLS.get(fingerprint)
    if kept is not None:
        _CELLS.move_to_end(fingerprint)
        return kept
    groups: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    rows = approved(indicator).order_by("period", "period_label", *KEY_FIELDS).values_list(*_ROW)
    for row in rows:
        groups[(row[0], row[1])].append(row)
    result = []
    counts_only = indicator.kind == Indicator.Kind.COUNT
    width = len(KEY_FIELDS)
    for _group, members in sorted(groups.items(), reverse=True):
        keys = [row[2 : 2 + width] for row in members]
        hidden: frozenset = frozenset()
        if counts_only:
            counts = {
                key: int(row[2 + width])
                for key, row in zip(keys, members, strict=True)
                if row[2 + width] is not None
            }
            hidden = _protected(indicator, counts)
        for key, (period, label, *_key, value, status, flags, cited) in zip(
            keys, members, strict=True
        ):
            suppressed = key in hidden
            result.append(
                Cell(
                    period,
                    label,
                    *key,
                    value=None if suppressed else _number(value),
                    suppressed=suppressed,
                    status=status,
                    # An alert may quote another printed figure: a reserved cell has none.
                    flags=() if suppressed else tuple(flags),
                    source_cited=cited,
                )
            )
    kept = tuple(result)
    _CELLS[fingerprint] = kept
    if len(_CELLS) > _CELLS_MOST:
        _CELLS.popitem(last=False)
    return kept


def every_cell(indicator: Indicator) -> tuple[Cell, ...]:
    """Every published cell of *indicator*, newest period first: the tuple kept for the
    current values (the same object until they change; never to be modified)."""
    return _all_cells(indicator)


def cells(indicator: Indicator, period: int | None = None, state: str | None = None) -> list[Cell]:
    """The published cells of *indicator* (of one *period*, of one *state* — "" for the
    national cells — when given), protected, newest period first."""
    return [
        cell
        for cell in _all_cells(indicator)
        if (period is None or cell.period == period) and (state is None or cell.state == state)
    ]


def for_state(state: str) -> list[tuple[Indicator, Cell]]:
    """The indicators with a published total for *state* (INEGI code): each with that total
    in its latest period, protected like every other output."""
    found = []
    codes = Value.objects.filter(state=state, review=Value.Review.APPROVED).values("indicator")
    indicators = Indicator.objects.filter(pk__in=codes).select_related("source_institution")
    for indicator in indicators.order_by("name_es"):
        for period in periods(indicator):
            total = next(
                (
                    cell
                    for cell in cells(indicator, period=period, state=state)
                    if not cell.breakdown()
                ),
                None,
            )
            if total is not None:
                found.append((indicator, total))
                break
    return found
