"""What the study parser returns, and the facts about the study it checks against."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

CRITERIA = ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
CRITERIA_LABELS = {
    "sostenibilidad": "Sostenibilidad",
    "asociacion": "Asociación",
    "innovacion": "Innovación",
    "replicabilidad": "Replicabilidad",
    "eficacia": "Eficacia",
}
REGIONS = ("Norte", "Occidente", "Centro", "Sur-Sureste")
# Names as the study spells them in its list of selected states.
STATES = (
    ("Baja California", "Norte"),
    ("Chihuahua", "Norte"),
    ("Durango", "Norte"),
    ("Jalisco", "Occidente"),
    ("Michoacán", "Occidente"),
    ("San Luis Potosí", "Occidente"),
    ("Ciudad de México", "Centro"),
    ("Estado de México", "Centro"),
    ("Puebla", "Centro"),
    ("Oaxaca", "Sur-Sureste"),
    ("Veracruz", "Sur-Sureste"),
    ("Yucatán", "Sur-Sureste"),
)
REGION_OF_STATE = dict(STATES)
EXPECTED_PRACTICES = 44
QUALIFYING_MINIMUM = 3


class PracticesFormatError(ValueError):
    """The text is not a readable copy of the study; the message is in Spanish."""


@dataclass
class ParsedPractice:
    state: str
    region: str
    number: int
    title: str
    institution: str
    dimension: str
    target_population: str
    description: str
    criteria: dict[str, bool | None]
    justifications: dict[str, str | None]
    justification_text: str
    justifications_separated: bool
    line: int
    end_line: int
    warnings: list[str] = field(default_factory=list)

    @property
    def qualification(self) -> str:
        """Return "cumple", "no_cumple" or "indeterminada" (3 of 5 criteria needed)."""
        passed = sum(1 for value in self.criteria.values() if value is True)
        unknown = sum(1 for value in self.criteria.values() if value is None)
        if passed >= QUALIFYING_MINIMUM:
            return "cumple"
        if passed + unknown < QUALIFYING_MINIMUM:
            return "no_cumple"
        return "indeterminada"


@dataclass
class PanoramaFigure:
    scope: str
    scope_kind: str
    indicator: str
    value: Decimal | None
    value_as_printed: str
    unit: str
    period: str
    source_cited: str
    line: int
    footnote: int | None
    flags: list[str] = field(default_factory=list)


@dataclass
class PracticesParse:
    practices: list[ParsedPractice]
    figures: list[PanoramaFigure]
    warnings: list[tuple[int, str]]  # anomalies of the document, kept for the record
    # Signs that the text is not the whole study (truncated, sections missing):
    # an import must refuse to commit when there is any.
    incomplete: list[tuple[int, str]] = field(default_factory=list)
