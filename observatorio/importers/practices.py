"""Parse the IOM/CONOFAM study "Buenas prácticas en política migratoria desde el ámbito local".

The input is the text extracted from the study's PDF. The parser knows nothing of
the database; it returns dataclasses and Spanish warnings. What the text looks
like (see the project's notes on the source documents and the study itself):

* 12 state sections (heading such as ``BAJA CALIFORNIA``), each with a
  ``CUADRO n PANORAMA MIGRATORIO ESTATAL`` table and a ``CUADRO n BUENAS
  PRÁCTICAS ORIENTADAS ...`` table whose rows ("fichas") are the practices.
* A ficha prints its number on a line of its own and its title wrapped one to
  three words per line; the same number and title are printed again at the top
  of every later page of the ficha, sometimes truncated, and the first page of a
  ficha can lose the start of its title (and even its number).
* Labelled fields: ``INSTITUCIÓN QUE COORDINA``, ``DIMENSIÓN DE LA POBLACIÓN
  QUE ATIENDE``, ``POBLACIÓN OBJETIVO`` and a description whose label varies
  (``CARACTERÍSTICAS DE LA PRÁCTICA``, ``DESCRIPCIÓN DE LA PRÁCTICA``,
  ``DESCRIPCIÓN``, ``CONTEXTO Y DESCRIPCIÓN ...``, ``DESCRIPCIÓN DE LA BUENA
  PRÁCTICA``; one ficha has none).
* ``CRITERIOS DE EVALUACIÓN`` and a row ``Sostenibilidad ✔ Asociación ✔ ...``:
  the mark after each name belongs to that criterion; no mark means unknown.
  The row is reprinted when the ficha's justifications continue on a new page.
* The five justification columns come out as one run of paragraphs.

``number`` is the practice number printed at the start of the ficha (the
``CUADRO`` number identifies the state's whole table, not a practice). When the
first page lost it, the number printed with the full title on a later page is
used; when no page prints it, it is inferred from the previous ficha (warning).

``state`` is the state's name as the study spells it in its list of selected
states (its section headings print it in capitals); ``region`` follows the
study's four regions.

Panorama figures are taken only from statements whose wording is recognised
(precision over recall); each keeps its printed form, its line, the note glued to
it and flags, never a corrected value:

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
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from observatorio.lib.text import fold, squash

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

_STATE_BY_FOLD = {fold(name): name for name, _ in STATES}
_STATE_BY_FOLD.update(
    {"michoacan de ocampo": "Michoacán", "cdmx": "Ciudad de México", "edomex": "Estado de México"}
)

PASS_MARKS = frozenset("✔✓✅☑")
FAIL_MARKS = frozenset("✘✗❌✖")


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


# --------------------------------------------------------------------------- numbers

_DECIMAL_SPACED = re.compile(r"(\d*)\.\s+(\d+)")
_GLUED_L = re.compile(r"(.*\d)\s?l(\d{1,3})")
_MILLIONS = re.compile(r"(\d+(?:[.,]\d+)?)\s+millones(?:\s+(\d{1,3})\s+mil(?:\s+(\d{3}))?)?")
_THOUSANDS_WORD = re.compile(r"(\d{1,3})\s+mil(?:\s+(\d{3}))?")
_GROUP_SPLIT = re.compile(r",\s*|\s+")


def parse_number(
    printed: str, *, known_footnotes: frozenset[int] | set[int] | None = None
) -> tuple[Decimal | None, int | None, list[str]]:
    """Read a number as the study prints it; return (value, glued footnote, flags).

    Handles ``3 769 020``, ``152,377``, ``1, 212 252``, ``129 mil 231``,
    ``9,8%``, ``36. 57``, ``$7 500, 000-`` and footnote calls glued to the
    value (``848l18``, ``3 31019``, ``4 591 59``). A call glued without any
    separator (``51530`` for 515 and note 30) can only be told apart with
    *known_footnotes*, the notes printed on the same page.
    """
    flags: list[str] = []
    text = squash(printed.replace("\u00a0", " "))
    text = text.lstrip("$ ").rstrip(" -%;:")
    text = re.sub(r"(?<=\d)\.$", "", text)
    if not text or not any(ch.isdigit() for ch in text):
        return None, None, ["unparseable"]
    footnote: int | None = None

    glued = _GLUED_L.fullmatch(text)
    if glued:
        text, footnote = glued.group(1).strip(), int(glued.group(2))
        flags.append("footnote_glued")

    millions = _MILLIONS.fullmatch(text)
    if millions:
        base = Decimal(millions.group(1).replace(",", "."))
        value = base * 1_000_000
        if millions.group(2):
            value += Decimal(millions.group(2)) * 1000 + Decimal(millions.group(3) or 0)
        return value, footnote, flags
    thousands = _THOUSANDS_WORD.fullmatch(text)
    if thousands:
        value = Decimal(thousands.group(1)) * 1000 + Decimal(thousands.group(2) or 0)
        return value, footnote, flags

    spaced = _DECIMAL_SPACED.fullmatch(text)
    if spaced:
        flags.append("space_in_decimal")
        return Decimal(f"{spaced.group(1) or '0'}.{spaced.group(2)}"), footnote, flags

    if re.fullmatch(r"\d+", text):
        if footnote is None and known_footnotes:
            for width in (3, 2, 1):
                head, tail = text[:-width], text[-width:]
                if head and not tail.startswith("0") and int(tail) in known_footnotes:
                    flags += ["footnote_glued", "footnote_inferred"]
                    return Decimal(head), int(tail), flags
        return Decimal(text), footnote, flags

    plain_decimal = re.fullmatch(r"(\d*)\.(\d+)", text)
    if plain_decimal:
        whole, fraction = plain_decimal.groups()
        if (
            footnote is None
            and whole
            and known_footnotes
            and not fraction.startswith("0")
            and int(fraction) in known_footnotes
        ):
            flags += ["footnote_glued", "footnote_inferred"]
            return Decimal(whole), int(fraction), flags
        return Decimal(f"{whole or '0'}.{fraction}"), footnote, flags

    decimal_comma = re.fullmatch(r"(\d+),(\d{1,2})", text)
    if decimal_comma:
        flags.append("decimal_comma")
        return Decimal(f"{decimal_comma.group(1)}.{decimal_comma.group(2)}"), footnote, flags

    fraction = ""
    tail = re.search(r"\.(\d+)$", text)
    if tail and ("," in text[: tail.start()] or " " in text[: tail.start()]):
        fraction, text = tail.group(1), text[: tail.start()]
    separators = re.findall(r",\s*|\s+", text)
    groups = _GROUP_SPLIT.split(text)
    if not all(group.isdigit() for group in groups):
        return None, footnote, [*flags, "unparseable"]
    uses_comma = any("," in sep for sep in separators)
    uses_space = any(sep.strip() == "" for sep in separators)
    if footnote is None and not fraction and len(groups) >= 2 and not uses_comma:
        last = groups[-1]
        if len(last) in (1, 2) and _valid_groups(groups[:-1]):
            footnote, groups = int(last), groups[:-1]
            flags.append("footnote_glued")
        elif len(last) in (4, 5) and _valid_groups([*groups[:-1], last[:3]]):
            footnote, groups = int(last[3:]), [*groups[:-1], last[:3]]
            flags.append("footnote_glued")
    if not _valid_groups(groups):
        return None, footnote, [*flags, "unparseable"]
    if any(sep.startswith(",") and sep != "," for sep in separators):
        flags.append("irregular_grouping")
    if uses_comma and uses_space and any(sep.strip() == "" for sep in separators):
        flags.append("mixed_separators")
    if len(groups) == 2 and separators == [","] and not fraction:
        # 152,377 could be a decimal in a text that also prints 9,8 %.
        flags.append("ambiguous_number_format")
    digits = "".join(groups) + (f".{fraction}" if fraction else "")
    try:
        return Decimal(digits), footnote, flags
    except InvalidOperation:
        return None, footnote, [*flags, "unparseable"]


def _valid_groups(groups: list[str]) -> bool:
    if not groups or not groups[0].isdigit() or not 1 <= len(groups[0]) <= 3:
        return len(groups) == 1 and groups[0].isdigit()
    return all(len(group) == 3 and group.isdigit() for group in groups[1:])


# --------------------------------------------------------------------------- lines

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
_CUADRO_PRACTICES = re.compile(
    r"^\s*CUADRO\s+(\d+)\s+BUENAS\s+PR[AÁ]CTICAS\s+ORIENTADAS\s+A\s+LA\s+ATENCI[OÓ]N\s+DE\s+"
    r"PERSONAS\s+MIGRANTES\b\s*(.*)$"
)
_CUADRO_PANORAMA = re.compile(r"^\s*CUADRO\s+(\d+)\s+PANORAMA\s+MIGRATORIO\s+ESTATAL\b")
_CRITERIA_HEADING = re.compile(r"^\s*CRITERIOS\s+DE\s+EVALUACI[OÓ]N\s*$")
_LABEL_INST = re.compile(r"^\s*INSTITUCI[OÓ]N\s+QUE\s+COORDINA\b\s*:?\s*(.*)$")
_LABEL_DIM = re.compile(r"^\s*DIMENSI[OÓ]N\s+DE\s+LA\s+POBLACI[OÓ]N\s+QUE\s+ATIENDE\b\s*:?\s*(.*)$")
_LABEL_POB = re.compile(r"^\s*POBLACI[OÓ]N\s+OBJETIVO\b\s*:?\s*(.*)$")
_LABEL_DESC = re.compile(
    r"^\s*(?P<label>CARACTER[IÍ]STICAS\s+DE\s+LA\s+PR[AÁ]CTICA|"
    r"(?:CONTEXTO\s+Y\s+)?DESCRIPCI[OÓ]N(?:\s+DE\s+LA\s+(?:BUENA\s+)?PR[AÁ]CTICA)?)"
    r"\s*(?::\s*(?P<rest>.*)|$)"
)
_URL = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")
_SOURCE_NOTE = re.compile(r"^\s*Elaboración propia\b")
_RECOMMENDATIONS = re.compile(r"^\s*RECOMENDACIONES\s*$")
_REGION_HEADING = re.compile(r"^\s*REGI[OÓ]N\s+(NORTE|OCCIDENTE|CENTRO|SUR-\s?SURESTE)\s*$")
_NATIONAL_HEADING = re.compile(r"^\s*PANORAMA MIGRATORIO EN MÉXICO\s*$")
_NUMBER_LINE = re.compile(r"^\s*(\d{1,2})\s*$")
_FOOTNOTE_DEF = re.compile(r"^\s?(\d{1,3})(?:\s+(\S.*?))?\s*$")
_WORD = re.compile(r"(?<![\w-])(\w+)(?![\w-])")
_STUDY_MARKERS = (
    "institucion que coordina",
    "buenas practicas orientadas a la atencion de personas migrantes",
    "buenas practicas en politica migratoria desde el ambito local",
)
# A footnote continuation after a blank line is printed at full page width.
_LONG_LINE = 175


@dataclass
class _Doc:
    lines: list[str]
    kinds: list[str]
    footnotes: dict[int, tuple[int, str]]  # number -> (index of line, text)
    words: frozenset[str]


def _is_title_like(raw: str) -> bool:
    text = raw.strip()
    if not text or len(text) > 45:
        return False
    if any(ch.islower() for ch in text) or not any(ch.isalpha() for ch in text):
        return False
    return not (
        _CRITERIA_HEADING.match(raw)
        or _LABEL_INST.match(raw)
        or _LABEL_DIM.match(raw)
        or _LABEL_POB.match(raw)
        or _LABEL_DESC.match(raw)
        or _CUADRO_PRACTICES.match(raw)
        or _CUADRO_PANORAMA.match(raw)
        or _RECOMMENDATIONS.match(raw)
    )


def _is_criteria_row(raw: str) -> bool:
    folded = fold(raw)
    return folded.startswith("sostenibilidad") and "asociacion" in folded


def _state_from_heading(raw: str) -> str | None:
    folded = fold(raw)
    if folded in _STATE_BY_FOLD:
        return _STATE_BY_FOLD[folded]
    if folded.startswith("el estado de ") and folded[13:] in _STATE_BY_FOLD:
        return _STATE_BY_FOLD[folded[13:]]
    return None


def _classify(lines: list[str]) -> _Doc:
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
        if _PAGE_HEADER.match(line) or _CUADRO_PANORAMA.match(line):
            kinds[i] = HEADER
        elif _CUADRO_PRACTICES.match(line):
            kinds[i] = HEADER
            tail = _CUADRO_PRACTICES.match(line).group(2).strip()
            following = next_nonblank(i + 1)
            # The header wraps before "EN EL ESTADO DE CHIHUAHUA" on some pages.
            if not tail and following is not None and fold(lines[following]).startswith("en "):
                kinds[following] = HEADER
        elif _URL.match(line):
            kinds[i] = URL
        elif _SOURCE_NOTE.match(line):
            kinds[i] = SOURCE_NOTE
        elif _CRITERIA_HEADING.match(line):
            kinds[i] = CRITERIA_HEADING
        elif _is_criteria_row(line):
            kinds[i] = CRITERIA_ROW
        elif _LABEL_INST.match(line):
            kinds[i] = LABEL_INST
        elif _LABEL_DIM.match(line):
            kinds[i] = LABEL_DIM
        elif _LABEL_POB.match(line):
            kinds[i] = LABEL_POB
        elif _LABEL_DESC.match(line):
            kinds[i] = LABEL_DESC

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
    return _Doc(lines=lines, kinds=kinds, footnotes=footnotes, words=words)


def _join_lines(parts: list[str], words: frozenset[str]) -> str:
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


# --------------------------------------------------------------------------- sections


@dataclass
class _StateSection:
    state: str
    heading: int  # index of the heading line (or of the first CUADRO when no heading)
    practices_start: int | None
    end: int


def _find_sections(doc: _Doc) -> tuple[list[_StateSection], int | None]:
    lines, kinds = doc.lines, doc.kinds
    total = len(lines)
    headings: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        # Section headings are printed in capitals; "Chihuahua" alone is a table cell.
        if kinds[i] != BODY or len(line.strip()) > 30 or any(ch.islower() for ch in line):
            continue
        state = _state_from_heading(line)
        if not state or (headings and headings[-1][1] == state):
            continue
        window = lines[i + 1 : i + 16]
        if any(_CUADRO_PANORAMA.match(w) or _CUADRO_PRACTICES.match(w) for w in window):
            headings.append((i, state))
            kinds[i] = STATE_HEADING
    end_of_states = next((i for i, line in enumerate(lines) if _RECOMMENDATIONS.match(line)), None)
    # Excerpts without state headings still name the state in the CUADRO header.
    cuadros = [
        (i, _CUADRO_PRACTICES.match(line)) for i, line in enumerate(lines) if kinds[i] == HEADER
    ]
    cuadros = [(i, m) for i, m in cuadros if m]
    if not headings and cuadros:
        seen: set[str] = set()
        for i, match in cuadros:
            state = _cuadro_state(doc, i, match)
            if state and state not in seen:
                headings.append((i, state))
                seen.add(state)
    sections: list[_StateSection] = []
    for position, (index, state) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else total
        if end_of_states is not None and index < end_of_states < end:
            end = end_of_states
        start = next((i for i, _ in cuadros if index <= i < end), None)
        sections.append(_StateSection(state, index, start, end))
    return sections, end_of_states


def _cuadro_state(doc: _Doc, index: int, match: re.Match) -> str | None:
    tail = match.group(2).strip()
    if not tail:
        for j in range(index + 1, min(index + 4, len(doc.lines))):
            if doc.lines[j].strip():
                tail = doc.lines[j].strip()
                break
    tail = re.sub(r"^EN\s+", "", tail.strip())
    return _state_from_heading(tail)


# --------------------------------------------------------------------------- fichas


@dataclass
class _TitleBlock:
    start: int
    end: int
    number: int | None
    lines: list[int]


def _mark_title_blocks(doc: _Doc, start: int, end: int) -> list[_TitleBlock]:
    lines, kinds = doc.lines, doc.kinds
    blocks: list[_TitleBlock] = []

    def next_nonblank(index: int) -> int | None:
        for j in range(index, end):
            if kinds[j] != BLANK:
                return j
        return None

    i = start
    while i < end:
        number = _NUMBER_LINE.match(lines[i]) if kinds[i] == BODY else None
        following = next_nonblank(i + 1) if number else None
        if (
            number
            and 1 <= int(number.group(1)) <= 60
            and following is not None
            and kinds[following] == BODY
            and _is_title_like(lines[following])
        ):
            members = [i]
            j = following
            while j is not None and kinds[j] == BODY and _is_title_like(lines[j]):
                members.append(j)
                j = next_nonblank(j + 1)
            for member in members:
                kinds[member] = TITLE
            blocks.append(_TitleBlock(i, members[-1], int(number.group(1)), members))
            i = members[-1] + 1
            continue
        i += 1

    # Title fragments without a number: the first page of a ficha that lost the
    # start of its title, or the top of a criteria page.
    for anchor in range(start, end):
        if kinds[anchor] not in (LABEL_INST, CRITERIA_HEADING):
            continue
        members: list[int] = []
        j = anchor - 1
        while j >= start:
            if kinds[j] == BLANK:
                j -= 1
                continue
            if kinds[j] != BODY or not _is_title_like(lines[j]):
                break
            members.append(j)
            if lines[j].startswith(" "):
                # A leading space marks the top of a page: keep walking only
                # through a title that was split into several page-top pieces.
                previous = j - 1
                while previous >= start and kinds[previous] == BLANK:
                    previous -= 1
                if not (
                    previous >= start
                    and kinds[previous] == BODY
                    and lines[previous].startswith(" ")
                    and _is_title_like(lines[previous])
                ):
                    break
            j -= 1
        if members:
            members.sort()
            for member in members:
                kinds[member] = TITLE
            blocks.append(_TitleBlock(members[0], members[-1], None, members))
    blocks.sort(key=lambda block: block.start)
    return blocks


def _title_text(doc: _Doc, block: _TitleBlock) -> tuple[str, int | None]:
    parts = [doc.lines[i] for i in block.lines if not _NUMBER_LINE.match(doc.lines[i])]
    text = _join_lines(parts, doc.words)
    footnote = None
    glued = re.search(r"(?<=[A-ZÁÉÍÓÚÑ)”\"])(\d{1,3})\.?$", text)
    if glued:
        footnote = int(glued.group(1))
        text = text[: glued.start()]
    text = text.rstrip(" .")
    repeated = re.fullmatch(r"(.+?)\s+\1", text)
    if repeated:
        text = repeated.group(1)
    return text, footnote


def _parse_criteria_row(row: str) -> tuple[dict[str, bool | None], list[str]] | None:
    decomposed = unicodedata.normalize("NFKD", row)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("\ufe0f", "")
    positions = []
    cursor = 0
    for name in CRITERIA:
        found = plain.find(name, cursor)
        if found < 0:
            return None
        positions.append((found, found + len(name)))
        cursor = found + len(name)
    values: dict[str, bool | None] = {}
    oddities: list[str] = []
    for index, name in enumerate(CRITERIA):
        segment_end = positions[index + 1][0] if index + 1 < len(CRITERIA) else len(plain)
        segment = plain[positions[index][1] : segment_end].strip()
        if not segment:
            values[name] = None
        elif segment in PASS_MARKS:
            values[name] = True
        elif segment in FAIL_MARKS:
            values[name] = False
        else:
            values[name] = None
            oddities.append(f"{CRITERIA_LABELS[name]}: «{segment}»")
    return values, oddities


def _paragraphs(doc: _Doc, indices: list[int]) -> list[tuple[int, str]]:
    """Group body lines into paragraphs; a blank or skipped line ends a paragraph."""
    paragraphs: list[tuple[int, str]] = []
    current: list[int] = []
    previous = None
    for index in indices:
        if current and (previous is None or index != previous + 1):
            paragraphs.append((current[0], _join_lines([doc.lines[i] for i in current], doc.words)))
            current = []
        current.append(index)
        previous = index
    if current:
        paragraphs.append((current[0], _join_lines([doc.lines[i] for i in current], doc.words)))
    return [(line, text) for line, text in paragraphs if text]


_DANGLING = frozenset("y e o de del la el los las con en a que por para al su sus un una".split())
# Words a complete sentence does not end with: the text was cut off.
_CUT_WORDS = _DANGLING | {"se", "no", "lo", "le", "les"}


def _separate_justifications(
    paragraphs: list[tuple[int, str]],
) -> dict[str, str] | None:
    if len(paragraphs) != len(CRITERIA):
        return None
    for _, text in paragraphs:
        first = text.lstrip('•·.-–“"( ')
        last_word = re.findall(r"\w+", text)[-1].casefold() if re.findall(r"\w+", text) else ""
        if first[:1].islower() or last_word in _DANGLING or text.rstrip().endswith(","):
            return None
    return {name: text for name, (_, text) in zip(CRITERIA, paragraphs, strict=True)}


def _parse_ficha(
    doc: _Doc,
    state: str,
    span: tuple[int, int],
    anchor: int,
    blocks: list[_TitleBlock],
    previous_number: int | None,
) -> ParsedPractice:
    lines, kinds = doc.lines, doc.kinds
    start, end = span
    warnings: list[str] = []
    stop = end
    for i in range(start, end):
        if kinds[i] == SOURCE_NOTE:
            stop = i
            break

    # Title and number.
    texts = [(block, *_title_text(doc, block)) for block in blocks]
    chosen_block, title, title_note = (
        max(texts, key=lambda item: len(item[1])) if texts else (None, "", None)
    )
    first_block = blocks[0] if blocks and blocks[0].start == start else None
    number = None
    if first_block and first_block.number is not None:
        number = first_block.number
    else:
        numbered = [block for block in blocks if block.number is not None]
        if numbered:
            number = numbered[0].number
            warnings.append(
                f"la ficha comienza en la línea {start + 1} sin número; se toma el {number} "
                f"impreso en la línea {numbered[0].start + 1}"
            )
        else:
            number = (previous_number or 0) + 1
            warnings.append(
                f"ninguna página de la ficha imprime su número; se infiere {number} "
                "a partir de la ficha anterior"
            )
    for block in blocks:
        if block.number is not None and block.number != number:
            warnings.append(
                f"la línea {block.start + 1} imprime el número {block.number} para esta ficha "
                f"(que comienza como {number})"
            )
    if title_note is not None:
        warnings.append(f"nota al pie {title_note} pegada al título (se omite del título)")
    folded_title = fold(title)
    for block, text, _ in texts:
        if block is chosen_block or fold(text) == folded_title or not text:
            continue
        folded = fold(text)
        if folded_title.startswith(folded):
            warnings.append(f"título repetido truncado al final en la línea {block.start + 1}")
        elif folded_title.endswith(folded):
            warnings.append(f"título truncado (falta el comienzo) en la línea {block.start + 1}")
        elif _is_subsequence(folded.split(), folded_title.split()):
            warnings.append(f"título repetido incompleto en la línea {block.start + 1}")
        else:
            warnings.append(f"título impreso de otra forma en la línea {block.start + 1}: «{text}»")
    if chosen_block is not None and chosen_block.number is None:
        warnings.append(
            "el título solo se imprime sin número y quizá truncado "
            f"(línea {chosen_block.start + 1})"
        )
    if not title:
        warnings.append("ficha sin título")

    # Labelled fields.
    def field_after(kind: str, pattern: re.Pattern, after: int) -> tuple[str, int | None, int]:
        index = next((i for i in range(after, stop) if kinds[i] == kind), None)
        if index is None:
            return "", None, after
        parts = [pattern.match(lines[index]).group(1)]
        j = index + 1
        while j < stop and kinds[j] == BODY:
            parts.append(lines[j])
            j += 1
        return _join_lines(parts, doc.words), index, j

    institution, inst_line, cursor = field_after(LABEL_INST, _LABEL_INST, anchor)
    dimension, dim_line, cursor = field_after(LABEL_DIM, _LABEL_DIM, cursor)
    population, pob_line, cursor = field_after(LABEL_POB, _LABEL_POB, cursor)
    for label, found in (
        ("INSTITUCIÓN QUE COORDINA", inst_line),
        ("DIMENSIÓN DE LA POBLACIÓN QUE ATIENDE", dim_line),
        ("POBLACIÓN OBJETIVO", pob_line),
    ):
        if found is None:
            warnings.append(f"falta el campo {label}")

    criteria_rows = [i for i in range(cursor, stop) if kinds[i] == CRITERIA_ROW]
    first_row = criteria_rows[0] if criteria_rows else stop
    desc_label = next((i for i in range(cursor, first_row) if kinds[i] == LABEL_DESC), None)
    if desc_label is not None:
        extra = [i for i in range(cursor, desc_label) if kinds[i] == BODY]
        if extra:
            population = "\n\n".join(
                [population, *(text for _, text in _paragraphs(doc, extra))]
            ).strip()
            warnings.append(
                f"texto entre POBLACIÓN OBJETIVO y la descripción (línea {extra[0] + 1}) "
                "se añade a la población objetivo"
            )
        rest = _LABEL_DESC.match(lines[desc_label]).group("rest") or ""
        body = [i for i in range(desc_label + 1, first_row) if kinds[i] == BODY]
        paragraphs = _paragraphs(doc, body)
        if rest.strip():
            if body and body[0] == desc_label + 1 and paragraphs:
                paragraphs[0] = (desc_label, _join_lines([rest, paragraphs[0][1]], doc.words))
            else:
                paragraphs.insert(0, (desc_label, squash(rest)))
    else:
        body = [i for i in range(cursor, first_row) if kinds[i] == BODY]
        paragraphs = _paragraphs(doc, body)
        if paragraphs:
            warnings.append(
                f"la descripción no lleva etiqueta (línea {paragraphs[0][0] + 1}); se toma el "
                "texto que sigue a POBLACIÓN OBJETIVO"
            )
        else:
            warnings.append("falta la descripción de la práctica")
    description = "\n\n".join(text for _, text in paragraphs)

    # Criteria and justifications.
    criteria: dict[str, bool | None] = dict.fromkeys(CRITERIA)
    justification_paragraphs: list[tuple[int, str]] = []
    if not criteria_rows:
        warnings.append("ficha incompleta: no se encontró la fila de criterios de evaluación")
    else:
        parsed = _parse_criteria_row(lines[first_row])
        if parsed is None:
            warnings.append(f"fila de criterios ilegible en la línea {first_row + 1}")
        else:
            criteria, oddities = parsed
            for name in CRITERIA:
                if criteria[name] is None:
                    warnings.append(
                        f"criterio {CRITERIA_LABELS[name]} sin marca en la línea "
                        f"{first_row + 1}: se registra como desconocido"
                    )
            for oddity in oddities:
                warnings.append(f"marca no reconocida en la línea {first_row + 1}: {oddity}")
        for reprint in criteria_rows[1:]:
            warnings.append(
                f"la fila de criterios se reimprime en la línea {reprint + 1} (salto de página)"
            )
            again = _parse_criteria_row(lines[reprint])
            if parsed is not None and (again is None or again[0] != criteria):
                warnings.append(
                    f"la fila reimpresa en la línea {reprint + 1} no coincide con la primera; "
                    "se conserva la primera"
                )
        body = [i for i in range(first_row + 1, stop) if kinds[i] == BODY]
        justification_paragraphs = _paragraphs(doc, body)
        if not justification_paragraphs:
            warnings.append("ficha incompleta: sin texto de justificación de los criterios")
        else:
            last_line, last_text = justification_paragraphs[-1]
            words = re.findall(r"\w+", last_text)
            if words and words[-1].casefold() in _CUT_WORDS and last_text.rstrip()[-1].isalpha():
                warnings.append(
                    f"la justificación termina a mitad de frase («…{last_text[-30:]}», "
                    f"párrafo de la línea {last_line + 1})"
                )
    justification_text = "\n\n".join(text for _, text in justification_paragraphs)
    separated = None
    if len(criteria_rows) == 1:
        separated = _separate_justifications(justification_paragraphs)
    if separated is None:
        justifications: dict[str, str | None] = dict.fromkeys(CRITERIA)
        if justification_paragraphs:
            reason = (
                "la fila de criterios se reimprime a mitad de la ficha"
                if len(criteria_rows) > 1
                else f"{len(justification_paragraphs)} párrafos para 5 criterios"
            )
            warnings.append(f"justificaciones no separables por criterio ({reason})")
    else:
        justifications = dict(separated)

    last = max(
        (
            i
            for i in range(start, end)
            if kinds[i] not in (BLANK, HEADER, STATE_HEADING, SOURCE_NOTE)
        ),
        default=start,
    )
    return ParsedPractice(
        state=state,
        region=REGION_OF_STATE.get(state, ""),
        number=number,
        title=title,
        institution=institution,
        dimension=dimension,
        target_population=population,
        description=description,
        criteria=criteria,
        justifications=justifications,
        justification_text=justification_text,
        justifications_separated=separated is not None,
        line=start + 1,
        end_line=last + 1,
        warnings=warnings,
    )


def _is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    position = 0
    for index, word in enumerate(needle):
        is_last = index == len(needle) - 1
        while position < len(haystack) and not (
            haystack[position] == word or (is_last and haystack[position].startswith(word))
        ):
            position += 1
        if position == len(haystack):
            return False
        position += 1
    return True


def _parse_state_practices(
    doc: _Doc, section: _StateSection, warnings: list[tuple[int, str]]
) -> list[ParsedPractice]:
    if section.practices_start is None:
        warnings.append(
            (section.heading + 1, f"{section.state}: no se encontró el cuadro de prácticas")
        )
        return []
    start, end = section.practices_start, section.end
    kinds = doc.kinds
    for i in range(start, end):
        match = _CUADRO_PRACTICES.match(doc.lines[i]) if kinds[i] == HEADER else None
        if match:
            printed = _cuadro_state(doc, i, match)
            if printed and printed != section.state:
                warnings.append(
                    (i + 1, f"el cuadro nombra a {printed} dentro de la sección de {section.state}")
                )
    blocks = _mark_title_blocks(doc, start, end)
    anchors = [i for i in range(start, end) if kinds[i] == LABEL_INST]
    starts: list[int] = []
    for position, anchor in enumerate(anchors):
        floor = anchors[position - 1] if position else start
        candidates = [
            block
            for block in blocks
            if floor < block.end < anchor
            and all(kinds[k] in (BLANK, HEADER) for k in range(block.end + 1, anchor))
        ]
        starts.append(candidates[-1].start if candidates else anchor)
    practices: list[ParsedPractice] = []
    previous_number = None
    for position, anchor in enumerate(anchors):
        span_end = starts[position + 1] if position + 1 < len(starts) else end
        span = (starts[position], span_end)
        span_blocks = [block for block in blocks if span[0] <= block.start < span[1]]
        practice = _parse_ficha(doc, section.state, span, anchor, span_blocks, previous_number)
        if practice.line - 1 == anchor:
            practice.warnings.append("la ficha no imprime número ni título antes de sus campos")
        practices.append(practice)
        previous_number = practice.number
    numbers = [p.number for p in practices]
    for previous, practice in zip(practices, practices[1:], strict=False):
        if practice.number != previous.number + 1:
            warnings.append(
                (
                    practice.line,
                    f"{section.state}: la numeración de las fichas pasa de {previous.number} a "
                    f"{practice.number}",
                )
            )
    if numbers and numbers[0] != 1:
        warnings.append(
            (practices[0].line, f"{section.state}: la primera ficha lleva el número {numbers[0]}")
        )
    return practices


# --------------------------------------------------------------------------- figures

# A printed number: "129 mil 231", "3 769 020", "1, 212 252", "1,190,514", "3,499.1", "21424".
_NUM_BODY = r"\d{1,3}(?:\s+mil\s+\d{3})+|\d{1,3}(?:(?:,\s?|\s)\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = r"(?<![\d.,])(" + _NUM_BODY + ")"
_PCT = r"(?<![\d.,])(\d+(?:,\d{1,2}(?!\d)|\.\s?\d+)?|\.\d+)\s*%"
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
_MONTH_PERIOD = re.compile(
    r"\bentre\s+(enero|febrero|marzo)\s+y\s+(\w+)(?:\s+de)?(?:\s+(20\d\d))?", re.IGNORECASE
)


@dataclass
class _Logical:
    text: str
    segments: list[tuple[int, int]]

    def line_at(self, offset: int) -> int:
        line = self.segments[0][1]
        for start, index in self.segments:
            if start <= offset:
                line = index
        return line + 1


@dataclass
class _Group:
    kind: str  # "count" (parts add to total), "partition" (shares add to 100), "partial" (<= 100)
    total: PanoramaFigure | None = None
    parts: list[PanoramaFigure] = field(default_factory=list)


def _continues(previous: str, following: str) -> bool:
    if following.startswith("•") or re.match(r"\d+\.\s", following):
        return False
    if previous.endswith(":"):
        return False
    if following[:1].islower() or previous.endswith(","):
        return True
    if re.match(r"^[A-ZÁÉÍÓÚ][^:]{0,60}:\s*(?:\d|$)", following):
        return False  # "Venezuela: 5 236" or "Población nacida en otros países: 62 817"
    if len(previous) < 60 or previous.endswith((".", ";")):
        # Short lines are list items or table labels; they wrap only before lower case.
        return False
    # A long line cut at the page width continues on the next one.
    return len(previous) >= 90 or bool(re.search(r"(?<![\w.])[a-záéíóúñü]+$", previous))


def _logical_lines(doc: _Doc, start: int, end: int) -> list[_Logical]:
    result: list[_Logical] = []
    current: _Logical | None = None
    for i in range(start, end):
        if doc.kinds[i] != BODY:
            current = None
            continue
        text = squash(doc.lines[i])
        if current is not None and _continues(current.text, text):
            current.segments.append((len(current.text) + 1, i))
            current.text = f"{current.text} {text}"
        else:
            current = _Logical(text, [(0, i)])
            result.append(current)
    return result


def _sentence_at(text: str, position: int) -> str:
    start = text.rfind(". ", 0, position) + 1
    end = text.find(". ", position)
    return text[start : end if end >= 0 else len(text)]


def _period_between(text: str) -> str:
    match = _MONTH_PERIOD.search(text)
    if not match:
        return ""
    first, last, year = match.groups()
    return f"{first} a {last}" + (f" de {year}" if year else "")


class _FigureExtractor:
    """Read the figures that the national, regional and state panoramas print."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        self.figures: list[PanoramaFigure] = []
        self.groups: list[_Group] = []
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

    def _add(
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
        logicals = _logical_lines(self.doc, start, end)
        for ll in logicals:
            text = ll.text
            match = re.search(
                r"Alrededor de (\d+ millones) de mexicanas y mexicanos\s+vivían en el extranjero "
                r"en (\d{4})",
                text,
            )
            if match:
                self._add(
                    scope="México",
                    scope_kind="nacional",
                    indicator="Personas mexicanas que viven en el extranjero",
                    printed=match.group(1),
                    unit="personas",
                    period=match.group(2),
                    line=ll.line_at(match.start(1)),
                    source=self._inline_source(_sentence_at(text, match.start())),
                    flags=("approximate",),
                )
        # The census totals are printed in footnotes of this section and the next.
        for number, (index, text) in sorted(self.doc.footnotes.items()):
            if not start <= index < end + 160:
                continue
            for pattern, period in (
                (r"en (2010) se contaba con un registro de " + _NUM + r" personas", None),
                (r"para (2020), esta cifra aumentó a " + _NUM + r" personas", None),
                (
                    r"total nacional de personas nacidas en otro país que residen en México "
                    r"corresponde a " + _NUM,
                    "2020",
                ),
            ):
                match = re.search(pattern, text)
                if not match:
                    continue
                groups = match.groups()
                printed = groups[-1]
                self._add(
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

    def _inline_source(self, text: str) -> str:
        match = _INLINE_CITATION.search(text)
        return match.group(1).strip() if match else ""

    # ----------------------------------------------------------------- regions

    _REGION_RULES = (
        (
            r"personas extranjeras que residen en México \(" + _PCT + r"(\d{1,2})?\)",
            "Población extranjera residente en México, porcentaje del total nacional",
        ),
        (
            r"el " + _PCT + r"(\d{1,2})? de la población extranjera que reside en México",
            "Población extranjera residente en México, porcentaje del total nacional",
        ),
        (
            r"tránsito irregular con el " + _PCT + r"(\d{1,2})?",
            "Migración en tránsito irregular, porcentaje del total nacional",
        ),
        (
            r"y el " + _PCT + r"(\d{1,2})? de la migración en tránsito irregular",
            "Migración en tránsito irregular, porcentaje del total nacional",
        ),
        (
            r"concentra el " + _PCT + r"(\d{1,2})? de este flujo",
            "Migración en tránsito irregular, porcentaje del total nacional",
        ),
        (
            r"retorno de personas migrantes mexicanas desde Estados Unidos en un "
            + _PCT
            + r"(\d{1,2})?",
            "Retorno de personas mexicanas desde Estados Unidos, porcentaje del total nacional",
        ),
        (
            r"retornos de personas mexicanas, el cual alcanza el " + _PCT + r"(\d{1,2})?",
            "Retorno de personas mexicanas desde Estados Unidos, porcentaje del total nacional",
        ),
        (
            r"concentrando el " + _PCT + r"(\d{1,2})? del total nacional de emigraciones",
            "Emigración, porcentaje del total nacional",
        ),
        (
            r"participación de personas emigrantes \(" + _PCT + r"(\d{1,2})?\)",
            "Emigración, porcentaje del total nacional",
        ),
        (
            r"búsqueda de trabajo es la más destacada, con el porcentaje más alto en la región "
            r"correspondiente al " + _PCT,
            "Emigración por búsqueda de trabajo, porcentaje en la región",
        ),
    )

    def region(self, name: str, start: int, end: int) -> None:
        logicals = _logical_lines(self.doc, start, end)
        joined = _Logical("", [])
        for ll in logicals:
            offset = len(joined.text) + (1 if joined.text else 0)
            joined.segments.extend((offset + s, index) for s, index in ll.segments)
            joined.text = f"{joined.text} {ll.text}" if joined.text else ll.text
        if not joined.segments:
            return
        text = joined.text
        for pattern, indicator in self._REGION_RULES:
            for match in re.finditer(pattern, text):
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
                source = self._inline_source(text[match.end() : match.end() + 40])
                if footnote and self.citations.get(int(footnote)):
                    source = self.citations[int(footnote)]
                figure = self._add(
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
            self.groups.append(_Group("partial", None, figures))

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
        state = _StateFigures(
            self, name, start, end, frozenset(defined), frozenset(defined - referenced)
        )
        state.run()

    def check(self) -> None:
        for group in self.groups:
            _check_group(group)
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


def _check_group(group: _Group) -> None:
    parts = [part for part in group.parts if part.value is not None]
    if not parts:
        return
    total = sum((part.value for part in parts), Decimal(0))
    flagged: list[PanoramaFigure] = []
    if group.kind == "count" and group.total is not None and group.total.value is not None:
        if len(parts) >= 2 and total != group.total.value:
            flagged = [group.total, *group.parts]
            flag = "parts_do_not_add_up"
    elif group.kind == "partition" and len(parts) >= 2:
        if abs(total - 100) > Decimal("0.5"):
            flagged, flag = list(group.parts), "shares_do_not_add_up"
    elif group.kind == "partial" and total > Decimal("100.5"):
        flagged, flag = list(group.parts), "shares_do_not_add_up"
    for figure in flagged:
        if flag not in figure.flags:
            figure.flags.append(flag)


_ROW_LABEL = re.compile(
    r"^(?:(?P<poblacion>Población(?:\s+[Tt]otal)?)\s+(?=Cuenta)"
    r"|(?P<emigracion>Emigración)(?P<fn_e>\d{1,3})?(?=\s|$)"
    r"|(?P<inmigracion>Inmigración)(?P<fn_i>\d{1,3})?(?=\s|$)"
    r"|(?P<estadisticas>Estad[ií]sticas?(?=\d|\b)|Datos de la\b)"
    r"|(?P<causas>Causas de\b))\s*"
)
_RESIDENCE_ITEM = re.compile(
    r"^(?P<label>(?:Tarjetas de )?[Rr]esiden(?:te|cia)s?\s+(?:[Tt]emporal|[Pp]ermanente)s?"
    r"(?:\s+\w+)?)\s*:?\s*(?P<raw>\d[\d\s,.l]*?)(?:\s+en\s+la\s+(?:CDMX|entidad)\S*)?\s*\.?$"
)
_RESIDENCE_NUMBER_FIRST = re.compile(r"^(?P<raw>" + _NUM_BODY + r")\s+(?P<label>residencias\s+\w+)")
_IRREGULAR_ITEM = re.compile(
    r"^(?P<label>[^:]*?(?:presentad|deportaci|retorno asistido)[^:]*?)\s*:\s*"
    r"(?P<raw>\d{1,3}(?:(?:,\s?|\s)\d{3})+|\d+)(?P<tail>\D.*)?$",
    re.IGNORECASE,
)
_NAME_VALUE = re.compile(
    r"^(?P<name>[A-ZÁÉÍÓÚÑ][^:]*?)\s*:\s*(?P<raw>\d[\d\s,.]*?)(?:\s*personas)?\s*\.?$"
)
_CAUSE_ITEM = re.compile(r"^(?P<label>[A-ZÁÉÍÓÚÑ][^,:%\d]*?)\s*[,:]?\s+" + _PCT + r"\s*$")


def _residence_indicator(label: str) -> str:
    folded = fold(label)
    if "temporal" in folded:
        return "Tarjetas de residente temporal emitidas"
    if "renov" in folded:
        return "Tarjetas de residente permanente renovadas"
    return "Tarjetas de residente permanente emitidas"


def _irregular_indicator(label: str) -> str:
    folded = fold(label)
    if "menor" in folded:
        return "Menores de 18 años devueltos por retorno asistido"
    if "deportacion y retorno" in folded:
        return "Extranjeros devueltos por deportación y retorno asistido"
    if "presentad" in folded:
        return "Extranjeros presentados ante la autoridad migratoria"
    if "deportacion" in folded:
        return "Extranjeros devueltos por deportación"
    return "Extranjeros devueltos por retorno asistido"


class _StateFigures:
    """Walk one state's panorama rows in order and apply the recognised statements."""

    def __init__(
        self,
        owner: _FigureExtractor,
        name: str,
        start: int,
        end: int,
        defined: frozenset[int],
        known: frozenset[int],
    ) -> None:
        self.owner = owner
        self.name = name
        self.start = start
        self.end = end
        self.defined = defined
        self.known = known
        self.row = ""
        self.row_source = ""
        self.row_period = ""
        self.list_kind = ""
        self.list_group: _Group | None = None
        self.country = ""
        self.row_just_opened = False
        self.row_serial = 0
        self.entries_total: PanoramaFigure | None = None
        self.current: list[PanoramaFigure] = []
        self.cbp_sectors: list[tuple[PanoramaFigure, PanoramaFigure]] = []
        self.row_of: dict[int, int] = {}
        self.fuente: list[tuple[int, int, str]] = []  # (line, row serial, source)

    # ----------------------------------------------------------------- plumbing

    def add(
        self,
        ll: _Logical,
        offset: int,
        indicator: str,
        printed: str,
        unit: str,
        *,
        about: str = "",
        period: str | None = None,
        flags: tuple[str, ...] = (),
        source: str = "",
        number_text: str | None = None,
    ) -> PanoramaFigure:
        flags = tuple(flags)
        if (self.row, about) in (("emigracion", "inmigracion"), ("inmigracion", "emigracion")):
            flags += ("labels_swapped",)
        if period is None:
            period = self.row_period
        elif period and not self.row_period and self.row == "estadisticas":
            # "Durante el periodo de referencia": the panel's later statements share
            # the period its first statement prints.
            self.row_period = period
        figure = self.owner._add(
            scope=self.name,
            scope_kind="estado",
            indicator=indicator,
            printed=printed,
            unit=unit,
            period=period,
            line=ll.line_at(offset),
            known=self.known,
            source=source or self.row_source,
            flags=flags,
            number_text=number_text,
        )
        self.current.append(figure)
        self.row_of[id(figure)] = self.row_serial
        return figure

    def group(self, kind: str, total: PanoramaFigure | None = None) -> _Group:
        group = _Group(kind, total)
        self.owner.groups.append(group)
        return group

    def run(self) -> None:
        doc = self.owner.doc
        logicals = _logical_lines(doc, self.start, self.end)
        index = 0
        while index < len(logicals):
            ll = logicals[index]
            index += 1
            text = ll.text
            if re.match(r"^(Nombre(\s+del estado)?|del estado)\b", text) or (
                _state_from_heading(text) and len(text) < 30
            ):
                continue
            if text.startswith("Fuente:"):
                cited = text.split(":", 1)[1].strip().rstrip(".")
                self.fuente.append((ll.segments[0][1] + 1, self.row_serial, cited))
                continue
            match = _ROW_LABEL.match(text)
            content_offset = 0
            if match:
                label_text = text
                kind = next(
                    k
                    for k in ("poblacion", "emigracion", "inmigracion", "estadisticas", "causas")
                    if match.group(k)
                )
                if kind in ("estadisticas", "causas"):
                    while (
                        index < len(logicals)
                        and len(logicals[index].text) <= 30
                        and not logicals[index].text.startswith("•")
                        and not re.match(r"\d+\.\s", logicals[index].text)
                    ):
                        label_text = f"{label_text} {logicals[index].text}"
                        index += 1
                    content_offset = len(text)
                else:
                    content_offset = match.end()
                self.start_row(kind, label_text, match)
                if content_offset >= len(text):
                    continue
            self.current = []
            body = text[content_offset:]
            strip = re.match(r"^(?:•\s*|\d+\.\s+)", body)
            if strip:
                content_offset += strip.end()
            self.apply(ll, content_offset)
            self.assign_trailing_footnote(ll)
            for figure in self.current:
                if figure.footnote is not None:
                    self.national_from_footnote(figure.footnote)
        self.after()

    def start_row(self, kind: str, label_text: str, match: re.Match) -> None:
        if kind in ("emigracion", "inmigracion") and self.row in ("emigracion", "inmigracion"):
            if self.row != kind and self.row_just_opened:
                kind = "ambas"
        self.row = kind
        self.row_serial += 1
        self.row_just_opened = True
        self.list_kind = ""
        self.row_source = ""
        self.row_period = ""
        footnote = None
        glued = match.group("fn_e") or match.group("fn_i")
        if glued and int(glued) in self.defined:
            footnote = int(glued)
        year_glued = re.search(r"\b(20[0-2]\d)(\d{1,3})\b", label_text)
        if year_glued and int(year_glued.group(2)) in self.defined:
            footnote = int(year_glued.group(2))
            label_text = label_text.replace(year_glued.group(0), year_glued.group(1))
        word_glued = re.search(r"(?:[^\W\d_]|\.)(\d{1,3})\s*$", label_text)
        if word_glued and int(word_glued.group(1)) in self.defined:
            footnote = int(word_glued.group(1))
        if footnote is not None:
            self.row_source = self.owner.citations.get(footnote, "")
        if not self.row_source and "UPMRIP" in label_text:
            self.row_source = "UPMRIP"
        period = re.search(r"(enero\s+a\s+\w+)\s+((?:de\s+)?20\d\d)", label_text)
        if period:
            self.row_period = f"{period.group(1)} {period.group(2)}"

    def assign_trailing_footnote(self, ll: _Logical) -> None:
        match = re.search(r"(?:(?<=[^\W\d_])|(?<=[.)]))\s?(\d{1,3})\.?\s*$", ll.text)
        if not match or int(match.group(1)) not in self.defined:
            return
        number = int(match.group(1))
        sentence_start = ll.text.rfind(". ", 0, match.start()) + 1
        citation = self.owner.citations.get(number, "")
        for figure in self.current:
            if figure.footnote is not None or figure.line < ll.line_at(sentence_start):
                continue
            figure.footnote = number
            if citation:
                figure.source_cited = citation
        self.national_from_footnote(number)

    def national_from_footnote(self, number: int) -> None:
        """Read the figure a called note prints (a national total, a share, a municipality)."""
        if number in self.owner.notes_read or number not in self.defined:
            return
        self.owner.notes_read.add(number)
        index, text = self.owner.doc.footnotes[number]
        referencing = [
            f for f in self.owner.figures if f.footnote == number and f.scope == self.name
        ]
        share = re.search(_PCT + r"\s+del total de (?:entradas|registros)", text)
        if share:
            figure = self.owner._add(
                scope=self.name,
                scope_kind="estado",
                indicator="Entradas registradas, porcentaje del total nacional",
                printed=share.group(0).split("%")[0] + "%",
                number_text=share.group(1),
                unit="%",
                period=self.row_period,
                line=self.owner.note_line(index, share.group(0)),
                source=self.row_source,
                flags=(f"in_footnote_{number}",),
            )
            self.owner.share_checks.append((figure, self.entries_total))
            return
        located = re.match(r"^" + _NUM + r"\s+ocurrieron en el municipio de\s+(.+?)\.?$", text)
        if located and referencing:
            self.owner._add(
                scope=self.name,
                scope_kind="estado",
                indicator=f"{referencing[0].indicator}, municipio de {located.group(2)}",
                printed=located.group(1),
                unit=referencing[0].unit,
                period=referencing[0].period,
                line=self.owner.note_line(index, located.group(1)),
                source=referencing[0].source_cited,
                flags=(f"in_footnote_{number}",),
            )
            return
        national = re.search(r"(?:^|:\s*)" + _NUM + r"(?=\s|\.?$)", text)
        if not national or not (
            "en el país" in text
            or "total de entradas" in fold(text)
            or "registros" in text
            or "entradas fueron registradas" in text
        ):
            return
        if "entradas" in text or "registros" in text:
            indicator = "Entradas registradas"
        elif referencing:
            indicator = referencing[0].indicator
        else:
            return
        period = _period_between(text) or (
            "enero a junio 2021" if "enero a junio 2021" in text else ""
        )
        if not period and referencing:
            period = referencing[0].period
        figure = self.owner._add(
            scope="México",
            scope_kind="nacional",
            indicator=indicator,
            printed=national.group(1),
            unit="entradas" if indicator == "Entradas registradas" else referencing[0].unit,
            period=period,
            line=self.owner.note_line(index, national.group(1)),
            source=self.row_source,
            flags=(f"in_footnote_{number}",),
        )
        if indicator == "Entradas registradas" and self.owner.national_entries is None:
            self.owner.national_entries = figure.value

    # ----------------------------------------------------------------- statements

    def apply(self, ll: _Logical, offset: int) -> None:
        body = ll.text[offset:]
        matched = False
        for rule in (
            self.rule_population,
            self.rule_emigration,
            self.rule_born,
            self.rule_registered_born,
            self.rule_municipal_shares,
            self.rule_top_municipality,
            self.rule_immigrants,
            self.rule_entries,
            self.rule_residence_total,
            self.rule_events,
            self.rule_cbp,
            self.rule_repatriated,
            self.rule_remittances,
        ):
            matched = rule(ll, offset, body) or matched
        if not matched and not self.rule_list_intro(body):
            self.list_item(ll, offset, body)
        self.row_just_opened = False

    @staticmethod
    def pct_printed(body: str, match: re.Match, group: int) -> str:
        end = body.find("%", match.start(group))
        return body[match.start(group) : end + 1] if end >= 0 else match.group(group)

    def pct(self, ll, offset, body, match, group, indicator, **kw) -> PanoramaFigure:
        return self.add(
            ll,
            offset + match.start(group),
            indicator,
            self.pct_printed(body, match, group),
            "%",
            number_text=match.group(group),
            **kw,
        )

    def rule_population(self, ll, offset, body) -> bool:
        match = re.search(
            r"(?:un total de|una población total de)\s+" + _NUM + r"\s+personas(\s+habitantes)?",
            body,
        )
        if not match or not (match.group(2) or "población total" in match.group(0)):
            return False
        total = self.add(ll, offset + match.start(1), "Población total", match.group(1), "personas")
        sexes = re.search(
            r"el\s+"
            + _PCT
            + r"\s+son\s+(mujeres|hombres)\s+y\s+el\s+"
            + _PCT
            + r"\s+(?:son\s+)?(hombres|mujeres)",
            body,
        )
        if sexes:
            group = self.group("partition", total)
            for value_group, sex_group in ((1, 2), (3, 4)):
                group.parts.append(
                    self.pct(
                        ll,
                        offset,
                        body,
                        sexes,
                        value_group,
                        f"Población total, {sexes.group(sex_group)}",
                    )
                )
        return True

    def rule_emigration(self, ll, offset, body) -> bool:
        match = re.search(
            r"[Ee]ntre\s+(.+?),\s+"
            + _NUM
            + r"\s+personas\s+e?migraron\s+del?\s+.+?\s+a\s+otros\s+países",
            body,
        )
        jalisco = re.search(
            r"emigrantes, se registró un total de\s+"
            + _NUM
            + r"\s+personas,\s+de las cuales\s+"
            + _NUM
            + r"\s+eran hombres y\s+"
            + _NUM
            + r"\s+mujeres",
            body,
        )
        if jalisco:
            total = self.add(
                ll,
                offset + jalisco.start(1),
                "Personas que emigraron a otros países",
                jalisco.group(1),
                "personas",
                about="emigracion",
                period="",
            )
            group = self.group("count", total)
            for index, sex in ((2, "hombres"), (3, "mujeres")):
                group.parts.append(
                    self.add(
                        ll,
                        offset + jalisco.start(index),
                        f"Personas que emigraron a otros países, {sex}",
                        jalisco.group(index),
                        "personas",
                        about="emigracion",
                        period="",
                    )
                )
            return True
        if not match:
            return False
        period = re.sub(r"\s+y\s+", " a ", match.group(1).strip())
        total = self.add(
            ll,
            offset + match.start(2),
            "Personas que emigraron a otros países",
            match.group(2),
            "personas",
            about="emigracion",
            period=period,
            source=self.owner._inline_source(body),
        )
        rest_offset = match.end()
        rest = body[rest_offset:]
        counts = re.search(_NUM + r"\s+hombres\s+y\s+" + _NUM + r"\s+mujeres", rest)
        if counts:
            group = self.group("count", total)
            for index, sex in ((1, "hombres"), (2, "mujeres")):
                group.parts.append(
                    self.add(
                        ll,
                        offset + rest_offset + counts.start(index),
                        f"Personas que emigraron a otros países, {sex}",
                        counts.group(index),
                        "personas",
                        about="emigracion",
                        period=period,
                    )
                )
        shares = re.search(
            r"(?:[Ee]l\s+)?" + _PCT + r"\s+fueron\s+(hombres|mujeres)\s+y\s+(?:el\s+)?"
            r"(\d+(?:\.\d+)?)(\s*%)?\s+(hombres|mujeres)",
            rest,
        )
        if shares:
            group = self.group("partition", total)
            group.parts.append(
                self.pct(
                    ll,
                    offset + rest_offset,
                    rest,
                    shares,
                    1,
                    f"Personas que emigraron a otros países, {shares.group(2)}",
                    about="emigracion",
                    period=period,
                )
            )
            missing = () if shares.group(4) else ("percent_sign_missing",)
            group.parts.append(
                self.add(
                    ll,
                    offset + rest_offset + shares.start(3),
                    f"Personas que emigraron a otros países, {shares.group(5)}",
                    shares.group(3) + (shares.group(4) or ""),
                    "%",
                    number_text=shares.group(3),
                    about="emigracion",
                    period=period,
                    flags=missing,
                )
            )
        return True

    def rule_born(self, ll, offset, body) -> bool:
        match = re.search(_NUM + r"\s+personas\s+nacieron\s+en\s+otro\s+país", body)
        if not match:
            return False
        total = self.add(
            ll,
            offset + match.start(1),
            "Población nacida en otro país",
            match.group(1),
            "personas",
            about="inmigracion",
        )
        rest_offset = match.end()
        rest = body[rest_offset:]
        shares = list(
            re.finditer(
                _PCT
                + r"\s+(?:de\s+ellas\s+)?en\s+(otros países|[A-ZÁÉÍÓÚ]\w*(?:\s+[A-ZÁÉÍÓÚ]\w*)*)",
                rest,
            )
        )
        if shares:
            group = self.group("partition", total)
            for share in shares:
                group.parts.append(
                    self.pct(
                        ll,
                        offset + rest_offset,
                        rest,
                        share,
                        1,
                        f"Población nacida en otro país, originaria de {share.group(2)}",
                        about="inmigracion",
                    )
                )
        else:
            self.list_kind = "born"
            self.list_group = self.group("count", total)
        return True

    def rule_registered_born(self, ll, offset, body) -> bool:
        match = re.search(
            r"tiene registradas\s+" + _NUM + r"\s+personas nacidas en otros países", body
        )
        if match:
            year = re.search(r"Para (\d{4})", body)
            period = year.group(1) if year else ""
            self.add(
                ll,
                offset + match.start(1),
                "Población nacida en otro país",
                match.group(1),
                "personas",
                about="inmigracion",
                period=period,
            )
            rest_offset = match.end()
            rest = body[rest_offset:]
            share = re.search(
                r"^;\s*(?:de estas\s+)?"
                + _PCT
                + r"\s+(?:nacidas\s+)?en\s+(Estados Unidos de América)",
                rest,
            )
            if share:
                self.pct(
                    ll,
                    offset + rest_offset,
                    rest,
                    share,
                    1,
                    f"Población nacida en otro país, originaria de {share.group(2)}",
                    about="inmigracion",
                    period=period,
                )
            return True
        listed = re.match(r"^Población nacida en otros países:\s*(?:" + _NUM + r")?\s*$", body)
        if not listed:
            return False
        if listed.group(1):
            total = self.add(
                ll,
                offset + listed.start(1),
                "Población nacida en otro país",
                listed.group(1),
                "personas",
                about="inmigracion",
            )
            if self.list_kind == "born" and self.list_group and self.list_group.total is None:
                self.list_group.total = total
                return True
            self.list_group = self.group("count", total)
        else:
            self.list_group = self.group("count", None)
        self.list_kind = "born"
        return True

    def rule_municipal_shares(self, ll, offset, body) -> bool:
        match = re.search(r"Municipios de\s+(.+?)\s+concentran el\s+(.+?),\s+respectivamente", body)
        if not match:
            return False
        names = [name.strip() for name in re.split(r",\s*|\s+y\s+", match.group(1)) if name.strip()]
        values = list(re.finditer(_PCT, match.group(2)))
        if len(names) != len(values):
            self.owner.warnings.append(
                (
                    ll.line_at(offset + match.start()),
                    f"{self.name}: porcentajes municipales sin pareja",
                )
            )
            return True
        group = self.group("partial")
        base = offset + match.start(2)
        for name, value in zip(names, values, strict=True):
            group.parts.append(
                self.pct(
                    ll,
                    base,
                    match.group(2),
                    value,
                    1,
                    f"Población nacida en otro país, municipio de {name}",
                    about="inmigracion",
                    period=self.last_registered_period(),
                )
            )
        return True

    def rule_top_municipality(self, ll, offset, body) -> bool:
        match = re.search(
            r"[Mm]unicipio\b[^.]*?\bes\s+(.+?),\s+con\s+" + _NUM + r"\s+personas", body
        )
        if not match:
            return False
        self.add(
            ll,
            offset + match.start(2),
            f"Población nacida en otro país, municipio de {match.group(1).strip()}",
            match.group(2),
            "personas",
            about="inmigracion",
        )
        return True

    def last_registered_period(self) -> str:
        for figure in reversed(self.owner.figures):
            if figure.scope == self.name and figure.indicator == "Población nacida en otro país":
                return figure.period
        return ""

    def rule_immigrants(self, ll, offset, body) -> bool:
        match = re.search(
            r"registró en (\d{4}) un total de\s+" + _NUM + r"\s+inmigrantes internacionales", body
        )
        if not match:
            return False
        period = match.group(1)
        self.add(
            ll,
            offset + match.start(2),
            "Inmigrantes internacionales",
            match.group(2),
            "personas",
            about="inmigracion",
            period=period,
        )
        share = re.search(
            r"el\s+" + _PCT + r"\s+corresponden a\s+(Estados Unidos de América)", body
        )
        if share:
            self.pct(
                ll,
                offset,
                body,
                share,
                1,
                f"Inmigrantes internacionales, originarios de {share.group(2)}",
                about="inmigracion",
                period=period,
            )
        return True

    def rule_entries(self, ll, offset, body) -> bool:
        match = re.search(r"un total de\s+" + _NUM + r"\s+(?:entradas|registros de entrada)", body)
        if not match:
            return False
        period = _period_between(body) or self.row_period
        total = self.add(
            ll,
            offset + match.start(1),
            "Entradas registradas",
            match.group(1),
            "entradas",
            period=period,
        )
        self.entries_total = total
        share = re.search(_PCT + r"\s+del\s+total\s+de\s+(?:registros|entradas)", body)
        if share:
            figure = self.pct(
                ll,
                offset,
                body,
                share,
                1,
                "Entradas registradas, porcentaje del total nacional",
                period=period,
            )
            self.owner.share_checks.append((figure, total))
        self.list_kind = "entries"
        self.list_group = self.group("count", total)
        return True

    def rule_residence_total(self, ll, offset, body) -> bool:
        match = re.search(
            r"Un total de\s+" + _NUM + r"\s+personas extranjeras(?:\s+en\s+(?P<a>[^,]+?))?\s+"
            r"obtuvieron un tipo de residencia(?:\s+en\s+(?P<b>[A-ZÁÉÍÓÚ][\wáéíóú ]+?))?"
            r"(?:\s+en\s+\d{4})?\s*:",
            body,
        )
        if not match:
            return False
        flags: tuple[str, ...] = ()
        for printed in (match.group("a"), match.group("b")):
            named = _state_from_heading(printed) if printed else None
            if printed and named != self.name:
                flags = ("wrong_state_in_text",)
                self.owner.warnings.append(
                    (
                        ll.line_at(offset + match.start()),
                        f"{self.name}: el panorama atribuye sus residencias a «{printed}»",
                    )
                )
        total = self.add(
            ll,
            offset + match.start(1),
            "Personas extranjeras que obtuvieron residencia",
            match.group(1),
            "personas",
            flags=flags,
        )
        self.list_kind = "residence"
        self.list_group = self.group("count", total)
        return True

    def rule_events(self, ll, offset, body) -> bool:
        found = False
        presented = re.search(
            r"se registraron\s+"
            + _NUM
            + r"\s+eventos\s+de\s+(?:presentación de extranjeros|extranjeros presentados)",
            body,
            re.IGNORECASE,
        )
        if presented:
            self.add(
                ll,
                offset + presented.start(1),
                "Extranjeros presentados ante la autoridad migratoria",
                presented.group(1),
                "eventos",
            )
            found = True
        returned = re.search(
            r"Se ha(?:n)? realizado\s+"
            + _NUM
            + r"\s+eventos?\s+de\s+deportación,\s+"
            + _NUM
            + r"\s+retornos asistidos\s+y\s+(\d+)\s*retornos asistidos de menores de edad",
            body,
        )
        if returned:
            for index, indicator in (
                (1, "Extranjeros devueltos por deportación"),
                (2, "Extranjeros devueltos por retorno asistido"),
                (3, "Menores de 18 años devueltos por retorno asistido"),
            ):
                self.add(
                    ll, offset + returned.start(index), indicator, returned.group(index), "eventos"
                )
            found = True
        cards = re.search(r"se emitieron\s+" + _NUM + r"\s+tarjetas de residencia temporal", body)
        if cards:
            self.add(
                ll,
                offset + cards.start(1),
                "Tarjetas de residente temporal emitidas",
                cards.group(1),
                "tarjetas",
            )
            found = True
        permanent = re.search(
            r"se emitieron\s+"
            + _NUM
            + r"\s+Tarjetas de Residente Permanente\S*\s+y\s+renovaron\s+"
            + _NUM,
            body,
        )
        if permanent:
            self.add(
                ll,
                offset + permanent.start(1),
                "Tarjetas de residente permanente emitidas",
                permanent.group(1),
                "tarjetas",
            )
            self.add(
                ll,
                offset + permanent.start(2),
                "Tarjetas de residente permanente renovadas",
                permanent.group(2),
                "tarjetas",
            )
            found = True
        return found

    def rule_cbp(self, ll, offset, body) -> bool:
        sector = re.search(
            r"Sector de ([\w ]+?), Texas, del año fiscal \d{4} \((.+?)\): "
            r"Expulsiones por Título 42, "
            + _NUM
            + r"(?: personas)?; Aprehensiones por Título 8, "
            + _NUM
            + r"(?: personas)?\. Total,? "
            + _NUM
            + r" encuentros",
            body,
        )
        if sector:
            name, period = sector.group(1), sector.group(2)
            prefix = f"Encuentros con la Patrulla Fronteriza, sector {name}"
            total = self.add(
                ll,
                offset + sector.start(5),
                f"{prefix}: total",
                sector.group(5),
                "encuentros",
                period=period,
            )
            group = self.group("count", total)
            expelled = self.add(
                ll,
                offset + sector.start(3),
                f"{prefix}: expulsiones por Título 42",
                sector.group(3),
                "personas",
                period=period,
            )
            group.parts += [
                expelled,
                self.add(
                    ll,
                    offset + sector.start(4),
                    f"{prefix}: aprehensiones por Título 8",
                    sector.group(4),
                    "personas",
                    period=period,
                ),
            ]
            self.cbp_sectors.append((total, expelled))
            return True
        both = re.search(r"se ha registrado un total de\s+" + _NUM + r"\s+encuentros", body)
        if both and self.cbp_sectors:
            total = self.add(
                ll,
                offset + both.start(1),
                "Encuentros con la Patrulla Fronteriza, sectores El Paso y Big Bend: total",
                both.group(1),
                "encuentros",
                period=self.cbp_sectors[0][0].period,
                source=self.cbp_sectors[0][0].source_cited,
            )
            self.group("count", total).parts.extend(t for t, _ in self.cbp_sectors)
            return True
        entered = re.search(r"un total de\s+" + _NUM + r"\s+internaciones", body)
        if entered and self.cbp_sectors:
            total = self.add(
                ll,
                offset + entered.start(1),
                "Internaciones probables por la frontera de Chihuahua (expulsiones por Título 42)",
                entered.group(1),
                "internaciones",
                period=self.cbp_sectors[0][0].period,
                source=self.cbp_sectors[0][0].source_cited,
            )
            self.group("count", total).parts.extend(e for _, e in self.cbp_sectors)
            return True
        return False

    def rule_repatriated(self, ll, offset, body) -> bool:
        match = re.search(
            r"Un total de\s+"
            + _NUM
            + r"\s+personas originarias de\s+.+?,\s+fueron repatriadas desde "
            r"Estados Unidos,\s+entre ellas\s+"
            + _NUM
            + r"\s+[Hh]ombres,\s+"
            + _NUM
            + r"\s+[Mm]ujeres:?\s+y\s+"
            + _NUM
            + r"\s+(?:personas?\s+)?menor(?:es)?\s+de\s+18\s+años",
            body,
        )
        if not match:
            return False
        indicator = "Personas repatriadas desde Estados Unidos"
        total = self.add(ll, offset + match.start(1), indicator, match.group(1), "personas")
        group = self.group("count", total)
        for index, suffix in ((2, "hombres"), (3, "mujeres")):
            group.parts.append(
                self.add(
                    ll,
                    offset + match.start(index),
                    f"{indicator}, {suffix}",
                    match.group(index),
                    "personas",
                )
            )
        self.add(
            ll,
            offset + match.start(4),
            f"{indicator}, menores de 18 años",
            match.group(4),
            "personas",
        )
        return True

    def rule_remittances(self, ll, offset, body) -> bool:
        match = re.search(r"remesas con\s+" + _NUM + r"\s+millones de dólares", body)
        if not match:
            return False
        self.add(
            ll,
            offset + match.start(1),
            "Remesas recibidas",
            match.group(1),
            "millones de dólares",
            period="",
            source=self.owner._inline_source(body),
        )
        return True

    def rule_list_intro(self, body: str) -> bool:
        folded = fold(body)
        intros = (
            ("inmigrantes internacionales por pais de origen", "country_causes"),
            ("demarcaciones territoriales con mayor porcentaje", "demarcation"),
            ("con mas personas nacidas en otro pais", "municipality"),
            ("principal causa de migracion", "main_cause"),
            ("principales causas", "causes"),
            ("no documentada", "irregular"),
            ("acciones de proteccion", "beta"),
            ("condiciones de estancia", "residence"),
        )
        for phrase, kind in intros:
            if phrase in folded:
                self.list_kind = kind
                self.list_group = self.group("partial" if kind == "causes" else "count")
                return True
        return False

    def list_item(self, ll, offset, body) -> None:
        body = body.strip()
        residence = _RESIDENCE_ITEM.match(body) or _RESIDENCE_NUMBER_FIRST.match(body)
        if residence:
            figure = self.add(
                ll,
                offset + residence.start("raw"),
                _residence_indicator(residence.group("label")),
                residence.group("raw").strip(),
                "tarjetas",
            )
            if self.list_kind == "residence" and self.list_group is not None:
                self.list_group.parts.append(figure)
            return
        irregular = _IRREGULAR_ITEM.match(body)
        if irregular:
            label = f"{irregular.group('label')} {irregular.group('tail') or ''}"
            period = _period_between(irregular.group("label"))
            if not period and re.search(r"entre enero y (\w+)\s*$", irregular.group("label")):
                month = re.search(r"entre enero y (\w+)\s*$", irregular.group("label")).group(1)
                period = f"enero a {month}"
            flags = ()
            months = re.compile(r"enero|febrero|marzo|abril|mayo|junio|julio|agosto")
            if (
                period
                and self.row_period
                and months.findall(fold(period)) != months.findall(fold(self.row_period))
            ):
                flags = ("period_differs_from_section",)
            unit = "eventos" if "evento" in fold(label) else "personas"
            self.add(
                ll,
                offset + irregular.start("raw"),
                _irregular_indicator(label),
                irregular.group("raw"),
                unit,
                period=period or None,
                flags=flags,
            )
            return
        if self.list_kind == "beta":
            beta = re.match(
                _NUM + r"\s+(orientaciones|rescates|acciones de asistencia social)", body
            )
            if beta:
                self.add(
                    ll,
                    offset + beta.start(1),
                    f"Acciones de protección de los Grupos Beta: {beta.group(2)}",
                    beta.group(1),
                    "acciones",
                )
            return
        if self.list_kind == "demarcation":
            self.demarcations(ll, offset, body)
            return
        if self.list_kind == "country_causes":
            self.country_cause(ll, offset, body)
            return
        cause = _CAUSE_ITEM.match(body)
        if cause and (self.list_kind in ("causes", "main_cause") or self.row == "causas"):
            prefix = (
                "Principal causa de la migración"
                if self.list_kind == "main_cause"
                else ("Causa de la migración")
            )
            figure = self.pct(
                ll, offset, body, cause, 2, f"{prefix}: {cause.group('label').strip()}"
            )
            if self.list_kind != "main_cause":
                if self.list_group is None or self.list_group.kind != "partial":
                    self.list_group = self.group("partial")
                self.list_group.parts.append(figure)
            return
        item = _NAME_VALUE.match(body)
        if not item:
            return
        name = item.group("name").strip().rstrip(".")
        if name.count("(") > name.count(")"):
            name += ")"
        if fold(name) == "otros paises":
            name = "otros países"
        if self.list_kind == "born":
            indicator, unit = f"Población nacida en otro país, originaria de {name}", "personas"
        elif self.list_kind == "entries":
            indicator, unit = f"Entradas registradas, {name}", "entradas"
        elif self.list_kind == "municipality":
            indicator, unit = f"Población nacida en otro país, municipio de {name}", "personas"
        else:
            return
        figure = self.add(ll, offset + item.start("raw"), indicator, item.group("raw"), unit)
        if self.list_group is not None and self.list_kind in ("born", "entries"):
            self.list_group.parts.append(figure)

    def demarcations(self, ll, offset, body) -> None:
        for piece in re.finditer(r"[^%]+%", body):
            text = piece.group(0)
            base = offset + piece.start()
            lead = len(text) - len(text.lstrip())
            text, base = text.strip(), base + lead
            if ":" in text:
                municipality, rest = text.split(":", 1)
                rest_offset = len(municipality) + 1
            else:
                head = re.match(r"((?:[A-ZÁÉÍÓÚ][\wáéíóúñ.]*\s+)+)", text)
                if not head:
                    continue
                municipality, rest = head.group(1), text[head.end() :]
                rest_offset = head.end()
            value = re.search(_PCT + r"\s*$", rest)
            if not value:
                continue
            cause = rest[: value.start()].strip().rstrip(",")
            flags = () if cause else ("label_missing",)
            self.pct(
                ll,
                base + rest_offset,
                rest,
                value,
                1,
                "Demarcación con mayor porcentaje por causa de inmigración "
                f"({cause or 'causa no impresa'}): {municipality.strip()}",
                flags=flags,
            )

    def country_cause(self, ll, offset, body) -> None:
        cause = re.match(r"^Causa(?: de la migración)?:\s*(?P<label>[^\d%]+?),?\s*" + _PCT, body)
        if cause:
            self.pct(
                ll,
                offset,
                body,
                cause,
                2,
                f"Inmigrantes internacionales originarios de {self.country}: principal causa "
                f"({cause.group('label').strip()})",
            )
            return
        count = re.match(r"^(?P<name>[A-ZÁÉÍÓÚ][\w ]*?):\s*(?P<raw>\d[\d\s,.]*)?$", body)
        if count:
            self.country = count.group("name").strip()
            raw = (count.group("raw") or "").strip()
            self.add(
                ll,
                offset + (count.start("raw") if raw else count.end()),
                f"Inmigrantes internacionales, originarios de {self.country}",
                raw,
                "personas",
                flags=() if raw else ("value_missing",),
            )

    def after(self) -> None:
        # A "Fuente:" line under a list cites the figures printed above it in its row.
        for figure in self.owner.figures:
            serial = self.row_of.get(id(figure))
            if figure.source_cited or serial is None:
                continue
            later = [c for line, row, c in self.fuente if row == serial and line > figure.line]
            if later:
                figure.source_cited = later[0]
        presented = [
            figure
            for figure in self.owner.figures
            if figure.scope == self.name
            and figure.indicator == "Extranjeros presentados ante la autoridad migratoria"
        ]
        if len({figure.value for figure in presented}) > 1:
            for figure in presented:
                figure.flags.append("conflicting_values")
            self.owner.warnings.append(
                (
                    presented[0].line,
                    f"{self.name}: el panorama da cifras distintas de extranjeros presentados "
                    f"({', '.join(f.value_as_printed for f in presented)})",
                )
            )


# --------------------------------------------------------------------------- entry point


def _validate(text: str) -> None:
    if not isinstance(text, str):
        raise PracticesFormatError("Se esperaba el texto del estudio, no datos binarios.")
    if "\x00" in text:
        raise PracticesFormatError(
            "El texto contiene bytes nulos: parece un archivo binario (PDF, imagen…), no el texto "
            "extraído del estudio."
        )
    if not text.strip():
        raise PracticesFormatError("El texto está vacío.")
    sample = text[:65536]
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if control > len(sample) * 0.01:
        raise PracticesFormatError(
            "El texto tiene demasiados caracteres de control: parece un archivo binario."
        )
    folded = fold(text)
    if not any(marker in folded for marker in _STUDY_MARKERS):
        raise PracticesFormatError(
            "El texto no parece ser el estudio «Buenas prácticas en política migratoria desde el "
            "ámbito local» (OIM/CONOFAM): no contiene fichas de prácticas ni sus encabezados."
        )


def _extract_figures(
    doc: _Doc, sections: list[_StateSection], warnings: list[tuple[int, str]]
) -> list[PanoramaFigure]:
    extractor = _FigureExtractor(doc)
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
    doc: _Doc, section: _StateSection, stop: int, warnings: list[tuple[int, str]]
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


def parse_practices(text: str) -> PracticesParse:
    """Parse the study into practices, panorama figures and document-level warnings."""
    _validate(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = _classify(lines)
    sections, recommendations = _find_sections(doc)
    warnings: list[tuple[int, str]] = []
    practices: list[ParsedPractice] = []
    for section in sections:
        practices.extend(_parse_state_practices(doc, section, warnings))
    try:
        figures = _extract_figures(doc, sections, warnings)
    except Exception as exc:  # noqa: BLE001 - figures are secondary; never lose the practices
        figures = []
        warnings.append((1, f"no se pudieron leer las cifras de los panoramas: {exc!r}"))

    incomplete: list[tuple[int, str]] = []
    found = {section.state for section in sections}
    if len(practices) != EXPECTED_PRACTICES:
        incomplete.append(
            (
                len(lines),
                f"se esperaban {EXPECTED_PRACTICES} prácticas, se encontraron {len(practices)}",
            )
        )
    if recommendations is None:
        incomplete.append(
            (
                len(lines),
                "no se encontró la sección RECOMENDACIONES que cierra el estudio: el texto parece "
                "truncado",
            )
        )
        if practices:
            last = practices[-1]
            cut = any("ficha incompleta" in w for w in last.warnings)
            incomplete.append(
                (
                    last.line,
                    f"la última ficha ({last.state}, práctica {last.number}) "
                    + ("está incompleta" if cut else "puede estar incompleta"),
                )
            )
    missing = [name for name, _ in STATES if name not in found]
    if missing and len(missing) < len(STATES):
        incomplete.append((len(lines), "no se encontraron las secciones de: " + ", ".join(missing)))
    cuadros: dict[int, int] = {}
    for i, line in enumerate(lines):
        match = _CUADRO_PRACTICES.match(line) or _CUADRO_PANORAMA.match(line)
        if not match:
            continue
        number = int(match.group(1))
        kind = "práctica" if _CUADRO_PRACTICES.match(line) else "panorama"
        first = cuadros.setdefault(number, i)
        first_kind = "práctica" if _CUADRO_PRACTICES.match(lines[first]) else "panorama"
        if first != i and first_kind != kind:
            warnings.append(
                (
                    i + 1,
                    f"el número de CUADRO {number} se repite (ya usado en la línea {first + 1})",
                )
            )
            cuadros[number] = i
    return PracticesParse(
        practices=practices, figures=figures, warnings=warnings, incomplete=incomplete
    )
