"""The generated 2022 compendium as PDF: valid, numbered pages, a table of contents."""

from __future__ import annotations

import html
import re
import subprocess
import zlib

import pytest

from observatorio.publications import roundtrip

from .conftest import needs_poppler

pytestmark = [pytest.mark.slow, needs_poppler]


def pdfinfo(data: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "compendio.pdf"
    path.write_bytes(data)
    completed = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in completed.stdout.splitlines())
    )


@pytest.fixture(scope="module")
def pages(compendium_2022) -> list[str]:
    return roundtrip.pdf_text(compendium_2022.pdf).split("\f")


def test_pdfinfo_reads_the_pdf_with_its_metadata_and_a_sensible_page_count(
    compendium_2022, tmp_path
):
    info = pdfinfo(compendium_2022.pdf, tmp_path)
    # The printed 2022 compendium has about 300 pages of larger type; 346 programs
    # cannot fit in much fewer than 150 pages nor need more than 400.
    assert 150 <= int(info["Pages"]) <= 400
    assert info["Title"] == "Compendio General 2022"
    assert info["Page size"].startswith("612 x 792")  # letter
    assert info["Encrypted"] == "no"


def test_every_page_but_the_cover_carries_its_number(pages):
    numbered = [page for page in pages if page.strip()]
    assert len(numbered) > 150
    assert not re.search(r"^\s*1\s*$", numbered[0], re.MULTILINE)  # the cover has none
    for number, page in enumerate(numbered[1:], start=2):
        assert page.strip().splitlines()[-1].strip() == str(number)


def test_the_table_of_contents_gives_the_page_where_each_part_and_objective_starts(pages):
    toc = pages[1] + pages[2]
    entries = re.findall(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", toc, re.MULTILINE)
    by_title = {title.strip(" ."): int(page) for title, page in entries}
    state_part = by_title["iv. Programas y acciones estatales"]
    assert "Objetivo 1. Recopilar" in pages[state_part - 1]
    assert "iv. Programas y acciones estatales" in pages[state_part - 1]
    federal_seven = next(p for t, p in by_title.items() if t.startswith("7 · Abordar"))
    assert re.search(r"^\s*Objetivo 7\. Abordar", pages[federal_seven - 1], re.MULTILINE)
    glossary = by_title["Glosario de instituciones"]
    assert "2. Glosario de las instituciones federales" in pages[glossary - 1]
    # Entries follow the pages of the document.
    numbers = [int(page) for _, page in entries]
    assert numbers == sorted(numbers)


def test_spanish_text_survives_in_the_pdf(pages):
    text = "\n".join(pages)
    for word in ("Migración", "niñas", "Índice", "«Pacto Mundial", "Regular»", "Michoacán"):
        assert word in text


def test_the_charts_and_the_map_credit_are_in_the_pdf(pages):
    text = "\n".join(pages)
    assert "Gráfica 1. Programas y acciones por objetivo del PMM" in text
    assert "Gráfica 2. Cobertura estatal" in text
    assert "Gráfica 3. Programas estatales por entidad federativa" in text
    assert "Victor Cazanave, @svg-maps/mexico, CC BY 4.0" in text
    # The bar chart's labels are text drawn from the spec, not a picture.
    assert "7. Vulnerabilidades" in text


def _outline(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "compendio.pdf"
    path.write_bytes(data)
    completed = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-q", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    outline = completed.stdout[completed.stdout.find("<outline>") :]
    return re.findall(r"<item page=\"\d+\">(.*?)</item>", outline)


def _catalog_language(data: bytes) -> set[bytes]:
    """The /Lang of the PDF, looked for in its plain and compressed objects."""
    found = set(re.findall(rb"/Lang\s*\(([^)]*)\)", data))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found |= set(re.findall(rb"/Lang\s*\(([^)]*)\)", zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return found


def test_the_pdf_is_tagged_for_screen_readers_in_spanish(compendium_2022, tmp_path):
    info = pdfinfo(compendium_2022.pdf, tmp_path)
    assert info["Tagged"] == "yes"  # PDF/UA-1: a structure tree
    assert info["PDF version"] == "1.7"
    assert _catalog_language(compendium_2022.pdf) == {b"es-MX"}


def test_the_pdf_has_an_outline_of_parts_objectives_and_programs(compendium_2022, tmp_path):
    items = [html.unescape(item) for item in _outline(compendium_2022.pdf, tmp_path)]
    assert "Compendio General 2022" in items
    assert "iv. Programas y acciones estatales" in items
    assert sum(item.startswith("Objetivo 1. Recopilar") for item in items) >= 1
    # One bookmark per program (h4), never one per "Resultados" or "Retos" (h5).
    assert len(items) > len(compendium_2022.expected)
    assert "Resultados" not in items and "Retos" not in items
