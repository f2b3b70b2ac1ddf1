"""The public search page: Spanish full-text search over published programs, with facets.

Every piece of search state lives in the URL (``q``, ``tipo``, the facet
parameters of :mod:`observatorio.published.querying`, ``orden`` and ``pagina``) so
that any result page can be bookmarked and shared. Invalid filter values are dropped
with a notice on the page, an unknown order is relevance; never an error page. A
query that finds nothing because of a word that matches nothing offers «¿Quisiste
decir …?» (:mod:`observatorio.published.suggestions`).

The result rows and facet items are snippets (:mod:`observatorio.lib.snippets`: HTML
templates with ``{slot}`` places, read once): the template language cost five to seven
times as much per row (measured: bench/RESULTS.md). A page's facet lists, some 150
links, are kept per page state (``caches.SEARCH_FACETS``).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from observatorio.lib.access import public
from observatorio.lib.search import normalise, query_tokens
from observatorio.lib.snippets import Snippet
from observatorio.published import caches, version
from observatorio.published.ordering import ORDERS, RELEVANCE
from observatorio.published.querying import FACETS, practices_for, programs_for
from observatorio.published.representation import published_as_dicts
from observatorio.published.suggestions import suggest

PER_PAGE = 20
_WORD = re.compile(r"(\w+)", re.UNICODE)
#: A piece of text with nothing to escape (most pieces between words: spaces, commas).
_PLAIN = re.compile(r"[^&<>\"']*\Z").match


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> frozenset[str]:
    """The normalised tokens of one word (the same words recur on every page: computed once)."""
    return frozenset(normalise(word))


def highlight(text: str, tokens: set[str], limit: int | None = None) -> str:
    """Escape *text* and wrap the words whose normalised form is a query token in <mark>."""
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    if not tokens:
        # Nothing to mark: words have nothing to escape, so this is the same text.
        return mark_safe(html.escape(text))  # noqa: S308 - escaped
    # split() alternates non-word and word pieces; a word (\w+) has nothing to escape.
    pieces = _WORD.split(text)
    for i, piece in enumerate(pieces):
        if i % 2:
            if not _word_tokens(piece).isdisjoint(tokens):
                pieces[i] = f"<mark>{piece}</mark>"
        elif not _PLAIN(piece):
            pieces[i] = html.escape(piece)  # what django.utils.html.escape does
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped


def _url(state: dict, **changes) -> str:
    params = {**state, **changes}
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


#: The lists' rows: snippets (HTML templates with slots, read once; lib/snippets.py).
_FACET_ITEM = Snippet("portal/_facet_item.html")
_FACET_ITEM_SELECTED = Snippet("portal/_facet_item_selected.html")
_PROGRAM_ROW = Snippet("portal/_program_row.html")
_PRACTICE_ROW = Snippet("portal/_practice_row.html")


def _facet_list(key: str, values: list, state: dict) -> str:
    """A facet's ``<li>`` items: each value links to the page with it added (or removed)."""
    base = {k: v for k, v in state.items() if v not in (None, "") and k not in (key, "pagina")}
    # The parameters keep the state's order, as _url does: those before *key* and those
    # after it are encoded once, and each value's link puts its own between them.
    names = list(state) if key in state else [*state, key]
    at = names.index(key)
    before = urlencode({k: base[k] for k in names[:at] if k in base})
    after = urlencode({k: base[k] for k in names[at + 1 :] if k in base})
    removed = "?" + "&".join(part for part in (before, after) if part)
    name = quote_plus(key)
    items = []
    for value in values:
        if value.selected:
            item = _FACET_ITEM_SELECTED.render(
                {"link": removed, "label": value.label, "count": value.count}
            )
        else:
            own = f"{name}={quote_plus(str(value.value))}"
            link = "?" + "&".join(part for part in (before, own, after) if part)
            item = _FACET_ITEM.render({"link": link, "label": value.label, "count": value.count})
        items.append(item)
    return SafeString("".join(items))


@lru_cache(maxsize=64)
def _link_pattern(name: str, prefix: str, language: str) -> tuple[str, str]:
    """The URL of view *name* for one object as (before, after) its id: reversed once per
    script prefix and language (English URLs start with ``/en/``)."""
    marker = 987654321
    before, _, after = reverse(name, args=[marker]).partition(str(marker))
    return before, after


def _program_items(rows: list[dict], tokens: set[str]) -> str:
    """The result list's ``<li>`` items for programs (representations of the API)."""
    before, after = _link_pattern("portal:program", get_script_prefix(), get_language())
    objective = gettext("Objetivo")
    return _PROGRAM_ROW.render_all(
        {
            "link": f"{before}{row['id']}{after}",
            "title": highlight(row["title"], tokens),
            "owner": row["actor"],
            "objective_label": objective,
            "code": f"{row['objective']}.{row['number']}" if row["number"] else row["objective"],
            "cycle": row["cycle"],
            "snippet": highlight(row["description"], tokens, limit=320),
        }
        for row in rows
    )


