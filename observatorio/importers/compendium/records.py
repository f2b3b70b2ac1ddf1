"""What the compendium parser returns."""

from __future__ import annotations

from dataclasses import dataclass, field

FEDERAL = "federal"
STATE = "estatal"
OBJECTIVE_COUNT = 23


class CompendiumFormatError(ValueError):
    """Raised when the text is not a compendium at all (empty, binary, another document)."""


@dataclass
class ParsedProgram:
    section: str
    objective: int
    number: int
    title: str
    actor: str
    line: int
    end_line: int
    description: str
    results: str | None
    challenges: str | None
    challenges_none: bool
    results_none: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class ObjectiveHeading:
    section: str
    number: int
    title: str
    line: int


@dataclass
class GlossaryEntry:
    name: str
    acronym: str
    line: int


@dataclass
class CompendiumParse:
    programs: list[ParsedProgram]
    headings: list[ObjectiveHeading]
    empty_objectives: dict[str, list[int]]
    participating_states: list[str]
    glossary: list[GlossaryEntry]
    warnings: list[tuple[int, str]]
