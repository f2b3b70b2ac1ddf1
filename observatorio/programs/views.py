"""Public pages of the programs app: the home page."""

from django.db.models import Count
from django.shortcuts import render

from observatorio.catalog.models import Institution
from observatorio.lib.access import public
from observatorio.portal.coverage import coverage
from observatorio.portal.pages import OBJECTIVES, STATES, heatmap_grid, latest_cycle
from observatorio.practices.models import GoodPractice

from .models import Program


@public
def home(request):
    """What the Observatorio is, the latest cycle at a glance, the heatmap and the ways in."""
    cycle = latest_cycle()
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
        "programs/home.html",
        {
            "cycle": cycle,
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
