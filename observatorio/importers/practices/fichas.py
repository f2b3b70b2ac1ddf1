"""Read the fichas of a state's table: number, title, labelled fields, criteria, justifications.

What a ficha looks like, and how its number is chosen when pages lost it, is in
the package's docstring. Every anomaly is kept as a warning of the practice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from observatorio.lib.text import fold, squash

from .layout import (
    BLANK,
    BODY,
    CRITERIA_HEADING,
    CRITERIA_ROW,
    CUADRO_PRACTICES,
    DESCRIPTION_LABEL,
    DIMENSION_LABEL,
    HEADER,
    INSTITUTION_LABEL,
    LABEL_DESC,
    LABEL_DIM,
    LABEL_INST,
    LABEL_POB,
    NUMBER_LINE,
    POPULATION_LABEL,
    SOURCE_NOTE,
    STATE_HEADING,
    TITLE,
    Doc,
    StateSection,
    cuadro_state,
    is_title_like,
    join_lines,
)
from .records import CRITERIA, CRITERIA_LABELS, REGION_OF_STATE, ParsedPractice

PASS_MARKS = frozenset("✔✓✅☑")
FAIL_MARKS = frozenset("✘✗❌✖")


@dataclass
class _TitleBlock:
    start: int
    end: int
    number: int | None
    lines: list[int]


def _mark_title_blocks(doc: Doc, start: int, end: int) -> list[_TitleBlock]:
    lines, kinds = doc.lines, doc.kinds
    blocks: list[_TitleBlock] = []

    def next_nonblank(index: int) -> int | None:
        for j in range(index, end):
            if kinds[j] != BLANK:
                return j
        return None

    i = start
    while i < end:
        number = NUMBER_LINE.match(lines[i]) if kinds[i] == BODY else None
        following = next_nonblank(i + 1) if number else None
        if (
            number
            and 1 <= int(number.group(1)) <= 60
            and following is not None
            and kinds[following] == BODY
            and is_title_like(lines[following])
        ):
            members = [i]
            j = following
            while j is not None and kinds[j] == BODY and is_title_like(lines[j]):
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
            if kinds[j] != BODY or not is_title_like(lines[j]):
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
                    and is_title_like(lines[previous])
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


def _title_text(doc: Doc, block: _TitleBlock) -> tuple[str, int | None]:
    parts = [doc.lines[i] for i in block.lines if not NUMBER_LINE.match(doc.lines[i])]
    text = join_lines(parts, doc.words)
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


def _paragraphs(doc: Doc, indices: list[int]) -> list[tuple[int, str]]:
    """Group body lines into paragraphs; a blank or skipped line ends a paragraph."""
    paragraphs: list[tuple[int, str]] = []
    current: list[int] = []
    previous = None
    for index in indices:
        if current and (previous is None or index != previous + 1):
            paragraphs.append((current[0], join_lines([doc.lines[i] for i in current], doc.words)))
            current = []
        current.append(index)
        previous = index
    if current:
        paragraphs.append((current[0], join_lines([doc.lines[i] for i in current], doc.words)))
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
    doc: Doc,
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
        return join_lines(parts, doc.words), index, j

    institution, inst_line, cursor = field_after(LABEL_INST, INSTITUTION_LABEL, anchor)
    dimension, dim_line, cursor = field_after(LABEL_DIM, DIMENSION_LABEL, cursor)
    population, pob_line, cursor = field_after(LABEL_POB, POPULATION_LABEL, cursor)
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
        rest = DESCRIPTION_LABEL.match(lines[desc_label]).group("rest") or ""
        body = [i for i in range(desc_label + 1, first_row) if kinds[i] == BODY]
        paragraphs = _paragraphs(doc, body)
        if rest.strip():
            if body and body[0] == desc_label + 1 and paragraphs:
                paragraphs[0] = (desc_label, join_lines([rest, paragraphs[0][1]], doc.words))
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


def parse_state_practices(
    doc: Doc, section: StateSection, warnings: list[tuple[int, str]]
) -> list[ParsedPractice]:
    if section.practices_start is None:
        warnings.append(
            (section.heading + 1, f"{section.state}: no se encontró el cuadro de prácticas")
        )
        return []
    start, end = section.practices_start, section.end
    kinds = doc.kinds
    for i in range(start, end):
        match = CUADRO_PRACTICES.match(doc.lines[i]) if kinds[i] == HEADER else None
        if match:
            printed = cuadro_state(doc, i, match)
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
