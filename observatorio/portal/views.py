"""Public portal pages: the home page and the coverage page."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.charts import maps
from observatorio.lib.access import public
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program
from observatorio.published.coverage import coverage, programs_by_state

from .forms import MapFilterForm
from .pages import OBJECTIVES, STATES, chosen_cycle, heatmap_grid


def choropleth(cycle, objective=None, section=None, measure="programas") -> dict:
    """The map's context: the 32 states linked to their pages, classes, labels and legend."""
    values = programs_by_state(cycle, objective, section, measure)
    states = list(State.objects.all())
    unit = _("programas") if measure == "programas" else _("objetivos cubiertos")
    suffix = f"?ciclo={cycle.edition}" if cycle else ""
    areas = maps.areas(
        {s.svg_id: values[s.inegi_code] for s in states},
        {s.svg_id: s.name for s in states},
        unit,
        {s.svg_id: reverse("portal:state", args=[s.slug]) + suffix for s in states},
    )
    return maps.context(
        areas,
        max(values.values(), default=0),
        unit,
        _("%(unit)s por entidad federativa") % {"unit": unit.capitalize()}
        + (f" · {cycle.name}" if cycle else ""),
        sum(values.values()) if measure == "programas" else None,
    )


@public
def coverage_page(request):
    """Heatmap of states × objectives and a choropleth map, for one cycle.

    The map is filtered by ``?objetivo=`` and ``?parte=``; a value that is not one of
    theirs is a 400 with the reason in Spanish and the unfiltered map.
    """
    cycle, cycles = chosen_cycle(request)
    objectives = list(GcmObjective.objects.order_by("number"))
    form = MapFilterForm(request.GET)
    valid = form.is_valid()
    chosen = form.cleaned_data if valid else {}
    measure = form.cleaned_data.get("medida") or "programas"
    objective = chosen.get("objetivo")
    section = chosen.get("parte") or ""
    data = coverage(cycle)
    return render(
        request,
        "portal/coverage.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "data": data,
            "form": form,
            "objectives": objectives,
            "objective": next((o for o in objectives if o.number == objective), None),
            "section": section,
            "section_label": dict(Program.Section.choices).get(section, ""),
            "sections": Program.Section.choices,
            "measure": measure,
            "measures": [
                ("programas", _("Programas publicados")),
                ("objetivos", _("Objetivos cubiertos")),
            ],
            "map": choropleth(cycle, objective, section or None, measure),
            "grid": heatmap_grid(data),
        },
        status=200 if valid else 400,
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
