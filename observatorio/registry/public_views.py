"""Public pages of the centres (``/centros/``): the list, by state, and one centre with its
services by need. Anyone may open them; they show centres and services only, never
anything about the people registered at them.

The list's filters live in the URL: ``?entidad=<INEGI code>`` and ``?necesidad=<need
code>``. Unknown or malformed values are ignored (and the page says so), never an error
page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from observatorio.catalog.models import State
from observatorio.lib.access import public as public_view

from . import public

#: Page parameter → API filter, for the CSV link of the same selection.
API_FILTERS = {"entidad": "state", "necesidad": "need"}


@public_view
def centre_list(request):
    """Every centre, grouped by state, with its phase, operator and the needs it serves."""
    centres = public.centres()
    everything = centres.count()
    states = list(State.objects.annotate(n=Count("centres")).filter(n__gt=0).order_by("name"))
    needs = list(
        public.served_needs().annotate(
            n=Count("services__centre", filter=Q(services__active=True), distinct=True)
        )
    )
    asked = {name: request.GET.get(name, "") for name in API_FILTERS}
    state = next((s for s in states if s.inegi_code == asked["entidad"]), None)
    need = next((n for n in needs if n.code == asked["necesidad"]), None)
    if state is not None:
        centres = centres.filter(state=state)
    if need is not None:
        centres = public.offering(centres, need)
    by_state: dict[State, list] = {}
    for centre in centres:
        centre.needs = public.needs_of(centre)
        centre.phase_style = public.PHASE_STYLE.get(centre.phase, "")
        by_state.setdefault(centre.state, []).append(centre)
    chosen = {"entidad": state and state.inegi_code, "necesidad": need and need.code}
    query = {API_FILTERS[name]: value for name, value in chosen.items() if value}
    return render(
        request,
        "registry/centres/list.html",
        {
            "by_state": sorted(by_state.items(), key=lambda item: item[0].name),
            "count": sum(len(found) for found in by_state.values()),
            "everything": everything,
            "states": states,
            "state": state,
            "needs": needs,
            "need": need,
            "filtered": bool(state or need),
            "ignored": [name for name, value in asked.items() if value and not chosen[name]],
            "csv_url": reverse("api:centre-list")
            + "?"
            + urlencode({**query, "format": "csv", "page_size": 500}),
        },
    )


@public_view
def centre_page(request, code: str):
    """One centre: where it is, who operates it and who is present, its services by need,
    its financing and the document (and lines) all this comes from."""
    centre = public.centres().filter(code=code).first()
    if centre is None:
        raise Http404
    centre.phase_style = public.PHASE_STYLE.get(centre.phase, "")
    for service in centre.active_services:
        service.lines_label = public.lines_label(service.source_lines)
    return render(
        request,
        "registry/centres/page.html",
        {
            "centre": centre,
            "institutions": list(centre.institutions.all()),
            "services_by_need": public.services_by_need(centre),
            "source_lines": public.lines_label(centre.source_lines),
        },
    )
