"""Vega-Lite specs of a reporting cycle, built as plain dicts from published data.

The data travel inside the spec (``data.values``), so a spec is complete: the
server renders it with vl-convert and a browser with vega-embed, identically.
Colours follow the portal: the parts in the two institutional colours, the
heatmap in the classes of ``charts/maps.py`` with a legend of swatches (a
gradient legend does not survive every SVG renderer).
"""

from __future__ import annotations

from django.db.models import Count

from observatorio.catalog.models import GcmObjective
from observatorio.charts import maps
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published.coverage import coverage

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "DejaVu Sans"
PART_LABELS = {Program.Section.FEDERAL: "Federal", Program.Section.STATE: "Estatal"}
PART_COLOURS = ["#691c32", "#bc955c"]
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 9, "titleFontSize": 10, "labelColor": "#222", "titleColor": "#222"},
    "legend": {"labelFontSize": 9, "titleFontSize": 10},
    "background": "#ffffff",
}


def labels(field: str, sort, limit: int) -> dict:
    """The channel that names the bars of a horizontal bar chart: no title, no ticks."""
    return {
        "field": field,
        "type": "nominal",
        "sort": sort,
        "title": None,
        "axis": {"labelLimit": limit, "ticks": False},
    }


def quantity(field: str, title, axis: dict | None = None) -> dict:
    """The channel of the bars' lengths, with its title and, when given, its axis."""
    channel = {"field": field, "type": "quantitative", "title": title}
    if axis is not None:
        channel["axis"] = axis
    return channel


def count_axis(**more) -> dict:
    """The axis of a count: whole numbers only."""
    return {"tickMinStep": 1, "format": "d", **more}


def series(field: str, sort: list, colours: list, legend_title) -> dict:
    """The colour of grouped bars: one colour per series, in the order *sort*, legend on top."""
    return {
        "field": field,
        "type": "nominal",
        "sort": sort,
        "scale": {"domain": sort, "range": colours},
        "legend": {"title": legend_title, "orient": "top"},
    }


def objective_label(objective: GcmObjective) -> str:
    return f"{objective.number}. {objective.short_es or objective.title_es}"


def programs_per_objective_spec(cycle: ReportingCycle) -> dict:
    """Grouped bars: published programs per PMM objective, federal and state side by side."""
    objectives = list(GcmObjective.objects.order_by("number"))
    rows = (
        Program.objects.published()
        .filter(cycle=cycle)
        .values_list("section", "objective__number")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(section, number): n for section, number, n in rows}
    values = [
        {
            "objetivo": o.number,
            "etiqueta": objective_label(o),
            "parte": label,
            "programas": counts.get((section, o.number), 0),
        }
        for o in objectives
        for section, label in PART_LABELS.items()
    ]
    parts = list(PART_LABELS.values())
    return {
        "$schema": SCHEMA,
        "description": f"Programas publicados por objetivo del PMM y parte, ciclo {cycle.edition}",
        "data": {"values": values},
        "width": 300,
        "height": {"step": 9},
        "encoding": {
            "y": labels("etiqueta", [objective_label(o) for o in objectives], 230),
            "yOffset": {"field": "parte", "type": "nominal", "sort": parts},
            "x": quantity("programas", "Programas publicados", count_axis()),
            "color": series("parte", parts, PART_COLOURS, "Parte"),
            "tooltip": [
                {"field": "etiqueta", "title": "Objetivo"},
                {"field": "parte", "title": "Parte"},
                {"field": "programas", "title": "Programas"},
            ],
        },
        "layer": [
            {"mark": {"type": "bar", "height": {"band": 1}}},
            {
                "mark": {"type": "text", "align": "left", "dx": 2, "fontSize": 7},
                "encoding": {
                    "text": {"field": "programas", "type": "quantitative"},
                    "color": {"value": "#222"},
                },
                "transform": [{"filter": "datum.programas > 0"}],
            },
        ],
        "config": CONFIG,
    }


def coverage_heatmap_spec(cycle: ReportingCycle | None) -> dict:
    """The 32 states × 23 objectives: published state programs per cell, empty cells kept."""
    data = coverage(cycle)
    legend = maps.legend(data.maximum)
    label_of = dict(legend)
    values = []
    for row in data.rows:
        for objective, count in zip(data.objectives, row.counts, strict=True):
            k = maps.classify(count, data.maximum)
            values.append(
                {
                    "entidad": row.state.name,
                    "objetivo": objective.number,
                    "titulo": objective_label(objective),
                    "programas": count,
                    "clase": label_of[maps.PALETTE[k]],
                    "oscuro": k >= maps.DARK_FROM,
                }
            )
    states = [row.state.name for row in data.rows]
    classes = [label for _, label in legend]
    return {
        "$schema": SCHEMA,
        "description": (
            "Programas estatales publicados por entidad federativa y objetivo del PMM"
            + (f", ciclo {cycle.edition}" if cycle else "")
        ),
        "data": {"values": values},
        "width": {"step": 15},
        "height": {"step": 12},
        "encoding": {
            "x": {
                "field": "objetivo",
                "type": "ordinal",
                "title": "Objetivo del PMM",
                "axis": {"orient": "top", "labelAngle": 0, "ticks": False, "domain": False},
            },
            "y": {
                "field": "entidad",
                "type": "nominal",
                "sort": states,
                "title": None,
                "axis": {"ticks": False, "domain": False},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "clase",
                        "type": "ordinal",
                        "sort": classes,
                        "scale": {"domain": classes, "range": [c for c, _ in legend]},
                        "legend": {
                            "title": "Programas",
                            "orient": "bottom",
                            "direction": "horizontal",
                        },
                    },
                    "tooltip": [
                        {"field": "entidad", "title": "Entidad"},
                        {"field": "titulo", "title": "Objetivo"},
                        {"field": "programas", "title": "Programas"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 7},
                "encoding": {
                    "text": {"field": "programas", "type": "quantitative"},
                    "color": {
                        "condition": {"test": "datum.oscuro", "value": "#ffffff"},
                        "value": "#222222",
                    },
                },
                "transform": [{"filter": "datum.programas > 0"}],
            },
        ],
        "config": CONFIG,
    }
