"""The compendium as DOCX, editable in Word and LibreOffice (python-docx).

Headings use the built-in ``Heading 1..4`` styles, so the navigation pane and
the table of contents work. The table of contents is a ``TOC`` field whose
cached result is a static list of the same entries, readable before anyone
updates fields; page numbers are a ``PAGE`` field in the footer. Charts are PNG
images rasterised from the same Vega-Lite specs as the PDF's SVG.

Paragraphs and runs are appended as XML elements directly: python-docx's
``add_paragraph(style=name)`` looks the style up and scans the body on every
call, which made the 346-program document take seconds instead of a fraction.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from observatorio import charts
from observatorio.lib.renderers import register

from .. import indicator_lines, wording
from ..document import Compendium

FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
GUINDA = RGBColor(0x69, 0x1C, 0x32)
GREY = RGBColor(0x44, 0x44, 0x44)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEADINGS = {
    1: ("Heading 1", 16),
    2: ("Heading 2", 12.5),
    3: ("Heading 3", 10.5),
    4: ("Heading 4", 10),
}


# --- XML helpers ------------------------------------------------------------------


def _text_run(text: str, *, bold=False, italic=False, size: float | None = None, colour=None):
    """A ``w:r`` with text and direct formatting, without python-docx's per-character loop."""
    run = OxmlElement("w:r")
    if bold or italic or size or colour:
        properties = OxmlElement("w:rPr")
        if bold:
            properties.append(OxmlElement("w:b"))
        if italic:
            properties.append(OxmlElement("w:i"))
        if colour is not None:
            element = OxmlElement("w:color")
            element.set(qn("w:val"), str(colour))
            properties.append(element)
        if size:
            element = OxmlElement("w:sz")
            element.set(qn("w:val"), str(round(size * 2)))
            properties.append(element)
        run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    return run


def _field_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")  # ask the word processor to refresh it
    run.append(char)
    return run


def _instruction(text: str):
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {text} "
    run.append(instruction)
    return run


def add_field(paragraph: Paragraph, instruction: str, cached: str, **formatting) -> None:
    """Append a complex field (``PAGE``…) to *paragraph*, showing *cached* until updated."""
    p = paragraph._p
    p.append(_field_char("begin"))
    p.append(_instruction(instruction))
    p.append(_field_char("separate"))
    p.append(_text_run(cached, **formatting))
    p.append(_field_char("end"))


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


# --- styles and page ----------------------------------------------------------------


