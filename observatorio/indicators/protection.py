"""Small-cell protection of published counts: primary and secondary suppression, and the audit.

Pure functions over a dictionary of cells (no database). A cell is keyed by its members in
the order of :data:`DIMS`; ``""`` means "every member" (a margin, a total). Every table
published for one indicator and one period is protected *together*: the national total,
national × sex, state × age group, national × nationality … all in one dictionary, because
an attacker combines them all.

**The tables must be complete**: every non-zero cell of each published table is in the
dictionary (an absent cell is a published zero). The additivity relations are derived from
the keys present (:func:`constraints`): a key ``K`` with ``K[d] == ""`` equals the sum of
the keys equal to ``K`` except for a member in ``d``, when such keys exist.

**Primary suppression.** A count from 1 to k − 1 is sensitive and suppressed. Zero is not
sensitive: a 0 is published as 0, so a suppressed cell is never 0 — and callers must never
display a suppressed cell as 0 (they show an empty value with a mark; this module only
returns keys).

**The attacker.** They know every published cell, every additivity relation and that every
suppressed cell is an integer of at least 1 (zeros are always published). For each
suppressed sensitive cell they solve two linear programs (as sdcTable's ``attack()``): the
minimum and the maximum of that cell over the suppressed cells, subject to the relations
(equalities; inequalities for counts that do not add up, below), with ``x ≥ 1`` and, in
effect, no upper bound (a generous one, twice the sum of all cells: reaching it means
none); the optimum is rounded inwards (``low = ceil``, ``high = floor``), since counts
are integers. Solved with ``scipy.optimize.linprog(method="highs")`` over ``scipy.sparse``
matrices, one connected component of suppressed cells at a time.

**Protection criterion.** A suppressed sensitive cell is *protected* when the attacker's
interval ``[low, high]`` has width ``high − low ≥ k``. Because ``low ≥ 1``, this implies
``high ≥ k + 1``: the attacker can neither narrow the cell to fewer than k possible
counts nor conclude that it is smaller than k. A sensitive cell that is published (not
suppressed) is exposed outright (its interval is the value itself). :func:`audit`
returns every exposed cell; publishing must be refused while the list is not empty.
Only sensitive cells must be protected: a secondary cell (≥ k, hidden to protect others)
may be narrowed, even disclosed.

**Secondary suppression** (:func:`protect`): first a fast local pass — in each additive
relation, no suppressed cell may be alone (it would be the difference of published
cells), and a sensitive cell's local interval (from that relation alone, a necessary
condition) must be at least k wide; then the attacker's linear programs on every
sensitive cell, and for each exposed one a further cell is suppressed in a relation that
binds its interval (non-zero dual value), chosen to lose little: the smallest count that
gives enough room, children before totals (a total drags its own breakdowns with it), and
cells that would not leave another relation with a lone suppressed cell. Repeat until no
cell is exposed. Suppressing more cells never narrows an interval (a published cell is
the attacker's variable fixed at its value), so only the cells exposed in the previous
round are attacked again. Last, secondary cells are un-suppressed, largest first, when
the audit of their component stays clean (within a budget of linear programs, not of
time: the same counts always give the same suppression).

**Distinct-person counts** (``additive=False``) do not add up: a person served in two
states counts once nationally. No sum can be taken, so they need no secondary
suppression of the additive kind, and must never be mixed with additive counts in one
call (each measure is protected as its own set of tables). Primary suppression alone is
not always enough, though: bounds still hold and the attacker uses them — a part is at
most its total (``child ≤ parent``) and, as every person falls in at least one member of
each dimension (``no_especificado`` included), the total is at most the sum of its parts
(``parent ≤ Σ children``). The audit uses these inequalities, and :func:`protect` adds a
secondary cell only where they narrow a sensitive one (a state with 3 of a country's 5
persons lies between 1 and 5 whatever else is hidden: the national 5 must go). On one
dimension broken out of a large total nothing more is derivable, and the primary cells
are all that is hidden. ``additive`` may also be a collection of dimension names: the
dimensions along which the counts do add up (a person has one sex, but may be served in
several states).

**Values entered or printed one by one** (``additive=OBSERVED``: a panorama gives a
few states and the national figure; an institution captures a table that may be partial)
are not known to form complete tables. Each relation is taken as the strongest one its
values agree with, which is what an attacker who knew the tables were complete could use,
and never less: a total equal to the sum of its parts is their sum; a total above it
bounds them (``Σ children ≤ parent``, the missing parts being at least 0); a total below
it has the bounds of distinct persons; a part above its total (two sources that disagree)
relates nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

#: A cell's members, as ``published.KEY_FIELDS`` (the state, then each dimension of a value).
DIMS = ("state", "sex", "age_group", "nationality", "country_of_birth", "population", "objective")
Key = tuple[str, ...]

#: Numerical slack when rounding the attacker's optima to integers.
TOLERANCE = 1e-6
#: ``additive=OBSERVED``: each relation as its values show it (see above).
OBSERVED = "observed"
#: Linear programs :func:`protect` may solve trying to give back secondary cells.
RELEASE_LPS = 500


@dataclass(frozen=True)
class Protection:
    """What to hide: the suppressed keys and how much is lost."""

    suppressed: frozenset[Key]  # primary | secondary
    primary: frozenset[Key]
    secondary: frozenset[Key]
    hidden_cells: int
    hidden_total: int  # sum of the suppressed values
    published_total: int  # sum of all values (for "x % hidden")
    linear_programs: int = 0  # the attacker's programs solved on the way

    @property
    def hidden_share(self) -> float:
        """The share of :attr:`published_total` hidden (0 to 1)."""
        return self.hidden_total / self.published_total if self.published_total else 0.0


@dataclass(frozen=True)
class Exposure:
    """A sensitive cell the attacker narrows below k: its value and their interval."""

    key: Key
    value: int
    low: float
    high: float


@dataclass
class _Relation:
    parent: int
    children: list[int]
    additive: bool
    partial: bool = False  # Σ children ≤ parent: the parts of an incomplete table


class _Problem:
    """The cells as integer indices, their values and the relations among them."""

    def __init__(self, counts: dict[Key, int], additive: bool | Collection[str]):
        for key in counts:
            if len(key) != len(DIMS):
                raise ValueError(f"a key has {len(DIMS)} members ({', '.join(DIMS)}): {key!r}")
        self.keys: list[Key] = sorted(counts)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.values = np.array([int(counts[key]) for key in self.keys], dtype=np.int64)
        if (self.values < 0).any():
            raise ValueError("counts cannot be negative")
        observed = isinstance(additive, str) and additive == OBSERVED
        if observed or additive is False:
            adds = set()
        elif additive is True:
            adds = set(DIMS)
        else:
            adds = set(additive)
            if not adds <= set(DIMS):
                raise ValueError(f"unknown dimensions: {sorted(adds - set(DIMS))}")
        self.relations = [
            _Relation(self.index[parent], [self.index[c] for c in children], DIMS[d] in adds)
            for parent, d, children in _relations(self.keys)
        ]
        if observed:
            self.relations = [r for r in map(self._as_observed, self.relations) if r]
        for relation in self.relations:
            total = self.values[relation.parent]
            parts = self.values[relation.children]
            if relation.partial:
                continue
            if relation.additive and total != parts.sum():
                raise ValueError(
                    f"{self.keys[relation.parent]!r} is not the sum of its parts: counts that "
                    "do not add up (distinct persons) need additive=False"
                )
            if not relation.additive and not (parts.max() <= total <= parts.sum()):
                raise ValueError(
                    f"{self.keys[relation.parent]!r} is below one of its parts or above their sum"
                )
        self.member_of: list[list[int]] = [[] for _ in self.keys]
        for r, relation in enumerate(self.relations):
            self.member_of[relation.parent].append(r)
            for child in relation.children:
                self.member_of[child].append(r)
        #: Finer cells (more members given) first when choosing what else to hide.
        self.coarseness = [sum(member == "" for member in key) for key in self.keys]

    def _as_observed(self, relation: _Relation) -> _Relation | None:
        """The strongest relation the values agree with (``OBSERVED``), or None."""
        total = self.values[relation.parent]
        parts = self.values[relation.children]
        if total == parts.sum():
            relation.additive = True
        elif total > parts.sum():
            relation.partial = True
        elif parts.max() > total:
            return None
        return relation

    def members(self, r: int) -> list[int]:
        relation = self.relations[r]
        return [relation.parent, *relation.children]


def _relations(keys: Iterable[Key]) -> list[tuple[Key, int, list[Key]]]:
    present = set(keys)
    groups: dict[tuple[Key, int], list[Key]] = defaultdict(list)
    for key in present:
        for d, member in enumerate(key):
            if member:
                parent = key[:d] + ("",) + key[d + 1 :]
                if parent in present:
                    groups[parent, d].append(key)
    return [(parent, d, sorted(children)) for (parent, d), children in sorted(groups.items())]


def constraints(counts: dict[Key, int]) -> list[tuple[Key, list[Key]]]:
    """The additivity relations among the keys present: ``(total, [its parts])``.

    For a key ``K`` and a dimension ``d`` with ``K[d] == ""``: when keys equal to ``K``
    except for a member in ``d`` exist, ``K`` is their sum (national = Σ states, a state's
    total = Σ its sexes, national × sex = Σ states' state × sex …).
    """
    return [(parent, children) for parent, _, children in _relations(counts)]


def sensitive(value: int, k: int) -> bool:
    """A count from 1 to k − 1 (a zero is not sensitive)."""
    return 0 < value < k


# --- The attacker --------------------------------------------------------------------------


class _Attack:
    """The attacker's linear programs for a set of suppressed cells."""

    def __init__(self, problem: _Problem, suppressed: np.ndarray, k: int):
        self.problem = problem
        self.suppressed = suppressed
        self.k = k
        self.lp_count = 0
        # A generous upper bound keeps every program bounded (HiGHS may report an
        # unbounded program as infeasible); reaching it means "no upper bound".
        self.ceiling = 2 * int(problem.values.sum()) + 2 * len(problem.values) + 10
        # Connected components of suppressed cells through the relations.
        parent = list(range(len(problem.keys)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        self.touching: list[int] = []  # relations with at least one suppressed member
        for r in range(len(problem.relations)):
            hidden = [i for i in problem.members(r) if suppressed[i]]
            if hidden:
                self.touching.append(r)
                root = find(hidden[0])
                for i in hidden[1:]:
                    other = find(i)
                    if other != root:
                        parent[other] = root
        self.find = find

    def intervals(
        self, cells: Iterable[int], first: bool = False
    ) -> dict[int, tuple[float, float, set[int]]]:
        """For each suppressed cell: (low, high, the relations binding its interval).

        Every solution found is a point the attacker cannot rule out: once the values a
        cell takes in them already span k, the cell is safe and its programs are skipped
        (its interval is then only what was seen, and no relation is said to bind it).
        With *first*, stop at the first cell narrowed below k (in the order given).
        """
        problem = self.problem
        by_component: dict[int, list[int]] = {}
        for i in cells:
            by_component.setdefault(self.find(i), []).append(i)
        if not by_component:
            return {}
        relations_of: dict[int, list[int]] = defaultdict(list)
        for r in self.touching:
            member = next(i for i in problem.members(r) if self.suppressed[i])
            root = self.find(member)
            if root in by_component:
                relations_of[root].append(r)
        variables_of: dict[int, list[int]] = defaultdict(list)
        for i in np.flatnonzero(self.suppressed):
            root = self.find(int(i))
            if root in by_component:
                variables_of[root].append(int(i))
        result = {}
        for root, targets in by_component.items():
            found = self._component(variables_of[root], relations_of[root], targets, first)
            result.update(found)
            if first and any(_exposed(*found[i][:2], self.k) for i in found):
                break
        return result

    def _component(
        self, variables: list[int], relations: list[int], targets: list[int], first: bool
    ):
        problem = self.problem
        column = {i: j for j, i in enumerate(variables)}
        eq: tuple[list, list, list, list, list] = ([], [], [], [], [])  # data, rows, cols, b, r
        ub: tuple[list, list, list, list, list] = ([], [], [], [], [])

        def row(target, terms: list[tuple[int, float]], relation: int) -> None:
            data, rows, cols, rhs, origin = target
            n, constant, used = len(rhs), 0.0, False
            for i, coef in terms:
                if i in column:
                    data.append(coef)
                    rows.append(n)
                    cols.append(column[i])
                    used = True
                else:
                    constant += coef * problem.values[i]
            if used:
                rhs.append(-constant)
                origin.append(relation)

        for r in relations:
            relation = problem.relations[r]
            if relation.additive:
                terms = [(relation.parent, 1.0)] + [(c, -1.0) for c in relation.children]
                row(eq, terms, r)
            elif relation.partial:
                # Σ children ≤ parent (each child ≤ parent follows, the others being ≥ 0).
                terms = [(c, 1.0) for c in relation.children] + [(relation.parent, -1.0)]
                row(ub, terms, r)
            else:
                # parent ≤ Σ children, and child ≤ parent for each child.
                terms = [(relation.parent, 1.0)] + [(c, -1.0) for c in relation.children]
                row(ub, terms, r)
                for c in relation.children:
                    row(ub, [(c, 1.0), (relation.parent, -1.0)], r)

        def matrix(parts):
            data, rows, cols, rhs, _ = parts
            if not rhs:
                return None, None
            shape = (len(rhs), len(variables))
            return csr_array((data, (rows, cols)), shape=shape), np.array(rhs)

        a_eq, b_eq = matrix(eq)
        a_ub, b_ub = matrix(ub)
        # The range of values each variable has taken in a feasible point: the true values
        # first, then every solution.
        seen_low = problem.values[variables].astype(float)
        seen_high = seen_low.copy()
        k = self.k

        def spans(j: int) -> bool:
            return math.floor(seen_high[j] + TOLERANCE) - math.ceil(seen_low[j] - TOLERANCE) >= k

        result = {}
        for i in targets:
            j = column[i]
            if spans(j):
                result[i] = (float(seen_low[j]), float(seen_high[j]), set())
                continue
            objective = np.zeros(len(variables))
            bounds = {}
            binding: set[int] = set()
            for sign in (-1.0, 1.0):  # the maximum first, then the minimum
                objective[j] = sign
                self.lp_count += 1
                res = linprog(
                    objective,
                    A_ub=a_ub,
                    b_ub=b_ub,
                    A_eq=a_eq,
                    b_eq=b_eq,
                    bounds=(1, self.ceiling),
                    method="highs",
                )
                if res.status == 2:
                    raise ValueError(
                        "the published cells contradict the relations: counts that do not "
                        "add up (distinct persons) need additive=False"
                    )
                if res.status != 0:
                    raise RuntimeError(f"the attacker's program failed: {res.message}")
                bounds[sign] = sign * res.fun
                np.minimum(seen_low, res.x, out=seen_low)
                np.maximum(seen_high, res.x, out=seen_high)
                for parts, marginals in ((eq, res.eqlin), (ub, res.ineqlin)):
                    if marginals is not None and len(parts[4]):
                        hot = np.flatnonzero(np.abs(marginals.marginals) > TOLERANCE)
                        binding.update(parts[4][h] for h in hot)
                if spans(j):
                    break
            if spans(j):
                result[i] = (float(seen_low[j]), float(seen_high[j]), set())
                continue
            low = math.ceil(bounds[1.0] - TOLERANCE)
            high = math.floor(bounds[-1.0] + TOLERANCE)
            if high >= self.ceiling:
                high = math.inf  # nothing bounds it from above
            result[i] = (float(low), float(high), binding)
            if first and _exposed(low, high, k):
                break
        return result


def _exposed(low: float, high: float, k: int) -> bool:
    return high - low < k


def _attack_cells(
    problem: _Problem, suppressed: np.ndarray, cells: Iterable[int], k: int, first: bool = False
):
    attack = _Attack(problem, suppressed, k)
    found = attack.intervals(cells, first)
    exposed = {i: found[i] for i in found if _exposed(found[i][0], found[i][1], k)}
    return exposed, attack.lp_count


def audit(
    counts: dict[Key, int],
    suppressed: Iterable[Key],
    k: int = 5,
    additive: bool | Collection[str] = True,
) -> list[Exposure]:
    """Solve the attacker's problem: every sensitive cell they narrow below k (see above).

    An empty list means the publication is safe. A sensitive cell left published is
    exposed with the interval ``[value, value]``.
    """
    exposures, _ = _audit(_Problem(counts, additive), suppressed, k)
    return exposures


def _audit(problem: _Problem, suppressed: Iterable[Key], k: int) -> tuple[list[Exposure], int]:
    mask = np.zeros(len(problem.keys), dtype=bool)
    for key in suppressed:
        if key not in problem.index:
            raise ValueError(f"a suppressed key is not a cell: {key!r}")
        mask[problem.index[key]] = True
    values = problem.values
    exposures = [
        Exposure(problem.keys[i], int(values[i]), float(values[i]), float(values[i]))
        for i in range(len(values))
        if sensitive(values[i], k) and not mask[i]
    ]
    targets = [i for i in np.flatnonzero(mask) if sensitive(values[i], k)]
    exposed, lp_count = _attack_cells(problem, mask, targets, k)
    exposures += [
        Exposure(problem.keys[i], int(values[i]), low, high)
        for i, (low, high, _) in sorted(exposed.items())
    ]
    exposures.sort(key=lambda e: e.key)
    return exposures, lp_count


# --- Secondary suppression -----------------------------------------------------------------


class _Suppressor:
    def __init__(self, problem: _Problem, k: int):
        self.problem = problem
        self.k = k
        values = problem.values
        self.primary = (values > 0) & (values < k)
        self.suppressed = self.primary.copy()
        self.lp_count = 0

    # Cost of hiding a cell: its value, more if it leaves other relations with a lone
    # suppressed cell (each will need a further cell), totals after their parts.
    def cost(self, i: int, relation: int) -> tuple[int, float]:
        problem = self.problem
        lonely = 0
        for r in problem.member_of[i]:
            if r != relation and problem.relations[r].additive:
                if not any(self.suppressed[j] for j in problem.members(r)):
                    lonely += 1
        return problem.coarseness[i], float(problem.values[i]) * (1 + lonely)

    def candidates(self, r: int) -> list[int]:
        values = self.problem.values
        return [i for i in self.problem.members(r) if not self.suppressed[i] and values[i] > 0]

    def choose(self, relations: Iterable[int], need: float) -> int | None:
        """The cheapest cell of these relations giving at least *need* more room.

        Finer cells first; among those giving enough room the cheapest, else the largest.
        """
        best = None
        values = self.problem.values
        for r in relations:
            for i in self.candidates(r):
                coarse, cost = self.cost(i, r)
                if values[i] - 1 >= need:
                    rank = (coarse, 0, cost, i)
                else:
                    rank = (coarse, 1, -float(values[i]), i)
                if best is None or rank < best[0]:
                    best = (rank, i)
        return None if best is None else best[1]

    def local(self) -> None:
        """Additive relations: no lone suppressed cell, sensitive cells locally k wide."""
        problem, values, k = self.problem, self.problem.values, self.k
        queue = [r for r in range(len(problem.relations)) if problem.relations[r].additive]
        pending = set(queue)
        while queue:
            r = queue.pop()
            pending.discard(r)
            relation = problem.relations[r]
            hidden = [i for i in problem.members(r) if self.suppressed[i]]
            if not hidden:
                continue
            need = 0.0
            if len(hidden) == 1:
                need = k if self.primary[hidden[0]] else 0.0
            elif not self.suppressed[relation.parent] and any(self.primary[i] for i in hidden):
                # children x_i ≥ 1 summing to a known residual R: each lies in [1, R − n + 1].
                residual = values[relation.parent] - sum(
                    values[c] for c in relation.children if not self.suppressed[c]
                )
                width = residual - len(hidden)
                if width >= k:
                    continue
                need = k - width
            else:
                continue
            chosen = self.choose([r], need)
            if chosen is None:
                continue  # nothing left to hide here: the linear programs decide
            self.suppressed[chosen] = True
            for other in problem.member_of[chosen]:
                if other not in pending and problem.relations[other].additive:
                    pending.add(other)
                    queue.append(other)
            if r not in pending:
                pending.add(r)
                queue.append(r)

    def run(self) -> None:
        problem = self.problem
        self.local()
        check = [int(i) for i in np.flatnonzero(self.primary)]
        while check:
            exposed, lps = _attack_cells(problem, self.suppressed, check, self.k)
            self.lp_count += lps
            touched: set[int] = set()  # relations given a new suppressed cell this round
            for i, (low, high, binding) in sorted(exposed.items()):
                if binding & touched:
                    continue  # already loosened: attacked again next round
                need = self.k - (high - low)
                chosen = self.choose(sorted(binding), need)
                if chosen is None:
                    near = {r for j in self._component(i) for r in problem.member_of[j]}
                    chosen = self.choose(sorted(near), need)
                if chosen is None:
                    raise RuntimeError(f"no cell left to hide to protect {problem.keys[i]}")
                self.suppressed[chosen] = True
                touched.update(problem.member_of[chosen])
            self.local()
            check = sorted(exposed)

    def _component(self, i: int) -> set[int]:
        problem, seen, stack = self.problem, {i}, [i]
        while stack:
            j = stack.pop()
            for r in problem.member_of[j]:
                for m in problem.members(r):
                    if self.suppressed[m] and m not in seen:
                        seen.add(m)
                        stack.append(m)
        return seen

    def release(self, budget: int) -> None:
        """Give back secondary cells, largest first, while the audit stays clean.

        At most about *budget* linear programs (a trial started is finished).
        """
        problem, spent = self.problem, 0
        secondary = np.flatnonzero(self.suppressed & ~self.primary)
        for i in sorted(secondary, key=lambda i: (-problem.values[i], i)):
            if spent >= budget:
                break
            self.suppressed[i] = False
            if not self._locally_safe(i):
                self.suppressed[i] = True
                continue
            # The nearest first: the likeliest to be exposed; stop at the first exposed.
            targets = [j for j in self._component_near(i) if self.primary[j]]
            exposed, lps = _attack_cells(problem, self.suppressed, targets, self.k, first=True)
            self.lp_count += lps
            spent += lps
            if exposed:
                self.suppressed[i] = True

    def _locally_safe(self, i: int) -> bool:
        """The necessary conditions of :meth:`local` in the relations of *i*."""
        problem, values = self.problem, self.problem.values
        for r in problem.member_of[i]:
            relation = problem.relations[r]
            if not relation.additive:
                continue
            hidden = [j for j in problem.members(r) if self.suppressed[j]]
            if not any(self.primary[j] for j in hidden):
                continue
            if len(hidden) == 1:
                return False
            if not self.suppressed[relation.parent]:
                residual = values[relation.parent] - sum(
                    values[c] for c in relation.children if not self.suppressed[c]
                )
                if residual - len(hidden) < self.k:
                    return False
        return True

    def _component_near(self, i: int) -> list[int]:
        """The suppressed cells linked to *i* (itself published again), nearest first."""
        problem = self.problem
        order: list[int] = []
        seen = {i}
        frontier = [i]
        while frontier:
            following = []
            for j in frontier:
                for r in problem.member_of[j]:
                    for m in problem.members(r):
                        if self.suppressed[m] and m not in seen:
                            seen.add(m)
                            order.append(m)
                            following.append(m)
            frontier = following
        return order


def protect(
    counts: dict[Key, int],
    k: int = 5,
    additive: bool | Collection[str] = True,
    release_lps: int = RELEASE_LPS,
) -> Protection:
    """Primary and secondary suppression of every cell of one indicator and period.

    The result passes :func:`audit` with the same ``k`` and ``additive``.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    problem = _Problem(counts, additive)
    suppressor = _Suppressor(problem, k)
    suppressor.run()
    if release_lps > 0:
        suppressor.release(release_lps)
    return _result(problem, suppressor)


def masked(counts: dict[Key, int], protection: Protection) -> dict[Key, int | None]:
    """The cells to publish: a suppressed one is ``None`` (shown empty with a mark, never 0)."""
    return {key: None if key in protection.suppressed else value for key, value in counts.items()}


def _result(problem: _Problem, suppressor: _Suppressor) -> Protection:
    keys, values = problem.keys, problem.values
    primary = frozenset(keys[i] for i in np.flatnonzero(suppressor.primary))
    suppressed = frozenset(keys[i] for i in np.flatnonzero(suppressor.suppressed))
    return Protection(
        suppressed=suppressed,
        primary=primary,
        secondary=suppressed - primary,
        hidden_cells=len(suppressed),
        hidden_total=int(values[suppressor.suppressed].sum()),
        published_total=int(values.sum()),
        linear_programs=suppressor.lp_count,
    )
