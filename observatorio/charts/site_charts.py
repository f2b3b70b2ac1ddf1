"""The charts of the public pages, each built from published data with its table and source.

Programs by objective and part (the publications' own spec), by state, over the cycles,
one state's profile against all the states, and a state's panorama figures. Every
builder returns a :class:`~observatorio.charts.site.Chart` (or None when there is nothing
to draw) and is cached per data version by :func:`observatorio.charts.site.cached`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.db.models import Count
from django.utils.translation import gettext as _

from observatorio.catalog.models import State
from observatorio.lib.numbers import format_figure, format_number, is_percent
from observatorio.practices.models import PanoramaFigure
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published.coverage import coverage

from . import specs
from .site import Chart, cached, render

# The parts' colours on the site: 3:1 apart and each at least 3:1 on white (the printed
# publications' gold, #bc955c, is 2.8:1 on white).
PART_COLOURS = {Program.Section.FEDERAL: "#561328", Program.Section.STATE: "#b07a1e"}
BAR = "#561328"
SECOND = "#b07a1e"
# Panorama charts: at most this many bars (a state prints up to a dozen per unit).
PANORAMA_BARS = 12


def _part_label(section: str) -> str:
    return str(dict(Program.Section.choices)[section])


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _of_cycle(name: str):
    """Make a chart of one cycle a cached one (under *name* and the cycle); no cycle, no chart."""

    def decorate(build: Callable[[ReportingCycle], Chart]):
        @wraps(build)
        def chart(cycle: ReportingCycle | None) -> Chart | None:
            if cycle is None:
                return None
            return cached((name, cycle.pk), lambda: build(cycle))

        return chart

    return decorate


# --- programs by objective and part -------------------------------------------------------


@_of_cycle("objectives")
def objectives_chart(cycle: ReportingCycle) -> Chart:
    spec = specs.programs_per_objective_spec(cycle)
    spec["encoding"]["color"]["scale"]["range"] = list(PART_COLOURS.values())
    spec["height"] = {"step": 11}
    spec["width"] = 200  # narrower than the printed page: the labels stay readable on a phone
    spec["encoding"]["y"]["axis"]["labelLimit"] = 220
    spec["encoding"]["x"]["axis"]["tickCount"] = 5
    spec["layer"][1]["mark"]["fontSize"] = 10
    by_objective: OrderedDict[str, dict] = OrderedDict()
    for value in spec["data"]["values"]:
        by_objective.setdefault(value["etiqueta"], {})[value["parte"]] = value["programas"]
    rows = [
        [label, str(parts.get("Federal", 0)), str(parts.get("Estatal", 0))]
        + [str(sum(parts.values()))]
        for label, parts in by_objective.items()
    ]
    title = _("Programas publicados por objetivo y parte, %(cycle)s") % {"cycle": cycle.name}
    return render(
        "grafica-objetivos",
        spec,
        title,
        _(
            "Barras horizontales: para cada uno de los 23 objetivos del Pacto Mundial, los "
            "programas federales y los estatales publicados en el ciclo."
        ),
        columns=[_("Objetivo"), _("Federales"), _("Estatales"), _("Total")],
        rows=rows,
        source=_("Programas publicados en el Observatorio, %(cycle)s.") % {"cycle": cycle.name},
    )


# --- programs by state --------------------------------------------------------------------


@_of_cycle("states")
def states_chart(cycle: ReportingCycle) -> Chart:
    data = coverage(cycle)
    rows = sorted(data.rows, key=lambda row: (-row.total, row.state.name))
    average = data.total / len(rows) if rows else 0
    values = [
        {"entidad": row.state.name, "programas": row.total, "objetivos": row.objectives_covered}
        for row in rows
    ]
    spec = {
        "$schema": specs.SCHEMA,
        "data": {"values": values},
        "width": 220,
        "height": {"step": 15},
        "layer": [
            # The national average first, so that bars and figures are drawn over it.
            {
                "data": {"values": [{"promedio": average}]},
                "mark": {"type": "rule", "color": SECOND, "strokeDash": [4, 3], "strokeWidth": 2},
                "encoding": {"x": {"field": "promedio", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"promedio": average, "texto": _("promedio")}]},
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "y": -6},
                "encoding": {
                    "x": {"field": "promedio", "type": "quantitative"},
                    "text": {"field": "texto"},
                    "color": {"value": "#1d1d1f"},
                },
            },
            {
                "mark": {"type": "bar", "color": BAR, "height": {"band": 0.75}},
                "encoding": {
                    "y": specs.labels("entidad", None, 200),
                    "x": specs.quantity(
                        "programas",
                        _("Programas estatales publicados"),
                        specs.count_axis(tickCount=5),
                    ),
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                "encoding": {
                    "y": {"field": "entidad", "type": "nominal", "sort": None},
                    "x": {"field": "programas", "type": "quantitative"},
                    "text": {"field": "programas", "type": "quantitative"},
                    "color": {"value": "#1d1d1f"},
                },
            },
        ],
        "config": specs.CONFIG,
    }
    mean = format_number(average, places=1)
    title = _("Programas estatales publicados por entidad, %(cycle)s") % {"cycle": cycle.name}
    return render(
        "grafica-entidades",
        spec,
        title,
        _(
            "Barras horizontales de las 32 entidades, de más a menos programas; la línea "
            "discontinua marca el promedio nacional, %(mean)s programas por entidad."
        )
        % {"mean": mean},
        columns=[_("Entidad"), _("Programas estatales"), _("Objetivos cubiertos (de 23)")],
        rows=[[v["entidad"], str(v["programas"]), str(v["objetivos"])] for v in values],
        source=_("Programas publicados en el Observatorio, %(cycle)s.") % {"cycle": cycle.name},
        notes=[_("Promedio nacional: %(mean)s programas por entidad.") % {"mean": mean}],
    )


# --- over the cycles ------------------------------------------------------------------------


def cycles_chart(cycles: list[ReportingCycle], state: State | None = None) -> Chart | None:
    """Published programs per cycle and part (of one *state*, if given); None for one cycle."""
    if len(cycles) < 2:
        return None
    key = ("cycles", tuple(c.pk for c in cycles), state.pk if state else None)
    return cached(key, lambda: _cycles_chart(cycles, state))


def _cycles_chart(cycles: list[ReportingCycle], state: State | None) -> Chart | None:
    programs = Program.objects.published().filter(cycle__in=cycles)
    if state is not None:
        programs = programs.filter(state=state)
    counts = {
        (edition, section): n
        for edition, section, n in programs.values_list("cycle__edition", "section")
        .annotate(n=Count("id"))
        .order_by()
    }
    if len({edition for (edition, _section), n in counts.items() if n}) < 2:
        return None  # over time means two cycles with data, at least
    ordered = sorted(cycles, key=lambda c: c.edition)
    sections = [Program.Section.FEDERAL, Program.Section.STATE]
    if state is not None:
        sections = [s for s in sections if any(counts.get((c.edition, s)) for c in ordered)]
        if not sections:
            return None
    values = [
        {
            "ciclo": str(c.edition),
            "parte": _part_label(s),
            "programas": counts.get((c.edition, s), 0),
        }
        for c in ordered
        for s in sections
    ]
    parts = [_part_label(s) for s in sections]
    spec = {
        "$schema": specs.SCHEMA,
        "data": {"values": values},
        "width": {"step": 60},
        "height": 200,
        "encoding": {
            "x": {
                "field": "ciclo",
                "type": "ordinal",
                "title": _("Ciclo"),
                "axis": {"labelAngle": 0},
            },
            "xOffset": {"field": "parte", "type": "nominal", "sort": parts},
            "y": specs.quantity("programas", _("Programas publicados"), specs.count_axis()),
            "color": specs.series("parte", parts, [PART_COLOURS[s] for s in sections], _("Parte")),
        },
        "layer": [
            {"mark": {"type": "bar"}},
            {
                "mark": {"type": "text", "dy": -6, "fontSize": 11},
                "encoding": {
                    "text": {"field": "programas", "type": "quantitative"},
                    "color": {"value": "#1d1d1f"},
                },
            },
        ],
        "config": specs.CONFIG,
    }
    if state is None:
        title = _("Programas publicados por ciclo y parte")
    else:
        title = _("Programas de %(state)s publicados por ciclo") % {"state": state.name}
    rows = [[c.name] + [str(counts.get((c.edition, s), 0)) for s in sections] for c in ordered]
    return render(
        "grafica-ciclos" + (f"-{state.inegi_code}" if state else ""),
        spec,
        title,
        _("Barras agrupadas por ciclo de reporte, una por parte del informe."),
        columns=[_("Ciclo"), *parts],
        rows=rows,
        source=_("Programas publicados en el Observatorio."),
    )


def states_cycles_chart(cycles: list[ReportingCycle]) -> Chart | None:
    """State programs of each state in every cycle; None for one cycle."""
    if len(cycles) < 2:
        return None
    return cached(("states-cycles", tuple(c.pk for c in cycles)), lambda: _states_cycles(cycles))


def _states_cycles(cycles: list[ReportingCycle]) -> Chart | None:
    ordered = sorted(cycles, key=lambda c: c.edition)
    counts = {
        (name, edition): n
        for name, edition, n in Program.objects.published()
        .filter(cycle__in=ordered, section=Program.Section.STATE, state__isnull=False)
        .values_list("state__name", "cycle__edition")
        .annotate(n=Count("id"))
        .order_by()
    }
    states = sorted({name for name, _edition in counts})
    if len({edition for _name, edition in counts}) < 2:
        return None
    editions = [str(c.edition) for c in ordered]
    values = [
        {"entidad": name, "ciclo": str(c.edition), "programas": counts.get((name, c.edition), 0)}
        for name in states
        for c in ordered
    ]
    palette = [SECOND, BAR] if len(ordered) == 2 else None
    colour = {
        "field": "ciclo",
        "type": "nominal",
        "sort": editions,
        "legend": {"title": _("Ciclo"), "orient": "top"},
    }
    colour["scale"] = {"domain": editions, "range": palette} if palette else {"scheme": "purples"}
    spec = {
        "$schema": specs.SCHEMA,
        "data": {"values": values},
        "width": 220,
        "height": {"step": 7 * len(ordered)},
        "encoding": {
            "y": specs.labels("entidad", states, 200),
            "yOffset": {"field": "ciclo", "type": "nominal", "sort": editions},
            "x": specs.quantity(
                "programas", _("Programas estatales publicados"), specs.count_axis(tickCount=5)
            ),
            "color": colour,
        },
        "layer": [{"mark": {"type": "bar", "height": {"band": 1}}}],
        "config": specs.CONFIG,
    }
    return render(
        "grafica-entidades-ciclos",
        spec,
        _("Programas estatales publicados por entidad y ciclo"),
        _(
            "Barras horizontales agrupadas: para cada entidad con programas, una barra por "
            "ciclo de reporte."
        ),
        columns=[_("Entidad"), *(c.name for c in ordered)],
        rows=[[name, *(str(counts.get((name, c.edition), 0)) for c in ordered)] for name in states],
        source=_("Programas publicados en el Observatorio."),
    )


# --- one state against all the states -------------------------------------------------------


def state_profile_chart(state: State, cycle: ReportingCycle | None) -> Chart | None:
    """The state's programs by objective as shares of its total, beside all the states'."""
    if cycle is None:
        return None
    return cached(("profile", state.pk, cycle.pk), lambda: _state_profile_chart(state, cycle))


def _state_profile_chart(state: State, cycle: ReportingCycle) -> Chart | None:
    data = coverage(cycle)
    row = next(r for r in data.rows if r.state.pk == state.pk)
    if not row.total:
        return None
    national = _("Todas las entidades")
    series = [state.name, national]
    values, rows = [], []
    for objective, mine, everyone in zip(
        data.objectives, row.counts, data.objective_totals, strict=True
    ):
        if not (mine or everyone):
            continue
        label = specs.objective_label(objective)
        mine_share, all_share = _percent(mine, row.total), _percent(everyone, data.total)
        values += [
            {"etiqueta": label, "serie": state.name, "porcentaje": mine_share},
            {"etiqueta": label, "serie": national, "porcentaje": all_share},
        ]
        rows.append(
            [
                label,
                str(mine),
                format_figure(mine_share, "%", 1),
                str(everyone),
                format_figure(all_share, "%", 1),
            ]
        )
    labels = list(dict.fromkeys(v["etiqueta"] for v in values))
    spec = {
        "$schema": specs.SCHEMA,
        "data": {"values": values},
        "width": 200,
        "height": {"step": 9},
        "encoding": {
            "y": specs.labels("etiqueta", labels, 220),
            "yOffset": {"field": "serie", "type": "nominal", "sort": series},
            "x": specs.quantity("porcentaje", _("Porcentaje de los programas estatales")),
            "color": specs.series("serie", series, [BAR, SECOND], None),
        },
        "layer": [{"mark": {"type": "bar", "height": {"band": 1}}}],
        "config": specs.CONFIG,
    }
    title = _("%(state)s frente al conjunto de las entidades, %(cycle)s") % {
        "state": state.name,
        "cycle": cycle.name,
    }
    return render(
        f"grafica-perfil-{state.inegi_code}",
        spec,
        title,
        _(
            "Barras horizontales por objetivo del Pacto Mundial: el porcentaje de los "
            "programas estatales de %(state)s (%(mine)s) y el de los programas estatales de "
            "todas las entidades (%(all)s) que atiende cada objetivo."
        )
        % {"state": state.name, "mine": row.total, "all": data.total},
        columns=[
            _("Objetivo"),
            _("Programas de %(state)s") % {"state": state.name},
            _("Porcentaje de %(state)s") % {"state": state.name},
            _("Programas de todas las entidades"),
            _("Porcentaje nacional"),
        ],
        rows=rows,
        source=_("Programas publicados en el Observatorio, %(cycle)s.") % {"cycle": cycle.name},
        notes=[
            _(
                "%(state)s: %(mine)s programas y %(covered)s de 23 objetivos; promedio de las "
                "32 entidades: %(mean)s programas y %(mean_covered)s objetivos."
            )
            % {
                "state": state.name,
                "mine": row.total,
                "covered": row.objectives_covered,
                "mean": format_number(data.total / len(data.rows), places=1),
                "mean_covered": format_number(
                    sum(r.objectives_covered for r in data.rows) / len(data.rows), places=1
                ),
            }
        ],
    )


# --- a state's panorama ----------------------------------------------------------------------


def panorama_charts(state: State) -> list[Chart]:
    """One chart per unit and period of the state's panorama with two figures or more."""
    return cached(("panorama", state.pk), lambda: _panorama_charts(state)) or []


