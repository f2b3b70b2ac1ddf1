"""Parse the whole study: fichas per state, panorama figures, and signs of a truncated text."""

from __future__ import annotations

import unicodedata

from observatorio.lib.text import fold

from .fichas import parse_state_practices
from .layout import CUADRO_PANORAMA, CUADRO_PRACTICES, classify, find_sections
from .panorama import extract_figures
from .records import (
    EXPECTED_PRACTICES,
    STATES,
    ParsedPractice,
    PracticesFormatError,
    PracticesParse,
)

_STUDY_MARKERS = (
    "institucion que coordina",
    "buenas practicas orientadas a la atencion de personas migrantes",
    "buenas practicas en politica migratoria desde el ambito local",
)


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


def parse_practices(text: str) -> PracticesParse:
    """Parse the study into practices, panorama figures and document-level warnings."""
    _validate(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = classify(lines)
    sections, recommendations = find_sections(doc)
    warnings: list[tuple[int, str]] = []
    practices: list[ParsedPractice] = []
    for section in sections:
        practices.extend(parse_state_practices(doc, section, warnings))
    try:
        figures = extract_figures(doc, sections, warnings)
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
        match = CUADRO_PRACTICES.match(line) or CUADRO_PANORAMA.match(line)
        if not match:
            continue
        number = int(match.group(1))
        kind = "práctica" if CUADRO_PRACTICES.match(line) else "panorama"
        first = cuadros.setdefault(number, i)
        first_kind = "práctica" if CUADRO_PRACTICES.match(lines[first]) else "panorama"
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
