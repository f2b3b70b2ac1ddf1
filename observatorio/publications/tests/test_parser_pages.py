"""The compendium parser reads pdftotext's page breaks (the fix made for generated PDFs)."""

from __future__ import annotations

from observatorio.importers.compendium import parse_compendium

STATES = ["Jalisco", "JALISCO", "Guanajuato", "GUANAJUATO"]


def program(number: int, title: str, body: str) -> str:
    return (
        f"{number}. {title}\n\n{body}\n\n"
        "Resultados\n\nSe atendió a 10 personas.\n\nRetos\n\nMás recursos.\n\n"
    )


def document(middle: str, annex: str) -> str:
    return (
        "Objetivo 1. Recopilar y utilizar datos exactos\n\n"
        + program(1, "Estudios sobre movilidad (SRE)", middle)
        + program(1, "Atención a migrantes en retorno (Jalisco)", "Orientación.")
        + "ANEXOS\n\n1. Entidades federativas de la República Mexicana que colaboraron.\n\n"
        + annex
        + "\n\n2. Glosario con las dependencias\n\n"
        + "Secretaría de Relaciones Exteriores    SRE\n\n\n\n      58\n"
        + "\fInstituto Nacional de Migración    INM\n\nCompendio General 2022\n"
    )


def test_a_bare_number_ending_a_page_is_a_page_number_not_text():
    middle = "La primera parte del texto sigue\n\n\n\n      12\n\fen la página siguiente."
    parsed = parse_compendium(document(middle, "JALISCO\n\nGUANAJUATO"), state_names=STATES)
    first = parsed.programs[0]
    assert first.description == "La primera parte del texto sigue en la página siguiente."
    # Line numbers stay those of an editor: a form feed is not a line break.
    assert first.line == 3


def test_page_numbers_inside_the_annex_tables_are_skipped():
    annex = "JALISCO\n\n\n\n      57\n\fGUANAJUATO"
    parsed = parse_compendium(document("Texto.", annex), state_names=STATES)
    assert parsed.participating_states == ["JALISCO", "GUANAJUATO"]
    assert [(g.name, g.acronym) for g in parsed.glossary] == [
        ("Secretaría de Relaciones Exteriores", "SRE"),
        ("Instituto Nacional de Migración", "INM"),
    ]
    assert not [m for _, m in parsed.warnings if "anexo" in m or "glosario" in m]


def test_a_bare_number_inside_running_text_is_still_text():
    # Without a page break after it, a number between blank lines that is followed
    # by text is a value (a table cell), as before.
    middle = "Personas atendidas:\n\n\n\n      884\nen el periodo."
    parsed = parse_compendium(document(middle, "JALISCO"), state_names=STATES)
    assert "884" in parsed.programs[0].description
