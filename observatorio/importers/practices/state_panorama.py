"""Walk one state's panorama row by row: statements, lists, called notes, sources.

The rows are Población, Emigración, Inmigración, Estadísticas and Causas; a note a
statement calls may print a figure too, and a "Fuente:" line under a list cites the
figures above it. The statements are read by the rules of ``rules_people.py`` and
``rules_flows.py`` (every rule is tried on every line), the lists by ``rules_lists.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from observatorio.lib.text import fold

from . import rules_flows, rules_lists, rules_people
from .figures import Group, Logical, Span, logical_lines, period_between
from .layout import state_from_heading
from .numbers import NUM, PCT
from .records import PanoramaFigure

if TYPE_CHECKING:
    from .panorama import FigureExtractor

_ROW_LABEL = re.compile(
    r"^(?:(?P<poblacion>Población(?:\s+[Tt]otal)?)\s+(?=Cuenta)"
    r"|(?P<emigracion>Emigración)(?P<fn_e>\d{1,3})?(?=\s|$)"
    r"|(?P<inmigracion>Inmigración)(?P<fn_i>\d{1,3})?(?=\s|$)"
    r"|(?P<estadisticas>Estad[ií]sticas?(?=\d|\b)|Datos de la\b)"
    r"|(?P<causas>Causas de\b))\s*"
)

STATEMENT_RULES = (*rules_people.RULES, *rules_flows.RULES)


class StatePanorama:
    """Walk one state's panorama rows in order and apply the recognised statements."""

    def __init__(
        self,
        owner: FigureExtractor,
        name: str,
        start: int,
        end: int,
        defined: frozenset[int],
        known: frozenset[int],
    ) -> None:
        self.owner = owner
        self.name = name
        self.start = start
        self.end = end
        self.defined = defined
        self.known = known
        self.row = ""
        self.row_source = ""
        self.row_period = ""
        self.list_kind = ""
        self.list_group: Group | None = None
        self.country = ""
        self.row_just_opened = False
        self.row_serial = 0
        self.entries_total: PanoramaFigure | None = None
        self.current: list[PanoramaFigure] = []
        self.cbp_sectors: list[tuple[PanoramaFigure, PanoramaFigure]] = []
        self.row_of: dict[int, int] = {}
        self.fuente: list[tuple[int, int, str]] = []  # (line, row serial, source)

    # ----------------------------------------------------------------- plumbing

    def add(
        self,
        span: Span,
        at: int,
        indicator: str,
        printed: str,
        unit: str,
        *,
        about: str = "",
        period: str | None = None,
        flags: tuple[str, ...] = (),
        source: str = "",
        number_text: str | None = None,
    ) -> PanoramaFigure:
        """Add a figure printed at *at* in *span*'s text (*about*: the row it belongs in)."""
        flags = tuple(flags)
        if (self.row, about) in (("emigracion", "inmigracion"), ("inmigracion", "emigracion")):
            flags += ("labels_swapped",)
        if period is None:
            period = self.row_period
        elif period and not self.row_period and self.row == "estadisticas":
            # "Durante el periodo de referencia": the panel's later statements share
            # the period its first statement prints.
            self.row_period = period
        figure = self.owner.add(
            scope=self.name,
            scope_kind="estado",
            indicator=indicator,
            printed=printed,
            unit=unit,
            period=period,
            line=span.line_at(at),
            known=self.known,
            source=source or self.row_source,
            flags=flags,
            number_text=number_text,
        )
        self.current.append(figure)
        self.row_of[id(figure)] = self.row_serial
        return figure

    def group(self, kind: str, total: PanoramaFigure | None = None) -> Group:
        group = Group(kind, total)
        self.owner.groups.append(group)
        return group

    def run(self) -> None:
        doc = self.owner.doc
        logicals = logical_lines(doc, self.start, self.end)
        index = 0
        while index < len(logicals):
            ll = logicals[index]
            index += 1
            text = ll.text
            if re.match(r"^(Nombre(\s+del estado)?|del estado)\b", text) or (
                state_from_heading(text) and len(text) < 30
            ):
                continue
            if text.startswith("Fuente:"):
                cited = text.split(":", 1)[1].strip().rstrip(".")
                self.fuente.append((ll.segments[0][1] + 1, self.row_serial, cited))
                continue
            match = _ROW_LABEL.match(text)
            content_offset = 0
            if match:
                label_text = text
                kind = next(
                    k
                    for k in ("poblacion", "emigracion", "inmigracion", "estadisticas", "causas")
                    if match.group(k)
                )
                if kind in ("estadisticas", "causas"):
                    while (
                        index < len(logicals)
                        and len(logicals[index].text) <= 30
                        and not logicals[index].text.startswith("•")
                        and not re.match(r"\d+\.\s", logicals[index].text)
                    ):
                        label_text = f"{label_text} {logicals[index].text}"
                        index += 1
                    content_offset = len(text)
                else:
                    content_offset = match.end()
                self.start_row(kind, label_text, match)
                if content_offset >= len(text):
                    continue
            self.current = []
            body = text[content_offset:]
            strip = re.match(r"^(?:•\s*|\d+\.\s+)", body)
            if strip:
                content_offset += strip.end()
            self.apply(Span(ll, content_offset, text[content_offset:]))
            self.assign_trailing_footnote(ll)
            for figure in self.current:
                if figure.footnote is not None:
                    self.national_from_footnote(figure.footnote)
        self.after()

    def start_row(self, kind: str, label_text: str, match: re.Match) -> None:
        if kind in ("emigracion", "inmigracion") and self.row in ("emigracion", "inmigracion"):
            if self.row != kind and self.row_just_opened:
                kind = "ambas"
        self.row = kind
        self.row_serial += 1
        self.row_just_opened = True
        self.list_kind = ""
        self.row_source = ""
        self.row_period = ""
        footnote = None
        glued = match.group("fn_e") or match.group("fn_i")
        if glued and int(glued) in self.defined:
            footnote = int(glued)
        year_glued = re.search(r"\b(20[0-2]\d)(\d{1,3})\b", label_text)
        if year_glued and int(year_glued.group(2)) in self.defined:
            footnote = int(year_glued.group(2))
            label_text = label_text.replace(year_glued.group(0), year_glued.group(1))
        word_glued = re.search(r"(?:[^\W\d_]|\.)(\d{1,3})\s*$", label_text)
        if word_glued and int(word_glued.group(1)) in self.defined:
            footnote = int(word_glued.group(1))
        if footnote is not None:
            self.row_source = self.owner.citations.get(footnote, "")
        if not self.row_source and "UPMRIP" in label_text:
            self.row_source = "UPMRIP"
        period = re.search(r"(enero\s+a\s+\w+)\s+((?:de\s+)?20\d\d)", label_text)
        if period:
            self.row_period = f"{period.group(1)} {period.group(2)}"

    def assign_trailing_footnote(self, ll: Logical) -> None:
        match = re.search(r"(?:(?<=[^\W\d_])|(?<=[.)]))\s?(\d{1,3})\.?\s*$", ll.text)
        if not match or int(match.group(1)) not in self.defined:
            return
        number = int(match.group(1))
        sentence_start = ll.text.rfind(". ", 0, match.start()) + 1
        citation = self.owner.citations.get(number, "")
        for figure in self.current:
            if figure.footnote is not None or figure.line < ll.line_at(sentence_start):
                continue
            figure.footnote = number
            if citation:
                figure.source_cited = citation
        self.national_from_footnote(number)

    def national_from_footnote(self, number: int) -> None:
        """Read the figure a called note prints (a national total, a share, a municipality)."""
        if number in self.owner.notes_read or number not in self.defined:
            return
        self.owner.notes_read.add(number)
        index, text = self.owner.doc.footnotes[number]
        referencing = [
            f for f in self.owner.figures if f.footnote == number and f.scope == self.name
        ]
        share = re.search(PCT + r"\s+del total de (?:entradas|registros)", text)
        if share:
            figure = self.owner.add(
                scope=self.name,
                scope_kind="estado",
                indicator="Entradas registradas, porcentaje del total nacional",
                printed=share.group(0).split("%")[0] + "%",
                number_text=share.group(1),
                unit="%",
                period=self.row_period,
                line=self.owner.note_line(index, share.group(0)),
                source=self.row_source,
                flags=(f"in_footnote_{number}",),
            )
            self.owner.share_checks.append((figure, self.entries_total))
            return
        located = re.match(r"^" + NUM + r"\s+ocurrieron en el municipio de\s+(.+?)\.?$", text)
        if located and referencing:
            self.owner.add(
                scope=self.name,
                scope_kind="estado",
                indicator=f"{referencing[0].indicator}, municipio de {located.group(2)}",
                printed=located.group(1),
                unit=referencing[0].unit,
                period=referencing[0].period,
                line=self.owner.note_line(index, located.group(1)),
                source=referencing[0].source_cited,
                flags=(f"in_footnote_{number}",),
            )
            return
        national = re.search(r"(?:^|:\s*)" + NUM + r"(?=\s|\.?$)", text)
        if not national or not (
            "en el país" in text
            or "total de entradas" in fold(text)
            or "registros" in text
            or "entradas fueron registradas" in text
        ):
            return
        if "entradas" in text or "registros" in text:
            indicator = "Entradas registradas"
        elif referencing:
            indicator = referencing[0].indicator
        else:
            return
        period = period_between(text) or (
            "enero a junio 2021" if "enero a junio 2021" in text else ""
        )
        if not period and referencing:
            period = referencing[0].period
        figure = self.owner.add(
            scope="México",
            scope_kind="nacional",
            indicator=indicator,
            printed=national.group(1),
            unit="entradas" if indicator == "Entradas registradas" else referencing[0].unit,
            period=period,
            line=self.owner.note_line(index, national.group(1)),
            source=self.row_source,
            flags=(f"in_footnote_{number}",),
        )
        if indicator == "Entradas registradas" and self.owner.national_entries is None:
            self.owner.national_entries = figure.value

    # ----------------------------------------------------------------- statements

    def apply(self, span: Span) -> None:
        """Try every statement rule on *span*; a line none recognises may be a list's."""
        matched = False
        for rule in STATEMENT_RULES:
            matched = rule(self, span) or matched
        if not matched and not rules_lists.list_intro(self, span.text):
            rules_lists.list_item(self, span)
        self.row_just_opened = False

    def count_parts(self, total, span: Span, match: re.Match, parts, unit: str, **kw) -> Group:
        """Add the parts of *total* that *match* found, as a group that must add up to it.

        *parts* lists (group of the match, indicator) in the order they are printed.
        """
        group = self.group("count", total)
        for index, indicator in parts:
            group.parts.append(self.number(span, match, index, indicator, unit, **kw))
        return group

    def number(self, span: Span, match: re.Match, group, indicator: str, unit: str, **kw):
        """Add the number that *match* (over *span*'s text) found in *group*."""
        return self.add(span, match.start(group), indicator, match.group(group), unit, **kw)

    def pct(self, span: Span, match: re.Match, group, indicator: str, **kw) -> PanoramaFigure:
        """Add the share that *match* found in *group*, printed up to its "%" sign."""
        start = match.start(group)
        end = span.text.find("%", start)
        printed = span.text[start : end + 1] if end >= 0 else match.group(group)
        return self.add(span, start, indicator, printed, "%", number_text=match.group(group), **kw)

    # ----------------------------------------------------------------- end of the panorama

    def after(self) -> None:
        # A "Fuente:" line under a list cites the figures printed above it in its row.
        for figure in self.owner.figures:
            serial = self.row_of.get(id(figure))
            if figure.source_cited or serial is None:
                continue
            later = [c for line, row, c in self.fuente if row == serial and line > figure.line]
            if later:
                figure.source_cited = later[0]
        presented = [
            figure
            for figure in self.owner.figures
            if figure.scope == self.name
            and figure.indicator == "Extranjeros presentados ante la autoridad migratoria"
        ]
        if len({figure.value for figure in presented}) > 1:
            for figure in presented:
                figure.flags.append("conflicting_values")
            self.owner.warnings.append(
                (
                    presented[0].line,
                    f"{self.name}: el panorama da cifras distintas de extranjeros presentados "
                    f"({', '.join(f.value_as_printed for f in presented)})",
                )
            )
