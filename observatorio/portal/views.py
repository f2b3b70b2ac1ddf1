"""Public portal pages: the home page and the coverage page."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from observatorio.catalog.models import Institution
from observatorio.charts import maps
from observatorio.lib.access import public
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.published.coverage import MEASURES, coverage

from .pages import OBJECTIVES, STATES, chosen_cycle, heatmap_grid


@public
def coverage_page(request):
    """Heatmap of states × objectives and a choropleth map, for one cycle."""
    cycle, cycles = chosen_cycle(request)
    measure = request.GET.get("medida", "programas")
    if measure not in MEASURES:
        measure = "programas"
    data = coverage(cycle)
    values = data.measure(measure)
    by_code = {row.state.inegi_code: row.state for row in data.rows}
    unit = _("programas") if measure == "programas" else _("objetivos cubiertos")
    areas = maps.areas(
        {by_code[code].svg_id: value for code, value in values.items()},
        {s.svg_id: s.name for s in by_code.values()},
        unit,
    )
    grid = []
    for row in data.rows:
        cells = []
        for count in row.counts:
            k = maps.classify(count, data.maximum)
            cells.append((count, k, k >= maps.DARK_FROM))
        grid.append((row, cells))
    return render(
        request,
        "portal/coverage.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "data": data,
            "measure": measure,
            "measures": [
                ("programas", _("Programas estatales")),
                ("objetivos", _("Objetivos cubiertos")),
            ],
            "areas": areas,
            # Palette classes (CSS .shade-k), not colours: pages carry no inline style.
            "legend": [
                (maps.PALETTE.index(colour), label)
                for colour, label in maps.legend(max(values.values(), default=0))
            ],
            "view_box": maps.shapes()["viewBox"],
            "credit": maps.CREDIT,
            "unit": unit,
            "grid": grid,
        },
    )


@public
def home(request):
    """What the Observatorio is, the latest cycle at a glance, the heatmap and the ways in."""
    cycle, cycles = chosen_cycle(request)
    totals = {"federal": 0, "estatal": 0}
    objectives_covered = 0
    if cycle is not None:
        published = Program.objects.published().filter(cycle=cycle)
        for row in published.values("section").annotate(n=Count("id")).order_by():
            totals[row["section"]] = row["n"]
        objectives_covered = published.values("objective").distinct().count()
    data = coverage(cycle)
    return render(
        request,
        "portal/home.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "totals": totals,
            "states_reporting": data.states_reporting,
            "states_total": STATES,
            "objectives_covered": objectives_covered,
            "objectives_total": OBJECTIVES,
            "data": data,
            "grid": heatmap_grid(data),
            "practices_count": GoodPractice.objects.count(),
            "institutions_count": Institution.objects.count(),
        },
    )
