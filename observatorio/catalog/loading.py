"""Load the reference catalogues from the JSON files in ``catalog/data/``.

Loading is idempotent and respects edits made in the admin: existing records
keep their fields unless ``update=True``; missing records and missing aliases
are always added, and so are the few lists that were added to the files later
(a region's members, a population group's keywords) where a record has none.
Everything happens in one transaction.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import (
    GcmObjective,
    GcmObjectiveAlias,
    Institution,
    InstitutionAlias,
    Pillar,
    PopulationGroup,
    Region,
    Sdg,
    State,
    StateAlias,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class CatalogError(ValueError):
    """A catalogue file is inconsistent; the message is in Spanish."""


def _read(data_dir: Path, name: str) -> list[dict]:
    path = data_dir / name
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"Falta el archivo de catálogo {name}.") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(f"El archivo de catálogo {name} no es JSON válido: {exc}.") from exc
    if not isinstance(rows, list):
        raise CatalogError(f"El archivo de catálogo {name} debe contener una lista.")
    return rows


def _upsert(
    model,
    lookup: dict,
    values: dict,
    update: bool,
    counts: Counter,
    label: str,
    fill_empty: tuple[str, ...] = (),
):
    """Create or find a record; overwrite its fields only with ``update``.

    Fields named in *fill_empty* are also written when the record has no value
    for them yet (a field added after the record was loaded), never over an edit.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts[f"{label}_creados"] += 1
    else:
        changed = [
            k
            for k, v in values.items()
            if getattr(obj, k) != v and (update or (k in fill_empty and not getattr(obj, k)))
        ]
        if changed:
            for key in changed:
                setattr(obj, key, values[key])
            obj.save()
            counts[f"{label}_actualizados"] += 1
    return obj


@dataclass
class _Loading:
    """One load: whether it overwrites, and the counts of what it changed."""

    update: bool
    counts: Counter

    def record(
        self,
        model,
        label: str,
        row: dict,
        key,
        required=(),
        optional=(),
        *,
        fill_empty=(),
        **values,
    ):
        """Create or find *model*'s record of *row* by its *key* fields (``_upsert``): the
        *required* fields are in every row, the *optional* ones are blank when absent and
        *values* are computed from the row; ``fill_empty`` is passed on."""
        found = {name: row[name] for name in key}
        values = {
            **{name: row[name] for name in required},
            **{name: row.get(name, "") for name in optional},
            **values,
        }
        return _upsert(model, found, values, self.update, self.counts, label, fill_empty)


def _keywords(row: dict) -> list[str]:
    """A population group's keyword phrases: a list of non-empty strings."""
    keywords = row.get("keywords", [])
    if not isinstance(keywords, list) or not all(
        isinstance(k, str) and k.strip() for k in keywords
    ):
        raise CatalogError(
            f"Las palabras clave del grupo de población {row.get('code')!r} deben ser una "
            "lista de frases."
        )
    return keywords


def _add_alias(alias_model, owner_field: str, owner, text: str, counts: Counter, label: str):
    existing = alias_model.objects.matching(text).first()
    if existing is None:
        alias_model.objects.create(**{owner_field: owner}, text=text)
        counts[f"{label}_variantes_creadas"] += 1
        return
    if getattr(existing, f"{owner_field}_id") != owner.pk:
        raise CatalogError(
            f"La variante «{text}» ya pertenece a otro registro ({getattr(existing, owner_field)})."
        )


@transaction.atomic
def load_catalogs(data_dir: Path = DATA_DIR, update: bool = False) -> Counter:
    """Create or complete every catalogue from *data_dir*; return counts of what changed."""
    counts: Counter = Counter()
    load = _Loading(update, counts)

    states = {}
    for row in _read(data_dir, "states.json"):
        state = load.record(
            State, "entidades", row, ["inegi_code"], ["iso_code", "svg_id", "name", "official_name"]
        )
        states[state.inegi_code] = state
        for text in [row["name"], row["official_name"], *row.get("variants", [])]:
            _add_alias(StateAlias, "state", state, text, counts, "entidades")
    if len(states) != 32:
        raise CatalogError(
            f"Se esperaban 32 entidades federativas; el archivo tiene {len(states)}."
        )

    for row in _read(data_dir, "regions.json"):
        region = load.record(Region, "regiones", row, ["scheme", "code"], ["name"], ["source"])
        unknown = [code for code in row["members"] if code not in states]
        if unknown:
            raise CatalogError(
                f"La región {row['name']} cita claves INEGI inexistentes: {unknown}."
            )
        if update or not region.members.exists():
            region.members.set([states[code] for code in row["members"]])

    for row in _read(data_dir, "objectives.json"):
        objective = load.record(
            GcmObjective,
            "objetivos",
            row,
            ["number"],
            ["title_es"],
            ["title_en", "short_es", "short_en", "source"],
        )
        for text in [row["title_es"], *row.get("aliases_es", [])]:
            _add_alias(GcmObjectiveAlias, "objective", objective, text, counts, "objetivos")
    if GcmObjective.objects.count() != 23:
        raise CatalogError("Se esperaban los 23 objetivos del Pacto Mundial.")

    rows = _read(data_dir, "institutions.json")
    institutions = {}
    for row in rows:
        state_code = row.get("state")
        if state_code and state_code not in states:
            raise CatalogError(f"La institución {row['acronym']} cita la entidad {state_code!r}.")
        institution = load.record(
            Institution,
            "instituciones",
            row,
            ["acronym"],
            ["name", "type", "order"],
            ["source"],
            state=states.get(state_code) if state_code else None,
        )
        institutions[institution.acronym] = institution
        for text in [row["acronym"], row["name"], *row.get("aliases", [])]:
            _add_alias(InstitutionAlias, "institution", institution, text, counts, "instituciones")
    for row in rows:
        parent = row.get("parent")
        if not parent:
            continue
        if parent not in institutions:
            raise CatalogError(
                f"La institución {row['acronym']} depende de {parent!r}, que no existe."
            )
        child = institutions[row["acronym"]]
        if child.parent_id is None or update:
            if child.parent_id != institutions[parent].pk:
                child.parent = institutions[parent]
                child.save(update_fields=["parent"])

    for row in _read(data_dir, "populations.json"):
        load.record(
            PopulationGroup,
            "poblaciones",
            row,
            ["code"],
            ["name_es"],
            ["name_en", "description_es", "source"],
            keywords=_keywords(row),
            fill_empty=("keywords",),
        )

    for row in _read(data_dir, "pillars.json"):
        load.record(
            Pillar, "pilares", row, ["number"], ["name_es"], ["name_en", "description_es", "source"]
        )

    for row in _read(data_dir, "sdgs.json"):
        load.record(
            Sdg, "ods", row, ["number"], ["name_es"], ["name_en", "title_es", "title_en", "source"]
        )
    return counts
