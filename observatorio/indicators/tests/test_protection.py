"""Small-cell protection: suppression over every published table, checked by the attacker.

No database: plain functions over dictionaries of cells. The property tests count random
record sets into the tables an indicator publishes, protect them, and attack the result
with linear programs of their own (dense, one program per bound, written here apart from
the module's) — and show that primary suppression alone fails that same check.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from observatorio.indicators.protection import (
    DIMS,
    OBSERVED,
    Exposure,
    audit,
    constraints,
    masked,
    protect,
)
from observatorio.indicators.records import TABLES  # every table the system publishes

STATES = ("01", "02", "03")
SEXES = ("mujer", "hombre", "no_especificado")
AGES = ("0-11", "12-17", "18-29", "30-59", "60+", "no_especificado")
POPULATIONS = ("refugiada", "retornada", "transito")
COUNTRIES = ("GTM", "HND", "VEN")

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def key(**members: str) -> tuple[str, ...]:
    return tuple(members.get(dim, "") for dim in DIMS)


def count(records, tables=TABLES) -> dict[tuple[str, ...], int]:
    """Every non-zero cell of each table (an absent cell is a published zero)."""
    counts: dict[tuple[str, ...], int] = {}
    for record in records:
        for table in tables:
            cell = key(**{dim: record[dim] for dim in table})
            counts[cell] = counts.get(cell, 0) + 1
    return counts


records_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "state": st.sampled_from(STATES),
            "sex": st.sampled_from(SEXES),
            "age_group": st.sampled_from(AGES),
            "nationality": st.sampled_from(COUNTRIES),
            "country_of_birth": st.sampled_from(COUNTRIES),
            "population": st.sampled_from(POPULATIONS),
        }
    ),
    max_size=300,
)
tables_strategy = st.lists(st.sampled_from(TABLES), min_size=1, unique=True)


def attack(counts, suppressed, k, additive=True, integer=False):
    """The attacker, written again: a dense program over every suppressed cell.

    Variables: the suppressed cells, each an integer ≥ 1 (zeros are published). For each
    additivity relation, total − Σ parts = 0 with the published cells moved to the right;
    for counts that do not add up, total ≤ Σ parts and each part ≤ total. Returns
    {cell: (low, high)} for the suppressed cells from 1 to k − 1. With *integer*, integer
    programs (a stronger attacker than the module's linear relaxation).
    """
    hidden = sorted(suppressed)
    column = {cell: j for j, cell in enumerate(hidden)}
    ceiling = 2 * sum(counts.values()) + 2 * len(counts) + 10
    rows, rhs = [], []
    for total, parts in constraints(counts):
        relations = [[(total, 1.0)] + [(part, -1.0) for part in parts]]
        if not additive:
            relations += [[(part, 1.0), (total, -1.0)] for part in parts]
        for terms in relations:
            row = np.zeros(len(hidden))
            constant = 0.0
            for cell, coef in terms:
                if cell in column:
                    row[column[cell]] += coef
                else:
                    constant += coef * counts[cell]
            if row.any():
                rows.append(row)
                rhs.append(-constant)
    matrix = np.array(rows) if rows else None
    vector = np.array(rhs) if rows else None
    given = {"A_eq": matrix, "b_eq": vector} if additive else {"A_ub": matrix, "b_ub": vector}
    if integer:
        given["integrality"] = np.ones(len(hidden))
    return intervals(counts, hidden, k, ceiling, given)


def intervals(counts, hidden, k, ceiling, given) -> dict:
    """{cell: (low, high)} for the hidden cells from 1 to k − 1: the attacker's minimum and
    maximum of each under the constraints *given* (linprog's keyword arguments)."""
    found = {}
    for j, cell in enumerate(hidden):
        if not 0 < counts[cell] < k:
            continue
        objective = np.zeros(len(hidden))
        objective[j] = 1.0
        low = linprog(objective, bounds=(1, ceiling), method="highs", **given)
        high = linprog(-objective, bounds=(1, ceiling), method="highs", **given)
        assert low.status == 0 and high.status == 0
        top = math.floor(-high.fun + 1e-6)
        found[cell] = (math.ceil(low.fun - 1e-6), math.inf if top >= ceiling else top)
    return found


def primary_only(counts, k=5):
    return {cell for cell, value in counts.items() if 0 < value < k}


# --- Relations ----------------------------------------------------------------------------


def test_the_relations_come_from_the_keys_present():
    counts = {
        key(): 30,
        key(state="01"): 13,
        key(state="02"): 17,
        key(sex="mujer"): 12,
        key(sex="hombre"): 18,
        key(state="01", sex="mujer"): 3,
        key(state="01", sex="hombre"): 10,
        key(state="02", sex="mujer"): 9,
        key(state="02", sex="hombre"): 8,
    }
    relations = {total: set(parts) for total, parts in constraints(counts)}
    assert len(constraints(counts)) == 6  # the total twice, two rows, two columns
    assert relations[key(state="01")] == {
        key(state="01", sex="mujer"),
        key(state="01", sex="hombre"),
    }
    assert relations[key(sex="mujer")] == {
        key(state="01", sex="mujer"),
        key(state="02", sex="mujer"),
    }
    # Every relation holds on counted records.
    for total, parts in constraints(counts):
        assert counts[total] == sum(counts[part] for part in parts)


@given(records_strategy, tables_strategy)
@PROPERTY
def test_every_relation_holds_on_counted_records(records, tables):
    counts = count(records, tables)
    for total, parts in constraints(counts):
        assert counts[total] == sum(counts[part] for part in parts)


# --- Hand examples -------------------------------------------------------------------------


def two_by_two():
    return {
        key(): 30,
        key(state="01"): 13,
        key(state="02"): 17,
        key(sex="mujer"): 12,
        key(sex="hombre"): 18,
        key(state="01", sex="mujer"): 3,
        key(state="01", sex="hombre"): 10,
        key(state="02", sex="mujer"): 9,
        key(state="02", sex="hombre"): 8,
    }


def test_a_small_cell_hides_its_row_and_column_partners():
    counts = two_by_two()
    result = protect(counts)
    assert result.primary == {key(state="01", sex="mujer")}
    # The whole 2 × 2 interior: its row partner, its column partner and the opposite cell.
    assert result.secondary == {
        key(state="01", sex="hombre"),
        key(state="02", sex="mujer"),
        key(state="02", sex="hombre"),
    }
    assert result.suppressed == result.primary | result.secondary
    assert result.hidden_cells == 4
    assert result.hidden_total == 30
    assert result.published_total == sum(counts.values())
    assert audit(counts, result.suppressed) == []
    low, high = attack(counts, result.suppressed, 5)[key(state="01", sex="mujer")]
    assert high - low >= 5


def test_primary_suppression_alone_is_exposed():
    counts = two_by_two()
    exposures = audit(counts, primary_only(counts))
    # The row total minus the published partner gives the cell back exactly.
    assert exposures == [Exposure(key(state="01", sex="mujer"), 3, 3.0, 3.0)]


def test_a_sensitive_cell_left_published_is_exposed():
    counts = two_by_two()
    assert audit(counts, []) == [Exposure(key(state="01", sex="mujer"), 3, 3.0, 3.0)]


def test_a_narrow_interval_is_exposed_even_with_two_cells_hidden():
    # 3 + 4 = 7 is published: each is between 1 and 6, five possible values... (width 5)
    counts = {key(): 7, key(sex="mujer"): 3, key(sex="hombre"): 4}
    assert audit(counts, [key(sex="mujer"), key(sex="hombre")]) == []
    # … but with k = 6 a width of 5 narrows them below k.
    exposed = audit(counts, [key(sex="mujer"), key(sex="hombre")], k=6)
    assert [e.key for e in exposed] == [key(sex="hombre"), key(sex="mujer")]
    assert exposed[0].low == 1 and exposed[0].high == 6
    result = protect(counts, k=6)
    assert audit(counts, result.suppressed, k=6) == []


def test_a_sensitive_total_is_protected_through_its_parts():
    counts = {key(): 4, key(sex="mujer"): 4}
    result = protect(counts)
    assert result.suppressed == {key(), key(sex="mujer")}
    assert audit(counts, result.suppressed) == []  # nothing bounds the total from above


def test_zeros_are_published_and_never_suppressed():
    counts = {key(): 9, key(sex="mujer"): 9, key(sex="hombre"): 0}
    result = protect(counts)
    assert result.suppressed == frozenset()
    counts = {key(): 3, key(sex="mujer"): 3, key(sex="hombre"): 0}
    result = protect(counts)
    assert key(sex="hombre") not in result.suppressed


def test_suppressed_cells_are_published_empty_never_as_zero():
    counts = two_by_two() | {key(state="03"): 0}
    shown = masked(counts, protect(counts))
    assert shown[key(state="01", sex="mujer")] is None
    assert shown[key(state="02", sex="hombre")] is None
    assert shown[key(state="03")] == 0
    assert shown[key()] == 30


def test_k_is_configurable():
    counts = two_by_two()
    assert protect(counts, k=3).suppressed == frozenset()
    result = protect(counts, k=10)
    assert result.primary == {
        key(state="01", sex="mujer"),
        key(state="02", sex="mujer"),
        key(state="02", sex="hombre"),
    }
    assert audit(counts, result.suppressed, k=10) == []


def test_counts_that_contradict_their_relations_are_refused():
    counts = {key(): 10, key(state="01"): 8, key(state="02"): 5}
    with pytest.raises(ValueError, match="not the sum of its parts"):
        protect(counts)
    protect(counts, additive=False)  # persons served in both states
    with pytest.raises(ValueError, match="above their sum"):
        protect({key(): 20, key(state="01"): 8, key(state="02"): 5}, additive=False)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        protect({("01",): 3})
    with pytest.raises(ValueError):
        protect({key(): -1})
    with pytest.raises(ValueError):
        audit(two_by_two(), [key(state="09")])
    with pytest.raises(ValueError):
        protect(two_by_two(), additive=["planet"])


# --- Distinct persons ----------------------------------------------------------------------


def test_distinct_persons_one_breakdown_needs_primary_suppression_only():
    # A person may be served in two states: the states add up to more than the country.
    counts = {key(): 40, key(state="01"): 30, key(state="02"): 3, key(state="03"): 12}
    assert audit(counts, [key(state="02")], additive=False) == []
    result = protect(counts, additive=False)
    assert result.suppressed == {key(state="02")}
    # They do not add up: summing them is refused.
    with pytest.raises(ValueError, match="additive=False"):
        audit(counts, [key(state="02")], additive=True)


def test_distinct_persons_bounds_still_expose_a_cell():
    # Every person is in some state: the country's 3 are at most the states' sum, so the one
    # state with persons has at least 3 — and at most 3, its total.
    counts = {key(): 3, key(state="01"): 3}
    exposed = audit(counts, [key(state="01")], additive=False)
    assert exposed != []  # the national 3 is published as well: primary
    result = protect(counts, additive=False)
    assert result.suppressed == {key(), key(state="01")}
    assert audit(counts, result.suppressed, additive=False) == []
    counts = {key(): 6, key(state="01"): 3, key(state="02"): 4, key(state="03"): 0}
    exposed = audit(counts, [key(state="01"), key(state="02")], additive=False)
    assert exposed == []  # each between 1 and 6 (the 6 persons are in one state or both)
    # A state with 3 of a country's 5: between 1 and 5, four values apart — narrowed below
    # k, whatever is hidden among the states; the country's 5 must go.
    counts = {key(): 5, key(state="01"): 3, key(state="02"): 5}
    exposed = audit(counts, [key(state="01")], additive=False)
    assert exposed == [Exposure(key(state="01"), 3, 1.0, 5.0)]
    assert audit(counts, [key(state="01"), key(state="02")], additive=False) == exposed
    result = protect(counts, additive=False)
    assert key() in result.suppressed
    assert audit(counts, result.suppressed, additive=False) == []


def test_distinct_persons_add_up_along_some_dimensions():
    # One sex per person, but some persons are served in two states.
    counts = {
        key(): 10,
        key(state="01"): 8,
        key(state="02"): 5,
        key(sex="mujer"): 4,
        key(sex="hombre"): 6,
    }
    result = protect(counts, additive=["sex"])
    assert result.suppressed == {key(sex="mujer"), key(sex="hombre")}
    assert audit(counts, result.suppressed, additive=["sex"]) == []
    assert audit(counts, [key(sex="mujer")], additive=["sex"]) != []  # 10 − 6
    assert audit(counts, [key(sex="mujer")], additive=False) == []  # only ≤ 10 and ≥ 4
    with pytest.raises(ValueError, match="additive=False"):
        audit(counts, result.suppressed)  # 8 + 5 is not 10


def attack_observed(counts, suppressed, k):
    """The attacker of values printed one by one, written again: each relation as its
    values show it (equal to the sum of its parts: that sum; above it: Σ parts ≤ total;
    below it: each part ≤ total ≤ Σ parts; a part above the total: nothing)."""
    hidden = sorted(suppressed)
    column = {cell: j for j, cell in enumerate(hidden)}
    ceiling = 2 * sum(counts.values()) + 2 * len(counts) + 10
    equal, below = ([], []), ([], [])

    def add(target, terms):
        row, constant = np.zeros(len(hidden)), 0.0
        for cell, coef in terms:
            if cell in column:
                row[column[cell]] += coef
            else:
                constant += coef * counts[cell]
        if row.any():
            target[0].append(row)
            target[1].append(-constant)

    for total, parts in constraints(counts):
        whole, values = counts[total], [counts[part] for part in parts]
        if whole == sum(values):
            add(equal, [(total, 1.0)] + [(part, -1.0) for part in parts])
        elif whole > sum(values):
            add(below, [(part, 1.0) for part in parts] + [(total, -1.0)])
        elif max(values) <= whole:
            add(below, [(total, 1.0)] + [(part, -1.0) for part in parts])
            for part in parts:
                add(below, [(part, 1.0), (total, -1.0)])
    given = {}
    if equal[0]:
        given.update(A_eq=np.array(equal[0]), b_eq=np.array(equal[1]))
    if below[0]:
        given.update(A_ub=np.array(below[0]), b_ub=np.array(below[1]))
    return intervals(counts, hidden, k, ceiling, given)


def test_values_printed_one_by_one_take_the_relations_they_show():
    # A national figure above the states printed: the others are at least 0, so the 3 is
    # at most 10 − 6.
    partial = {key(): 10, key(state="01"): 3, key(state="02"): 6}
    assert audit(partial, [key(state="01")], additive=OBSERVED) == [
        Exposure(key(state="01"), 3, 1.0, 4.0)
    ]
    result = protect(partial, additive=OBSERVED)
    assert key(state="01") in result.suppressed and len(result.suppressed) > 1
    assert audit(partial, result.suppressed, additive=OBSERVED) == []
    # The same figures as bounds only (distinct persons) would refuse them.
    with pytest.raises(ValueError, match="above their sum"):
        protect(partial, additive=False)
    # A complete table is a sum: the 3 is the difference.
    complete = {key(): 9, key(state="01"): 3, key(state="02"): 6}
    exposed = audit(complete, [key(state="01")], additive=OBSERVED)
    assert exposed == [Exposure(key(state="01"), 3, 3.0, 3.0)]
    # Parts above their total (two sources that disagree) relate nothing; parts that
    # overlap bound each other.
    assert (
        audit(
            {key(): 5, key(state="01"): 3, key(state="02"): 7}, [key(state="01")], additive=OBSERVED
        )
        == []
    )
    assert (
        audit(
            {key(): 8, key(state="01"): 3, key(state="02"): 7}, [key(state="01")], additive=OBSERVED
        )
        == []
    )


# --- Properties ----------------------------------------------------------------------------


@given(records_strategy, tables_strategy, st.randoms(use_true_random=False))
@PROPERTY
def test_values_printed_one_by_one_pass_their_attack(records, tables, random):
    # Complete tables with some cells never printed: every kind of relation at once.
    counts = count(records, tables)
    counts = {cell: value for cell, value in counts.items() if random.random() < 0.7}
    result = protect(counts, additive=OBSERVED)
    assert result.primary == primary_only(counts)
    assert audit(counts, result.suppressed, additive=OBSERVED) == []
    for cell, (low, high) in attack_observed(counts, result.suppressed, 5).items():
        assert high - low >= 5, (cell, counts[cell], low, high)


@given(records_strategy, tables_strategy)
@PROPERTY
def test_protection_passes_the_attack(records, tables):
    counts = count(records, tables)
    result = protect(counts, release_lps=500)
    assert audit(counts, result.suppressed) == []
    # The attacker written here agrees: no sensitive cell narrowed below k.
    intervals = attack(counts, result.suppressed, 5)
    assert set(intervals) == set(result.primary)
    for cell, (low, high) in intervals.items():
        assert high - low >= 5, (cell, counts[cell], low, high)


@given(records_strategy)
@settings(PROPERTY, max_examples=30)
def test_every_published_table_together_passes_the_attack(records):
    counts = count(records)
    result = protect(counts)
    assert audit(counts, result.suppressed) == []
    for cell, (low, high) in attack(counts, result.suppressed, 5).items():
        assert high - low >= 5, (cell, counts[cell], low, high)


@given(records_strategy)
@settings(PROPERTY, max_examples=15)
def test_an_integer_attacker_does_not_narrow_them_either(records):
    counts = count(records)
    result = protect(counts, release_lps=500)
    for cell, (low, high) in attack(counts, result.suppressed, 5, integer=True).items():
        assert high - low >= 5, (cell, counts[cell], low, high)


@given(records_strategy, tables_strategy, st.integers(min_value=2, max_value=8))
@PROPERTY
def test_what_is_suppressed_and_counted(records, tables, k):
    counts = count(records, tables)
    result = protect(counts, k=k, release_lps=200)
    assert result.primary == {cell for cell, value in counts.items() if 1 <= value < k}
    assert all(counts[cell] > 0 for cell in result.suppressed)  # a 0 is never hidden
    assert result.suppressed == result.primary | result.secondary
    assert not result.primary & result.secondary
    assert result.hidden_cells == len(result.suppressed)
    assert result.hidden_total == sum(counts[cell] for cell in result.suppressed)
    assert result.published_total == sum(counts.values())
    assert audit(counts, result.suppressed, k=k) == []
    assert protect(counts, k=k, release_lps=200) == result  # the same every time


@given(records_strategy, tables_strategy)
@PROPERTY
def test_distinct_persons_protection_passes_its_attack(records, tables):
    counts = count(records, tables)
    result = protect(counts, additive=False)
    assert result.primary == primary_only(counts)
    assert audit(counts, result.suppressed, additive=False) == []
    for cell, (low, high) in attack(counts, result.suppressed, 5, additive=False).items():
        assert high - low >= 5, (cell, counts[cell], low, high)


def test_the_check_can_fail_on_random_record_sets():
    """Primary suppression alone: the attacker finds a record set it does not protect."""

    def naive_is_exposed(records) -> bool:
        counts = count(records)
        return audit(counts, primary_only(counts)) != []

    # The first record set found (shrinking it would attack thousands of smaller ones).
    quick = settings(database=None, phases=[Phase.generate], max_examples=200)
    records = find(records_strategy, naive_is_exposed, settings=quick)
    counts = count(records)
    narrowed = [
        (cell, low, high)
        for cell, (low, high) in attack(counts, primary_only(counts), 5).items()
        if high - low < 5
    ]
    assert narrowed  # the independent attacker agrees
    assert audit(counts, protect(counts).suppressed) == []
