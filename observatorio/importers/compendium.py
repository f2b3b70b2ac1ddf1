"""Parse the text extracted from the PDF of the "Compendio General 2022".

The compendium lists federal programs and then state programs, numbered 1..k
under each of the 23 objectives of the Global Compact for Migration, each with
a description and ``Resultados`` / ``Retos`` blocks, followed by two annexes
(participating states and a glossary of federal institutions).

The parser is pure Python (no Django) so the importer can run it, report and
decide before writing anything. Line numbers are 1-based, as editors show them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from observatorio.lib.text import fold, squash

FEDERAL = "federal"
STATE = "estatal"
OBJECTIVE_COUNT = 23

# The longest title of the 2022 edition has five lines; a longer "title" is
# running text that happens to start with a number.
MAX_TITLE_LINES = 7
MAX_HEADING_CONTINUATIONS = 3
# A real program whose first title lacks both blocks still has a description;
# items of a numbered list are one or two lines each.
MIN_DESCRIPTION_LINES = 3
MAX_FOOTNOTE_LINES = 5


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


# --- line patterns -----------------------------------------------------------

_NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
_HEADING = re.compile(r"^\s*Objetivo\s+(\d{1,2})\s*\.\s*(.*?)\s*$")
# Footnote numbers get glued to the block heading ("Resultados4", "Retos2").
_BLOCK = re.compile(r"^\s*(Resultados|RESULTADOS|Retos|RETOS)\d{0,2}\s*([:.]?)\s*$")
_COMBINED_NONE = re.compile(
    r"^\s*No se reporta(?:ron|n)? resultados ni retos\.?\s*$", re.IGNORECASE
)
_EMPTY_OBJECTIVE = re.compile(
    r"^\s*No se reportaron actividades correspondientes a este objetivo\.?\s*$", re.IGNORECASE
)
# Section markers of the front matter printed over page text ("ii. Objetivos del PMM").
_ROMAN_MARKER = re.compile(r"^\s*(?:i{1,3}|iv|vi{0,3}|ix|x)\.\s+\S.{0,60}$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_ANNEX = re.compile(r"^\s*ANEXOS?\s*$")
_TITLE_END = re.compile(r"\)\s*\.?$")
# An institution printed without parentheses at the end of a title: an
# upper-case acronym, possibly joint ("... (DFI) UPMRIP-SEGOB").
_BARE_ACTOR = re.compile(r"\s([A-ZÁÉÍÓÚÑ]{2,}\d*(?:-[A-ZÁÉÍÓÚÑ]{2,}\d*)*)$")
_LONE_ACTOR = re.compile(r"^\s*\([^()]+\)\s*\.?\s*$")
_SENTENCE_END = re.compile(r"[.:;!?]$")
_HYPHEN_BREAK = re.compile(r"\w-$")
_GLUED_FOOTNOTE = re.compile(r"(?<=[^\W\d])\d{1,2}(?=\s|$)")
_FOOTNOTE_TEXT = re.compile(r"^\d{1,2} [A-ZÁÉÍÓÚ][a-záéíóúñ]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9./-]*$")

# "No challenges / no results reported" statements, matched on folded text.
_NONE_STATEMENT = re.compile(
    r"^(?:no se (?:reporta|reportan|reportaron|reporto|identificaron|presentaron)\b"
    r"|ningun[oa]?\b|sin (?:retos|resultados)\b|no aplica\b|n/a\b)"
)

_CONNECTORS = frozenset(
    "a al con contra de del e el en la las los o para por sobre u y y/o".split()
)

# Line kinds.
_TEXT, _BLANK, _LAYOUT, _RESULTS, _CHALLENGES, _COMBINED, _NOTE = range(7)


# --- small helpers -----------------------------------------------------------


def _is_blank(line: str) -> bool:
    return not line.strip()


def _join_lines(parts: Iterable[str]) -> str:
    """Join wrapped lines with a space, or with nothing after a hyphen that ends a line."""
    out = ""
    for part in parts:
        part = squash(part)
        if not part:
            continue
        if not out:
            out = part
        elif _HYPHEN_BREAK.search(out):
            out += part
        else:
            out += " " + part
    return out


def _split_actor(text: str) -> tuple[str, str] | None:
    """Split ``title (actor)`` at the balanced parenthesised group that ends the text."""
    stripped = text.rstrip(" .")
    if not stripped.endswith(")"):
        return None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        char = stripped[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                actor = squash(stripped[index + 1 : -1])
                return (squash(stripped[:index]), actor) if actor else None
    return None


def _last_word(text: str) -> str:
    words = fold(text).split()
    return words[-1] if words else ""


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    bad = sum(
        1 for ch in sample if ch == "\ufffd" or (not ch.isprintable() and ch not in "\n\r\t\f\v")
    )
    return bad > max(10, len(sample) // 20)


def _says_none(text: str | None) -> bool:
    """Tell whether a block is one statement that nothing was reported."""
    if not text or "\n\n" in text:
        return False
    return bool(_NONE_STATEMENT.match(fold(text)))


# --- the parser --------------------------------------------------------------


@dataclass
class _Candidate:
    index: int  # 0-based line of the numbered title line
    number: int
    end: int  # 0-based last line of the title
    title: str
    actor: str
    bare_actor: bool
    owns_blocks: bool = False


@dataclass
class _HeadingBlock:
    start: int
    end: int
    number: int
    title: str


class _Parser:
    def __init__(self, text: str, state_names: Iterable[str]) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        # pdftotext starts each page's first line with a form feed; keep the line
        # numbering of editors (a form feed is not a line break) but remember it.
        self.lines = text.split("\n")
        self.page_starts = {i for i, line in enumerate(self.lines) if "\f" in line}
        self.lines = [line.replace("\f", " ") for line in self.lines]
        self.states = {fold(name) for name in state_names if name and name.strip()}
        self.warnings: list[tuple[int, str]] = []
        self.annex = next((i for i, line in enumerate(self.lines) if _ANNEX.match(line)), None)
        self.limit = self.annex if self.annex is not None else len(self.lines)
        self.kind = [_TEXT] * self.limit
        self.headings: list[_HeadingBlock] = []

    # -- line classification --

    def classify(self) -> None:
        lines, kind = self.lines, self.kind
        for i in range(self.limit):
            line = lines[i]
            if _is_blank(line):
                kind[i] = _BLANK
            elif self._is_page_number(i) or _ROMAN_MARKER.match(line):
                kind[i] = _LAYOUT
            elif _EMPTY_OBJECTIVE.match(line):
                kind[i] = _NOTE
            elif _COMBINED_NONE.match(line):
                kind[i] = _COMBINED
        i = 0
        while i < self.limit:
            match = _HEADING.match(lines[i])
            if match:
                block = self._read_heading(i, match)
                self.headings.append(block)
                for j in range(block.start, block.end + 1):
                    kind[j] = _LAYOUT
                i = block.end + 1
                continue
            block_match = _BLOCK.match(lines[i])
            if block_match and self._is_block_heading(i, block_match):
                word = block_match.group(1).lower()
                kind[i] = _RESULTS if word == "resultados" else _CHALLENGES
            i += 1

    def _is_page_number(self, i: int) -> bool:
        # Surviving page numbers stand alone between blank lines; a bare number
        # right after table text ("Salud" / "" / "884") is a table value.
        lines = self.lines
        if i < 2 or not _PAGE_NUMBER.match(lines[i]):
            return False
        after_blank = i + 1 >= len(lines) or _is_blank(lines[i + 1]) or i + 1 in self.page_starts
        return _is_blank(lines[i - 1]) and _is_blank(lines[i - 2]) and after_blank

    def _is_block_heading(self, i: int, match: re.Match[str]) -> bool:
        # "... evaluar el ejercicio con base a Gestiones y/o" / "Resultados." ends
        # a sentence; it is not a heading.
        previous = self.lines[i - 1] if i else ""
        if _is_blank(previous) or self.kind[i - 1] == _LAYOUT:
            return True
        if match.group(2) == ".":
            return False
        return _last_word(previous) not in _CONNECTORS

    def _read_heading(self, i: int, match: re.Match[str]) -> _HeadingBlock:
        """Read an ``Objetivo N.`` heading and its wrapped continuation lines."""
        parts = [match.group(2)]
        end = i
        j = i + 1
        continuations = 0
        while j < self.limit and continuations < MAX_HEADING_CONTINUATIONS:
            line = self.lines[j]
            if _is_blank(line):
                # One blank line may split a heading ("... sólo como último" /
                # "" / "recurso y ..."), but only an unfinished one.
                unfinished = not _SENTENCE_END.search(_join_lines(parts))
                if unfinished and j + 1 < self.limit and self._continues_heading(j + 1):
                    j += 1
                    continue
                break
            if not self._continues_heading(j):
                break
            parts.append(line)
            end = j
            continuations += 1
            j += 1
        return _HeadingBlock(i, end, int(match.group(1)), _join_lines(parts))

    def _continues_heading(self, j: int) -> bool:
        # Page text resumed after a heading starts with a space; the wrapped
        # lines of the heading start flush left and in lower case.
        line = self.lines[j]
        if not line or line[0].isspace() or not line[0].islower():
            return False
        return not (_ROMAN_MARKER.match(line) or _NUMBERED.match(line) or _BLOCK.match(line))

    # -- title candidates --

    def _stops_title(self, j: int) -> bool:
        return self.kind[j] in (_RESULTS, _CHALLENGES, _COMBINED, _NOTE) or bool(
            _NUMBERED.match(self.lines[j]) or _HEADING.match(self.lines[j])
        )

    def _ends_paragraph(self, j: int) -> bool:
        nxt = j + 1
        if nxt >= self.limit:
            return True
        line = self.lines[nxt]
        return _is_blank(line) or line[0].isspace() or self._stops_title(nxt)

    def _read_candidate(self, i: int, number: int) -> _Candidate | None:
        """Read a numbered line as a program title ending in ``(actor)``, if it is one."""
        parts: list[str] = []
        ends: list[int] = []
        j = i
        while j < self.limit and len(parts) < MAX_TITLE_LINES:
            if j > i and self._stops_title(j):
                break
            if self.kind[j] == _TEXT:
                line = self.lines[j]
                parts.append(line)
                ends.append(j)
                # A ")" closes the title only where the paragraph ends:
                # "(PROBIPI)." followed by more title text does not.
                if _TITLE_END.search(line.rstrip()) and self._ends_paragraph(j):
                    # "... interno (DFI)" / "" / "(UPMRIP-SEGOB)": the actor
                    # may stand alone after a blank line.
                    actor_line = self._detached_actor(j)
                    if actor_line is not None:
                        j = actor_line
                        parts.append(self.lines[j])
                    split = _split_actor(_join_lines(parts))
                    if split:
                        title, actor = split
                        title = _NUMBERED.match(title).group(2) if _NUMBERED.match(title) else ""
                        return _Candidate(i, number, j, title, actor, bare_actor=False)
            j += 1
        # No parentheses: the institution may be printed bare at the end of the
        # title's paragraph ("(DFI) UPMRIP-SEGOB").
        for count, j in enumerate(ends, start=1):
            if not self._ends_paragraph(j):
                continue
            text = _join_lines(parts[:count])
            bare = _BARE_ACTOR.search(text)
            head = _NUMBERED.match(text[: bare.start()]) if bare else None
            if bare and head and len(head.group(2).split()) >= 3:
                return _Candidate(i, number, j, head.group(2), bare.group(1), bare_actor=True)
            break
        return None

    def _detached_actor(self, j: int) -> int | None:
        """Return the line of a lone ``(actor)`` printed after a blank line below a title."""
        k = j + 1
        while k < self.limit and k <= j + 2 and self.kind[k] == _BLANK:
            k += 1
        if k == j + 1 or k >= self.limit or self.kind[k] != _TEXT:
            return None
        return k if _LONE_ACTOR.match(self.lines[k]) else None

    def find_candidates(self) -> list[_Candidate]:
        candidates: list[_Candidate] = []
        for i in range(self.limit):
            if self.kind[i] != _TEXT:
                continue
            match = _NUMBERED.match(self.lines[i])
            if match and int(match.group(1)) > 0:
                candidate = self._read_candidate(i, int(match.group(1)))
                if candidate:
                    candidates.append(candidate)
        return candidates

    # -- choosing the real titles --

    def choose(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """Keep the candidates that continue the numbering and own Resultados/Retos blocks."""
        blocks = [
            i for i in range(self.limit) if self.kind[i] in (_RESULTS, _CHALLENGES, _COMBINED)
        ]
        for pos, cand in enumerate(candidates):
            k = bisect.bisect_right(blocks, cand.end)
            if k == len(blocks):
                continue
            block = blocks[k]
            # The block belongs to this candidate unless a plausible next title
            # (next number or a restart at 1) comes first; items of a numbered
            # list inside the text ("12. Programa ... (INEA).") do not count.
            cand.owns_blocks = not any(
                other.number in (cand.number + 1, 1)
                for other in candidates[pos + 1 :]
                if other.index < block
            )

        # Position of the next candidate that owns blocks, for each candidate.
        next_owner: list[_Candidate | None] = [None] * len(candidates)
        following: _Candidate | None = None
        for pos in range(len(candidates) - 1, -1, -1):
            next_owner[pos] = following
            if candidates[pos].owns_blocks:
                following = candidates[pos]

        chosen: list[_Candidate] = []
        last: int | None = None
        for pos, cand in enumerate(candidates):
            expected = 1 if last is None else last + 1
            after = next_owner[pos]
            if cand.owns_blocks and cand.number in (expected, 1):
                accept = True
            elif cand.number == expected and cand.number > 1:
                # A program without blocks (or the truncated last one).
                accept = after is None or after.number in (cand.number + 1, 1)
            elif cand.number == 1:
                # A new objective whose first program lacks both blocks; a
                # numbered list inside the text has no description between items.
                accept = after is None or (
                    after.number == 2
                    and self._text_lines(cand.end + 1, after.index) >= MIN_DESCRIPTION_LINES
                )
            elif (
                cand.number > expected
                and cand.owns_blocks
                and (after is None or after.number in (cand.number + 1, 1))
            ):
                accept = True
                self.warnings.append(
                    (
                        cand.index + 1,
                        f"Salto en la numeración: se esperaba el programa {expected} "
                        f"y aparece el {cand.number}.",
                    )
                )
            else:
                accept = False
                self._check_rejected(cand, chosen[-1] if chosen else None, blocks)
            if accept:
                chosen.append(cand)
                last = cand.number
        return chosen

    def _check_rejected(
        self, cand: _Candidate, previous: _Candidate | None, blocks: list[int]
    ) -> None:
        """Warn about a title left out of the numbering that looks like a real program."""
        if previous is None or not cand.owns_blocks:
            return
        # A list item inside a program's text ("12. Programa ... (INEA).") comes
        # before that program's blocks, or right before a heading (no description).
        k = bisect.bisect_right(blocks, previous.end)
        if k == len(blocks) or blocks[k] > cand.index:
            return
        own = bisect.bisect_right(blocks, cand.end)
        if self._text_lines(cand.end + 1, blocks[own]) == 0:
            return
        self.warnings.append(
            (
                cand.index + 1,
                f"Título numerado {cand.number} fuera de la secuencia tras el programa "
                f"{previous.number}: se dejó como texto del programa anterior.",
            )
        )

    def _text_lines(self, start: int, stop: int) -> int:
        return sum(1 for i in range(start, stop) if self.kind[i] == _TEXT)

    # -- program bodies --

    def _paragraphs(self, indices: list[int]) -> str:
        """Join lines into paragraphs; a page-layout interruption may not split a sentence."""
        paragraphs: list[list[str]] = []
        pending_break = False
        interrupted = False
        for i in indices:
            if self.kind[i] == _LAYOUT:
                interrupted = True
                continue
            if self.kind[i] == _BLANK:
                pending_break = True
                continue
            text = self.lines[i].strip()
            if not paragraphs:
                paragraphs.append([text])
            elif pending_break or interrupted:
                # Blank lines and page furniture also fall inside sentences;
                # a real paragraph does not start in lower case.
                joins = not _SENTENCE_END.search(paragraphs[-1][-1]) and text[:1].islower()
                if joins:
                    paragraphs[-1].append(text)
                else:
                    paragraphs.append([text])
            else:
                paragraphs[-1].append(text)
            pending_break = interrupted = False
        return "\n\n".join(_join_lines(p) for p in paragraphs)

    def build_program(
        self, cand: _Candidate, stop: int, section: str, objective: int
    ) -> ParsedProgram:
        warnings: list[str] = []
        segments: dict[str, list[int]] = {"desc": [], "res": [], "ret": []}
        seen = {"res": 0, "ret": 0}
        current = "desc"
        combined: int | None = None
        end_line = cand.end
        for i in range(cand.end + 1, stop):
            kind = self.kind[i]
            if kind in (_TEXT, _RESULTS, _CHALLENGES, _COMBINED):
                end_line = i
            if kind in (_RESULTS, _CHALLENGES):
                block = "res" if kind == _RESULTS else "ret"
                word = "Resultados" if block == "res" else "Retos"
                seen[block] += 1
                if block == current:
                    warnings.append(f"Encabezado «{word}» repetido en la línea {i + 1}.")
                elif block == "res" and current == "ret":
                    warnings.append(f"Encabezado «Resultados» después de «Retos» (línea {i + 1}).")
                current = block
                continue
            if kind == _COMBINED and current == "desc" and combined is None:
                combined = i
                continue
            segments[current].append(i)

        description = self._paragraphs(segments["desc"])
        results: str | None
        challenges: str | None
        if combined is not None:
            results = challenges = squash(self.lines[combined])
            results_none = challenges_none = True
            warnings.append(
                f"Sin encabezados «Resultados» ni «Retos»: la línea {combined + 1} dice "
                f"«{results}»."
            )
        else:
            results = self._paragraphs(segments["res"]) if seen["res"] else None
            challenges = self._paragraphs(segments["ret"]) if seen["ret"] else None
            results_none = _says_none(results)
            challenges_none = _says_none(challenges)
            for text, word in ((results, "Resultados"), (challenges, "Retos")):
                if text is None:
                    warnings.append(f"Falta el bloque «{word}».")
                elif not text:
                    warnings.append(f"El bloque «{word}» está vacío.")
        if cand.bare_actor:
            warnings.append(f"La institución «{cand.actor}» aparece sin paréntesis en el título.")
        is_state = fold(cand.actor) in self.states
        if section == STATE and not is_state:
            warnings.append(f"El actor «{cand.actor}» no es el nombre de una entidad federativa.")
        elif section == FEDERAL and is_state:
            warnings.append(
                f"El actor «{cand.actor}» es una entidad federativa en la parte federal."
            )
        return ParsedProgram(
            section=section,
            objective=objective,
            number=cand.number,
            title=cand.title,
            actor=cand.actor,
            line=cand.index + 1,
            end_line=end_line + 1,
            description=description,
            results=results,
            challenges=challenges,
            challenges_none=challenges_none,
            results_none=results_none,
            warnings=warnings,
        )

    # -- the whole document --

    def run(self) -> CompendiumParse:
        self.classify()
        chosen = self.choose(self.find_candidates())
        if not any(c.owns_blocks for c in chosen):
            raise CompendiumFormatError(
                "El texto no parece un compendio de programas: no hay títulos numerados con "
                "la institución entre paréntesis seguidos de bloques «Resultados» y «Retos»."
            )
        notes = [i for i in range(self.limit) if self.kind[i] == _NOTE]
        stops = sorted({c.index for c in chosen} | set(notes))

        programs: list[ParsedProgram] = []
        empty: dict[str, list[int]] = {FEDERAL: [], STATE: []}
        # (line, section, objective) of every program and empty-objective note,
        # to check where the late headings fall.
        self.positions: list[tuple[int, str, int]] = []
        section = FEDERAL
        objective = 0
        note_pos = 0
        self.state_start: int | None = None

        def close_empty(note: int) -> None:
            nonlocal objective
            objective += 1
            empty[section].append(objective)
            self.positions.append((note, section, objective))

        for cand in chosen:
            skipped: list[int] = []
            while note_pos < len(notes) and notes[note_pos] < cand.index:
                skipped.append(notes[note_pos])
                note_pos += 1
            if cand.number == 1:
                if section == FEDERAL and fold(cand.actor) in self.states:
                    # Notes before the switch close the federal part first.
                    while skipped and objective < OBJECTIVE_COUNT:
                        close_empty(skipped.pop(0))
                    if objective < OBJECTIVE_COUNT:
                        self.warnings.append(
                            (
                                cand.index + 1,
                                f"La parte estatal empieza tras el objetivo federal {objective}; "
                                f"se esperaban {OBJECTIVE_COUNT}.",
                            )
                        )
                    section, objective, self.state_start = STATE, 0, cand.index
                for note in skipped:
                    close_empty(note)
                objective += 1
                if objective > OBJECTIVE_COUNT:
                    self.warnings.append(
                        (
                            cand.index + 1,
                            f"La numeración reinicia más veces que los {OBJECTIVE_COUNT} "
                            f"objetivos (objetivo {objective}).",
                        )
                    )
            else:
                for note in skipped:
                    self.warnings.append(
                        (note + 1, "Nota de objetivo sin actividades en medio de la numeración.")
                    )
            k = bisect.bisect_right(stops, cand.index)
            stop = stops[k] if k < len(stops) else self.limit
            programs.append(self.build_program(cand, stop, section, objective))
            self.positions.append((cand.index, section, objective))
        for note in notes[note_pos:]:
            close_empty(note)

        headings = self._objective_headings()
        self._check_document(programs, headings, empty)
        states = self._participating_states()
        glossary = self._glossary()
        self.warnings.sort(key=lambda item: item[0])
        return CompendiumParse(
            programs=programs,
            headings=headings,
            empty_objectives=empty,
            participating_states=states,
            glossary=glossary,
            warnings=self.warnings,
        )

    def _objective_headings(self) -> list[ObjectiveHeading]:
        """File each heading under the section of the programs around it and check its number."""
        self.positions.sort()
        starts = [line for line, _, _ in self.positions]
        headings: list[ObjectiveHeading] = []
        federal_numbers: set[int] = set()
        for block in self.headings:
            k = bisect.bisect_right(starts, block.start) - 1
            current = self.positions[k] if k >= 0 else None
            section = current[1] if current else FEDERAL
            if (
                section == FEDERAL
                and self.state_start is not None
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
                    self.warnings.append(
                        (
                            block.start + 1,
                            f"El encabezado del objetivo {block.number} aparece junto a programas "
                            f"del objetivo {objective}: revise la numeración.",
                        )
                    )
        return headings

    def _check_document(
        self,
        programs: list[ParsedProgram],
        headings: list[ObjectiveHeading],
        empty: dict[str, list[int]],
    ) -> None:
        end = len(self.lines)
        sections = [FEDERAL]
        if self.state_start is None:
            self.warnings.append(
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
                self.warnings.append(
                    (end, f"Parte {section}: objetivos sin programas ni nota: {listed}.")
                )
            printed = {h.number for h in headings if h.section == section}
            for number in sorted(with_programs - printed):
                first = next(p for p in programs if p.section == section and p.objective == number)
                self.warnings.append(
                    (first.line, f"Parte {section}: el objetivo {number} no tiene encabezado.")
                )
            seen: set[int] = set()
            for heading in headings:
                if heading.section == section and heading.number in seen:
                    self.warnings.append(
                        (heading.line, f"Encabezado del objetivo {heading.number} repetido.")
                    )
                if heading.section == section:
                    seen.add(heading.number)
        last = programs[-1]
        if last.results is None or last.challenges is None:
            self.warnings.append(
                (
                    last.line,
                    "Al último programa le faltan bloques «Resultados» o «Retos»: "
                    "el documento puede estar truncado.",
                )
            )
        if self.annex is None:
            self.warnings.append(
                (end, "No se encontraron los anexos: el documento puede estar truncado.")
            )

    # -- annexes --

    def _annex_parts(self) -> tuple[int | None, int | None]:
        if self.annex is None:
            return None, None
        states_at = glossary_at = None
        for i in range(self.annex + 1, len(self.lines)):
            folded = fold(self.lines[i])
            if states_at is None and re.match(r"^\d+\. entidades federativas", folded):
                states_at = i
            elif glossary_at is None and re.match(r"^\d+\. glosario", folded):
                glossary_at = i
        return states_at, glossary_at

    def _participating_states(self) -> list[str]:
        start, stop = self._annex_parts()
        if start is None:
            if self.annex is not None:
                self.warnings.append(
                    (self.annex + 1, "No se encontró el anexo de entidades participantes.")
                )
            return []
        stop = stop if stop is not None else len(self.lines)
        names: list[str] = []
        pending: list[str] = []
        pending_line = start
        in_table = False
        for i in range(start + 1, stop):
            text = squash(self.lines[i])
            if not text or self._is_page_number(i):
                continue
            if not in_table:
                # Skip the rest of the annex title ("informe.") and the table
                # header ("ENTIDADES" / "FEDERATIVAS").
                if text[:1].islower() or fold(text) in ("entidades", "federativas"):
                    continue
                if fold(text) == "entidades federativas":
                    continue
                in_table = True
            if not pending:
                pending_line = i
            pending.append(text)
            joined = " ".join(pending)
            # Names wrap ("CIUDAD DE" / "MÉXICO"); "MÉXICO" alone is a state
            # too, so an unfinished name is never emitted.
            if fold(joined) in self.states and _last_word(joined) not in _CONNECTORS:
                names.append(joined)
                pending = []
            elif len(pending) >= 3:
                self.warnings.append(
                    (pending_line + 1, f"Entidad no reconocida en el anexo: «{joined}».")
                )
                names.append(joined)
                pending = []
        if pending:
            joined = " ".join(pending)
            self.warnings.append(
                (pending_line + 1, f"Entidad no reconocida en el anexo: «{joined}».")
            )
            names.append(joined)
        return names

    def _glossary(self) -> list[GlossaryEntry]:
        _, start = self._annex_parts()
        if start is None:
            if self.annex is not None:
                self.warnings.append((self.annex + 1, "No se encontró el glosario del anexo."))
            return []
        rows = self._glossary_rows(start)
        entries: list[GlossaryEntry] = []
        name_parts: list[str] = []
        name_line = start
        for pos, (i, text) in enumerate(rows):
            words = text.split()
            if not name_parts:
                name_line = i
                # A name that fits its cell shares the line with the acronym.
                if len(words) >= 2 and self._ends_in_acronym(words):
                    name = _GLUED_FOOTNOTE.sub("", " ".join(words[:-1])).strip()
                    entries.append(GlossaryEntry(name, words[-1], i + 1))
                else:
                    name_parts = [text]
                continue
            name = " ".join(name_parts)
            # A wrapped name puts its acronym alone on a line; a one-word line
            # followed by another one-word line is the end of the name
            # ("SOCIAL" / "IMSS", "VIH/SIDA" / "CENSIDA").
            nxt = rows[pos + 1][1].split() if pos + 1 < len(rows) else []
            is_acronym = (
                len(words) == 1
                and _ACRONYM.match(words[0]) is not None
                and _last_word(name) not in _CONNECTORS
                and not (len(nxt) == 1 and _ACRONYM.match(nxt[0]))
            )
            if is_acronym:
                clean = _GLUED_FOOTNOTE.sub("", name).strip()
                entries.append(GlossaryEntry(clean, words[0], name_line + 1))
                name_parts = []
            else:
                name_parts.append(text)
        if name_parts:
            self.warnings.append(
                (name_line + 1, f"Entrada del glosario sin acrónimo: «{' '.join(name_parts)}».")
            )
        return entries

    def _glossary_rows(self, start: int) -> list[tuple[int, str]]:
        """Return the non-blank table lines of the glossary, without header and footnotes."""
        rows: list[tuple[int, str]] = []
        i = start + 1
        # The annex title wraps ("organismos Autónomos ..." / "informe").
        while i < len(self.lines) and (
            _is_blank(self.lines[i]) or self.lines[i].lstrip()[:1].islower()
        ):
            i += 1
        while i < len(self.lines):
            text = squash(self.lines[i])
            i += 1
            if (
                not text
                or self._is_page_number(i - 1)
                or fold(text).startswith("dependencias e instituciones")
            ):
                continue
            if re.match(r"^compendio general \d{4}$", fold(text)):
                return rows  # the colophon after the last page of the glossary
            if _FOOTNOTE_TEXT.match(text):
                # A footnote at the foot of the page, until its sentence ends.
                stop = min(len(self.lines), i + MAX_FOOTNOTE_LINES)
                while i < stop and not squash(self.lines[i - 1]).endswith("."):
                    i += 1
                continue
            rows.append((i - 1, text))
        self.warnings.append(
            (
                len(self.lines),
                "El glosario no termina en el colofón «Compendio General»: "
                "el documento puede estar truncado.",
            )
        )
        return rows

    @staticmethod
    def _ends_in_acronym(words: list[str]) -> bool:
        last = words[-1]
        if not _ACRONYM.match(last) or fold(last) in _CONNECTORS:
            return False
        return _last_word(" ".join(words[:-1])) not in _CONNECTORS


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
    return _Parser(text, state_names).run()
