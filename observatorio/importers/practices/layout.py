"""The study's lines: what each one is, its footnotes, and the state sections.

:func:`classify` gives every line a kind (page header, footnote, title, a
ficha's labelled field, criteria row, body text…); :func:`find_sections`
finds the twelve state sections and where each one's table of fichas starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from observatorio.lib.text import fold, squash

from .records import STATES

_STATE_BY_FOLD = {fold(name): name for name, _ in STATES}
_STATE_BY_FOLD.update(
    {"michoacan de ocampo": "Michoacán", "cdmx": "Ciudad de México", "edomex": "Estado de México"}
)

BLANK = "blank"
BODY = "body"
HEADER = "header"
FOOTNOTE = "footnote"
URL = "url"
SOURCE_NOTE = "source_note"
TITLE = "title"
CRITERIA_HEADING = "criteria_heading"
CRITERIA_ROW = "criteria_row"
LABEL_INST = "label_institution"
LABEL_DIM = "label_dimension"
LABEL_POB = "label_population"
LABEL_DESC = "label_description"
STATE_HEADING = "state_heading"

_PAGE_HEADER = re.compile(r"^\s*BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA DESDE EL ÁMBITO LOCAL\b")
CUADRO_PRACTICES = re.compile(
    r"^\s*CUADRO\s+(\d+)\s+BUENAS\s+PR[AÁ]CTICAS\s+ORIENTADAS\s+A\s+LA\s+ATENCI[OÓ]N\s+DE\s+"
    r"PERSONAS\s+MIGRANTES\b\s*(.*)$"
)
CUADRO_PANORAMA = re.compile(r"^\s*CUADRO\s+(\d+)\s+PANORAMA\s+MIGRATORIO\s+ESTATAL\b")
_CRITERIA_HEADING = re.compile(r"^\s*CRITERIOS\s+DE\s+EVALUACI[OÓ]N\s*$")
INSTITUTION_LABEL = re.compile(r"^\s*INSTITUCI[OÓ]N\s+QUE\s+COORDINA\b\s*:?\s*(.*)$")
DIMENSION_LABEL = re.compile(
    r"^\s*DIMENSI[OÓ]N\s+DE\s+LA\s+POBLACI[OÓ]N\s+QUE\s+ATIENDE\b\s*:?\s*(.*)$"
)
POPULATION_LABEL = re.compile(r"^\s*POBLACI[OÓ]N\s+OBJETIVO\b\s*:?\s*(.*)$")
DESCRIPTION_LABEL = re.compile(
    r"^\s*(?P<label>CARACTER[IÍ]STICAS\s+DE\s+LA\s+PR[AÁ]CTICA|"
    r"(?:CONTEXTO\s+Y\s+)?DESCRIPCI[OÓ]N(?:\s+DE\s+LA\s+(?:BUENA\s+)?PR[AÁ]CTICA)?)"
    r"\s*(?::\s*(?P<rest>.*)|$)"
)
_URL = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")
_SOURCE_NOTE = re.compile(r"^\s*Elaboración propia\b")
_RECOMMENDATIONS = re.compile(r"^\s*RECOMENDACIONES\s*$")
NUMBER_LINE = re.compile(r"^\s*(\d{1,2})\s*$")
_FOOTNOTE_DEF = re.compile(r"^\s?(\d{1,3})(?:\s+(\S.*?))?\s*$")
_WORD = re.compile(r"(?<![\w-])(\w+)(?![\w-])")
# A footnote continuation after a blank line is printed at full page width.
_LONG_LINE = 175


@dataclass
class Doc:
    lines: list[str]
    kinds: list[str]
    footnotes: dict[int, tuple[int, str]]  # number -> (index of line, text)
    words: frozenset[str]


def is_title_like(raw: str) -> bool:
    text = raw.strip()
    if not text or len(text) > 45:
        return False
    if any(ch.islower() for ch in text) or not any(ch.isalpha() for ch in text):
        return False
    return not (
        _CRITERIA_HEADING.match(raw)
        or INSTITUTION_LABEL.match(raw)
        or DIMENSION_LABEL.match(raw)
        or POPULATION_LABEL.match(raw)
        or DESCRIPTION_LABEL.match(raw)
        or CUADRO_PRACTICES.match(raw)
        or CUADRO_PANORAMA.match(raw)
        or _RECOMMENDATIONS.match(raw)
    )


def _is_criteria_row(raw: str) -> bool:
    folded = fold(raw)
    return folded.startswith("sostenibilidad") and "asociacion" in folded


def state_from_heading(raw: str) -> str | None:
    folded = fold(raw)
    if folded in _STATE_BY_FOLD:
        return _STATE_BY_FOLD[folded]
    if folded.startswith("el estado de ") and folded[13:] in _STATE_BY_FOLD:
        return _STATE_BY_FOLD[folded[13:]]
    return None


# The kinds of line told by their text alone, tried in this order.
_LINE_TESTS = (
    (URL, _URL.match),
    (SOURCE_NOTE, _SOURCE_NOTE.match),
    (CRITERIA_HEADING, _CRITERIA_HEADING.match),
    (CRITERIA_ROW, _is_criteria_row),
    (LABEL_INST, INSTITUTION_LABEL.match),
    (LABEL_DIM, DIMENSION_LABEL.match),
    (LABEL_POB, POPULATION_LABEL.match),
    (LABEL_DESC, DESCRIPTION_LABEL.match),
)


def classify(lines: list[str]) -> Doc:
    """Give every line its kind and read the footnotes (number, line, text)."""
    kinds = [BLANK if not line.strip() else BODY for line in lines]
    total = len(lines)

    def next_nonblank(index: int) -> int | None:
        for j in range(index, total):
            if lines[j].strip():
                return j
        return None

    for i, line in enumerate(lines):
        if kinds[i] == BLANK:
            continue
        if _PAGE_HEADER.match(line) or CUADRO_PANORAMA.match(line):
            kinds[i] = HEADER
        elif CUADRO_PRACTICES.match(line):
            kinds[i] = HEADER
            tail = CUADRO_PRACTICES.match(line).group(2).strip()
            following = next_nonblank(i + 1)
            # The header wraps before "EN EL ESTADO DE CHIHUAHUA" on some pages.
            if not tail and following is not None and fold(lines[following]).startswith("en "):
                kinds[following] = HEADER
        else:
            # A line already marked (a wrapped header) keeps its kind unless a test says otherwise.
            kinds[i] = next((kind for kind, test in _LINE_TESTS if test(line)), kinds[i])

    # Footnotes are numbered 1..n through the whole study, in print order; a
    # body line that starts with a number is rarely the next note's number.
    footnotes: dict[int, tuple[int, str]] = {}
    expected = 1
    i = 0
    while i < total:
        match = _FOOTNOTE_DEF.match(lines[i]) if kinds[i] == BODY else None
        number = int(match.group(1)) if match else 0
        if not match or not expected <= number <= expected + 3:
            i += 1
            continue
        body = match.group(2)
        if body is None:
            following = next_nonblank(i + 1)
            if following is not None and kinds[following] not in (URL,):
                follow_match = _FOOTNOTE_DEF.match(lines[following])
                if not (follow_match and follow_match.group(2)):
                    i += 1
                    continue
        kinds[i] = FOOTNOTE
        texts = [body or ""]
        expected = number + 1
        j = i + 1
        while j < total:
            raw = lines[j]
            if not raw.strip():
                following = next_nonblank(j)
                if (
                    following is not None
                    and kinds[following] == BODY
                    and len(lines[following]) >= _LONG_LINE
                    and not _FOOTNOTE_DEF.match(lines[following])
                ):
                    j = following
                    continue
                break
            if kinds[j] != BODY or raw.startswith(" ") or _FOOTNOTE_DEF.match(raw):
                break
            kinds[j] = FOOTNOTE
            texts.append(raw.strip())
            j += 1
        footnotes[number] = (i, squash(" ".join(texts)))
        i = j

    words = frozenset(fold(word) for word in _WORD.findall("\n".join(lines)))
    return Doc(lines=lines, kinds=kinds, footnotes=footnotes, words=words)


def join_lines(parts: list[str], words: frozenset[str]) -> str:
    """Join wrapped lines; undo end-of-line hyphenation unless both halves are words."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not text:
            text = part
            continue
        left = re.search(r"(\w+)-$", text)
        if left:
            right = re.match(r"\w+", part)
            keep = right and fold(left.group(1)) in words and fold(right.group(0)) in words
            text = text + part if keep else text[:-1] + part
        else:
            text = f"{text} {part}"
    return squash(text)


