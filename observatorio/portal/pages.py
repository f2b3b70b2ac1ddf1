"""Public pages of the portal: a program, the states, the PMM objectives and the institutions.

Every page shows published programs only (``Program.objects.published()``);
anything else is a 404 for the public. Cycles are chosen with ``?ciclo=<edition>``
(the latest cycle with published programs by default); an unknown cycle is a 404.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from observatorio.assist import actions as assist
from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.charts import maps, site_charts
from observatorio.indicators import published as indicator_values
from observatorio.lib.access import public
from observatorio.lib.dates import long_date
from observatorio.lib.numbers import format_figure
from observatorio.practices.flags import flag_label
from observatorio.practices.models import GoodPractice, PanoramaFigure
from observatorio.programs.models import Program, ReportingCycle
from observatorio.programs.permissions import can
from observatorio.published.coverage import Coverage, coverage
from observatorio.published.cycles import default_cycle, published_cycles

OBJECTIVES = 23
STATES = 32
# How many other programs of the same institution the program page lists.
OTHERS_LIMIT = 8
# The body text colour (static/css/observatorio.css, --ink).
INK = "#1d1d1f"

PUBLISHED = Q(programs__status=Program.Status.PUBLISHED)

# --- cycles -------------------------------------------------------------------


def latest_cycle() -> ReportingCycle | None:
    return default_cycle(published_cycles())


def chosen_cycle(request) -> tuple[ReportingCycle | None, list[ReportingCycle]]:
    """The cycle in ``?ciclo=`` (404 when unknown) or the default one, and every public cycle."""
    cycles = published_cycles()
    edition = request.GET.get("ciclo", "")
    if not edition:
        return default_cycle(cycles), cycles
    cycle = next((c for c in cycles if str(c.edition) == edition), None)
    if cycle is None:
        raise Http404(_("Ese ciclo no existe."))
    return cycle, cycles


def white_text_on(colour: str) -> bool:
    """Whether white text reads better than the body ink on *colour* (WCAG contrast)."""
    return maps.contrast(colour, "#ffffff") > maps.contrast(colour, INK)


def heatmap_grid(data: Coverage) -> list[tuple]:
    """Rows of the states × objectives heatmap: (row, [(count, palette class, white text?)]);
    the template paints the class (CSS ``.shade-k``): pages carry no inline style."""
    grid = []
    for row in data.rows:
        cells = []
        for count in row.counts:
            k = maps.classify(count, data.maximum)
            cells.append((count, k, white_text_on(maps.PALETTE[k])))
        grid.append((row, cells))
    return grid


def search_url(**params) -> str:
    return reverse("portal:search") + "?" + urlencode(params)


def _objective_counts(cycle: ReportingCycle | None):
    """The 23 objectives with ``federal`` and ``estatal`` published counts in *cycle*."""
    in_cycle = PUBLISHED & Q(programs__cycle=cycle)
    return GcmObjective.objects.annotate(
        federal=Count("programs", filter=in_cycle & Q(programs__section=Program.Section.FEDERAL)),
        estatal=Count("programs", filter=in_cycle & Q(programs__section=Program.Section.STATE)),
    ).order_by("number")


# --- a program ------------------------------------------------------------------


def _other_programs(program: Program, institutions: list[Institution]):
    """Published programs of the same institution(s) (or, without one, of the same state).

    The program's own cycle comes first, then the newest cycles.
    """
    if institutions:
        related = Program.objects.filter(institutions__in=institutions).values("pk")
    elif program.section == Program.Section.STATE and program.state_id:
        related = Program.objects.filter(state=program.state_id).values("pk")
    else:
        return [], 0
    others = (
        Program.objects.published()
        .filter(pk__in=related)
        .exclude(pk=program.pk)
        .select_related("cycle", "objective", "state")
        .annotate(
            same_cycle=Case(
                When(cycle=program.cycle_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("same_cycle", "-cycle__edition", "section", "objective__number", "number")
    )
    return list(others[:OTHERS_LIMIT]), others.count()


@public
def program_page(request, pk: int):
    """The public page of one published program, with its provenance."""
    program = get_object_or_404(
        Program.objects.published().select_related("cycle", "objective", "state", "source"),
        pk=pk,
    )
    institutions = list(program.institutions.select_related("state"))
    others, others_total = _other_programs(program, institutions)
    if institutions:
        see_all = [
            (institution, search_url(institucion=institution.acronym))
            for institution in institutions
        ]
    elif program.state_id:
        see_all = [(program.state, search_url(entidad=program.state.inegi_code))]
    else:
        see_all = []
    editions = assist.history(program)
    user = request.user
    return render(
        request,
        "portal/program.html",
        {
            "program": program,
            "institutions": institutions,
            "secondary": list(program.secondary_objectives.order_by("number")),
            "populations": list(program.populations.all()),
            "figures": list(program.figures.all()),
            "practices": list(program.practices.select_related("state")),
            "editions": editions if len(editions) > 1 else [],
            "joint": [p for p in assist.joint_partners(program) if p.status == p.Status.PUBLISHED],
            "start": long_date(program.start_date),
            "end": long_date(program.end_date),
            "others": others,
            "others_total": others_total,
            "others_by_institution": bool(institutions),
            "see_all": see_all,
            "may_see_workflow": user.is_authenticated and bool(can(user, "view", program)),
            "locator": maps.locator(program.state.svg_id) if program.state_id else [],
        },
    )


# --- states -------------------------------------------------------------------------


@public
def states_page(request):
    """The 32 states: published state programs in the cycle, objectives covered, practices."""
    cycle, cycles = chosen_cycle(request)
    data = coverage(cycle)
    practices = dict(
        GoodPractice.objects.values_list("state_id").annotate(n=Count("id")).order_by()
    )
    rows = [(row, practices.get(row.state.pk, 0)) for row in data.rows]
    return render(
        request,
        "portal/states.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "data": data,
            "rows": rows,
            "practices_total": sum(practices.values()),
            "objectives_total": OBJECTIVES,
            "charts": [
                c
                for c in (site_charts.states_chart(cycle), site_charts.states_cycles_chart(cycles))
                if c
            ],
        },
    )


def _panorama_value(figure: PanoramaFigure) -> tuple[str, str]:
    """The figure's value as the site prints numbers, and the printed form if it differs
    by more than spacing (``1, 212 252`` is shown; ``72%`` beside ``72 %`` is not)."""
    value = format_figure(figure.value, figure.unit)
    printed = figure.value_as_printed
    same = "".join(printed.split()) == "".join(value.split())
    return value, "" if (same or not value) else printed


def _state_for(slug: str) -> State:
    for state in State.objects.all():
        if state.slug == slug:
            return state
    raise Http404(_("Esa entidad federativa no existe."))


@public
def state_page(request, slug: str):
    """One state: its programs by objective (gaps marked), good practices and panorama."""
    if re.fullmatch(r"\d{2}", slug):
        state = get_object_or_404(State, inegi_code=slug)
        target = reverse("portal:state", args=[state.slug])
        query = request.META.get("QUERY_STRING", "")
        return redirect(target + ("?" + query if query else ""), permanent=True)
    state = _state_for(slug)
    cycle, cycles = chosen_cycle(request)
    programs = (
        Program.objects.published()
        .filter(cycle=cycle, section=Program.Section.STATE, state=state)
        .select_related("objective")
        .order_by("objective__number", "number")
    )
    by_objective: dict[int, list[Program]] = {}
    for program in programs:
        by_objective.setdefault(program.objective_id, []).append(program)
    groups = [(o, by_objective.get(o.pk, [])) for o in GcmObjective.objects.order_by("number")]
    covered = sum(1 for _o, items in groups if items)
    figures = [
        (figure, [flag_label(code) for code in figure.flags], *_panorama_value(figure))
        for figure in PanoramaFigure.objects.filter(state=state).select_related("source")
    ]
    return render(
        request,
        "portal/state.html",
        {
            "state": state,
            "cycle": cycle,
            "cycles": cycles,
            "groups": groups,
            "programs_total": sum(len(items) for _o, items in groups),
            "covered": covered,
            "gaps": [o for o, items in groups if not items],
            "objectives_total": OBJECTIVES,
            "regions": list(state.regions.order_by("scheme", "name")),
            "institutions": list(state.institutions.order_by("acronym")),
            "practices": list(state.practices.order_by("number")),
            "figures": figures,
            "figure_sources": sorted({row[0].source.title for row in figures}),
            "search": search_url(entidad=state.inegi_code),
            "locator": maps.locator(state.svg_id),
            "charts": [
                c
                for c in (
                    site_charts.state_profile_chart(state, cycle),
                    site_charts.cycles_chart(cycles, state),
                )
                if c
            ],
            "panorama_charts": site_charts.panorama_charts(state) if figures else [],
            "indicators": indicator_values.for_state(state.inegi_code),
        },
    )


# --- objectives ---------------------------------------------------------------------


@public
def objectives_page(request):
    """The 23 objectives with their federal and state published programs in the cycle."""
    cycle, cycles = chosen_cycle(request)
    rows = list(_objective_counts(cycle))
    return render(
        request,
        "portal/objectives.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "rows": rows,
            "federal_total": sum(r.federal for r in rows),
            "state_total": sum(r.estatal for r in rows),
            "charts": [
                c
                for c in (site_charts.objectives_chart(cycle), site_charts.cycles_chart(cycles))
                if c
            ],
        },
    )


@public
def objective_page(request, number: int):
    """One objective: its federal programs, its state programs by state, the states without."""
    if not 1 <= number <= OBJECTIVES:
        raise Http404(_("Ese objetivo no existe."))
    objective = get_object_or_404(GcmObjective, number=number)
    cycle, cycles = chosen_cycle(request)
    programs = (
        Program.objects.published()
        .filter(cycle=cycle, objective=objective)
        .select_related("state")
        .prefetch_related("institutions")
        .order_by("number", "pk")
    )
    federal = [p for p in programs if p.section == Program.Section.FEDERAL]
    by_state: dict[int, list[Program]] = {}
    for program in programs:
        if program.section == Program.Section.STATE and program.state_id:
            by_state.setdefault(program.state_id, []).append(program)
    states = list(State.objects.order_by("name"))
    state_groups = [(s, by_state[s.pk]) for s in states if s.pk in by_state]
    secondary = (
        Program.objects.published()
        .filter(cycle=cycle, secondary_objectives=objective)
        .select_related("objective", "state")
        .order_by("section", "objective__number", "number")
    )
    return render(
        request,
        "portal/objective.html",
        {
            "objective": objective,
            "cycle": cycle,
            "cycles": cycles,
            "federal": federal,
            "state_groups": state_groups,
            "state_total": sum(len(items) for _s, items in state_groups),
            "states_without": [s for s in states if s.pk not in by_state],
            "secondary": list(secondary),
            "previous_objective": number - 1 if number > 1 else None,
            "next_objective": number + 1 if number < OBJECTIVES else None,
            "search": search_url(objetivo=number),
        },
    )


# --- institutions -------------------------------------------------------------------


@public
def institutions_page(request):
    """Every institution, by order of government and type, with its published programs."""
    institutions = Institution.objects.select_related("state").annotate(
        programs_n=Count("programs", filter=PUBLISHED, distinct=True),
        practices_n=Count("practices", distinct=True),
    )
    orders = OrderedDict(
        (value, (label, OrderedDict())) for value, label in Institution.Order.choices
    )
    type_labels = dict(Institution.Type.choices)
    type_rank = {value: i for i, value in enumerate(Institution.Type.values)}
    for institution in sorted(
        institutions, key=lambda i: (type_rank.get(i.type, 99), i.acronym.casefold())
    ):
        _label, types = orders.setdefault(institution.order, (institution.order, OrderedDict()))
        types.setdefault(institution.type, []).append(institution)
    groups = [
        {
            "order": order,
            "label": label,
            "types": [
                {"type": t, "label": type_labels.get(t, t), "institutions": items}
                for t, items in types.items()
            ],
            "count": sum(len(items) for items in types.values()),
        }
        for order, (label, types) in orders.items()
        if types
    ]
    return render(
        request,
        "portal/institutions.html",
        {"groups": groups, "total": sum(g["count"] for g in groups)},
    )


@public
def institution_page(request, acronym: str):
    """One institution: its data, its published programs by cycle and objective, its practices."""
    institution = (
        Institution.objects.select_related("state", "parent")
        .filter(acronym__iexact=acronym)
        .first()
    )
    if institution is None:
        raise Http404(_("Esa institución no existe."))
    programs = (
        Program.objects.published()
        .filter(institutions=institution)
        .select_related("cycle", "objective", "state")
        .order_by("-cycle__edition", "objective__number", "section", "number")
    )
    cycles: OrderedDict = OrderedDict()
    for program in programs:
        objectives = cycles.setdefault(program.cycle, OrderedDict())
        objectives.setdefault(program.objective, []).append(program)
    return render(
        request,
        "portal/institution.html",
        {
            "institution": institution,
            "cycles": [(cycle, list(objectives.items())) for cycle, objectives in cycles.items()],
            "programs_total": len(programs),
            "children": list(institution.children.order_by("acronym")),
            "practices": list(institution.practices.select_related("state")),
            "search": search_url(institucion=institution.acronym),
        },
    )
