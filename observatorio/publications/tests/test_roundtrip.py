"""The generated 2022 compendium reads back through the compendium importer, program for program."""

from __future__ import annotations

from collections import Counter

import pytest

from observatorio.lib.text import fold
from observatorio.publications import roundtrip

from .conftest import needs_poppler

pytestmark = pytest.mark.slow


def check_round_trip(text: str, generated) -> None:
    parsed = roundtrip.parse(text, generated.state_names)
    comparison = roundtrip.compare(generated.expected, parsed)
    assert comparison.compared == 346
    assert comparison.ok, (
        comparison.summary(),
        comparison.missing[:5],
        comparison.unexpected[:5],
        comparison.different[:5],
    )
    assert Counter(p.section for p in parsed.programs) == {"federal": 228, "estatal": 118}
    # The importer finds nothing wrong with the document: no gap, no stray heading,
    # no truncation, annexes complete.
    assert parsed.warnings == []
    assert parsed.empty_objectives == generated.empty == {"federal": [], "estatal": [11, 12, 13]}
    headings = [(h.section, h.number) for h in parsed.headings]
    assert headings == [(s, n) for s in ("federal", "estatal") for n in range(1, 24)]
    assert [fold(s) for s in parsed.participating_states] == [
        fold(s) for s in generated.participating_states
    ]
    assert len(parsed.participating_states) == 20
    assert [(g.name, g.acronym) for g in parsed.glossary] == generated.glossary


@needs_poppler
def test_the_pdf_gives_back_every_program_with_its_part_objective_number_title_and_actor(
    compendium_2022,
):
    check_round_trip(roundtrip.pdf_text(compendium_2022.pdf), compendium_2022)


def test_the_docx_gives_back_every_program_with_its_part_objective_number_title_and_actor(
    compendium_2022,
):
    check_round_trip(roundtrip.docx_text(compendium_2022.docx), compendium_2022)


def test_a_changed_title_is_caught_by_the_comparison(compendium_2022):
    # The comparison can fail: a program whose title differs is reported.
    text = roundtrip.docx_text(compendium_2022.docx).replace(
        "Cooperación con la OCDE (UPMRIP-SEGOB)", "Cooperación con la OCDE y otros (UPMRIP-SEGOB)"
    )
    comparison = roundtrip.compare(
        compendium_2022.expected, roundtrip.parse(text, compendium_2022.state_names)
    )
    assert [key for key, _, _ in comparison.different] == [("federal", 1, 2)]
    assert not comparison.ok