@dataclass
class StateSection:
    state: str
    heading: int  # index of the heading line (or of the first CUADRO when no heading)
    practices_start: int | None
    end: int


def find_sections(doc: Doc) -> tuple[list[StateSection], int | None]:
    lines, kinds = doc.lines, doc.kinds
    total = len(lines)
    headings: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        # Section headings are printed in capitals; "Chihuahua" alone is a table cell.
        if kinds[i] != BODY or len(line.strip()) > 30 or any(ch.islower() for ch in line):
            continue
        state = state_from_heading(line)
        if not state or (headings and headings[-1][1] == state):
            continue
        window = lines[i + 1 : i + 16]
        if any(CUADRO_PANORAMA.match(w) or CUADRO_PRACTICES.match(w) for w in window):
            headings.append((i, state))
            kinds[i] = STATE_HEADING
    end_of_states = next((i for i, line in enumerate(lines) if _RECOMMENDATIONS.match(line)), None)
    # Excerpts without state headings still name the state in the CUADRO header.
    cuadros = [
        (i, CUADRO_PRACTICES.match(line)) for i, line in enumerate(lines) if kinds[i] == HEADER
    ]
    cuadros = [(i, m) for i, m in cuadros if m]
    if not headings and cuadros:
        seen: set[str] = set()
        for i, match in cuadros:
            state = cuadro_state(doc, i, match)
            if state and state not in seen:
                headings.append((i, state))
                seen.add(state)
    sections: list[StateSection] = []
    for position, (index, state) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else total
        if end_of_states is not None and index < end_of_states < end:
            end = end_of_states
        start = next((i for i, _ in cuadros if index <= i < end), None)
        sections.append(StateSection(state, index, start, end))
    return sections, end_of_states


def cuadro_state(doc: Doc, index: int, match: re.Match) -> str | None:
    tail = match.group(2).strip()
    if not tail:
        for j in range(index + 1, min(index + 4, len(doc.lines))):
            if doc.lines[j].strip():
                tail = doc.lines[j].strip()
                break
    tail = re.sub(r"^EN\s+", "", tail.strip())
    return state_from_heading(tail)
