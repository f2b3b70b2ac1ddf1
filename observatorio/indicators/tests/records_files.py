"""Small files of attention records for the command and API tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from observatorio.indicators.records import COLUMNS


def records(n: int, seed: int = 5, year: int = 2023) -> list[dict]:
    """*n* records, most in Chiapas, some in three other states (small cells among them)."""
    rng = random.Random(seed)
    countries = ("HND", "GTM", "VEN", "HTI", "MEX")
    return [
        {
            "fecha": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "entidad": rng.choice(("07", "07", "07", "14", "09", "27")),
            "municipio": "",
            "sexo": rng.choice(("mujer", "hombre", "no_especificado")),
            "edad": rng.choice(("", str(rng.randint(0, 80)))),
            "nacionalidad": rng.choice(countries),
            "pais_nacimiento": rng.choice(countries),
            "poblacion": "mujeres_migrantes",
            "servicio": "",
            "persona": f"p{rng.randint(1, n // 3 + 1)}",
        }
        for _ in range(n)
    ]


def write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
