"""The indicator pages: the catalogue by objective and SDG target, and one indicator with
its table, chart and map of one period and breakdown, every choice in the URL.

Every figure comes from :func:`observatorio.indicators.published.cells`: approved values,
small cells protected; a suppressed cell says «Reservado», never 0. Without JavaScript
the page is whole: the choices are a GET form and the three views are links.
"""

from __future__ import annotations

from collections import OrderedDict
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from observatorio.catalog.countries import countries
from observatorio.catalog.models import GcmObjective, PopulationGroup, State
from observatorio.charts import maps
from observatorio.charts.indicator_charts import bars_chart
from observatorio.indicators import published
from observatorio.indicators.models import AGE_GROUPS, DIMENSIONS, Indicator
from observatorio.lib.access import public
from observatorio.lib.numbers import format_number
from observatorio.lib.snippets import Snippet
from observatorio.published import caches, version

#: A page's long lists (the states to choose from, the table's rows) as snippets.
_OPTION = Snippet("portal/_option.html")
_ROW = Snippet("portal/_indicator_row.html")
_SELECTED = SafeString(" selected")


def _options(choices, chosen: str) -> SafeString:
    return _OPTION.render_all(
        {"value": value, "label": label, "selected": _SELECTED if value == chosen else ""}
        for value, label in choices
    )


def _marks(marks) -> SafeString:
    """The links to a value's numbered notes."""
    return SafeString(
        "".join(
            format_html(
                '<sup class="note-mark"><a href="#nota-{}" aria-label="{}">{}</a></sup>',
                mark,
                _("nota %(n)s") % {"n": mark},
                mark,
            )
            for mark in marks
        )
    )


def _table_rows(rows: list[dict]) -> SafeString:
    reserved = format_html(
        '<abbr title="{}">{}</abbr>', _("Reservado para proteger a las personas"), _("Reservado")
    )
    return _ROW.render_all(
        {
            "label": row["label"],
            "value": reserved if row["suppressed"] else row["shown"],
            "marks": _marks(row.get("marks", ())),
        }
        for row in rows
    )


#: The breakdowns a page offers: the state, then the dimensions (name in the URL → field).
BREAKDOWNS = {"entidad": "state", **{name: field for field, name in DIMENSIONS}}
VIEWS = ("tabla", "grafica", "mapa")


def breakdown_names() -> dict[str, str]:
    return {
        "entidad": _("Entidad federativa"),
        "sexo": _("Sexo"),
        "grupo_edad": _("Grupo de edad"),
        "nacionalidad": _("Nacionalidad"),
        "pais_nacimiento": _("País de nacimiento"),
        "poblacion": _("Grupo de población"),
        "objetivo": _("Objetivo del Pacto Mundial"),
    }


def _member_labels() -> dict[str, dict[str, str]]:
    """The labels of every dimension's members, in the request's language (kept per data
    version: the catalogues they come from change it)."""
    data_version = version.current()
    key = ("labels", get_language())
    found = caches.INDICATORS.get(data_version, key)
    if found is None:
        found = _read_member_labels()
        caches.INDICATORS.put(data_version, key, found)
    return found


def _definition(code: str) -> Indicator | None:
    """The indicator *code* with what its page shows of it, kept per data version (saving
    an indicator or its objectives changes it). Shared: never changed by a caller."""
    data_version = version.current()
    key = ("indicator", code)
    found = caches.INDICATORS.get(data_version, key)
    if found is None:
        found = (
            Indicator.objects.filter(code=code)
            .select_related("source_institution", "source", "numerator", "denominator")
            .prefetch_related("objectives")
            .first()
        ) or False
        caches.INDICATORS.put(data_version, key, found)
    return found or None


def _read_member_labels() -> dict[str, dict[str, str]]:
    english = get_language() == "en"
    return {
        "state": dict(State.objects.values_list("inegi_code", "name")),
        "sex": {
            "mujer": _("Mujeres"),
            "hombre": _("Hombres"),
            "no_especificado": _("No especificado"),
        },
        "age_group": {
            **{group: _("%(group)s años") % {"group": group} for group in AGE_GROUPS},
            "no_especificado": _("No especificado"),
        },
        "nationality": {c.alpha_3: c.name_en if english else c.name_es for c in countries()},
        "country_of_birth": {c.alpha_3: c.name_en if english else c.name_es for c in countries()},
        "population": {
            code: (name_en or name_es) if english else name_es
            for code, name_es, name_en in PopulationGroup.objects.values_list(
                "code", "name_es", "name_en"
            )
        },
        "objective": {
            str(o.number): f"{o.number}. {o.short or o.title}"
            for o in GcmObjective.objects.order_by("number")
        },
    }


