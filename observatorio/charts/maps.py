"""Server-rendered choropleth of Mexico's 32 states (works without JavaScript).

Shapes: @svg-maps/mexico 2.0.0 by Victor Cazanave, CC BY 4.0, vendored in
``static/vendor/svg-maps-mexico-2.0.0``; joined to the catalogue by ``State.svg_id``.

Colour classes. Neighbouring classes must differ by a non-text contrast of at least
3:1 (WCAG 2.1, 1.4.11) so that the map reads without telling hues apart. Contrast is a
ratio of luminances bounded by 21:1 (black on white), so a ramp of steps of 3:1 holds
at most three colours (3 × 3 × 3 = 27 > 21): "none", "some" and "many". The ramp is
one hue (the site's maroon) from light to dark, which is safe for every kind of colour
blindness because only lightness carries the class; every state also carries its
abbreviation and, in its accessible name and the table next to it, its figure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

MAP_FILE = Path(settings.BASE_DIR) / "static" / "vendor" / "svg-maps-mexico-2.0.0" / "mexico.json"
CREDIT = "Mapa de México: Victor Cazanave, @svg-maps/mexico, CC BY 4.0"
# Sequential palette (light to dark), one hue; index 0 is "none". A test computes the
# contrast between consecutive classes (at least 3:1) and the text contrast on each.
PALETTE = ("#f5f0f2", "#c46981", "#561328")
DARK_FROM = 2  # classes from here on need white text
INK = "#1d1d1f"
OUTLINE = "#5a5a60"  # the country's outline and the borders of the "none" class

# INEGI's abbreviations of the states (Catálogo de claves de entidades federativas).
ABBREVIATIONS = {
    "agu": "AGS",
    "bcn": "BC",
    "bcs": "BCS",
    "cam": "CAMP",
    "chp": "CHIS",
    "chh": "CHIH",
    "coa": "COAH",
    "col": "COL",
    "dur": "DGO",
    "gua": "GTO",
    "gro": "GRO",
    "hid": "HGO",
    "jal": "JAL",
    "cmx": "CDMX",
    "mex": "MEX",
    "mic": "MICH",
    "mor": "MOR",
    "nay": "NAY",
    "nle": "NL",
    "oax": "OAX",
    "pue": "PUE",
    "que": "QRO",
    "roo": "QROO",
    "slp": "SLP",
    "sin": "SIN",
    "son": "SON",
    "tab": "TAB",
    "tam": "TAMPS",
    "tla": "TLAX",
    "ver": "VER",
    "yuc": "YUC",
    "zac": "ZAC",
}
# Labels that do not sit on their state's centre (x, y in the map's units). The small
# states of the centre get a leader line to a label in open space (LEADERS).
LABEL_AT = {
    "agu": (422, 300),
    "hid": (496, 331),
    "mex": (455, 362),
    "cmx": (462, 456),
    "mor": (502, 456),
    "tla": (536, 344),
    "ver": (572, 388),
    "pue": (513, 392),
    "gro": (430, 420),
    "col": (335, 390),
}
LEADERS = {"agu", "cmx", "mor", "tla", "col"}


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(k: int) -> str:
    """The colour of text drawn on class *k*."""
    return "#ffffff" if k >= DARK_FROM else INK


@cache
def shapes() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _rings(path: str) -> list[list[tuple[float, float]]]:
    """The closed rings of an SVG path made of ``m``/``M``, ``l`` and ``z`` (the vendored map)."""
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    for command, args in re.findall(r"([mMlLzZ])([^mMlLzZ]*)", path):
        numbers = [float(n) for n in _NUMBER.findall(args)]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=False))
        if command in "zZ":
            if rings and rings[-1]:
                x, y = rings[-1][0]  # a closed subpath leaves the pen at its start
            continue
        if command in "mM":
            rings.append([])
        for dx, dy in pairs:
            x, y = (x + dx, y + dy) if command in "ml" else (dx, dy)
            rings[-1].append((x, y))
    return [ring for ring in rings if len(ring) >= 3]


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a polygon (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


@cache
def label_positions() -> dict[str, tuple[float, float, float, float]]:
    """Where each state's label goes: (x, y of the state's centre; x, y of the label)."""
    positions = {}
    for location in shapes()["locations"]:
        _area, x, y = max(_centroid(ring) for ring in _rings(location["path"]))
        label_x, label_y = LABEL_AT.get(location["id"], (x, y))
        positions[location["id"]] = (round(x, 1), round(y, 1), round(label_x, 1), round(label_y, 1))
    return positions


@dataclass
class Area:
    svg_id: str
    name: str
    path: str
    value: int
    k: int
    label: str
    abbreviation: str = ""
    x: float = 0.0
    y: float = 0.0
    label_x: float = 0.0
    label_y: float = 0.0
    href: str = ""

    @property
    def fill(self) -> str:
        return PALETTE[self.k]

    @property
    def leader(self) -> bool:
        return self.svg_id in LEADERS

    @property
    def stroke(self) -> str:
        return OUTLINE if self.k == 0 else "#ffffff"


def breaks(maximum: int) -> int:
    """The highest value of the middle class ("some"); above it a state has "many"."""
    return (maximum + 1) // 2


def classify(value: int, maximum: int) -> int:
    """Return the palette class of *value*: 0 for none, 1 up to half the maximum, 2 above."""
    if value <= 0 or maximum <= 0:
        return 0
    return 1 if value <= breaks(maximum) else 2


def areas(
    values_by_svg_id: dict[str, int],
    names_by_svg_id: dict[str, str],
    unit: str,
    hrefs_by_svg_id: dict[str, str] | None = None,
) -> list[Area]:
    """The 32 states with their value, colour class, label position and link."""
    maximum = max(values_by_svg_id.values(), default=0)
    positions = label_positions()
    result = []
    for location in shapes()["locations"]:
        svg_id = location["id"]
        value = values_by_svg_id.get(svg_id, 0)
        name = names_by_svg_id.get(svg_id, location["name"])
        x, y, label_x, label_y = positions[svg_id]
        result.append(
            Area(
                svg_id=svg_id,
                name=name,
                path=location["path"],
                value=value,
                k=classify(value, maximum),
                label=f"{name}: {value} {unit}",
                abbreviation=ABBREVIATIONS.get(svg_id, svg_id.upper()),
                x=x,
                y=y,
                label_x=label_x,
                label_y=label_y,
                href=(hrefs_by_svg_id or {}).get(svg_id, ""),
            )
        )
    return result


def legend(maximum: int) -> list[tuple[str, str]]:
    """Colour and range label of each class in use, for the map's legend."""
    items = [(PALETTE[0], "0")]
    if maximum <= 0:
        return items
    middle = breaks(maximum)
    items.append((PALETTE[1], f"1–{middle}" if middle > 1 else "1"))
    if maximum > middle:
        high = f"{middle + 1}–{maximum}" if maximum > middle + 1 else str(maximum)
        items.append((PALETTE[2], high))
    return items


