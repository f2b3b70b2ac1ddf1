"""Read the annexes: the participating states and the glossary of federal institutions."""

from __future__ import annotations

import re

from observatorio.lib.text import fold, squash

from .lines import CONNECTORS, Lines, is_blank, last_word
from .records import GlossaryEntry

MAX_FOOTNOTE_LINES = 5
_GLUED_FOOTNOTE = re.compile(r"(?<=[^\W\d])\d{1,2}(?=\s|$)")
_FOOTNOTE_TEXT = re.compile(r"^\d{1,2} [A-ZÁÉÍÓÚ][a-záéíóúñ]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9./-]*$")


def _annex_parts(doc: Lines) -> tuple[int | None, int | None]:
    if doc.annex is None:
        return None, None
    states_at = glossary_at = None
    for i in range(doc.annex + 1, len(doc.lines)):
        folded = fold(doc.lines[i])
        if states_at is None and re.match(r"^\d+\. entidades federativas", folded):
            states_at = i
        elif glossary_at is None and re.match(r"^\d+\. glosario", folded):
            glossary_at = i
    return states_at, glossary_at


def participating_states(doc: Lines) -> list[str]:
    start, stop = _annex_parts(doc)
    if start is None:
        if doc.annex is not None:
            doc.warnings.append(
                (doc.annex + 1, "No se encontró el anexo de entidades participantes.")
            )
        return []
    stop = stop if stop is not None else len(doc.lines)
    names: list[str] = []
    pending: list[str] = []
    pending_line = start
    in_table = False
    for i in range(start + 1, stop):
        text = squash(doc.lines[i])
        if not text or doc.is_page_number(i):
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
        if fold(joined) in doc.states and last_word(joined) not in CONNECTORS:
            names.append(joined)
            pending = []
        elif len(pending) >= 3:
            doc.warnings.append(
                (pending_line + 1, f"Entidad no reconocida en el anexo: «{joined}».")
            )
            names.append(joined)
            pending = []
    if pending:
        joined = " ".join(pending)
        doc.warnings.append((pending_line + 1, f"Entidad no reconocida en el anexo: «{joined}»."))
        names.append(joined)
    return names


def glossary(doc: Lines) -> list[GlossaryEntry]:
    _, start = _annex_parts(doc)
    if start is None:
        if doc.annex is not None:
            doc.warnings.append((doc.annex + 1, "No se encontró el glosario del anexo."))
        return []
    rows = _glossary_rows(doc, start)
    entries: list[GlossaryEntry] = []
    name_parts: list[str] = []
    name_line = start
    for pos, (i, text) in enumerate(rows):
        words = text.split()
        if not name_parts:
            name_line = i
            # A name that fits its cell shares the line with the acronym.
            if len(words) >= 2 and _ends_in_acronym(words):
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
            and last_word(name) not in CONNECTORS
            and not (len(nxt) == 1 and _ACRONYM.match(nxt[0]))
        )
        if is_acronym:
            clean = _GLUED_FOOTNOTE.sub("", name).strip()
            entries.append(GlossaryEntry(clean, words[0], name_line + 1))
            name_parts = []
        else:
            name_parts.append(text)
    if name_parts:
        doc.warnings.append(
            (name_line + 1, f"Entrada del glosario sin acrónimo: «{' '.join(name_parts)}».")
        )
    return entries


def _glossary_rows(doc: Lines, start: int) -> list[tuple[int, str]]:
    """Return the non-blank table lines of the glossary, without header and footnotes."""
    rows: list[tuple[int, str]] = []
    i = start + 1
    # The annex title wraps ("organismos Autónomos ..." / "informe").
    while i < len(doc.lines) and (is_blank(doc.lines[i]) or doc.lines[i].lstrip()[:1].islower()):
        i += 1
    while i < len(doc.lines):
        text = squash(doc.lines[i])
        i += 1
        if (
            not text
            or doc.is_page_number(i - 1)
            or fold(text).startswith("dependencias e instituciones")
        ):
            continue
        if re.match(r"^compendio general \d{4}$", fold(text)):
            return rows  # the colophon after the last page of the glossary
        if _FOOTNOTE_TEXT.match(text):
            # A footnote at the foot of the page, until its sentence ends.
            stop = min(len(doc.lines), i + MAX_FOOTNOTE_LINES)
            while i < stop and not squash(doc.lines[i - 1]).endswith("."):
                i += 1
            continue
        rows.append((i - 1, text))
    doc.warnings.append(
        (
            len(doc.lines),
            "El glosario no termina en el colofón «Compendio General»: "
            "el documento puede estar truncado.",
        )
    )
    return rows


def _ends_in_acronym(words: list[str]) -> bool:
    last = words[-1]
    if not _ACRONYM.match(last) or fold(last) in CONNECTORS:
        return False
    return last_word(" ".join(words[:-1])) not in CONNECTORS
