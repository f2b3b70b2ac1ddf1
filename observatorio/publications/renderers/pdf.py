"""The compendium as PDF: an HTML document and print CSS laid out by WeasyPrint.

Page numbers come from CSS ``@page`` counters and the table of contents from
``target-counter``; charts are embedded as SVG rendered from the Vega-Lite specs. The PDF
is WeasyPrint's PDF/UA-1 variant: tagged, with its language and an outline of headings.
The vendored DejaVu Sans is embedded, so the output does not depend on the fonts
of the machine.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from observatorio import charts
from observatorio.lib.renderers import register

from .. import indicator_lines, wording
from ..document import Compendium

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu-fonts-2.37"


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def compendium_html(document: Compendium) -> str:
    figures = []
    for chart in document.charts:
        svg = chart.svg if chart.svg is not None else charts.render_svg(chart.spec)
        figures.append(
            {
                "key": chart.key,
                "title": chart.title,
                "caption": chart.caption,
                "width_cm": chart.width_cm,
                "src": data_uri(svg),
            }
        )
    return render_to_string(
        "publications/compendium.html",
        {
            "doc": document,
            "figures": figures,
            "words": wording,
            "toc_title": wording.TOC,
            "indicator_header": indicator_lines.HEADER,
            "indicator_note": indicator_lines.note(document.indicators),
            "font_dir": FONT_DIR.as_uri(),
            "created": document.generated_date.isoformat(),
        },
    )


def render_html(html: str) -> bytes:
    """Lay out a print-ready HTML document with WeasyPrint (the factsheet uses it too)."""
    # WeasyPrint logs its progress and every CSS property it ignores, some of it
    # while it is imported; keep the command's output clean.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from weasyprint import HTML  # imported here: loading pango takes a moment

    # PDF/UA-1: a tagged PDF (its structure read by screen readers), with the document's
    # language from <html lang> and its title shown instead of the file name. Headings
    # become the outline (bookmarks), down to one program (h4).
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )


@register("compendium", "pdf", content_type="application/pdf")
def render_pdf(document: Compendium) -> bytes:
    return render_html(compendium_html(document))
