"""The public search page: Spanish full-text search over published programs, with facets.

Every piece of search state lives in the URL (``q``, ``objetivo``, ``parte``,
``entidad``, ``ciclo``, ``pagina``) so that any result page can be bookmarked
and shared. Unknown or malformed values are ignored, never an error page.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from observatorio.lib.access import public
from observatorio.lib.search import normalise, query_tokens
from observatorio.programs.models import Program
from observatorio.search.index import search

MAX_QUERY = 200
PER_PAGE = 20
_WORD = re.compile(r"(\w+)", re.UNICODE)


def highlight(text: str, tokens: set[str], limit: int | None = None) -> str:
    """Escape *text* and wrap the words whose normalised form is a query token in <mark>."""
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    parts = []
    for piece in _WORD.split(text):
        if piece and _WORD.fullmatch(piece) and tokens and set(normalise(piece)) & tokens:
            parts.append(f"<mark>{escape(piece)}</mark>")
        else:
            parts.append(escape(piece))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped


def _int(value: str | None, low: int, high: int) -> int | None:
    if value and value.isdigit() and low <= int(value) <= high:
        return int(value)
    return None


@public
def search_page(request):
    q = (request.GET.get("q") or "")[:MAX_QUERY].strip()
    filters = {
        "objetivo": _int(request.GET.get("objetivo"), 1, 23),
        "parte": request.GET.get("parte")
        if request.GET.get("parte") in Program.Section.values
        else None,
        "entidad": request.GET.get("entidad")
        if re.fullmatch(r"\d{2}", request.GET.get("entidad") or "")
        else None,
        "ciclo": _int(request.GET.get("ciclo"), 1900, 2999),
    }
    programs = Program.objects.published()
    ranked: list[int] | None = None
    if q:
        ranked = [obj.pk for obj, _score in search(q, "programa")]
        programs = programs.filter(pk__in=ranked)
    if filters["objetivo"]:
        programs = programs.filter(objective__number=filters["objetivo"])
    if filters["parte"]:
        programs = programs.filter(section=filters["parte"])
    if filters["entidad"]:
        programs = programs.filter(state__inegi_code=filters["entidad"])
    if filters["ciclo"]:
        programs = programs.filter(cycle__edition=filters["ciclo"])

    facets = {
        "objetivo": list(
            programs.values("objective__number", "objective__short_es")
            .annotate(n=Count("id"))
            .order_by("objective__number")
        ),
        "parte": list(programs.values("section").annotate(n=Count("id")).order_by("section")),
        "entidad": list(
            programs.exclude(state=None)
            .values("state__inegi_code", "state__name")
            .annotate(n=Count("id"))
            .order_by("state__name")
        ),
        "ciclo": list(
            programs.values("cycle__edition").annotate(n=Count("id")).order_by("-cycle__edition")
        ),
    }
    # Ranked by relevance when there is a query, in compendium order otherwise.
    ordering = ("-cycle__edition", "section", "objective__number", "number")
    ids = list(programs.order_by(*ordering).values_list("pk", flat=True))
    if ranked is not None:
        order = {pk: i for i, pk in enumerate(ranked)}
        ids.sort(key=order.__getitem__)
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("pagina"))
    rows = (
        Program.objects.filter(pk__in=list(page.object_list))
        .select_related("objective", "state", "cycle")
        .prefetch_related("institutions")
    )
    by_pk = {p.pk: p for p in rows}
    tokens = set(query_tokens(q)) if q else set()
    results = [
        {
            "program": by_pk[pk],
            "title": highlight(by_pk[pk].title, tokens),
            "snippet": highlight(by_pk[pk].description, tokens, limit=320),
        }
        for pk in page.object_list
    ]
    state = {"q": q, **{k: v for k, v in filters.items() if v}}

    def url(**changes) -> str:
        params = {**state, **changes}
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return "?" + urlencode(params)

    facet_links = {
        "objetivo": [
            (
                f"{f['objective__number']}. {f['objective__short_es']}",
                f["n"],
                url(objetivo=f["objective__number"], pagina=None),
                filters["objetivo"] == f["objective__number"],
            )
            for f in facets["objetivo"]
        ],
        "parte": [
            (
                Program.Section(f["section"]).label,
                f["n"],
                url(parte=f["section"], pagina=None),
                filters["parte"] == f["section"],
            )
            for f in facets["parte"]
        ],
        "entidad": [
            (
                f["state__name"],
                f["n"],
                url(entidad=f["state__inegi_code"], pagina=None),
                filters["entidad"] == f["state__inegi_code"],
            )
            for f in facets["entidad"]
        ],
        "ciclo": [
            (
                str(f["cycle__edition"]),
                f["n"],
                url(ciclo=f["cycle__edition"], pagina=None),
                filters["ciclo"] == f["cycle__edition"],
            )
            for f in facets["ciclo"]
        ],
    }
    names = {
        "objetivo": _("Objetivo"),
        "parte": _("Parte"),
        "entidad": _("Entidad"),
        "ciclo": _("Ciclo"),
    }
    shown = {key: label for key, links in facet_links.items() for label, _n, _u, on in links if on}
    active = [
        (f"{names[key]}: {shown.get(key, value)}", url(**{key: None, "pagina": None}))
        for key, value in filters.items()
        if value
    ]
    return render(
        request,
        "portal/search.html",
        {
            "q": q,
            "page": page,
            "results": results,
            "total": len(ids),
            "facets": facet_links,
            "active": active,
            "prev_url": url(pagina=page.previous_page_number()) if page.has_previous() else "",
            "next_url": url(pagina=page.next_page_number()) if page.has_next() else "",
        },
    )
