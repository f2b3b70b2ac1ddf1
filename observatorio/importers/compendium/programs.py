"""Find the programs: numbered titles ending in ``(actor)``, then their description and blocks.

A numbered line is a *candidate* title when it ends, within a few lines, in a
parenthesised actor (or a bare acronym); :func:`choose` keeps the candidates
that continue the numbering and own ``Resultados``/``Retos`` blocks (lists
inside a program's text are numbered too); :func:`build_program` reads a
chosen title's description and blocks up to the next one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from observatorio.lib.text import fold, squash

from .lines import (
    BLANK,
    CHALLENGES,
    COMBINED,
    HEADING,
    NOTE,
    NUMBERED,
    RESULTS,
    TEXT,
    Lines,
    is_blank,
    join_lines,
)
from .records import FEDERAL, STATE, ParsedProgram

# The longest title of the 2022 edition has five lines; a longer "title" is
# running text that happens to start with a number.
MAX_TITLE_LINES = 7
# A real program whose first title lacks both blocks still has a description;
# items of a numbered list are one or two lines each.
MIN_DESCRIPTION_LINES = 3
_TITLE_END = re.compile(r"\)\s*\.?$")
# An institution printed without parentheses at the end of a title: an
# upper-case acronym, possibly joint ("... (DFI) UPMRIP-SEGOB").
_BARE_ACTOR = re.compile(r"\s([A-ZÁÉÍÓÚÑ]{2,}\d*(?:-[A-ZÁÉÍÓÚÑ]{2,}\d*)*)$")
_LONE_ACTOR = re.compile(r"^\s*\([^()]+\)\s*\.?\s*$")

# "No challenges / no results reported" statements, matched on folded text.
_NONE_STATEMENT = re.compile(
    r"^(?:no se (?:reporta|reportan|reportaron|reporto|identificaron|presentaron)\b"
    r"|ningun[oa]?\b|sin (?:retos|resultados)\b|no aplica\b|n/a\b)"
)


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


def _says_none(text: str | None) -> bool:
    """Tell whether a block is one statement that nothing was reported."""
    if not text or "\n\n" in text:
        return False
    return bool(_NONE_STATEMENT.match(fold(text)))


@dataclass
class Candidate:
    index: int  # 0-based line of the numbered title line
    number: int
    end: int  # 0-based last line of the title
    title: str
    actor: str
    bare_actor: bool
    owns_blocks: bool = False


def _stops_title(doc: Lines, j: int) -> bool:
    return doc.kind[j] in (RESULTS, CHALLENGES, COMBINED, NOTE) or bool(
        NUMBERED.match(doc.lines[j]) or HEADING.match(doc.lines[j])
    )


def _ends_paragraph(doc: Lines, j: int) -> bool:
    nxt = j + 1
    if nxt >= doc.limit:
        return True
    line = doc.lines[nxt]
    return is_blank(line) or line[0].isspace() or _stops_title(doc, nxt)


def _read_candidate(doc: Lines, i: int, number: int) -> Candidate | None:
    """Read a numbered line as a program title ending in ``(actor)``, if it is one."""
    parts: list[str] = []
    ends: list[int] = []
    j = i
    while j < doc.limit and len(parts) < MAX_TITLE_LINES:
        if j > i and _stops_title(doc, j):
            break
        if doc.kind[j] == TEXT:
            line = doc.lines[j]
            parts.append(line)
            ends.append(j)
            # A ")" closes the title only where the paragraph ends:
            # "(PROBIPI)." followed by more title text does not.
            if _TITLE_END.search(line.rstrip()) and _ends_paragraph(doc, j):
                # "... interno (DFI)" / "" / "(UPMRIP-SEGOB)": the actor
                # may stand alone after a blank line.
                actor_line = _detached_actor(doc, j)
                if actor_line is not None:
                    j = actor_line
                    parts.append(doc.lines[j])
                split = _split_actor(join_lines(parts))
                if split:
                    title, actor = split
                    title = NUMBERED.match(title).group(2) if NUMBERED.match(title) else ""
                    return Candidate(i, number, j, title, actor, bare_actor=False)
        j += 1
    # No parentheses: the institution may be printed bare at the end of the
    # title's paragraph ("(DFI) UPMRIP-SEGOB").
    for count, j in enumerate(ends, start=1):
        if not _ends_paragraph(doc, j):
            continue
        text = join_lines(parts[:count])
        bare = _BARE_ACTOR.search(text)
        head = NUMBERED.match(text[: bare.start()]) if bare else None
        if bare and head and len(head.group(2).split()) >= 3:
            return Candidate(i, number, j, head.group(2), bare.group(1), bare_actor=True)
        break
    return None


def _detached_actor(doc: Lines, j: int) -> int | None:
    """Return the line of a lone ``(actor)`` printed after a blank line below a title."""
    k = j + 1
    while k < doc.limit and k <= j + 2 and doc.kind[k] == BLANK:
        k += 1
    if k == j + 1 or k >= doc.limit or doc.kind[k] != TEXT:
        return None
    return k if _LONE_ACTOR.match(doc.lines[k]) else None


def find_candidates(doc: Lines) -> list[Candidate]:
    candidates: list[Candidate] = []
    for i in range(doc.limit):
        if doc.kind[i] != TEXT:
            continue
        match = NUMBERED.match(doc.lines[i])
        if match and int(match.group(1)) > 0:
            candidate = _read_candidate(doc, i, int(match.group(1)))
            if candidate:
                candidates.append(candidate)
    return candidates


def choose(doc: Lines, candidates: list[Candidate]) -> list[Candidate]:
    """Keep the candidates that continue the numbering and own Resultados/Retos blocks."""
    blocks = [i for i in range(doc.limit) if doc.kind[i] in (RESULTS, CHALLENGES, COMBINED)]
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
    next_owner: list[Candidate | None] = [None] * len(candidates)
    following: Candidate | None = None
    for pos in range(len(candidates) - 1, -1, -1):
        next_owner[pos] = following
        if candidates[pos].owns_blocks:
            following = candidates[pos]

    chosen: list[Candidate] = []
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
                and doc.text_lines(cand.end + 1, after.index) >= MIN_DESCRIPTION_LINES
            )
        elif (
            cand.number > expected
            and cand.owns_blocks
            and (after is None or after.number in (cand.number + 1, 1))
        ):
            accept = True
            doc.warnings.append(
                (
                    cand.index + 1,
                    f"Salto en la numeración: se esperaba el programa {expected} "
                    f"y aparece el {cand.number}.",
                )
            )
        else:
            accept = False
            _check_rejected(doc, cand, chosen[-1] if chosen else None, blocks)
        if accept:
            chosen.append(cand)
            last = cand.number
    return chosen


def _check_rejected(
    doc: Lines, cand: Candidate, previous: Candidate | None, blocks: list[int]
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
    if doc.text_lines(cand.end + 1, blocks[own]) == 0:
        return
    doc.warnings.append(
        (
            cand.index + 1,
            f"Título numerado {cand.number} fuera de la secuencia tras el programa "
            f"{previous.number}: se dejó como texto del programa anterior.",
        )
    )


def build_program(
    doc: Lines, cand: Candidate, stop: int, section: str, objective: int
) -> ParsedProgram:
    warnings: list[str] = []
    segments: dict[str, list[int]] = {"desc": [], "res": [], "ret": []}
    seen = {"res": 0, "ret": 0}
    current = "desc"
    combined: int | None = None
    end_line = cand.end
    for i in range(cand.end + 1, stop):
        kind = doc.kind[i]
        if kind in (TEXT, RESULTS, CHALLENGES, COMBINED):
            end_line = i
        if kind in (RESULTS, CHALLENGES):
            block = "res" if kind == RESULTS else "ret"
            word = "Resultados" if block == "res" else "Retos"
            seen[block] += 1
            if block == current:
                warnings.append(f"Encabezado «{word}» repetido en la línea {i + 1}.")
            elif block == "res" and current == "ret":
                warnings.append(f"Encabezado «Resultados» después de «Retos» (línea {i + 1}).")
            current = block
            continue
        if kind == COMBINED and current == "desc" and combined is None:
            combined = i
            continue
        segments[current].append(i)

    description = doc.paragraphs(segments["desc"])
    results: str | None
    challenges: str | None
    if combined is not None:
        results = challenges = squash(doc.lines[combined])
        results_none = challenges_none = True
        warnings.append(
            f"Sin encabezados «Resultados» ni «Retos»: la línea {combined + 1} dice «{results}»."
        )
    else:
        results = doc.paragraphs(segments["res"]) if seen["res"] else None
        challenges = doc.paragraphs(segments["ret"]) if seen["ret"] else None
        results_none = _says_none(results)
        challenges_none = _says_none(challenges)
        for text, word in ((results, "Resultados"), (challenges, "Retos")):
            if text is None:
                warnings.append(f"Falta el bloque «{word}».")
            elif not text:
                warnings.append(f"El bloque «{word}» está vacío.")
    if cand.bare_actor:
        warnings.append(f"La institución «{cand.actor}» aparece sin paréntesis en el título.")
    is_state = fold(cand.actor) in doc.states
    if section == STATE and not is_state:
        warnings.append(f"El actor «{cand.actor}» no es el nombre de una entidad federativa.")
    elif section == FEDERAL and is_state:
        warnings.append(f"El actor «{cand.actor}» es una entidad federativa en la parte federal.")
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
