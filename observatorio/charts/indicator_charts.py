"""An indicator's chart: its published cells of one period and breakdown as horizontal bars.

Only published values are drawn (:mod:`observatorio.indicators.published`): a suppressed
cell has no bar and is named in a note under the chart, never drawn as a zero. Charts
are kept per worker by their content (the cells are part of the key), so a new approval
shows at once.
"""

from __future__ import annotations

from collections import OrderedDict

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from observatorio.lib.numbers import format_number

from . import specs
from .site import Chart, render

BAR = "#561328"
_KEPT: OrderedDict[tuple, Chart] = OrderedDict()
_MOST = 256


def bars_chart(
    slug: str, title: str, unit: str, rows: list[tuple[str, float | None]], source: str
) -> Chart | None:
    """Bars of (label, value) *rows*, largest first; None when no row has a value."""
    shown = [(label, value) for label, value in rows if value is not None]
    if not shown:
        return None
    hidden = [label for label, value in rows if value is None]
    key = (slug, title, unit, tuple(rows), source, get_language())
    chart = _KEPT.get(key)
    if chart is not None:
        _KEPT.move_to_end(key)
        return chart
    order = [label for label, _value in sorted(shown, key=lambda row: (-row[1], row[0]))]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"etiqueta": label, "valor": value} for label, value in shown]},
        "width": 220,
        "height": {"step": 16},
        "layer": [
            {
                "mark": {"type": "bar", "color": BAR},
                "encoding": {
                    "y": specs.labels("etiqueta", order, 200),
                    "x": specs.quantity("valor", unit.capitalize(), {"tickCount": 4}),
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
                "encoding": {
                    "y": specs.labels("etiqueta", order, 200),
                    "x": {"field": "valor", "type": "quantitative"},
                    "text": {"field": "valor", "type": "quantitative", "format": ",.0f"},
                },
            },
        ],
        # The font the labels are measured with is the one they are drawn in.
        "config": specs.CONFIG,
    }
    notes = []
    if hidden:
        notes.append(
            _(
                "Sin barra por estar reservados (celdas pequeñas o que permitirían "
                "deducirlas): %(names)s."
            )
            % {"names": ", ".join(hidden)}
        )
    chart = render(
        slug,
        spec,
        title,
        _("Barras horizontales: %(unit)s de cada categoría, de mayor a menor.") % {"unit": unit},
        columns=[_("Categoría"), unit.capitalize()],
        rows=[
            [label, format_number(value) if value is not None else _("Reservado")]
            for label, value in rows
        ],
        source=source,
        notes=notes,
    )
    _KEPT[key] = chart
    if len(_KEPT) > _MOST:
        _KEPT.popitem(last=False)
    return chart