def _set_font(style, size: float, *, bold: bool | None = None, colour=None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour
    # Every script slot, or Word keeps its theme font for some characters.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _styles(document) -> dict[str, str]:
    """Set the fonts and colours of the styles used; return their style ids by name."""
    styles = document.styles
    normal = styles["Normal"]
    _set_font(normal, 10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    ids = {"Normal": None}
    for level, (name, size) in HEADINGS.items():
        style = styles[name]
        _set_font(
            style, size, bold=True, colour=GUINDA if level != 3 else RGBColor(0x1A, 0x1A, 0x1A)
        )
        style.font.italic = False
        style.paragraph_format.space_before = Pt(14 if level < 4 else 6)
        style.paragraph_format.space_after = Pt(6 if level < 4 else 3)
        style.paragraph_format.keep_with_next = True
        ids[name] = style.style_id
    title = styles["Title"]
    _set_font(title, 30, bold=True, colour=GUINDA)
    ids["Title"] = title.style_id
    # Spanish (Mexico) as the proofing language of every run.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "es-MX")
    return ids


class Writer:
    """Append paragraphs at the end of the document body, fast."""

    def __init__(self, document):
        self.document = document
        self.body = document._body
        self.sect_pr = document.element.body.sectPr
        self.style_ids = _styles(document)

    def paragraph(self, text: str = "", style: str = "Normal", **formatting) -> Paragraph:
        p = OxmlElement("w:p")
        style_id = self.style_ids[style]
        if style_id:
            p.get_or_add_pPr().style = style_id
        if text:
            p.append(_text_run(text, **formatting))
        self.sect_pr.addprevious(p)
        return Paragraph(p, self.body)

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        paragraph = self.paragraph(text, HEADINGS[level][0])
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def paragraphs(self, texts) -> None:
        for text in texts:
            self.paragraph(text)


#: The media type of a DOCX file.
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def new_document(**properties) -> tuple:
    """A new document set up for letter-size pages, with its core *properties* (``title``,
    ``subject``, ``language``…, set in that order), and a :class:`Writer` on it."""
    document = Document()
    w = Writer(document)
    page_setup(document.sections[0])
    for name, value in properties.items():
        setattr(document.core_properties, name, value)
    return document, w


def saved(document) -> bytes:
    """The bytes of *document* as a DOCX file."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def page_setup(section) -> None:
    section.page_width = Cm(21.59)
    section.page_height = Cm(27.94)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin = Cm(2.2)
    section.bottom_margin = Cm(2.4)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(footer, "PAGE", "1", size=8.5, colour=GREY)
    # No number on the cover.
    section.different_first_page_header_footer = True


# --- the parts of the document ------------------------------------------------------


def _cover(w: Writer, doc: Compendium) -> None:
    w.paragraph(doc.publisher, bold=True, colour=GUINDA)
    for _ in range(4):
        w.paragraph()
    w.paragraph(doc.title, "Title")
    w.paragraph(doc.subtitle, size=13)
    w.paragraph(f"Periodo reportado: {doc.period}", colour=GREY)
    w.paragraph()
    table = w.document.add_table(rows=0, cols=2)
    for label, value in doc.metadata:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(6), Cm(10.9)
        cells[0].paragraphs[0]._p.append(_text_run(label, bold=True, size=8.5, colour=GUINDA))
        cells[1].paragraphs[0]._p.append(_text_run(value, size=8.5))


def toc_entries(doc: Compendium) -> list[tuple[int, str]]:
    """The entries of the table of contents: sections, parts and objectives, annexes."""
    entries = [(1, doc.sections["introduction"]), (1, doc.sections["figures"])]
    for part in doc.parts:
        entries.append((1, part.heading))
        entries.extend((2, f"{o.number} · {o.title}") for o in part.objectives)
    entries += [(1, "Anexos"), (2, "Entidades federativas participantes")]
    entries.append((2, "Glosario de instituciones"))
    return entries


def _toc(w: Writer, doc: Compendium) -> None:
    w.heading(wording.TOC, 1, new_page=True)
    entries = toc_entries(doc)
    paragraph = None
    for index, (level, text) in enumerate(entries):
        paragraph = w.paragraph()
        if index == 0:
            paragraph._p.append(_field_char("begin"))
            paragraph._p.append(_instruction('TOC \\o "1-2" \\h \\z \\u'))
            paragraph._p.append(_field_char("separate"))
        # The field's shown result: the entries without page numbers, until updated.
        paragraph.paragraph_format.space_after = Pt(1 if level == 2 else 3)
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph._p.append(_text_run(text, bold=level == 1, size=8.5 if level == 2 else 10))
    paragraph._p.append(_field_char("end"))
    w.paragraph(
        "Para ver los números de página del índice, actualice los campos del documento "
        "(en Word: F9; en LibreOffice: Herramientas › Actualizar › Todo).",
        italic=True,
        size=8,
        colour=GREY,
    )


def _charts(w: Writer, doc: Compendium) -> None:
    w.heading(doc.sections["figures"], 1, new_page=True)
    for number, chart in enumerate(doc.charts, start=1):
        caption = w.paragraph(f"Gráfica {number}. {chart.title}", bold=True, colour=GUINDA)
        caption.paragraph_format.keep_with_next = True
        if number > 1:
            caption.paragraph_format.page_break_before = True
        png = (
            charts.svg_to_png(chart.svg) if chart.svg is not None else charts.render_png(chart.spec)
        )
        picture = w.paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(min(chart.width_cm, 16.5)))
        picture.paragraph_format.keep_with_next = True
        w.paragraph(chart.caption, size=7.5, colour=GREY)
    if doc.indicators:
        write_indicators(w, wording.INDICATORS, doc.indicators, new_page=True)


def _parts(w: Writer, doc: Compendium) -> None:
    for part in doc.parts:
        w.heading(part.heading, 1, new_page=True)
        for objective in part.objectives:
            w.heading(objective.heading, 2)
            if not objective.programs:
                w.paragraph(wording.NO_ACTIVITIES, italic=True)
            for program in objective.programs:
                write_program(w, program)


def write_program(w: Writer, program, *, combined_none: bool = True) -> None:
    """A program under its heading: its description, then its results and challenges (the
    line that says neither was reported first, unless *combined_none* is false)."""
    w.heading(program.heading, 3)
    w.paragraphs(program.description)
    if combined_none and program.combined_none:
        w.paragraph(program.combined_none)
    for word, block in (
        (wording.RESULTS, program.results),
        (wording.CHALLENGES, program.challenges),
    ):
        if block is not None:
            w.heading(word, 4)
            w.paragraphs(block.paragraphs)


def add_table(w: Writer, header: tuple[str, ...], rows, widths: tuple[float, ...]) -> None:
    table = w.document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0]._p.append(_text_run(text, bold=True, colour=WHITE))
        _shade(cell, "691C32")
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            cell.paragraphs[0]._p.append(_text_run(text, size=9))


def write_indicators(w: Writer, title: str, lines, *, new_page: bool = False) -> None:
    """A table of indicators (``indicator_lines``) with the note on reserved figures."""
    heading = w.paragraph(title, bold=True, colour=GUINDA)
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.page_break_before = new_page
    add_table(w, indicator_lines.HEADER, [line.row for line in lines], indicator_lines.WIDTHS)
    w.paragraph(indicator_lines.note(lines), size=7.5, colour=GREY)


def _annexes(w: Writer, doc: Compendium) -> None:
    w.heading(wording.ANNEXES, 1, new_page=True)
    w.heading(wording.ANNEX_STATES, 2)
    add_table(w, (wording.ANNEX_STATES_HEADER,), [(s,) for s in doc.participating_states], (8,))
    w.heading(wording.ANNEX_GLOSSARY, 2, new_page=True)
    add_table(w, wording.GLOSSARY_HEADER, doc.glossary, (13.5, 3.4))
    w.heading(doc.title, 2, new_page=True)
    for text in doc.closing:
        w.paragraph(text, size=8.5)


@register("compendium", "docx", content_type=DOCX_TYPE)
def render_docx(doc: Compendium) -> bytes:
    document, w = new_document(
        title=doc.title,
        subject=doc.subtitle,
        author=doc.publisher,
        language="es-MX",
        keywords=f"PMM, movilidad, migración, compendio, {doc.edition}",
        comments=f"Generado por el Observatorio el {doc.generated_on}.",
    )
    _cover(w, doc)
    _toc(w, doc)
    w.heading(doc.sections["introduction"], 1, new_page=True)
    w.paragraphs(doc.introduction)
    _charts(w, doc)
    _parts(w, doc)
    _annexes(w, doc)
    # Word refreshes the fields (the table of contents) when it opens the file.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    return saved(document)
