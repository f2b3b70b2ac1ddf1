"""The site's charts: the publications' Vega-Lite specs rendered as accessible inline SVG.

Each chart is a :class:`Chart`: the SVG (``role="img"``, a ``<title>`` and a ``<desc>``,
vega's own ARIA attributes removed because an image's parts are not read), the rows of
the table a page shows behind it, and its source. Charts are built from published data
and kept per data version (``published.caches.CHARTS``): the first request after a
publication renders them again, every other one reads them from memory.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from observatorio.lib.snippets import Snippet
from observatorio.published import caches, version

from .render import render_svg

# Larger type than the printed page: the SVG is scaled down to a phone's width.
SITE_CONFIG = {
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1d1d1f"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1d1d1f"},
    "title": {"fontSize": 14},
}

_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_ROOT = re.compile(r"<svg\b([^>]*)>")


@dataclass(frozen=True)
class Chart:
    """A chart as a page shows it: the SVG and the same figures as a table."""

    slug: str
    title: str
    description: str
    svg: str
    columns: list[str]
    rows: list[list[str]]  # cells as printed; the first one heads its row
    source: str = ""
    notes: list[str] = field(default_factory=list)

    @cached_property
    def table_body(self) -> SafeString:
        """The table's rows as HTML, made once per chart (a page may show it many times)."""
        row, cell = Snippet("lib/_table_row.html"), Snippet("lib/_table_cell.html")
        return row.render_all(
            {"head": head, "cells": cell.render_all({"cell": c} for c in rest)}
            for head, *rest in self.rows
        )


def for_site(spec: dict) -> dict:
    """A copy of a publication's *spec* with the site's type sizes."""
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    for part, values in SITE_CONFIG.items():
        config[part] = {**config.get(part, {}), **values}
    return spec


def accessible_svg(svg: str, slug: str, title: str, description: str) -> str:
    """Make vega's SVG one image: ``role="img"`` named by its title and description."""
    from xml.sax.saxutils import escape

    svg = _ARIA.sub("", svg)
    match = _ROOT.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    attributes = match.group(1).replace(' class="marks"', "")
    head = (
        f'<svg{attributes} class="chart-svg" role="img" '
        f'aria-labelledby="{slug}-title {slug}-desc" focusable="false">'
        f'<title id="{slug}-title">{escape(title)}</title>'
        f'<desc id="{slug}-desc">{escape(description)}</desc>'
    )
    return svg[: match.start()] + head + svg[match.end() :]


def render(slug: str, spec: dict, title: str, description: str, **table) -> Chart:
    """Render *spec* for the site and pair it with its table."""
    svg = accessible_svg(render_svg(for_site(spec)), slug, title, description)
    return Chart(slug=slug, title=title, description=description, svg=svg, **table)


def cached(key: tuple, build: Callable[[], Chart | None]) -> Chart | None:
    """The chart *key* of the current data version and language, built once per worker."""
    current = version.current()
    full_key = (*key, get_language())
    chart = caches.CHARTS.get(current, full_key)
    if chart is None:
        chart = build()
        # False remembers that there is nothing to draw (e.g. a single cycle).
        caches.CHARTS.put(current, full_key, chart if chart is not None else False)
    return chart or None
