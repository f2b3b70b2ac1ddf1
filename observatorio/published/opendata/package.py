"""The Frictionless Data Package descriptor (``/datos/datapackage.json``).

A *tabular data package* with one resource per dataset CSV, each with its
absolute URL, format, media type, encoding and full Table Schema (field names,
types, descriptions, constraints, primary key and foreign keys), built from the
same column definitions the downloads use. The package validates with
``frictionless validate`` (see the tests).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .datasets import DATASETS
from .schema import CSV_FORMAT_NOTE, CSV_TEXT_NOTE, Dataset
from .sources import LICENSED, SOURCES, Source

NAME = "observatorio-movilidad"


def _licence(source: Source, licence_url: str) -> dict:
    return {"name": source.licence_name, "title": str(source.licence_title), "path": licence_url}


def _source(source: Source) -> dict:
    return {"title": f"{source.title}. {source.publisher}"}


def resource(dataset: Dataset, absolute, licence_url: str) -> dict:
    """The descriptor of one dataset's CSV."""
    source = SOURCES[dataset.source]
    entry = {
        "name": dataset.name,
        "title": str(dataset.title),
        "description": f"{dataset.description} {CSV_FORMAT_NOTE} {CSV_TEXT_NOTE}",
        "path": absolute(reverse("portal:dataset", args=[dataset.slug, "csv"])),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": dataset.schema(),
        "sources": [_source(source)],
    }
    if source.licence_name:
        entry["licenses"] = [_licence(source, licence_url)]
    return entry


def descriptor(absolute) -> dict:
    """The data package; *absolute* turns a path into an absolute URL."""
    home = absolute(reverse("portal:opendata"))
    licence_url = home + "#licencia"
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": _("Observatorio de la Estrategia para las personas en contextos de movilidad"),
        "description": " ".join(
            [
                _(
                    "Programas y acciones publicados alineados a los 23 objetivos del Pacto "
                    "Mundial para la Migración, buenas prácticas locales, cifras de panorama, "
                    "cobertura por entidad y objetivo, y los catálogos a que se refieren."
                ),
                str(CSV_FORMAT_NOTE),
                str(CSV_TEXT_NOTE),
            ]
        ),
        "homepage": home,
        "created": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "licenses": [_licence(source, licence_url) for source in LICENSED],
        "sources": [_source(source) for source in SOURCES.values()],
        "resources": [resource(d, absolute, licence_url) for d in DATASETS.values()],
    }