def _shown(value) -> str:
    return str(value)[:30]


@public
def indicators_page(request):
    """The catalogue: every indicator, grouped by Global Compact objective, with filters."""
    data_version = version.current()
    catalogue = caches.INDICATORS.get(data_version, ("catalogue",))
    if catalogue is None:
        catalogue = (
            list(
                Indicator.objects.order_by("name_es")
                .select_related("source_institution")
                .prefetch_related("objectives")
            ),
            list(GcmObjective.objects.order_by("number")),
        )
        caches.INDICATORS.put(data_version, ("catalogue",), catalogue)
    indicators, objectives = catalogue
    targets = sorted({t for i in indicators for t in i.sdg_targets})
    problems = []
    chosen_objective = request.GET.get("objetivo", "")
    if chosen_objective and not (
        chosen_objective.isascii()
        and chosen_objective.isdigit()
        and 1 <= int(chosen_objective) <= len(objectives)
    ):
        problems.append(
            _("«%(value)s» no es un objetivo del Pacto Mundial: elija uno del 1 al 23.")
            % {"value": _shown(chosen_objective)}
        )
        chosen_objective = ""
    chosen_target = request.GET.get("ods", "")
    if chosen_target and chosen_target not in targets:
        problems.append(
            _("«%(value)s» no es una meta ODS de los indicadores.")
            % {"value": _shown(chosen_target)}
        )
        chosen_target = ""
    chosen_theme = request.GET.get("tema", "")
    if chosen_theme and chosen_theme not in Indicator.Theme.values:
        problems.append(
            _("«%(value)s» no es un tema de los indicadores.") % {"value": _shown(chosen_theme)}
        )
        chosen_theme = ""
    shown = [
        i
        for i in indicators
        if (not chosen_objective or int(chosen_objective) in {o.number for o in i.objectives.all()})
        and (not chosen_target or chosen_target in i.sdg_targets)
        and (not chosen_theme or i.theme == chosen_theme)
    ]
    latest = published.latest_periods()
    # The list, rendered once per content: the indicators shown (the data version and the
    # filters), their latest periods (the values, which change without the version) and
    # the language.
    key = (
        "catalogue-list",
        get_language(),
        tuple(i.pk for i in shown),
        tuple(sorted(latest.items())),
    )
    groups_html = caches.INDICATORS.get(data_version, key)
    if groups_html is None:
        groups = []
        for objective in objectives:
            members = [i for i in shown if objective in i.objectives.all()]
            if members:
                groups.append((objective, [(i, latest.get(i.pk)) for i in members]))
        groups_html = render_to_string("portal/_indicator_groups.html", {"groups": groups})
        caches.INDICATORS.put(data_version, key, groups_html)
    return render(
        request,
        "portal/indicators.html",
        {
            "groups_html": groups_html,
            "total": len(shown),
            "objectives": objectives,
            "targets": targets,
            "chosen_objective": chosen_objective,
            "chosen_target": chosen_target,
            "themes": Indicator.Theme.choices,
            "chosen_theme": chosen_theme,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


def _rows(cells, field: str, state: str, labels: dict) -> list[dict]:
    """The cells of one breakdown (*field*), within *state* ("" = national) unless the
    breakdown is the state itself, with their labels, largest first."""
    others = [f for f in BREAKDOWNS.values() if f != field]
    rows = []
    for cell in cells:
        if field == "state":
            if not cell.state or any(getattr(cell, f) for f in others if f != "state"):
                continue
        elif (
            cell.state != state
            or not getattr(cell, field)
            or any(getattr(cell, f) for f in others if f != "state")
        ):
            continue
        member = getattr(cell, field)
        rows.append(
            {
                "member": member,
                "label": labels.get(field, {}).get(member, member),
                "value": cell.value,
                "shown": "" if cell.value is None else format_number(cell.value),
                "suppressed": cell.suppressed,
                "notes": cell.notes,
            }
        )
    rows.sort(key=lambda row: (row["value"] is None, -(row["value"] or 0), row["label"]))
    return rows


def _footnotes(total, rows: list[dict]) -> tuple[list[int], list[str], list[str]]:
    """The notes of the values shown (the sources they cite, their alerts). A note every
    value shown has (one source for all) is said once, unnumbered; the others are
    numbered once each, in order of appearance, and each row gets ``marks``, the numbers
    of its notes. Returns the total's marks, the numbered notes and the common ones."""
    shown = ([list(total.notes)] if total is not None else []) + [row["notes"] for row in rows]
    common = [note for note in (shown[0] if shown else []) if all(note in n for n in shown)]
    numbers: dict[str, int] = {}

    def marks(notes) -> list[int]:
        return [numbers.setdefault(n, len(numbers) + 1) for n in notes if n not in common]

    total_marks = marks(total.notes) if total is not None else []
    for row in rows:
        row["marks"] = marks(row["notes"])
    return total_marks, list(numbers), common


def _total(cells, state: str):
    for cell in cells:
        if cell.state == state and not cell.breakdown():
            return cell
    return None


def _map(rows: list[dict], indicator: Indicator, title: str) -> dict:
    states = list(State.objects.all())
    by_code = {row["member"]: row for row in rows}
    values = {
        s.svg_id: int(by_code[s.inegi_code]["value"] or 0)
        for s in states
        if s.inegi_code in by_code
    }
    areas = maps.areas(
        values,
        {s.svg_id: s.name for s in states},
        indicator.unit,
        {s.svg_id: reverse("portal:state", args=[s.slug]) for s in states},
    )
    code_of = {s.svg_id: s.inegi_code for s in states}
    reserved = []
    for area in areas:
        row = by_code.get(code_of[area.svg_id])
        # The map's table prints each area's value: a state without a figure or with a
        # suppressed one says so instead of a 0.
        if row is None:
            area.label = _("%(name)s: sin dato") % {"name": area.name}
            area.value = "—"
        elif row["suppressed"]:
            area.label = _("%(name)s: reservado") % {"name": area.name}
            area.value = _("Reservado")
            reserved.append(area.name)
        else:
            area.label = f"{area.name}: {row['shown']} {indicator.unit}"
            area.value = row["shown"]
    return {
        **maps.context(areas, max(values.values(), default=0), indicator.unit, title),
        "reserved": reserved,
    }


#: What a period's cells offer, by the cells' tuple (kept while it is: see _layout).
_LAYOUTS: OrderedDict[tuple, tuple] = OrderedDict()
_LAYOUTS_MOST = 4096


def _kept(every_cell: tuple, key: tuple, build):
    """``build()``, worked out once per tuple of cells (``published.every_cell`` keeps one
    per fingerprint of the values) and *key*, not on every request."""
    key = (id(every_cell), *key)
    kept = _LAYOUTS.get(key)
    if kept is None or kept[0] is not every_cell:
        kept = (every_cell, build())
        _LAYOUTS[key] = kept
        while len(_LAYOUTS) > _LAYOUTS_MOST:
            _LAYOUTS.popitem(last=False)
    return kept[1]


def _layout(every_cell: tuple, period: int | None) -> tuple:
    """For *period*: its cells, the breakdowns they have and their states' codes; for None,
    the periods, newest first."""

    def build() -> tuple:
        if period is None:
            return (sorted({cell.period for cell in every_cell}, reverse=True),)
        cells = [cell for cell in every_cell if cell.period == period]
        present = [
            name
            for name, field in BREAKDOWNS.items()
            if any((cell.state if field == "state" else getattr(cell, field)) for cell in cells)
        ]
        return (cells, present, sorted({cell.state for cell in cells if cell.state}))

    return _kept(every_cell, ("layout", period), build)


def _kept_rows(every_cell: tuple, period: int, field: str, state: str, labels) -> list[dict]:
    """:func:`_rows` of one period, kept per language; each call gets its own copies of
    the rows (the page adds their note marks)."""
    # The labels come from the catalogues: the data version says when they change.
    key = ("rows", period, field, state, get_language(), version.current())
    rows = _kept(
        every_cell, key, lambda: _rows(_layout(every_cell, period)[0], field, state, labels)
    )
    return [dict(row) for row in rows]


@public
def indicator_page(request, code: str):
    """One indicator: definition, then one period and breakdown as a table, chart or map."""
    indicator = _definition(code)
    if indicator is None:
        raise Http404(_("No existe ese indicador."))
    every_cell = published.every_cell(indicator)  # kept by the values' fingerprint
    periods = _layout(every_cell, None)[0]
    problems = []

    def chosen(name: str, allowed, default):
        value = request.GET.get(name, "")
        if value == "":
            return default
        if value in allowed:
            return value
        problems.append(
            _("Se ignoró «%(value)s» en «%(name)s»: no es una opción de este indicador.")
            % {"value": _shown(value), "name": name}
        )
        return default

    period_text = chosen("periodo", [str(p) for p in periods], str(periods[0]) if periods else "")
    period = int(period_text) if period_text else None
    cells, present, state_codes = _layout(every_cell, period) if period else ([], [], [])
    state = chosen("entidad", state_codes, "")
    # Within a state, the first breakdown is one of its own (not the states).
    within = [name for name in present if name != "entidad"] if state else present
    breakdown = chosen("desglose", present, within[0] if within else "")
    if breakdown == "entidad":
        state = ""
    view = chosen("vista", VIEWS, "tabla")
    labels = _member_labels()
    names = breakdown_names()
    field = BREAKDOWNS.get(breakdown, "")
    rows = _kept_rows(every_cell, period, field, state, labels) if field else []
    where = labels["state"].get(state, "") if state else _("nacional")
    title = (
        _("%(name)s por %(breakdown)s, %(where)s, %(period)s")
        % {
            "name": indicator.name_en
            if get_language() == "en" and indicator.name_en
            else indicator.name_es,
            "breakdown": names.get(breakdown, "")[:1].lower() + names.get(breakdown, "")[1:],
            "where": where,
            "period": period,
        }
        if rows
        else ""
    )
    state_param = {"entidad": state} if state else {}
    base = {"periodo": period or "", "desglose": breakdown, **state_param}
    tabs = [
        (value, label, "?" + urlencode({k: v for k, v in {**base, "vista": value}.items() if v}))
        for value, label in (("tabla", _("Tabla")), ("grafica", _("Gráfica")), ("mapa", _("Mapa")))
        if value != "mapa" or breakdown == "entidad"
    ]
    if view == "mapa" and breakdown != "entidad":
        view = "tabla"
    chart = None
    if view == "grafica" and rows:
        chart = bars_chart(
            f"grafica-{indicator.code}",
            title,
            indicator.unit,
            [(row["label"], row["value"]) for row in rows],
            indicator.source_note,
        )
    the_map = _map(rows, indicator, title) if view == "mapa" and rows else None
    total = _total(cells, state) if cells else None
    total_marks, footnotes, common_notes = _footnotes(total, rows if view == "tabla" else [])
    query = urlencode({k: v for k, v in {"period": period, "state": state}.items() if v})
    return render(
        request,
        "portal/indicator.html",
        {
            "indicator": indicator,
            "name": indicator.name_en
            if get_language() == "en" and indicator.name_en
            else indicator.name_es,
            "description": indicator.description_en
            if get_language() == "en" and indicator.description_en
            else indicator.description_es,
            "notes": indicator.notes_en
            if get_language() == "en" and indicator.notes_en
            else indicator.notes_es,
            "periods": periods,
            "period": period,
            "breakdowns": [(name, names[name]) for name in present],
            "breakdown": breakdown,
            "breakdown_name": names.get(breakdown, ""),
            "dimension_names": [names.get(name, name) for name in indicator.dimensions],
            "states": [(code, labels["state"][code]) for code in state_codes],
            "state_options": _options(
                [(code, labels["state"][code]) for code in state_codes], state
            ),
            "table_rows": _table_rows(rows) if view == "tabla" else "",
            "state": state,
            "where": where,
            "view": view,
            "tabs": tabs,
            "rows": rows,
            "title": title,
            "total": total,
            "total_marks": _marks(total_marks),
            "total_shown": format_number(total.value) if total is not None else "",
            "footnotes": footnotes,
            "common_notes": common_notes,
            "any_suppressed": any(row["suppressed"] for row in rows)
            or bool(total and total.suppressed),
            "chart": chart,
            "map": the_map,
            "map_title": "indicator-map-title",
            "csv_url": reverse("api:indicator-data", args=[indicator.code])
            + "?format=csv"
            + (f"&{query}" if query else ""),
            "api_url": reverse("api:indicator-detail", args=[indicator.code]),
            "problems": problems,
        },
        status=400 if problems else 200,
    )