class _Charts(list):
    """A list of charts that the cache can weigh."""

    @property
    def svg(self) -> str:
        return "".join(chart.svg for chart in self)


def _panorama_charts(state: State) -> _Charts:
    figures = (
        PanoramaFigure.objects.filter(state=state, value__isnull=False)
        .select_related("source")
        .order_by("source_line", "id")
    )
    groups: OrderedDict[tuple[str, str], list[PanoramaFigure]] = OrderedDict()
    for figure in figures:
        groups.setdefault((figure.unit, figure.period), []).append(figure)
    national = _national_figures()
    charts = _Charts()
    for n, ((unit, period), items) in enumerate(groups.items(), start=1):
        if len(items) < 2 or not unit:
            continue
        charts.append(_panorama_chart(state, unit, period, items[:PANORAMA_BARS], n, national))
    return charts


def _period_key(period: str) -> str:
    """``enero a junio de 2021`` and ``enero a junio 2021`` are one period."""
    return " ".join(w for w in period.lower().split() if w != "de")


def _national_figures() -> dict[tuple[str, str, str], PanoramaFigure]:
    """The country's figures by (indicator, unit, period), the first printed of each."""
    figures = {}
    for figure in PanoramaFigure.objects.filter(
        scope_kind=PanoramaFigure.ScopeKind.NATIONAL, value__isnull=False
    ).order_by("source_line", "id"):
        key = (figure.indicator, figure.unit, _period_key(figure.period))
        figures.setdefault(key, figure)
    return figures


