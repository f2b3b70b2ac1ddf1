"""Parse the text extracted from the PDF of the "Compendio General 2022".

The compendium lists federal programs and then state programs, numbered 1..k
under each of the 23 objectives of the Global Compact for Migration, each with
a description and ``Resultados`` / ``Retos`` blocks, followed by two annexes
(participating states and a glossary of federal institutions).

The parser is pure Python (no Django) so the importer can run it, report and
decide before writing anything. Line numbers are 1-based, as editors show them.

The modules, from the bottom up: ``records`` (what the parser returns), ``lines``
(the kind of every line), ``programs`` (titles, descriptions, blocks),
``annexes`` and ``document`` (:func:`parse_compendium`). ``importing`` writes the
result to the database (import it explicitly: this package itself needs no Django).
"""

from .document import parse_compendium
from .records import (
    FEDERAL,
    OBJECTIVE_COUNT,
    STATE,
    CompendiumFormatError,
    CompendiumParse,
    GlossaryEntry,
    ObjectiveHeading,
    ParsedProgram,
)

__all__ = [
    "FEDERAL",
    "OBJECTIVE_COUNT",
    "STATE",
    "CompendiumFormatError",
    "CompendiumParse",
    "GlossaryEntry",
    "ObjectiveHeading",
    "ParsedProgram",
    "parse_compendium",
]
