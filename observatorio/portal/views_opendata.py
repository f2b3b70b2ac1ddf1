"""Open-data views: downloads of the search results, of each full dataset, the page, the package.

All of them are public and show published programs only. The search download
reads exactly the search page's parameters through
:func:`observatorio.published.querying.programs_for`, so it holds the same
programs in the same order, drops the same invalid filters and says which.
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from observatorio.lib.access import public
from observatorio.lib.renderers import Renderer, UnknownFormat, renderer_for, renderers_for
from observatorio.published.opendata.datasets import (
    DATASETS,
    PROGRAMS,
    params_for,
    program_objects,
    published_program_ids,
)
from observatorio.published.opendata.package import descriptor
from observatorio.published.opendata.renderers import DATASET
from observatorio.published.opendata.schema import CSV_FORMAT_NOTE, CSV_TEXT_NOTE, Context, Table
from observatorio.published.opendata.sources import CATALOGUES, LICENSED, PROGRAMS_NOTE, SOURCES
from observatorio.published.querying import FACETS, ProgramResults, programs_for

#: The order in which filters name a search download (the cycle comes bare: ``programas-2022``).
FILENAME_ORDER = (
    "ciclo",
    "parte",
    "objetivo",
    "entidad",
    "region",
    "institucion",
    "poblacion",
    "cuantitativos",
    "q",
)
FILENAME_WORDS = {"q": "busqueda"}
FILENAME_MAX = 120


def _renderer(fmt: str) -> Renderer:
    try:
        return renderer_for(DATASET, fmt)
    except UnknownFormat:
        raise Http404(_("Ese formato de descarga no existe.")) from None


def _open(response):
    """Public data may be read by any web page (no credentials are ever sent)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def search_filename(filters: dict[str, str]) -> str:
    """``programas-2022-entidad-07-busqueda-ninas``: what a search download holds."""
    parts = ["programas"]
    for key in FILENAME_ORDER:
        value = slugify(filters.get(key) or "")[:40].strip("-")
        if not value:
            continue
        parts.append(value if key == "ciclo" else f"{FILENAME_WORDS.get(key, key)}-{value}")
    return "-".join(parts)[:FILENAME_MAX].strip("-")


def _filters(results: ProgramResults) -> tuple[dict[str, str], dict[str, str]]:
    """The applied filters as in the URL, and a readable label for each."""
    filters = {"q": results.query} if results.query else {}
    filters.update(results.applied)
    labels = {}
    for key, value in filters.items():
        heading = FACETS.get(key, _("Palabras"))
        chosen = next((v.label for v in results.facets.get(key, []) if v.selected), value)
        labels[key] = f"{heading}: {chosen}"
    return filters, labels


def _ignored(query, results: ProgramResults) -> list[dict]:
    """The filters the search dropped, with the parameter and value the visitor sent."""
    by_heading = {str(heading): key for key, heading in FACETS.items()}
    entries = []
    for heading, message in results.ignored:
        parameter = by_heading.get(heading, "q")
        entries.append(
            {
                "parameter": parameter,
                "value": str(query.get(parameter, ""))[:200],
                "message": message,
            }
        )
    return entries


@public
def search_download(request, fmt: str):
    """Every published program the search page shows for this query string, in its order."""
    renderer = _renderer(fmt)
    results = programs_for(request.GET)
    context = Context(request)
    filters, labels = _filters(results)
    table = Table(
        dataset=PROGRAMS,
        rows=PROGRAMS.rows(context, program_objects(results.ids)),
        count=len(results.ids),
        filename=search_filename(filters),
        filters=filters,
        filter_labels=labels,
        ignored=_ignored(request.GET, results),
        url=request.build_absolute_uri(),
    )
    return _open(renderer.render(table))


@public
def dataset_download(request, slug: str, fmt: str):
    """A whole dataset (``/datos/programas.csv``); the coverage matrix takes ``?ciclo=``."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404(_("Ese conjunto de datos no existe."))
    renderer = _renderer(fmt)
    params = params_for(dataset, request.GET)
    context = Context(request)
    if dataset is PROGRAMS:
        ids = published_program_ids()
        objects, count = program_objects(ids), len(ids)
    else:
        objects, count = dataset.objects(context, params), dataset.count(context, params)
    filters = {key: str(value) for key, value in params.items()}
    table = Table(
        dataset=dataset,
        rows=dataset.rows(context, objects),
        count=count,
        filename="-".join([dataset.slug, *filters.values()]),
        filters=filters,
        url=request.build_absolute_uri(),
    )
    return _open(renderer.render(table))


@public
def datapackage(request):
    """The Frictionless Data Package descriptor of every dataset's CSV."""
    response = JsonResponse(
        descriptor(request.build_absolute_uri),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    return _open(response)


@public
def opendata_page(request):
    """What data there is, its source and terms, and the downloads."""
    context = Context(request)
    datasets = []
    for dataset in DATASETS.values():
        source = SOURCES[dataset.source]
        datasets.append(
            {
                "dataset": dataset,
                "count": dataset.count(context, {}),
                "links": [
                    (
                        r.label,
                        r.content_type,
                        reverse("portal:dataset", args=[dataset.slug, r.format]),
                    )
                    for r in renderers_for(DATASET)
                ],
                "source": source,
                "note": PROGRAMS_NOTE if dataset is PROGRAMS else "",
            }
        )
    return render(
        request,
        "portal/opendata.html",
        {
            "datasets": datasets,
            "licensed": LICENSED,
            "catalogues": CATALOGUES,
            "datapackage_url": request.build_absolute_uri(reverse("portal:datapackage")),
            "csv_note": CSV_TEXT_NOTE,
            "format_note": CSV_FORMAT_NOTE,
        },
    )