def _short_indicator(indicator: str, first: str) -> str:
    """The bar's label: what follows the group's first indicator, when it repeats it."""
    prefix = first.split(",")[0].split(":")[0]
    if indicator != prefix and indicator.startswith(prefix) and len(indicator) > len(prefix) + 2:
        rest = indicator[len(prefix) :].lstrip(",: ")
        return rest[:1].upper() + rest[1:]
    return indicator


def _panorama_chart(state, unit: str, period: str, items: list, n: int, national: dict) -> Chart:
    percent = is_percent(unit)
    values = [
        {
            "indicador": _short_indicator(f.indicator, items[0].indicator),
            "orden": i,
            "valor": float(f.value),
            "texto": format_figure(f.value, unit),
        }
        for i, f in enumerate(items)
    ]
    spec = {
        "$schema": specs.SCHEMA,
        "data": {"values": values},
        "width": 170,
        "height": {"step": 18},
        "encoding": {
            "y": specs.labels("indicador", {"field": "orden"}, 250),
            "x": specs.quantity(
                "valor", "%" if percent else unit, {"format": ",.0f", "tickCount": 4}
            ),
        },
        "layer": [
            {"mark": {"type": "bar", "color": BAR, "height": {"band": 0.7}}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11},
                "encoding": {"text": {"field": "texto"}, "color": {"value": "#1d1d1f"}},
            },
        ],
        "config": specs.CONFIG,
    }
    cited = sorted({f.source_cited for f in items if f.source_cited})
    documents = sorted({f.source.title for f in items})
    lines = ", ".join(str(n) for n in sorted({f.source_line for f in items}))
    where = _("%(documents)s, líneas %(lines)s") % {
        "documents": "; ".join(documents),
        "lines": lines,
    }
    if cited:
        source = _("%(cited)s, citado en %(where)s.") % {"cited": "; ".join(cited), "where": where}
    else:
        source = _("%(where)s (el estudio no cita su fuente).") % {"where": where}
    unit_label = _("porcentaje") if percent else unit
    title = f"{state.name}: {unit_label}" + (f", {period}" if period else "")
    # The same figure for the whole country, where the study prints it for the same period.
    matches = [
        None if percent else national.get((f.indicator, f.unit, _period_key(f.period)))
        for f in items
    ]
    columns = [_("Indicador"), _("Valor"), _("Valor como se imprimió")]
    rows = [[f.indicator, format_figure(f.value, unit), f.value_as_printed] for f in items]
    notes = []
    if any(matches):
        columns += [_("Nacional"), _("Porcentaje del nacional")]
        for row, f, country in zip(rows, items, matches, strict=True):
            if country is None or not country.value:
                row += ["—", "—"]
                continue
            share = format_figure(100 * f.value / country.value, "%", 1)
            row += [format_figure(country.value, unit), share]
            notes.append(
                _("%(indicator)s: %(value)s de %(national)s en el país (%(share)s).")
                % {
                    "indicator": f.indicator,
                    "value": format_figure(f.value, unit),
                    "national": format_figure(country.value, unit),
                    "share": share,
                }
            )
    return render(
        f"grafica-panorama-{state.inegi_code}-{n}",
        spec,
        title,
        _("Barras horizontales de %(count)s cifras del panorama en %(unit)s.")
        % {"count": len(items), "unit": unit_label},
        source=source,
        columns=columns,
        rows=rows,
        notes=notes,
    )
