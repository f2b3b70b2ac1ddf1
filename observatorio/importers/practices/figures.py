"""What every reader of the panoramas uses: logical lines, groups of figures, periods."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from observatorio.lib.text import squash

from .layout import BODY, Doc
from .records import PanoramaFigure

_MONTH_PERIOD = re.compile(
    r"\bentre\s+(enero|febrero|marzo)\s+y\s+(\w+)(?:\s+de)?(?:\s+(20\d\d))?", re.IGNORECASE
)


@dataclass
class Logical:
    """A statement as printed over wrapped lines: its text and where each line starts in it."""

    text: str
    segments: list[tuple[int, int]]  # (offset in text, 0-based line)

    def line_at(self, offset: int) -> int:
        """Return the 1-based line that prints the character at *offset* of the text."""
        line = self.segments[0][1]
        for start, index in self.segments:
            if start <= offset:
                line = index
        return line + 1


@dataclass(frozen=True)
class Span:
    """The part of a logical line a rule reads: its text starts at *offset* of the line's."""

    line: Logical
    offset: int
    text: str

    def tail(self, start: int, end: int | None = None) -> Span:
        """Return the part of this span's text from *start* (to *end*)."""
        return Span(self.line, self.offset + start, self.text[start:end])

    def line_at(self, at: int) -> int:
        """Return the 1-based line that prints the character at *at* of this span's text."""
        return self.line.line_at(self.offset + at)


@dataclass
class Group:
    """Figures that must add up: to their total ("count"), to 100 % or to at most 100 %."""

    kind: str  # "count" (parts add to total), "partition" (shares add to 100), "partial" (<= 100)
    total: PanoramaFigure | None = None
    parts: list[PanoramaFigure] = field(default_factory=list)


def _continues(previous: str, following: str) -> bool:
    if following.startswith("•") or re.match(r"\d+\.\s", following):
        return False
    if previous.endswith(":"):
        return False
    if following[:1].islower() or previous.endswith(","):
        return True
    if re.match(r"^[A-ZÁÉÍÓÚ][^:]{0,60}:\s*(?:\d|$)", following):
        return False  # "Venezuela: 5 236" or "Población nacida en otros países: 62 817"
    if len(previous) < 60 or previous.endswith((".", ";")):
        # Short lines are list items or table labels; they wrap only before lower case.
        return False
    # A long line cut at the page width continues on the next one.
    return len(previous) >= 90 or bool(re.search(r"(?<![\w.])[a-záéíóúñü]+$", previous))


def logical_lines(doc: Doc, start: int, end: int) -> list[Logical]:
    result: list[Logical] = []
    current: Logical | None = None
    for i in range(start, end):
        if doc.kinds[i] != BODY:
            current = None
            continue
        text = squash(doc.lines[i])
        if current is not None and _continues(current.text, text):
            current.segments.append((len(current.text) + 1, i))
            current.text = f"{current.text} {text}"
        else:
            current = Logical(text, [(0, i)])
            result.append(current)
    return result


def period_between(text: str) -> str:
    match = _MONTH_PERIOD.search(text)
    if not match:
        return ""
    first, last, year = match.groups()
    return f"{first} a {last}" + (f" de {year}" if year else "")


def check_group(group: Group) -> None:
    parts = [part for part in group.parts if part.value is not None]
    if not parts:
        return
    total = sum((part.value for part in parts), Decimal(0))
    flagged: list[PanoramaFigure] = []
    if group.kind == "count" and group.total is not None and group.total.value is not None:
        if len(parts) >= 2 and total != group.total.value:
            flagged = [group.total, *group.parts]
            flag = "parts_do_not_add_up"
    elif group.kind == "partition" and len(parts) >= 2:
        if abs(total - 100) > Decimal("0.5"):
            flagged, flag = list(group.parts), "shares_do_not_add_up"
    elif group.kind == "partial" and total > Decimal("100.5"):
        flagged, flag = list(group.parts), "shares_do_not_add_up"
    for figure in flagged:
        if flag not in figure.flags:
            figure.flags.append(flag)
