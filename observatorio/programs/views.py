"""Public pages of the programs app."""

from django.db.models import Count, Q
from django.shortcuts import render

from observatorio.catalog.models import GcmObjective
from observatorio.lib.access import public

from .models import Program, ReportingCycle


@public
def home(request):
    """Show the latest reporting cycle at a glance: programs by objective and part."""
    cycle = ReportingCycle.objects.filter(programs__status=Program.Status.PUBLISHED).first()
    rows = []
    totals = {"federal": 0, "estatal": 0}
    states = []
    if cycle is not None:
        rows = GcmObjective.objects.annotate(
            federal=Count(
                "programs",
                filter=Q(
                    programs__cycle=cycle,
                    programs__section=Program.Section.FEDERAL,
                    programs__status=Program.Status.PUBLISHED,
                ),
            ),
            estatal=Count(
                "programs",
                filter=Q(
                    programs__cycle=cycle,
                    programs__section=Program.Section.STATE,
                    programs__status=Program.Status.PUBLISHED,
                ),
            ),
        ).order_by("number")
        for row in rows:
            totals["federal"] += row.federal
            totals["estatal"] += row.estatal
        states = (
            Program.objects.published()
            .filter(cycle=cycle, section=Program.Section.STATE)
            .values("state__name", "state__inegi_code")
            .annotate(n=Count("id"))
            .order_by("state__name")
        )
    return render(
        request,
        "programs/home.html",
        {"cycle": cycle, "rows": rows, "totals": totals, "states": states},
    )
