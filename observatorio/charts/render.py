"""Render Vega-Lite specs on the server with vl-convert (no browser, no network).

The vendored DejaVu Sans is registered once, so charts use the same typeface as
the PDF and do not depend on the fonts of the machine. The SVG of a spec is
cached (keyed by its JSON), so a PDF and a DOCX of the same data, or a page
and a publication, pay for the conversion once; PNG is rasterised from it.

A conversion takes 100–400 ms of CPU, so besides each process's own memory the SVG is
kept in the shared cache by the digest of its spec: every worker (and the next
deployment) finds what one rendered. A spec's SVG never changes, so nothing needs
invalidating; the cache's own limit culls what is no longer asked for.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache, lru_cache
from pathlib import Path

import vl_convert
from django.conf import settings
from django.core.cache import cache as shared

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu-fonts-2.37"
#: Part of every kept SVG's key: what renders it (another version may draw differently).
RENDERER = f"vl-convert {getattr(vl_convert, '__version__', '')}"


@cache
def _register_fonts() -> None:
    vl_convert.register_font_directory(str(FONT_DIR))


@lru_cache(maxsize=128)  # the site's charts too: a new data version re-renders only what changed
def _svg(spec_json: str) -> str:
    key = "chart-svg:" + hashlib.sha256(f"{RENDERER}\n{spec_json}".encode()).hexdigest()
    svg = shared.get(key)
    if svg is None:
        _register_fonts()
        svg = vl_convert.vegalite_to_svg(spec_json)
        shared.set(key, svg, timeout=None)
    return svg


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
