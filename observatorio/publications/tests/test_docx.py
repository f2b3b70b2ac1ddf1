"""The generated 2022 compendium as DOCX: headings in order, page numbers, a table of contents."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document

from .conftest import SOFFICE, needs_libreoffice

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def document(compendium_2022):
    return Document(io.BytesIO(compendium_2022.docx))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_the_top_headings_come_in_the_order_of_the_compendium(document):
    assert headings(document, 1) == [
        "Índice",
        "i. Introducción",
        "ii. El ciclo en cifras",
        "iii. Programas y acciones federales",
        "iv. Programas y acciones estatales",
        "ANEXOS",
    ]


def test_each_part_lists_the_23_objectives_in_order_with_their_titles(document):
    objectives = [h for h in headings(document, 2) if h.startswith("Objetivo ")]
    assert len(objectives) == 46
    for part in (objectives[:23], objectives[23:]):
        assert [h.split(".")[0] for h in part] == [f"Objetivo {n}" for n in range(1, 24)]
    assert objectives[0] == (
        "Objetivo 1. Recopilar y utilizar datos exactos y desglosados para formular "
        "políticas con base empírica"
    )
    annexes = [h for h in headings(document, 2) if not h.startswith("Objetivo ")]
    assert annexes[0].startswith("1. Entidades federativas")
    assert annexes[1].startswith("2. Glosario")


def test_programs_are_numbered_headings_with_the_actor_in_parentheses(document, compendium_2022):
    order = {"federal": 0, "estatal": 1}
    expected = [
        f"{number}. {title} ({actor})"
        for (_, _, number), (title, actor) in sorted(
            compendium_2022.expected.items(), key=lambda item: (order[item[0][0]], *item[0][1:])
        )
    ]
    programs = headings(document, 3)
    assert len(programs) == 346
    assert programs == expected
    assert programs[0].startswith("1. Elaborar estudios, diagnósticos")
    blocks = headings(document, 4)
    assert set(blocks) == {"Resultados", "Retos"}


def test_objectives_without_programs_say_so(document):
    notes = [
        p.text
        for p in document.paragraphs
        if p.text == "No se reportaron actividades correspondientes a este objetivo."
    ]
    assert len(notes) == 3  # objectives 11, 12 and 13 of the state part


def test_the_footer_has_a_page_number_field(document):
    footer = document.sections[0].footer._element.xml
    assert "<w:fldChar" in footer and " PAGE " in footer


def test_the_table_of_contents_is_a_field_with_a_readable_list(document):
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Índice")
    assert texts[start + 1] == "i. Introducción"
    entry = (
        "1 · Recopilar y utilizar datos exactos y desglosados para formular políticas con "
        "base empírica"
    )
    assert entry in texts[start : start + 60]


def test_the_three_charts_are_pictures_and_the_properties_are_set(document):
    assert len(document.inline_shapes) == 3
    assert document.core_properties.title == "Compendio General 2022"
    assert document.core_properties.language == "es-MX"


def test_spanish_text_survives_in_the_docx(document):
    text = "\n".join(p.text for p in document.paragraphs)
    for word in ("Migración", "niñas", "Índice", "«Pacto Mundial", "Regular»", "Michoacán"):
        assert word in text


@needs_libreoffice
def test_libreoffice_opens_the_docx_and_converts_it_to_pdf(compendium_2022, tmp_path):
    source = tmp_path / "compendio.docx"
    source.write_bytes(compendium_2022.docx)
    completed = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'perfil'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "salida"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    converted = tmp_path / "salida" / "compendio.pdf"
    assert converted.exists(), completed.stdout + completed.stderr
    assert converted.read_bytes().startswith(b"%PDF")
    assert converted.stat().st_size > 100_000
