"""The portal's choropleth of Mexico as a standalone SVG document, with its legend.

The shapes, colour classes and legend come from ``observatorio.charts.maps``
(the vendored ``@svg-maps/mexico`` by Victor Cazanave, CC BY 4.0), so the map in
a publication is the portal's map. Whoever shows it must show ``maps.CREDIT``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from observatorio.charts import maps
from observatorio.programs.models import ReportingCycle
from observatorio.published.coverage import coverage

LEGEND_HEIGHT = 46
UNITS = {"programas": "programas", "objetivos": "objetivos cubiertos"}


def coverage_map_svg(cycle: ReportingCycle | None, measure: str = "programas") -> str:
    """Published state programs (or objectives covered) of *cycle* per state, as SVG."""
    if measure not in UNITS:
        raise ValueError(f"Medida desconocida: {measure}")
    data = coverage(cycle)
    states = [row.state for row in data.rows]
    by_code = {s.inegi_code: s for s in states}
    values = {by_code[code].svg_id: value for code, value in data.measure(measure).items()}
    areas = maps.areas(values, {s.svg_id: s.name for s in states}, UNITS[measure])
    x, y, width, height = (float(v) for v in maps.shapes()["viewBox"].split())
    total_height = height + LEGEND_HEIGHT
    title = (
        f"Programas estatales publicados por entidad federativa, ciclo {cycle.edition}"
        if (cycle and measure == "programas")
        else "Cobertura por entidad federativa"
    )
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{x:g} {y:g} {width:g} {total_height:g}" '
        f'width="{width:g}" height="{total_height:g}" role="img" '
        'font-family="DejaVu Sans, sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{x:g}" y="{y:g}" width="{width:g}" height="{total_height:g}" fill="#ffffff"/>',
    ]
    for area in areas:
        out.append(
            f'<path d={quoteattr(area.path)} fill="{area.fill}" stroke="{area.stroke}" '
            f'stroke-width="0.8"><title>{escape(area.label)}</title></path>'
        )
    # Labels (INEGI abbreviations) over the shapes, with a white halo; leader lines for the
    # small states of the centre, as on the portal's map.
    out.append(
        '<g font-size="11" font-weight="bold" text-anchor="middle" fill="#1d1d1f" '
        'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
    )
    for area in areas:
        if area.leader:
            out.append(
                f'<line x1="{area.x:g}" y1="{area.y:g}" x2="{area.label_x:g}" '
                f'y2="{area.label_y:g}" stroke="#5a5a60" stroke-width="0.8"/>'
            )
        out.append(
            f'<text x="{area.label_x:g}" y="{area.label_y:g}" dy="0.35em">'
            f"{escape(area.abbreviation)}</text>"
        )
    out.append("</g>")
    # Legend: one swatch per class in use, left to right under the map.
    legend_y = y + height + 14
    cursor = x + 20
    out.append(
        f'<text x="{cursor:g}" y="{legend_y + 11:g}" font-size="13" fill="#222222">'
        f"{escape(UNITS[measure].capitalize())}:</text>"
    )
    cursor += 12 + 7.5 * len(UNITS[measure])
    for colour, label in maps.legend(max(values.values(), default=0)):
        out.append(
            f'<rect x="{cursor:g}" y="{legend_y:g}" width="18" height="14" fill="{colour}" '
            'stroke="#999999" stroke-width="0.5"/>'
        )
        out.append(
            f'<text x="{cursor + 23:g}" y="{legend_y + 11:g}" font-size="13" fill="#222222">'
            f"{escape(label)}</text>"
        )
        cursor += 36 + 8 * len(label)
    out.append("</svg>")
    return "\n".join(out)
