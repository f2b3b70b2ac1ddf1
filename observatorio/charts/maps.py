"""Server-rendered choropleth of Mexico's 32 states (works without JavaScript).

Shapes: @svg-maps/mexico 2.0.0 by Victor Cazanave, CC BY 4.0, vendored in
``static/vendor/svg-maps-mexico-2.0.0``; joined to the catalogue by ``State.svg_id``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

MAP_FILE = Path(settings.BASE_DIR) / "static" / "vendor" / "svg-maps-mexico-2.0.0" / "mexico.json"
CREDIT = "Mapa de México: Victor Cazanave, @svg-maps/mexico, CC BY 4.0"
# Sequential palette (light to dark), readable in grey scale; index 0 is "none".
PALETTE = ("#f3f3f5", "#f2d7dd", "#dfa3b0", "#c06b80", "#943c55", "#691c32")
DARK_FROM = 4  # classes from here on need white text (#c06b80 takes dark text: 5.7:1)


@cache
def shapes() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@dataclass
class Area:
    svg_id: str
    name: str
    path: str
    value: int
    fill: str
    label: str


def classify(value: int, maximum: int) -> int:
    """Return the palette class of *value*: 0 for none, then 5 equal steps up to *maximum*."""
    if value <= 0 or maximum <= 0:
        return 0
    return min(len(PALETTE) - 1, 1 + (value - 1) * (len(PALETTE) - 1) // maximum)


def areas(values_by_svg_id: dict[str, int], names_by_svg_id: dict[str, str], unit: str):
    """The 32 states with their value, colour and a text label for the map."""
    maximum = max(values_by_svg_id.values(), default=0)
    result = []
    for location in shapes()["locations"]:
        svg_id = location["id"]
        value = values_by_svg_id.get(svg_id, 0)
        name = names_by_svg_id.get(svg_id, location["name"])
        result.append(
            Area(
                svg_id=svg_id,
                name=name,
                path=location["path"],
                value=value,
                fill=PALETTE[classify(value, maximum)],
                label=f"{name}: {value} {unit}",
            )
        )
    return result


def legend(maximum: int) -> list[tuple[str, str]]:
    """Colour and range label of each class in use, for the map's legend."""
    items = [(PALETTE[0], "0")]
    bounds: dict[int, list[int]] = {}
    for value in range(1, maximum + 1):
        k = classify(value, maximum)
        bounds.setdefault(k, [value, value])[1] = value
    for k, (low, high) in sorted(bounds.items()):
        items.append((PALETTE[k], f"{low}–{high}" if high > low else str(low)))
    return items
