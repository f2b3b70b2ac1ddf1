"""Read the figures the study's panoramas print: national, regional and per state.

Figures are taken only from statements whose wording is recognised (precision
over recall); each keeps its printed form, its line, the note glued to it and
flags, never a corrected value:

* reading: ``footnote_glued`` (``848l18``), ``footnote_inferred`` (``51530`` read
  as 515 and note 30 because note 30 is printed on that page and called nowhere
  else), ``ambiguous_number_format``, ``irregular_grouping``, ``mixed_separators``,
  ``decimal_comma``, ``space_in_decimal``, ``percent_sign_missing``,
  ``value_missing``, ``label_missing``, ``approximate``, ``in_footnote_<n>``;
* consistency: ``shares_do_not_add_up`` (shares of one whole far from 100 %, or
  partial shares above 100 %), ``parts_do_not_add_up`` (printed parts versus the
  printed total), ``share_inconsistent_with_total`` (a state's share of national
  entries versus the totals printed), ``labels_swapped`` (immigration data under
  "Emigración" and the reverse), ``wrong_state_in_text``, ``conflicting_values``,
  ``value_repeated_from_other_state``, ``period_differs_from_section``.

The national and regional statements are read here; a state's panorama is read
by :class:`~.state_panorama.StatePanorama` with the rules of ``rules_*.py``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from observatorio.lib.text import fold, squash

from .figures import Group, Logical, check_group, logical_lines
from .layout import BODY, Doc, StateSection
from .numbers import NUM, PCT, parse_number
from .records import PanoramaFigure
from .state_panorama import StatePanorama

_REGION_HEADING = re.compile(r"^\s*REGI[OÓ]N\s+(NORTE|OCCIDENTE|CENTRO|SUR-\s?SURESTE)\s*$")
_NATIONAL_HEADING = re.compile(r"^\s*PANORAMA MIGRATORIO EN MÉXICO\s*$")
_CALL = r"(\d{1,2})?"
_COUNT_UNITS = frozenset(
    {"personas", "eventos", "acciones", "encuentros", "internaciones", "entradas", "tarjetas"}
)
_CITATION_HINTS = (
    "inegi",
    "conapo",
    "unidad de politica migratoria",
    "upmrip",
    "boletin",
    "censo",
    "customs",
    "cbp",
    "anuario",
)
_INLINE_CITATION = re.compile(r"\(((?:CONAPO|BBVA|UPM|UNDESA|OIT|OIM|INEGI)\b[^)]*)\)")


def _sentence_at(text: str, position: int) -> str:
    start = text.rfind(". ", 0, position) + 1
    end = text.find(". ", position)
    return text[start : end if end >= 0 else len(text)]


class FigureExtractor:
    """Read the figures that the national, regional and state panoramas print."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.figures: list[PanoramaFigure] = []
        self.groups: list[Group] = []
        self.national_entries: Decimal | None = None
        self.share_checks: list[tuple[PanoramaFigure, PanoramaFigure | None]] = []
        self.notes_read: set[int] = set()
        self.warnings: list[tuple[int, str]] = []
        self.citations: dict[int, str] = {}
        for number in sorted(doc.footnotes):
            self.citations[number] = self._citation(number)

    # ----------------------------------------------------------------- helpers

    def _citation(self, number: int) -> str:
        text = self.doc.footnotes[number][1]
        if fold(text).startswith("idem"):
            previous = max((n for n in self.citations if n < number), default=None)
            return self.citations.get(previous, "") if previous is not None else ""
        if not any(hint in fold(text) for hint in _CITATION_HINTS):
            return ""
        if "consulte:" in text:
            text = text.split("consulte:", 1)[1]
        text = re.split(r"\s*[Dd]isponible en:", text)[0]
        text = re.sub(r"^Fuente:\s*", "", text)
        text = re.split(r"\.\s+Estos datos incluyen", text)[0]
        return text.strip().rstrip(".")

    def add(
        self,
        *,
        scope: str,
        scope_kind: str,
        indicator: str,
        printed: str,
        unit: str,
        period: str,
        line: int,
        known: frozenset[int] = frozenset(),
        source: str = "",
        flags: tuple[str, ...] = (),
        number_text: str | None = None,
    ) -> PanoramaFigure:
        value, footnote, number_flags = (
            parse_number(number_text if number_text is not None else printed, known_footnotes=known)
            if (number_text or printed).strip()
            else (None, None, ["value_missing"])
        )
        if unit in _COUNT_UNITS and value is not None and value == value.to_integral_value():
            # A head count cannot be 152.377 people: the comma groups thousands.
            number_flags = [f for f in number_flags if f != "ambiguous_number_format"]
        if footnote is not None and footnote in self.citations and self.citations[footnote]:
            source = self.citations[footnote]
        figure = PanoramaFigure(
            scope=scope,
            scope_kind=scope_kind,
            indicator=indicator,
            value=value,
            value_as_printed=squash(printed),
            unit=unit,
            period=period,
            source_cited=source,
            line=line,
            footnote=footnote,
            flags=list(dict.fromkeys([*number_flags, *flags])),
        )
        self.figures.append(figure)
        return figure

    # ----------------------------------------------------------------- national

    def national(self, start: int, end: int) -> None:
        logicals = logical_lines(self.doc, start, end)
        for ll in logicals:
            text = ll.text
            match = re.search(
                r"Alrededor de (\d+ millones) de mexicanas y mexicanos\s+vivían en el extranjero "
                r"en (\d{4})",
                text,
            )
            if match:
                self.add(
                    scope="México",
                    scope_kind="nacional",
                    indicator="Personas mexicanas que viven en el extranjero",
                    printed=match.group(1),
                    unit="personas",
                    period=match.group(2),
                    line=ll.line_at(match.start(1)),
                    source=self.inline_source(_sentence_at(text, match.start())),
                    flags=("approximate",),
                )
        # The census totals are printed in footnotes of this section and the next.
        for number, (index, text) in sorted(self.doc.footnotes.items()):
            if not start <= index < end + 160:
                continue
            for pattern, period in (
                (r"en (2010) se contaba con un registro de " + NUM + r" personas", None),
                (r"para (2020), esta cifra aumentó a " + NUM + r" personas", None),
                (
                    r"total nacional de personas nacidas en otro país que residen en México "
                    r"corresponde a " + NUM,
                    "2020",
                ),
            ):
                match = re.search(pattern, text)
                if not match:
                    continue
                groups = match.groups()
                printed = groups[-1]
                self.add(
                    scope="México",
                    scope_kind="nacional",
                    indicator="Población nacida en otro país",
                    printed=printed,
                    unit="personas",
                    period=period or groups[0],
                    line=self.note_line(index, printed),
                    source=self.citations.get(number, ""),
                    flags=(f"in_footnote_{number}",),
                )

    def note_line(self, index: int, printed: str) -> int:
        """Return the 1-based line of a note (def line or continuation) that prints *printed*."""
        wanted = squash(printed)
        for j in range(index, min(index + 6, len(self.doc.lines))):
            if wanted in squash(self.doc.lines[j]):
                return j + 1
        return index + 1

    def inline_source(self, text: str) -> str:
        match = _INLINE_CITATION.search(text)
        return match.group(1).strip() if match else ""

    # ----------------------------------------------------------------- regions

    # The regional statements, by indicator (_CALL: a footnote call glued to the share).
    _REGION_RULES = {
        "Población extranjera residente en México, porcentaje del total nacional": (
            r"personas extranjeras que residen en México \(" + PCT + _CALL + r"\)",
            r"el " + PCT + _CALL + r" de la población extranjera que reside en México",
        ),
        "Migración en tránsito irregular, porcentaje del total nacional": (
            r"tránsito irregular con el " + PCT + _CALL,
            r"y el " + PCT + _CALL + r" de la migración en tránsito irregular",
            r"concentra el " + PCT + _CALL + r" de este flujo",
        ),
        "Retorno de personas mexicanas desde Estados Unidos, porcentaje del total nacional": (
            r"retorno de personas migrantes mexicanas desde Estados Unidos en un " + PCT + _CALL,
            r"retornos de personas mexicanas, el cual alcanza el " + PCT + _CALL,
        ),
        "Emigración, porcentaje del total nacional": (
            r"concentrando el " + PCT + _CALL + r" del total nacional de emigraciones",
            r"participación de personas emigrantes \(" + PCT + _CALL + r"\)",
        ),
        "Emigración por búsqueda de trabajo, porcentaje en la región": (
            r"búsqueda de trabajo es la más destacada, con el porcentaje más alto en la región "
            r"correspondiente al " + PCT,
        ),
    }

    def region(self, name: str, start: int, end: int) -> None:
        logicals = logical_lines(self.doc, start, end)
        joined = Logical("", [])
        for ll in logicals:
            offset = len(joined.text) + (1 if joined.text else 0)
            joined.segments.extend((offset + s, index) for s, index in ll.segments)
            joined.text = f"{joined.text} {ll.text}" if joined.text else ll.text
        if not joined.segments:
            return
        text = joined.text
        for indicator, patterns in self._REGION_RULES.items():
            for match in (m for pattern in patterns for m in re.finditer(pattern, text)):
                footnote = match.group(2) if match.lastindex and match.lastindex >= 2 else None
                flags: list[str] = ["footnote_glued"] if footnote else []
                sentence_start = max(text.rfind(". ", 0, match.start()), 0)
                sentence = text[sentence_start : match.end()]
                following = re.match(
                    r"\s*(?:en México\s+)?entre (marzo de 2015) y (marzo de 20\d\d)(\d{1,2})?",
                    text[match.end() :],
                )
                period = ""
                if following:
                    period = f"{following.group(1)} a {following.group(2)}"
                    if following.group(3):
                        footnote = footnote or following.group(3)
                        flags.append("footnote_glued")
                elif "enero a junio 2021" in sentence:
                    period = "enero a junio 2021"
                source = self.inline_source(text[match.end() : match.end() + 40])
                if footnote and self.citations.get(int(footnote)):
                    source = self.citations[int(footnote)]
                figure = self.add(
                    scope=name,
                    scope_kind="region",
                    indicator=indicator,
                    printed=match.group(0)[match.start(1) - match.start(0) :].split("%")[0] + "%",
                    number_text=match.group(1),
                    unit="%",
                    period=period,
                    line=joined.line_at(match.start(1)),
                    source=source,
                    flags=tuple(flags),
                )
                if footnote:
                    figure.footnote = int(footnote)

    def check_regions(self) -> None:
        by_indicator: dict[str, list[PanoramaFigure]] = defaultdict(list)
        for figure in self.figures:
            if figure.scope_kind == "region" and "en la región" not in figure.indicator:
                by_indicator[figure.indicator].append(figure)
        for figures in by_indicator.values():
            self.groups.append(Group("partial", None, figures))

    # ----------------------------------------------------------------- states

    def state(self, name: str, start: int, end: int) -> None:
        doc = self.doc
        defined = {n for n, (index, _) in doc.footnotes.items() if start <= index < end}
        referenced: set[int] = set()
        for i in range(start, end):
            if doc.kinds[i] != BODY:
                continue
            raw = doc.lines[i]
            for match in re.finditer(r"(\d{1,3})(?!\d)", raw):
                before = raw[: match.start()]
                word_glued = re.search(r"[^\W\d_)]$|\)$", before) or re.search(
                    r"(?:[^\W\d_]|\))\.$", before
                )
                if word_glued and int(match.group(1)) in defined:
                    referenced.add(int(match.group(1)))
            for match in re.finditer(r"\b20[0-2]\d(\d{1,3})\b", raw):
                if int(match.group(1)) in defined:
                    referenced.add(int(match.group(1)))
        state = StatePanorama(
            self, name, start, end, frozenset(defined), frozenset(defined - referenced)
        )
        state.run()

    def check(self) -> None:
        for group in self.groups:
            check_group(group)
        for share, total in self.share_checks:
            if share.value is None or total is None or total.value is None:
                continue
            if not self.national_entries:
                continue
            expected = total.value / self.national_entries * 100
            decimals = re.search(r"[.,]\s?(\d+)", share.value_as_printed)
            tolerance = Decimal(1).scaleb(-len(decimals.group(1)) if decimals else 0)
            if abs(share.value - expected) > tolerance:
                share.flags.append("share_inconsistent_with_total")
                self.warnings.append(
                    (
                        share.line,
                        f"{share.scope}: {share.value_as_printed} del total nacional no "
                        f"corresponde a {total.value_as_printed} de {self.national_entries} "
                        f"entradas ({expected:.2f} %)",
                    )
                )
        counts: dict[tuple[str, Decimal], set[str]] = defaultdict(set)
        for figure in self.figures:
            if (
                figure.scope_kind == "estado"
                and figure.unit in _COUNT_UNITS
                and figure.value is not None
                and figure.value >= 1000
            ):
                counts[(figure.indicator, figure.value)].add(figure.scope)
        for figure in self.figures:
            if figure.scope_kind == "estado" and figure.value is not None:
                if len(counts.get((figure.indicator, figure.value), ())) > 1:
                    figure.flags.append("value_repeated_from_other_state")


