"""What the importer tests share: the documents they read, files they write, a check, and
the good-practice study as the practices parser's tests read it (parsed once)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from observatorio.importers.practices import PracticesParse, parse_practices
from observatorio.sources.models import ImportRun, SourceDocument

REPO = Path(__file__).resolve().parents[3]
COMPENDIUM = REPO / "data" / "sources" / "compendio-general-2022.txt"
STUDY = REPO / "data" / "sources" / "buenas-practicas-oim-conofam.txt"
# The 2019 strategy document, shipped with the project seeds next to the repository.
STRATEGY = REPO.parent / "shared" / "seeds" / "002_2517f683e4fb51cf.txt"

# Every spelling of a state the catalogue knows (what the compendium parser is given).
STATE_NAMES = [
    variant
    for state in json.loads(
        (REPO / "observatorio" / "catalog" / "data" / "states.json").read_text(encoding="utf-8")
    )
    for variant in state["variants"]
]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """Write *content* (text as UTF-8) to a file *name* under *tmp_path* and return its path."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def nothing_written(*models) -> bool:
    """Tell whether no record of *models*, no source document and no import run exists."""
    return not any(model.objects.exists() for model in (*models, SourceDocument, ImportRun))


# --- the good-practice study (test_practices_parser.py, _figures.py, _excerpts.py)

# Counted by hand in the study: one CUADRO of fichas per state.
PRACTICES_PER_STATE = {
    "Baja California": 5,
    "Chihuahua": 8,
    "Durango": 6,
    "Jalisco": 1,
    "Michoacán": 1,
    "San Luis Potosí": 2,
    "Ciudad de México": 3,
    "Estado de México": 2,
    "Puebla": 3,
    "Oaxaca": 5,
    "Veracruz": 3,
    "Yucatán": 5,
}
PRACTICES_PER_REGION = {"Norte": 19, "Occidente": 4, "Centro": 8, "Sur-Sureste": 13}
# A criterion's mark in the tables of expected marks: met, not met, unknown.
T, F, U = True, False, None


@cache
def study_text() -> str:
    return STUDY.read_text(encoding="utf-8")


@cache
def study() -> PracticesParse:
    return parse_practices(study_text())
