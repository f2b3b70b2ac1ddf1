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
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils.translation import gettext as _

from observatorio.indicators.actions import ValuesRefused, replace_record_counts
from observatorio.indicators.models import DIMENSION_FIELDS, Indicator, Value
from observatorio.indicators.protection import OBSERVED, audit, protect
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


#: The dimensions a counted row carries, in this order.
DIMENSIONS = ("state", "sex", "age_group", "nationality", "country_of_birth", "population")
#: Rows read from the database at a time.
FETCH = 20_000


def _fetch(rows):
    """The rows of a ``values_list`` query, a chunk at a time (``iterator()``: a server-side
    cursor on PostgreSQL, so that a year of rows is never in memory at once).

    PostgreSQL plans a cursor for its first rows (``cursor_tuple_fraction``, 0.1): index
    scans and merge joins. Every row is read here, so the cursor is planned as a plain
    query would be: hash joins, what reads a whole year fastest.
    """
    connection = connections[rows.db]
    with transaction.atomic(using=rows.db):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield from rows.iterator(chunk_size=FETCH)


def consenting() -> set[int]:
    """The people the statistics count: those whose newest ``estadistica`` consent (by
    ``at``, then ``pk``) is granted. One read of those consents, each person's in order."""
    rows = (
        Consent.objects.filter(purpose=Consent.Purpose.STATISTICS)
        .order_by("person_id", "at", "pk")
        .values_list("person_id", "granted")
    )
    people: set[int] = set()
    current, granted = None, False
    for person, given in _fetch(rows):
        if person != current:
            if granted:
                people.add(current)
            current = person
        granted = given
    if granted:
        people.add(current)
    return people


def _rows(kind: str, year: int, need: Need | None = None):
    """The rows of one indicator for *year*: the queryset, the path of each dimension and
    the path of the person (the consent is checked by :func:`counts`)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == SERVICES:
        qs = Referral.objects.filter(
            status__in=(Referral.Status.ATTENDED, Referral.Status.CLOSED),
            attended_on__range=(start, end),
        )
        return qs, {**PATHS, "state": "from_centre__state__inegi_code"}, "person"
    if kind == NEW:
        qs = Person.objects.filter(registered_on__range=(start, end))
        paths = {
            "state": "centre__state__inegi_code",
            "sex": "sex",
            "age_group": "age_group",
            "nationality": "nationality",
            "country_of_birth": "country_of_birth",
            "population": "population",
        }
        return qs, paths, "pk"
    if kind == PERSONS:
        return Contact.objects.filter(on__range=(start, end)), PATHS, "person"
    qs = IdentifiedNeed.objects.filter(need=need, contact__on__range=(start, end))
    paths = {
        k: f"contact__{v}"
        if k in ("state", "age_group")
        else v.replace("person__", "contact__person__")
        for k, v in PATHS.items()
    }
    return qs, paths, "contact__person"


def counts(
    kind: str, year: int, need: Need | None = None, people: set[int] | None = None
) -> list[Cell]:
    """Every cell of :data:`TABLES` for one indicator and year (only cells with people).

    *people*: :func:`consenting` (computed when not given; :func:`publish` computes it
    once for every indicator). One query per indicator reads its rows with their six
    dimensions, and the tables are added up here: ``servicios`` counts rows (referrals)
    and ``personas-nuevas-registro`` has one row per person; the others count distinct
    people, so their rows come distinct and by person, and someone under more than one
    combination of dimensions in the year (two contacts in different age groups) is
    counted once in each cell, as ``COUNT(DISTINCT …)`` did.
    """
    qs, paths, person = _rows(kind, year, need)
    if people is None:
        people = consenting()
    names = [paths[d] for d in DIMENSIONS]
    single: Counter = Counter()  # combination of the six dimensions -> rows or people
    several: list[list[tuple]] = []  # the combinations of each person with more than one
    if kind in (SERVICES, NEW):
        for row in _fetch(qs.values_list(person, *names).order_by()):
            if row[0] in people:
                single[row[1:]] += 1
    else:
        current, mine = None, []
        rows = qs.values_list(person, *names).distinct().order_by(person)
        for row in _fetch(rows):
            if row[0] != current:
                if current in people:
                    if len(mine) == 1:
                        single[mine[0]] += 1
                    else:
                        several.append(mine)
                current, mine = row[0], []
            mine.append(row[1:])
        if current in people:
            if len(mine) == 1:
                single[mine[0]] += 1
            else:
                several.append(mine)
    cells = []
    for table in TABLES:
        where = [DIMENSIONS.index(d) for d in table]
        totals: Counter = Counter()
        for combination, n in single.items():
            totals[tuple(combination[i] for i in where)] += n
        for combinations in several:
            for key in {tuple(c[i] for i in where) for c in combinations}:
                totals[key] += 1
        for key, n in totals.items():
            values = dict(zip(table, key, strict=True))
            dims = {
                d: (values[d] or UNKNOWN if d in ("sex", "age_group") else values[d] or "")
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
                    int(n),
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
    people = None  # who consented to statistics: read once, for every indicator
    for indicator, kind, need in indicators():
        mine = indicator.values.filter(period=year)
        foreign = mine.filter(origin=Value.Origin.RECORDS).exclude(source_cited=SOURCE).exists()
        if foreign:
            result.skipped[indicator.code] = _(
                "%(year)s ya tiene conteos de un archivo de registros."
            ) % {"year": year}
            continue
        if people is None:
            people = consenting()
        try:
            replaced = replace_record_counts(
                indicator, [year], counts(kind, year, need, people), source_cited=SOURCE
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
    # As every published statistic (indicators.published): services add up; people add
    # up where their parts add up to the total (protection.OBSERVED).
    additive = indicator.measure == Indicator.Measure.SERVICES or OBSERVED
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
