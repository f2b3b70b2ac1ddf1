"""The countries of ISO 3166-1 with their Spanish names, for nationality pick-lists.

Bundled in ``data/countries.json`` (its source and licence are noted in the file): a fixed
reference list, read once, not a table an administrator edits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "countries.json"


@dataclass(frozen=True)
class Country:
    alpha_2: str
    alpha_3: str
    name_es: str
    name_en: str


@cache
def countries() -> tuple[Country, ...]:
    """Every country, in Spanish alphabetical order."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))["countries"]
    return tuple(
        Country(row["alpha_2"], row["alpha_3"], row["name_es"], row["name_en"]) for row in rows
    )


@cache
def spanish_names() -> tuple[str, ...]:
    return tuple(country.name_es for country in countries())
