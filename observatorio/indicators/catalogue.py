"""The starter catalogue of indicators (``data/indicators.json``), loaded idempotently.

Each entry names the document and lines it comes from (the study's panoramas cite the
census and the migration bulletins; the compendium names the SDG indicators being built
and asks for a follow-up indicator of the Global Compact). Loading twice changes nothing;
an entry whose document is not imported yet is loaded without its provenance and gets
it on the next load (bootstrap loads the catalogue after the imports).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from observatorio.catalog.models import GcmObjective, Institution
from observatorio.sources.models import SourceDocument

from .models import Indicator

CATALOGUE = Path(__file__).resolve().parent / "data" / "indicators.json"
_FIELDS = (
    "name_es",
    "name_en",
    "description_es",
    "description_en",
    "unit",
    "kind",
    "theme",
    "frequency",
    "measure",
    "dimensions",
    "source_note",
    "sdg_targets",
    "notes_es",
    "notes_en",
    "min_cell",
)


@dataclass
class Loaded:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def entries(path: Path = CATALOGUE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["indicators"]


@transaction.atomic
def load(path: Path = CATALOGUE) -> Loaded:
    """Create or update every indicator of the catalogue; formulas are linked last."""
    result = Loaded()
    documents = {doc.slug: doc for doc in SourceDocument.objects.all()}
    institutions = {i.acronym: i for i in Institution.objects.exclude(acronym="")}
    objectives = {o.number: o for o in GcmObjective.objects.all()}
    items = entries(path)
    for item in items:
        values = {field: item[field] for field in _FIELDS if field in item}
        values["source_institution"] = institutions.get(item.get("source_institution", ""))
        values["source"] = documents.get(item.get("source", ""))
        values["source_lines"] = item.get("lines", "") if values["source"] else ""
        indicator = Indicator.objects.filter(code=item["code"]).first()
        if indicator is None:
            indicator = Indicator.objects.create(code=item["code"], **values)
            result.created += 1
        elif any(getattr(indicator, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(indicator, field, value)
            indicator.save()
            result.updated += 1
        else:
            result.unchanged += 1
        wanted = {objectives[n] for n in item.get("objectives", []) if n in objectives}
        if set(indicator.objectives.all()) != wanted:
            indicator.objectives.set(wanted)
    codes = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for item in items:
        formula = item.get("formula")
        if formula:
            indicator = codes[item["code"]]
            indicator.numerator = codes[formula["numerator"]]
            indicator.denominator = codes[formula["denominator"]]
            indicator.factor = Decimal(str(formula.get("factor", 1)))
            indicator.save(update_fields=["numerator", "denominator", "factor"])
    return result
