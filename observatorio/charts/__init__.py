"""Charts of a reporting cycle: Vega-Lite specs built from data, rendered on the server.

One spec serves every output: the publications render it to SVG (PDF) or PNG
(DOCX) with vl-convert, and the portal can embed the same dict with vega-embed
or inline the server-rendered SVG. The map of Mexico is not a Vega-Lite chart:
it is the portal's choropleth (``charts/maps.py``) drawn as a standalone SVG.
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
