"""Sets of numbered records as Python ints (bit *i* = record *i*), and maps between numberings.

Python ints are arbitrary-precision bit strings whose ``&``, ``|``, shifts and
``bit_count()`` run in C: at 52,000 records a set is 6.5 kB and an
intersection plus a count takes a few microseconds. The search index numbers
its entries in ``sort_key`` order and the facet index numbers the published
programs in compendium order; :class:`Renumbering` carries a set from one
numbering to the other with a handful of shifts, because the two orders agree
on long runs (here, everything but the order of the cycles).
"""

from __future__ import annotations

from itertools import compress

_ZERO_ONE = bytes.maketrans(b"01", b"\x00\x01")
#: Above this many runs a renumbering maps element by element instead of run by run.
MAX_RUNS = 256


def bitset(positions, size: int) -> int:
    """The set of *positions* (each in ``range(size)``)."""
    if not size:
        return 0
    digits = bytearray(b"0") * size
    for position in positions:
        digits[size - 1 - position] = 49  # "1"; the last digit is bit 0
    return int(digits, 2)


def column_bitsets(column) -> dict:
    """For each distinct value of *column* (a sequence), the set of positions holding it.

    With at most 256 distinct values (parts, cycles, objectives, states) each set is made
    by one ``bytes.translate`` of the column's codes: no Python loop per position.
    """
    size = len(column)
    distinct = list(dict.fromkeys(column))
    if len(distinct) > 256:
        positions: dict = {}
        for i, value in enumerate(column):
            positions.setdefault(value, []).append(i)
        return {value: bitset(found, size) for value, found in positions.items()}
    code = {value: c for c, value in enumerate(distinct)}
    codes = bytes(map(code.__getitem__, reversed(column)))  # the last digit is bit 0
    sets = {}
    for value, c in code.items():
        table = bytearray(b"0") * 256
        table[c] = 49  # "1"
        sets[value] = int(codes.translate(table), 2)
    return sets


def selection(mask: int, size: int) -> bytes:
    """One byte per position, 1 where *mask* has the bit (for ``itertools.compress``)."""
    if not size:
        return b""
    return format(mask, f"0{size}b")[::-1].encode("ascii").translate(_ZERO_ONE)


def members(mask: int, size: int) -> list[int]:
    """The positions in *mask*, ascending."""
    return list(compress(range(size), selection(mask, size)))


class Renumbering:
    """A one-to-one map between some positions of two numberings, applied to whole sets."""

    def __init__(self, pairs, source_size: int, target_size: int, max_runs: int = MAX_RUNS):
        pairs = sorted(pairs)
        self.source_size, self.target_size = source_size, target_size
        runs: list[list[int]] = []  # [source start, target start, length]
        for source, target in pairs:
            last = runs[-1] if runs else None
            if last and source == last[0] + last[2] and target == last[1] + last[2]:
                last[2] += 1
            else:
                runs.append([source, target, 1])
        self.runs = [(s, t, n, (1 << n) - 1) for s, t, n in runs]
        self._forward = self._backward = None
        if len(self.runs) > max_runs:
            self._forward = dict(pairs)
            self._backward = {target: source for source, target in pairs}

    def forward(self, mask: int) -> int:
        """The set *mask* (source numbering) in the target numbering; unmapped bits are lost."""
        return self._map(mask, self._forward, self.source_size, self.target_size, 0)

    def backward(self, mask: int) -> int:
        """The set *mask* (target numbering) in the source numbering; unmapped bits are lost."""
        return self._map(mask, self._backward, self.target_size, self.source_size, 1)

    def _map(self, mask: int, mapped: dict | None, size: int, out_size: int, side: int) -> int:
        """*mask* through the dict *mapped* if there is one, else through the runs, read from
        their source (``side`` 0) or their target (``side`` 1) start."""
        if mapped is not None:
            found = (mapped.get(p) for p in members(mask, size))
            return bitset((p for p in found if p is not None), out_size)
        out = 0
        for run in self.runs:
            start, to, ones = run[side], run[1 - side], run[3]
            out |= ((mask >> start) & ones) << to
        return out
