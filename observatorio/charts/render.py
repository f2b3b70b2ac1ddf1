"""Render Vega-Lite specs on the server with vl-convert (no browser, no network).

The vendored DejaVu Sans is registered once, so charts use the same typeface as
the PDF and do not depend on the fonts of the machine. The SVG of a spec is
cached (keyed by its JSON), so a PDF and a DOCX of the same data, or a page
and a publication, pay for the conversion once; PNG is rasterised from it.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

import vl_convert
from django.conf import settings

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu-fonts-2.37"


@cache
def _register_fonts() -> None:
    vl_convert.register_font_directory(str(FONT_DIR))


@lru_cache(maxsize=128)  # the site's charts too: a new data version re-renders only what changed
def _svg(spec_json: str) -> str:
    _register_fonts()
    return vl_convert.vegalite_to_svg(spec_json)


def render_svg(spec: dict) -> str:
    """Return the chart of a Vega-Lite *spec* as an SVG document (text kept as text)."""
    return _svg(json.dumps(spec, sort_keys=True, ensure_ascii=False))


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """Rasterise any SVG document (a chart, the map) to PNG image data."""
    _register_fonts()
    return vl_convert.svg_to_png(svg, scale=scale)


def render_png(spec: dict, scale: float = 2.0) -> bytes:
    """Return the chart as PNG image data (*scale* 2 prints sharply at 144 ppi)."""
    return svg_to_png(render_svg(spec), scale=scale)
