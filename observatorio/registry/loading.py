"""The registry's starting catalogue (idempotent): the needs (``data/needs.json``), the
centres the coordination records name (``coordination.ServiceCentre``) with what the SRE
report says of their phase, financing, institutions and services (``data/centres.json``,
each with its lines), and one indicator per need, counted from the registry.

A centre or service an administrator edited keeps its edits: loading again only fills
what is missing and never deletes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from observatorio.catalog.models import Institution
from observatorio.coordination.models import ServiceCentre
from observatorio.indicators.models import Indicator
from observatorio.sources.models import SourceDocument

from .models import Centre, Need, Service

DATA = Path(__file__).resolve().parent / "data"
#: The dimensions of every indicator counted from the registry.
DIMENSIONS = ["entidad", "sexo", "grupo_edad", "nacionalidad", "pais_nacimiento", "poblacion"]


@dataclass
class Loaded:
    needs: int = 0
    centres: int = 0
    services: int = 0
    indicators: int = 0


def _read(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _need_indicator(need: Need, source) -> dict:
    return {
        "name_es": f"Personas con necesidad de {need.name_es[0].lower()}{need.name_es[1:]}",
        "name_en": f"People who need {need.name_en[0].lower()}{need.name_en[1:]}"
        if need.name_en
        else "",
        "description_es": (
            "Personas distintas registradas en los centros a quienes se identificó esta "
            "necesidad en el año, por entidad del centro, sexo, grupo de edad, nacionalidad, "
            "país de nacimiento y grupo de población."
        ),
        "description_en": (
            "Distinct people registered at the centres with this need identified in the year, "
            "by state of the centre, sex, age group, nationality, country of birth and "
            "population group."
        ),
        "unit": "personas",
        "kind": Indicator.Kind.COUNT,
        "theme": Indicator.Theme.CARE,
        "frequency": Indicator.Frequency.ANNUAL,
        "measure": Indicator.Measure.PERSONS,
        "dimensions": DIMENSIONS,
        "source_note": "Registro de necesidades de los Centros Multiservicios.",
        "notes_es": (
            "Solo personas que consintieron el uso estadístico. Los conteos de 1 a 4 no se "
            "publican, ni los que permitirían deducirlos."
        ),
        "notes_en": (
            "Only people who consented to statistical use. Counts from 1 to 4 are not "
            "published, nor those that would reveal them."
        ),
        "min_cell": 5,
        "source": source,
        "source_lines": "223",
    }


def load_needs(result: Loaded | None = None) -> Loaded:
    """The needs catalogue and the indicators the registry feeds (one per need, and the
    people registered for the first time)."""
    result = result or Loaded()
    needs_file = _read("needs.json")
    document = SourceDocument.objects.filter(slug=needs_file["source"]).first()
    for order, item in enumerate(needs_file["needs"], start=1):
        need, created = Need.objects.get_or_create(
            code=item["code"],
            defaults={
                "name_es": item["name_es"],
                "name_en": item["name_en"],
                "description_es": item["description_es"],
                "order": order,
            },
        )
        result.needs += created
        values = _need_indicator(need, document)
        indicator, created = Indicator.objects.get_or_create(
            code=need.indicator_code, defaults=values
        )
        result.indicators += created
    first_time = {
        **_need_indicator(Need(name_es="x", name_en="x"), document),
        "name_es": "Personas registradas por primera vez en los centros",
        "name_en": "People registered for the first time at the centres",
        "description_es": (
            "Personas que se registraron por primera vez en el registro de necesidades en el "
            "año, por entidad del centro, sexo, grupo de edad, nacionalidad, país de "
            "nacimiento y grupo de población."
        ),
        "description_en": (
            "People registered for the first time in the needs registry in the year, by "
            "state of the centre, sex, age group, nationality, country of birth and "
            "population group."
        ),
    }
    _indicator, created = Indicator.objects.get_or_create(
        code="personas-nuevas-registro", defaults=first_time
    )
    result.indicators += created
    return result


@transaction.atomic
def load() -> Loaded:
    result = load_needs()
    institutions = {i.acronym: i for i in Institution.objects.exclude(acronym="")}
    needs = {n.code: n for n in Need.objects.all()}
    data = _read("centres.json")
    shared = data["every_multiservice_centre"]
    for seeded in ServiceCentre.objects.select_related("state", "operator", "source"):
        extra = data["centres"].get(seeded.key, {})
        centre, created = Centre.objects.get_or_create(
            code=seeded.key,
            defaults={
                "name": seeded.name,
                "kind": seeded.get_kind_display(),
                "state": seeded.state,
                "municipality": seeded.municipality,
                "operator": seeded.operator,
                "phase": extra.get("phase", ""),
                "financing": extra.get("financing", ""),
                "description": seeded.status_text,
                "source": seeded.source,
                "source_lines": extra.get("lines", ""),
            },
        )
        result.centres += created
        if created:
            present = [institutions[a] for a in extra.get("institutions", []) if a in institutions]
            centre.institutions.set(present)
        services = list(extra.get("services", []))
        if seeded.kind == ServiceCentre.Kind.MULTISERVICE:
            services += [{**s, "lines": shared["lines"]} for s in shared["services"]]
        for item in services:
            _service, created = Service.objects.get_or_create(
                centre=centre,
                need=needs[item["need"]],
                name=item["name"],
                defaults={
                    "institution": institutions.get(item.get("institution") or ""),
                    "source_lines": item.get("lines", ""),
                },
            )
            result.services += created
    return result
