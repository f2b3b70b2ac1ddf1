"""The indicators a publication prints: each with its latest published total, protected.

The compendium prints the national ones in «El ciclo en cifras», a state's factsheet its
own. The figures are those of every public output
(:func:`observatorio.indicators.published.for_state`): approved values with small cells
protected over every table of their period, so a reserved figure says «Reservado»
here as on the portal, never a number and never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatorio.indicators import published
from observatorio.lib.numbers import format_number
from observatorio.practices.flags import flag_label

RESERVED = "Reservado"
HEADER = ("Indicador", "Valor", "Periodo", "Fuente")
WIDTHS = (6.2, 2.8, 2.6, 5.3)


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    value: str  # with its unit, or «Reservado»
    period: str
    source: str
    notes: str  # preliminary, alerts
    k: int  # the smallest count published

    @property
    def reserved(self) -> bool:
        return self.value == RESERVED

    @property
    def row(self) -> tuple[str, str, str, str]:
        source = f"{self.source} {self.notes}".strip()
        return (self.name, self.value, self.period, source)


def note(lines: list[IndicatorLine]) -> str:
    """The caption under a table of indicators (and what «Reservado» means, if used)."""
    text = (
        "Último periodo publicado de cada indicador; sus desgloses, su metodología y sus "
        "series están en la sección de indicadores del portal."
    )
    reserved = sorted({line.k for line in lines if line.reserved})
    if reserved:
        text += (
            f" «{RESERVED}»: la cifra es menor que {reserved[0]}, o permitiría deducir otra "
            "que lo es; no se publica para proteger a las personas y no es un cero."
        )
    return text


def indicator_lines(state: str) -> list[IndicatorLine]:
    """The indicators with a published total for *state* (INEGI code; "" = national)."""
    lines = []
    for indicator, cell in published.for_state(state):
        value = RESERVED if cell.suppressed else f"{format_number(cell.value)} {indicator.unit}"
        period = f"{cell.period} ({cell.period_label})" if cell.period_label else str(cell.period)
        who = indicator.source_institution.acronym if indicator.source_institution else ""
        cited = cell.source_cited or indicator.source_note
        notes = ["Cifra preliminar."] if cell.status == "preliminar" else []
        notes += [f"{flag_label(code).rstrip('.')}." for code in cell.flags]
        lines.append(
            IndicatorLine(
                name=indicator.name_es,
                value=value,
                period=period,
                source=". ".join(part for part in (who, cited) if part),
                notes=" ".join(notes),
                k=indicator.min_cell,
            )
        )
    return lines
