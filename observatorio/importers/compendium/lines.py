"""The compendium's lines: page layout, objective headings, block headings, paragraphs.

:class:`Lines` reads the text once and gives every line before the annexes a kind
(text, blank, page layout, a ``Resultados`` or ``Retos`` heading, a "no results
nor challenges" line, an empty-objective note); the parts of the parser ask it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from observatorio.lib.text import fold, squash

MAX_HEADING_CONTINUATIONS = 3

NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
HEADING = re.compile(r"^\s*Objetivo\s+(\d{1,2})\s*\.\s*(.*?)\s*$")
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
_SENTENCE_END = re.compile(r"[.:;!?]$")
_HYPHEN_BREAK = re.compile(r"\w-$")
CONNECTORS = frozenset("a al con contra de del e el en la las los o para por sobre u y y/o".split())

# Line kinds.
TEXT, BLANK, LAYOUT, RESULTS, CHALLENGES, COMBINED, NOTE = range(7)


def is_blank(line: str) -> bool:
    return not line.strip()


def join_lines(parts: Iterable[str]) -> str:
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


def last_word(text: str) -> str:
    words = fold(text).split()
    return words[-1] if words else ""


@dataclass
class HeadingBlock:
    start: int
    end: int
    number: int
    title: str


class Lines:
    """The lines of a compendium and the kind of each one before the annexes."""

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
        self.kind = [TEXT] * self.limit
        self.headings: list[HeadingBlock] = []
        self.classify()

    def classify(self) -> None:
        lines, kind = self.lines, self.kind
        for i in range(self.limit):
            line = lines[i]
            if is_blank(line):
                kind[i] = BLANK
            elif self.is_page_number(i) or _ROMAN_MARKER.match(line):
                kind[i] = LAYOUT
            elif _EMPTY_OBJECTIVE.match(line):
                kind[i] = NOTE
            elif _COMBINED_NONE.match(line):
                kind[i] = COMBINED
        i = 0
        while i < self.limit:
            match = HEADING.match(lines[i])
            if match:
                block = self._read_heading(i, match)
                self.headings.append(block)
                for j in range(block.start, block.end + 1):
                    kind[j] = LAYOUT
                i = block.end + 1
                continue
            block_match = _BLOCK.match(lines[i])
            if block_match and self._is_block_heading(i, block_match):
                word = block_match.group(1).lower()
                kind[i] = RESULTS if word == "resultados" else CHALLENGES
            i += 1

    def is_page_number(self, i: int) -> bool:
        # Surviving page numbers stand alone between blank lines; a bare number
        # right after table text ("Salud" / "" / "884") is a table value.
        lines = self.lines
        if i < 2 or not _PAGE_NUMBER.match(lines[i]):
            return False
        after_blank = i + 1 >= len(lines) or is_blank(lines[i + 1]) or i + 1 in self.page_starts
        return is_blank(lines[i - 1]) and is_blank(lines[i - 2]) and after_blank

    def _is_block_heading(self, i: int, match: re.Match[str]) -> bool:
        # "... evaluar el ejercicio con base a Gestiones y/o" / "Resultados." ends
        # a sentence; it is not a heading.
        previous = self.lines[i - 1] if i else ""
        if is_blank(previous) or self.kind[i - 1] == LAYOUT:
            return True
        if match.group(2) == ".":
            return False
        return last_word(previous) not in CONNECTORS

    def _read_heading(self, i: int, match: re.Match[str]) -> HeadingBlock:
        """Read an ``Objetivo N.`` heading and its wrapped continuation lines."""
        parts = [match.group(2)]
        end = i
        j = i + 1
        continuations = 0
        while j < self.limit and continuations < MAX_HEADING_CONTINUATIONS:
            line = self.lines[j]
            if is_blank(line):
                # One blank line may split a heading ("... sólo como último" /
                # "" / "recurso y ..."), but only an unfinished one.
                unfinished = not _SENTENCE_END.search(join_lines(parts))
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
        return HeadingBlock(i, end, int(match.group(1)), join_lines(parts))

    def _continues_heading(self, j: int) -> bool:
        # Page text resumed after a heading starts with a space; the wrapped
        # lines of the heading start flush left and in lower case.
        line = self.lines[j]
        if not line or line[0].isspace() or not line[0].islower():
            return False
        return not (_ROMAN_MARKER.match(line) or NUMBERED.match(line) or _BLOCK.match(line))

    def text_lines(self, start: int, stop: int) -> int:
        return sum(1 for i in range(start, stop) if self.kind[i] == TEXT)

    def paragraphs(self, indices: list[int]) -> str:
        """Join lines into paragraphs; a page-layout interruption may not split a sentence."""
        paragraphs: list[list[str]] = []
        pending_break = False
        interrupted = False
        for i in indices:
            if self.kind[i] == LAYOUT:
                interrupted = True
                continue
            if self.kind[i] == BLANK:
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
        return "\n\n".join(join_lines(p) for p in paragraphs)
