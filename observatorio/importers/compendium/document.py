"""Parse a whole compendium: its parts and objectives, headings, annexes, signs of truncation."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from observatorio.lib.text import fold

from .annexes import glossary, participating_states
from .lines import NOTE, Lines
from .programs import Candidate, build_program, choose, find_candidates
from .records import (
    FEDERAL,
    OBJECTIVE_COUNT,
    STATE,
    CompendiumFormatError,
    CompendiumParse,
    ObjectiveHeading,
    ParsedProgram,
)


@dataclass
class _Numbering:
    programs: list[ParsedProgram]
    empty: dict[str, list[int]]  # objectives with a "no activities" note, per part
    # (line, part, objective) of every program and empty-objective note, to check
    # where the late headings fall.
    positions: list[tuple[int, str, int]]
    state_start: int | None  # the line where the state part starts


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    bad = sum(
        1 for ch in sample if ch == "\ufffd" or (not ch.isprintable() and ch not in "\n\r\t\f\v")
    )
    return bad > max(10, len(sample) // 20)


def parse_compendium(text: str, *, state_names: Iterable[str]) -> CompendiumParse:
    """Parse the compendium text into programs, headings, annexes and warnings.

    Raise :class:`CompendiumFormatError` when the text is empty, binary or not a
    compendium; a truncated compendium is parsed and its gaps reported in ``warnings``.
    """
    if not isinstance(text, str) or not text.strip():
        raise CompendiumFormatError("El texto del compendio está vacío.")
    if _looks_binary(text):
        raise CompendiumFormatError(
            "El archivo parece binario, no texto: contiene bytes nulos o caracteres no imprimibles."
        )
    doc = Lines(text, state_names)
    chosen = choose(doc, find_candidates(doc))
    if not any(c.owns_blocks for c in chosen):
        raise CompendiumFormatError(
            "El texto no parece un compendio de programas: no hay títulos numerados con "
            "la institución entre paréntesis seguidos de bloques «Resultados» y «Retos»."
        )
    numbering = _number(doc, chosen)
    headings = _objective_headings(doc, numbering)
    _check_document(doc, numbering, headings)
    states = participating_states(doc)
    entries = glossary(doc)
    doc.warnings.sort(key=lambda item: item[0])
    return CompendiumParse(
        programs=numbering.programs,
        headings=headings,
        empty_objectives=numbering.empty,
        participating_states=states,
        glossary=entries,
        warnings=doc.warnings,
    )


def _number(doc: Lines, chosen: list[Candidate]) -> _Numbering:
    """Give every chosen title its part and objective, and every empty-objective note its objective.

    Each objective restarts the numbering at 1; the state part starts where it restarts
    with a state as the actor.
    """
    notes = [i for i in range(doc.limit) if doc.kind[i] == NOTE]
    stops = sorted({c.index for c in chosen} | set(notes))

    programs: list[ParsedProgram] = []
    empty: dict[str, list[int]] = {FEDERAL: [], STATE: []}
    # (line, section, objective) of every program and empty-objective note,
    # to check where the late headings fall.
    positions: list[tuple[int, str, int]] = []
    section = FEDERAL
    objective = 0
    note_pos = 0
    state_start: int | None = None

    def close_empty(note: int) -> None:
        nonlocal objective
        objective += 1
        empty[section].append(objective)
        positions.append((note, section, objective))

    for cand in chosen:
        skipped: list[int] = []
        while note_pos < len(notes) and notes[note_pos] < cand.index:
            skipped.append(notes[note_pos])
            note_pos += 1
        if cand.number == 1:
            if section == FEDERAL and fold(cand.actor) in doc.states:
                # Notes before the switch close the federal part first.
                while skipped and objective < OBJECTIVE_COUNT:
                    close_empty(skipped.pop(0))
                if objective < OBJECTIVE_COUNT:
                    doc.warnings.append(
                        (
                            cand.index + 1,
                            f"La parte estatal empieza tras el objetivo federal {objective}; "
                            f"se esperaban {OBJECTIVE_COUNT}.",
                        )
                    )
                section, objective, state_start = STATE, 0, cand.index
            for note in skipped:
                close_empty(note)
            objective += 1
            if objective > OBJECTIVE_COUNT:
                doc.warnings.append(
                    (
                        cand.index + 1,
                        f"La numeración reinicia más veces que los {OBJECTIVE_COUNT} "
                        f"objetivos (objetivo {objective}).",
                    )
                )
        else:
            for note in skipped:
                doc.warnings.append(
                    (note + 1, "Nota de objetivo sin actividades en medio de la numeración.")
                )
        k = bisect.bisect_right(stops, cand.index)
        stop = stops[k] if k < len(stops) else doc.limit
        programs.append(build_program(doc, cand, stop, section, objective))
        positions.append((cand.index, section, objective))
    for note in notes[note_pos:]:
        close_empty(note)

    return _Numbering(programs, empty, positions, state_start)


def _objective_headings(doc: Lines, numbering: _Numbering) -> list[ObjectiveHeading]:
    """File each heading under the section of the programs around it and check its number."""
    positions = sorted(numbering.positions)
    starts = [line for line, _, _ in positions]
    headings: list[ObjectiveHeading] = []
    federal_numbers: set[int] = set()
    for block in doc.headings:
        k = bisect.bisect_right(starts, block.start) - 1
        current = positions[k] if k >= 0 else None
        section = current[1] if current else FEDERAL
        if (
            section == FEDERAL
            and numbering.state_start is not None
            and block.number in federal_numbers
        ):
            section = STATE  # the state part's heading printed before its programs
        if section == FEDERAL:
            federal_numbers.add(block.number)
        headings.append(ObjectiveHeading(section, block.number, block.title, block.start + 1))
        # Headings come late (after one or two programs, or in pairs), never
        # far from their objective: a larger distance means a lost restart.
        if current and current[1] == section:
            objective = current[2]
            if not objective - 2 <= block.number <= objective + 1:
                doc.warnings.append(
                    (
                        block.start + 1,
                        f"El encabezado del objetivo {block.number} aparece junto a programas "
                        f"del objetivo {objective}: revise la numeración.",
                    )
                )
    return headings


def _check_document(doc: Lines, numbering: _Numbering, headings: list[ObjectiveHeading]) -> None:
    """Warn about what a whole compendium has and this text lacks (signs of truncation)."""
    programs, empty = numbering.programs, numbering.empty
    end = len(doc.lines)
    sections = [FEDERAL]
    if numbering.state_start is None:
        doc.warnings.append(
            (end, "No se encontró la parte estatal (programas con una entidad como actor).")
        )
    else:
        sections.append(STATE)
    for section in sections:
        with_programs = {p.objective for p in programs if p.section == section}
        missing = [
            n
            for n in range(1, OBJECTIVE_COUNT + 1)
            if n not in with_programs and n not in empty[section]
        ]
        if missing:
            listed = ", ".join(str(n) for n in missing)
            doc.warnings.append(
                (end, f"Parte {section}: objetivos sin programas ni nota: {listed}.")
            )
        printed = {h.number for h in headings if h.section == section}
        for number in sorted(with_programs - printed):
            first = next(p for p in programs if p.section == section and p.objective == number)
            doc.warnings.append(
                (first.line, f"Parte {section}: el objetivo {number} no tiene encabezado.")
            )
        seen: set[int] = set()
        for heading in headings:
            if heading.section == section and heading.number in seen:
                doc.warnings.append(
                    (heading.line, f"Encabezado del objetivo {heading.number} repetido.")
                )
            if heading.section == section:
                seen.add(heading.number)
    last = programs[-1]
    if last.results is None or last.challenges is None:
        doc.warnings.append(
            (
                last.line,
                "Al último programa le faltan bloques «Resultados» o «Retos»: "
                "el documento puede estar truncado.",
            )
        )
    if doc.annex is None:
        doc.warnings.append(
            (end, "No se encontraron los anexos: el documento puede estar truncado.")
        )
