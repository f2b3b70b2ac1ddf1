"""Charts of a reporting cycle: Vega-Lite specs built from data, rendered on the server.

One spec serves every output: the publications render it to SVG (PDF) or PNG
(DOCX) with vl-convert, and the portal inlines the same server-rendered SVG as one
accessible image with a table behind it (``site.py``; the pages' charts are built in
``site_charts.py`` and cached per data version). The map of Mexico is not a Vega-Lite
chart: it is the choropleth of ``maps.py`` (classes, labels, the locator's outlines),
drawn by the portal's template and, standalone, by ``svgmap.py``.
"""

from .render import render_png, render_svg, svg_to_png
from .specs import coverage_heatmap_spec, programs_per_objective_spec
from .svgmap import coverage_map_svg

__all__ = [
    "coverage_heatmap_spec",
    "coverage_map_svg",
    "programs_per_objective_spec",
    "render_png",
    "render_svg",
    "svg_to_png",
]
