"""Read a generated compendium back: its text, parsed by the compendium importer.

The compendium's layout is a format: the importer that reads the printed 2022
compendium must read a generated one too, and find every program with the
same part, objective, number, title and actor. The tests and the benchmark use
these helpers; ``pdftotext`` (poppler-utils) is needed for the PDF.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from observatorio.importers.compendium import CompendiumParse, parse_compendium

Key = tuple[str, int, int]  # (part, objective, number)
# Characters in a line of the DOCX page: 17 cm of 10-point Arial.
DOCX_LINE_WIDTH = 95


def have_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


def pdf_text(data: bytes) -> str:
    """The text of a PDF as ``pdftotext -layout`` prints it (pages separated by form feeds)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "compendio.pdf"
        path.write_bytes(data)
        result = subprocess.run(  # noqa: S603  (fixed arguments, our own file)
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
            capture_output=True,
            check=True,
            timeout=120,
        )
    return result.stdout.decode("utf-8")


def docx_text(data: bytes, width: int = DOCX_LINE_WIDTH) -> str:
    """The text of a DOCX body in reading order, as the page shows it.

    python-docx gives whole paragraphs; the importer reads printed lines (a
    title has at most seven), so each paragraph is wrapped at the width of the
    page's lines and followed by a blank line, as on the page. The cells of a
    table row share one line, as ``pdftotext -layout`` prints a table.
    """
    from docx import Document
    from docx.table import Table

    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines += ["    ".join(c for c in cells if c), ""]
        else:
            text = block.text.strip()
            lines += textwrap.wrap(text, width, break_long_words=False) if text else []
            lines.append("")
    return "\n".join(lines)


def parse(text: str, state_names) -> CompendiumParse:
    return parse_compendium(text, state_names=state_names)


@dataclass
class Comparison:
    compared: int
    missing: list[Key]
    unexpected: list[Key]
    different: list[tuple[Key, tuple[str, str], tuple[str, str]]]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.different)

    def summary(self) -> str:
        return (
            f"{self.compared} programas comparados: {len(self.missing)} faltan, "
            f"{len(self.unexpected)} sobran, {len(self.different)} difieren"
        )


def compare(expected: dict[Key, tuple[str, str]], parsed: CompendiumParse) -> Comparison:
    """Compare (title, actor) by (part, objective, number) between the data and a parse."""
    got = {(p.section, p.objective, p.number): (p.title, p.actor) for p in parsed.programs}
    return Comparison(
        compared=len(expected),
        missing=sorted(k for k in expected if k not in got),
        unexpected=sorted(k for k in got if k not in expected),
        different=sorted(
            (k, expected[k], got[k]) for k in expected if k in got and got[k] != expected[k]
        ),
    )