def extract_figures(
    doc: Doc, sections: list[StateSection], warnings: list[tuple[int, str]]
) -> list[PanoramaFigure]:
    extractor = FigureExtractor(doc)
    lines = doc.lines
    first_state = sections[0].heading if sections else len(lines)
    national = next((i for i, line in enumerate(lines) if _NATIONAL_HEADING.match(line)), None)
    regions = [
        (i, _REGION_HEADING.match(line).group(1))
        for i, line in enumerate(lines[:first_state])
        if _REGION_HEADING.match(line)
    ]
    if national is not None:
        end = next(
            (
                i
                for i in range(national + 1, first_state)
                if re.match(r"^\s*(SOBRE LA COORDINACI|CONSIDERACIONES REGIONALES)", lines[i])
                or _REGION_HEADING.match(lines[i])
            ),
            first_state,
        )
        extractor.national(national, end)
    names = {"NORTE": "Norte", "OCCIDENTE": "Occidente", "CENTRO": "Centro"}
    for position, (index, raw_name) in enumerate(regions):
        end = regions[position + 1][0] if position + 1 < len(regions) else first_state
        name = names.get(raw_name, "Sur-Sureste")
        extractor.region(name, index + 1, end)
    for section in sections:
        stop = section.practices_start if section.practices_start is not None else section.end
        extractor.state(section.state, section.heading + 1, stop)
        _foreign_footnote_calls(doc, section, stop, warnings)
    extractor.check_regions()
    extractor.check()
    warnings.extend(extractor.warnings)
    return extractor.figures


def _foreign_footnote_calls(
    doc: Doc, section: StateSection, stop: int, warnings: list[tuple[int, str]]
) -> None:
    """Warn about note calls in a panorama whose notes are printed in another section."""
    defined_here = {n for n, (i, _) in doc.footnotes.items() if section.heading <= i < stop}
    reported: set[int] = set()
    for i in range(section.heading, stop):
        if doc.kinds[i] != BODY:
            continue
        for match in re.finditer(
            r"(?<=[^\W\d_])\.?(\d{1,3})\s*$|(?<=[^\W\d_])(\d{2})(?=\s)", doc.lines[i]
        ):
            number = int(match.group(1) or match.group(2))
            if number in defined_here or number in reported or number not in doc.footnotes:
                continue
            where = doc.footnotes[number][0] + 1
            if where - 1 < section.heading:
                reported.add(number)
                warnings.append(
                    (
                        i + 1,
                        f"{section.state}: la llamada a la nota {number} remite a una nota impresa "
                        f"en otra sección (línea {where})",
                    )
                )
