"""Counts from the registry for the indicators, and the protected tables the public sees.

For a year, from the people who consented to statistics (the newest ``estadistica``
consent granted; anonymised records keep theirs, so withdrawing the registration leaves
the counts as they were):

- ``personas``: distinct people attended (a contact in the year);
- ``personas-nuevas-registro``: people registered for the first time in the year;
- ``servicios``: services given (referrals marked attended in the year);
- ``necesidad-<need>``: distinct people with that need identified in the year.

Each is broken down like the records files (``indicators.records.TABLES``: total, sex,
age group, nationality, country of birth, population group, sex × age, state and state ×
…), the state being the centre's. :func:`publish` writes them as the indicators' values
(``replace_record_counts``: a year replaced, never added twice; a year an approved value
or a file of records holds is left alone and said). :func:`protected` applies the small-
cell suppression every published statistic gets (``indicators.protection``) to a year's
counts, for the registry's own page of figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from observatorio.indicators.actions import ValuesRefused, replace_record_counts
from observatorio.indicators.models import DIMENSION_FIELDS, Indicator, Value
from observatorio.indicators.protection import audit, protect
from observatorio.indicators.records import TABLES, Cell

from .models import Consent, Need, Person
from .models_care import Contact, IdentifiedNeed, Referral

SOURCE = "Registro de necesidades de los Centros Multiservicios"
PERSONS, NEW, SERVICES = "personas", "personas-nuevas-registro", "servicios"
#: Dimension of a cell -> the path from the counted row to its value.
PATHS = {
    "state": "centre__state__inegi_code",
    "sex": "person__sex",
    "age_group": "age_group",
    "nationality": "person__nationality",
    "country_of_birth": "person__country_of_birth",
    "population": "person__population",
}
UNKNOWN = "no_especificado"


def _rows(kind: str, year: int, need: Need | None = None):
    """The counted rows of one indicator for *year*, with the person and its dimensions."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == SERVICES:
        qs = Referral.objects.filter(
            status__in=(Referral.Status.ATTENDED, Referral.Status.CLOSED),
            attended_on__range=(start, end),
        )
        paths = {**PATHS, "state": "from_centre__state__inegi_code"}
    elif kind == NEW:
        qs = Person.objects.filter(registered_on__range=(start, end))
        paths = {
            "state": "centre__state__inegi_code",
            "sex": "sex",
            "age_group": "age_group",
            "nationality": "nationality",
            "country_of_birth": "country_of_birth",
            "population": "population",
        }
        latest = Consent.objects.filter(
            person=OuterRef("pk"), purpose=Consent.Purpose.STATISTICS
        ).order_by("-at", "-pk")
        return (
            qs.annotate(_stats=Subquery(latest.values("granted")[:1])).filter(_stats=True),
            paths,
            "pk",
        )
    elif kind == PERSONS:
        qs = Contact.objects.filter(on__range=(start, end))
        paths = PATHS
    else:
        qs = IdentifiedNeed.objects.filter(need=need, contact__on__range=(start, end))
        paths = {
            k: f"contact__{v}"
            if k in ("state", "age_group")
            else v.replace("person__", "contact__person__")
            for k, v in PATHS.items()
        }
        latest = Consent.objects.filter(
            person=OuterRef("contact__person"), purpose=Consent.Purpose.STATISTICS
        ).order_by("-at", "-pk")
        return (
            qs.annotate(_stats=Subquery(latest.values("granted")[:1])).filter(_stats=True),
            paths,
            "contact__person",
        )
    latest = Consent.objects.filter(
        person=OuterRef("person"), purpose=Consent.Purpose.STATISTICS
    ).order_by("-at", "-pk")
    return (
        qs.annotate(_stats=Subquery(latest.values("granted")[:1])).filter(_stats=True),
        paths,
        "person" if kind != SERVICES else "pk",
    )


def counts(kind: str, year: int, need: Need | None = None) -> list[Cell]:
    """Every cell of :data:`TABLES` for one indicator and year (only cells with people)."""
    qs, paths, counted = _rows(kind, year, need)
    value = Count(counted) if kind == SERVICES else Count(counted, distinct=True)
    cells = []
    for table in TABLES:
        names = [paths[d] for d in table]
        if names:
            rows = qs.values(*names).annotate(n=value).order_by()
        else:
            rows = [qs.aggregate(n=value)]
        for row in rows:
            if not row["n"]:
                continue
            dims = {
                d: (row[paths[d]] or UNKNOWN if d in ("sex", "age_group") else row[paths[d]] or "")
                for d in table
            }
            cells.append(
                Cell(
                    year,
                    dims.get("state", ""),
                    dims.get("sex", ""),
                    dims.get("age_group", ""),
                    dims.get("nationality", ""),
                    dims.get("country_of_birth", ""),
                    dims.get("population", ""),
                    int(row["n"]),
                )
            )
    return cells


def indicators() -> list[tuple[Indicator, str, Need | None]]:
    """The indicators the registry feeds, with what each counts."""
    found = []
    by_code = {
        i.code: i
        for i in Indicator.objects.filter(
            code__in=[PERSONS, NEW, SERVICES] + [n.indicator_code for n in Need.objects.all()]
        )
    }
    for code in (PERSONS, NEW, SERVICES):
        if code in by_code:
            found.append((by_code[code], code, None))
    for need in Need.objects.all():
        if need.indicator_code in by_code:
            found.append((by_code[need.indicator_code], "need", need))
    return found


@dataclass
class Published:
    written: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def publish(year: int) -> Published:
    """Write *year*'s counts as the registry indicators' values (drafts for review)."""
    result = Published()
    for indicator, kind, need in indicators():
        mine = indicator.values.filter(period=year)
        foreign = mine.filter(origin=Value.Origin.RECORDS).exclude(source_cited=SOURCE).exists()
        if foreign:
            result.skipped[indicator.code] = _(
                "%(year)s ya tiene conteos de un archivo de registros."
            ) % {"year": year}
            continue
        try:
            replaced = replace_record_counts(
                indicator, [year], counts(kind, year, need), source_cited=SOURCE
            )
        except ValuesRefused as refused:
            result.skipped[indicator.code] = refused.message
            continue
        result.written[indicator.code] = replaced.written
    return result


KEY_ORDER = ("state", *DIMENSION_FIELDS)


def _key(cell: Cell) -> tuple[str, ...]:
    values = cell._asdict()
    return tuple(values.get(name, "") for name in KEY_ORDER)


def protected(indicator: Indicator, cells: list[Cell]) -> dict[tuple, int | None]:
    """*cells* (one period) as the public may see them: suppressed cells are None. If the
    protection fails or its audit finds a cell exposed, every cell is withheld."""
    table = {_key(c): c.value for c in cells}
    if not table:
        return {}
    additive = indicator.measure == Indicator.Measure.SERVICES
    try:
        hidden = protect(table, k=indicator.min_cell, additive=additive).suppressed
        if audit(table, hidden, k=indicator.min_cell, additive=additive):
            hidden = frozenset(table)
    except (RuntimeError, ValueError):
        hidden = frozenset(table)
    return {key: None if key in hidden else value for key, value in table.items()}


def stored(indicator: Indicator, year: int) -> list[Cell]:
    """The counts of *year* last written for *indicator* (by :func:`publish`)."""
    rows = indicator.values.filter(period=year, origin=Value.Origin.RECORDS, source_cited=SOURCE)
    return [
        Cell(
            year,
            v.state,
            v.sex,
            v.age_group,
            v.nationality,
            v.country_of_birth,
            v.population,
            int(v.value or 0),
        )
        for v in rows
    ]