@cache
def outlines(tolerance: float = 4.0) -> dict[str, str]:
    """Each state's outline with fewer points (absolute, rounded), for the small locator map.

    Points closer than *tolerance* (map units) to the last one kept are dropped: at the
    locator's size they are invisible, and the page carries a tenth of the full map.
    """
    result = {}
    for location in shapes()["locations"]:
        parts = []
        for ring in _rings(location["path"]):
            kept = [ring[0]]
            for x, y in ring[1:]:
                if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
                    kept.append((x, y))
            if len(kept) >= 3:
                points = " ".join(f"{x:.0f} {y:.0f}" for x, y in kept)
                parts.append(f"M{points}Z")
        result[location["id"]] = "".join(parts)
    return result


def locator(svg_id: str) -> list[tuple[str, bool]]:
    """The locator map: every state's outline and whether it is the one to highlight."""
    return [(path, key == svg_id) for key, path in outlines().items()]


def context(areas: list[Area], maximum: int, unit: str, caption: str, total=None) -> dict:
    """What the choropleth's template (portal/_map.html) needs: the areas, the same areas
    as table rows by name, the legend's classes, the frame, the credit and the caption."""
    return {
        "areas": areas,
        "rows": sorted(areas, key=lambda a: a.name),
        "legend": [(PALETTE.index(colour), label) for colour, label in legend(maximum)],
        "view_box": shapes()["viewBox"],
        "credit": CREDIT,
        "unit": unit,
        "caption": caption,
        "total": total,
    }