def _practice_items(practices, tokens: set[str]) -> str:
    """The result list's ``<li>`` items for good practices (see :func:`_program_items`)."""
    before, after = _link_pattern("practices:detail", get_script_prefix(), get_language())
    sheet = gettext("ficha")
    return _PRACTICE_ROW.render_all(
        {
            "link": f"{before}{practice.pk}{after}",
            "title": highlight(practice.title, tokens),
            "state": practice.state.name,
            "sheet_label": sheet,
            "number": practice.number,
            "qualification": practice.qualification.label,
            "snippet": highlight(practice.description, tokens, limit=320),
        }
        for practice in practices
    )


def _facet_blocks(headings: dict, facets: dict, state: dict, kind: str) -> list[dict]:
    """The facet blocks of the page, their lists rendered (kept per language and state)."""
    data_version = version.current()
    cache_key = (get_language(), kind, tuple(state.items()))
    blocks = caches.SEARCH_FACETS.get(data_version, cache_key)
    if blocks is None:
        blocks = [
            {
                "key": key,
                "heading": str(headings[key]),
                "count": len(facets.get(key, [])),
                "items": _facet_list(key, facets.get(key, []), state),
            }
            for key in headings
        ]
        caches.SEARCH_FACETS.put(data_version, cache_key, blocks)
    return blocks


def _suggestion(q: str, kind: str, state: dict) -> dict | None:
    """«¿Quisiste decir …?» for a query that found nothing: the words and the link to them.

    The link keeps the filters when the corrected words find something with them.
    """
    corrected = suggest(q, "practica" if kind == "practicas" else "programa")
    if corrected is None:
        return None
    with_filters = {**state, "q": corrected}
    if kind == "practicas":
        found = practices_for(with_filters).practices
    else:
        found = programs_for(with_filters).ids
    link = _url(with_filters) if found else _url({"q": corrected, "tipo": state.get("tipo")})
    return {"q": corrected, "url": link}


@public
def search_page(request):
    """Programs (default) or good practices (``tipo=practicas``) for the query in the URL."""
    kind = "practicas" if request.GET.get("tipo") == "practicas" else "programas"
    programs = programs_for(request.GET)
    practices = practices_for(request.GET)
    q = programs.query
    if kind == "programas":
        state = {"q": q, **programs.applied}
        if programs.order != RELEVANCE:
            state["orden"] = programs.order
        facets, ids = programs.facets, programs.ids
    else:
        state = {"q": q, "tipo": kind, **practices.applied}
        facets, ids = practices.facets, practices.practices
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("pagina"))
    tokens = set(query_tokens(q)) if q else set()
    if kind == "programas":
        # The rows come from the per-worker cache of published programs' representations
        # (the API's: title, actor or owner, objective, number, cycle, description), not
        # from a query with its prefetches on every page.
        by_pk = {row["id"]: row for row in published_as_dicts(list(page.object_list))}
        results = _program_items(
            [row for pk in page.object_list if (row := by_pk.get(pk)) is not None], tokens
        )
    else:
        results = _practice_items(page.object_list, tokens)
    headings = FACETS if kind == "programas" else {k: FACETS[k] for k in ("entidad", "region")}
    facet_blocks = _facet_blocks(headings, facets, state, kind)
    if not ids:
        # Nothing found: only the facets that still offer a way out (none: no box at all).
        facet_blocks = [block for block in facet_blocks if block["count"]]
    labels = {
        key: next((v.label for v in facets.get(key, []) if v.selected), state.get(key))
        for key in headings
    }
    active = [
        (f"{headings[key]}: {labels[key]}", _url(state, **{key: None, "pagina": None}))
        for key in headings
        if state.get(key)
    ]
    shared = {k: v for k, v in state.items() if k in ("q", "entidad", "region")}
    orders = [
        (
            label,
            _url(state, orden=None if value == RELEVANCE else value, pagina=None),
            value == programs.order,
        )
        for value, label in ORDERS.items()
    ]
    return render(
        request,
        "portal/search.html",
        {
            "q": q,
            "kind": kind,
            "page": page,
            "results": results,
            "total": len(ids),
            "program_total": len(programs.ids),
            "practice_total": len(practices.practices),
            "programs_url": _url(shared),
            "practices_url": _url(shared, tipo="practicas"),
            "facets": facet_blocks,
            "active": active,
            "ignored": programs.ignored if kind == "programas" else [],
            "state": state,
            "orders": orders if kind == "programas" and len(ids) > 1 else [],
            "suggestion": _suggestion(q, kind, state) if q and not ids else None,
            "download_query": _url(state) if any(state.values()) else "",
            "prev_url": _url(state, pagina=page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": _url(state, pagina=page.next_page_number()) if page.has_next() else "",
        },
    )
