"""Load-test the public search page and the API's program list at 50,000 programs.

Usage: python bench/portal.py [--db sqlite|postgres|both] [--rebuild] [--copies 150]
                              [--clients 20] [--duration 30] [--warmup 10] [--workers 3]
                              [--modes cold,normal,users] [--think 1.0]
                              [--suites portal,api] [--seed 7]

Targets, at 20 concurrent clients on a 2-core machine, on SQLite and PostgreSQL:
issue 5, the search page ``/buscar/``: p95 under 150 ms; issue 7, the API's
``GET /api/v1/programs/`` (search, filters, pages): p95 under 100 ms.

The data set (built once per database, again with ``--rebuild``)
    ``observatorio bootstrap`` imports the real 2022 compendium (346 published
    programs) and the 44 good practices; :func:`build_scaled` then makes
    ``copies - 1`` more copies of every real program (``--copies 150``: 51,900
    programs): copy *j* goes to reporting cycle ``2022 - j % 10`` (ten cycles,
    2013–2022) as variant ``j // 10`` (numbered ``number + 100 × variant``
    within its objective). Each copy keeps the real title, texts,
    institutions, populations and derived flags, with small variations so that
    counts and search hits scale like real data: the years 2021/2022 in the
    texts follow the cycle, state programs move to another state (rotating
    through the 32) with the state's name replaced in their texts, and about a
    third of the copies drop one sentence of their description (so lengths and
    term frequencies vary). The search index is then rebuilt. SQLite:
    ``var/bench/observatorio.sqlite3``; PostgreSQL: database
    ``observatorio_bench`` (``--pg-url``); skipped with a message when no server
    answers.

The run
    gunicorn serves the project on 127.0.0.1 (a free port) with the production
    settings (``OBSERVATORIO_DEBUG=0``, a random secret key, collected static
    files, requests marked as HTTPS as the TLS proxy would), ``--workers``
    synchronous workers. After ``--warmup`` seconds of the same traffic
    (not measured: the workers load their indexes), ``--clients`` clients
    send requests for ``--duration`` seconds over a mix of URLs (see
    ``SCENARIOS``): word queries drawn from the vocabulary of the real
    compendium (frequent and rare words, accent-free variants, phrases from
    real titles), facet clicks and combinations, pages 2–5, browsing without a
    query, and the good-practices tab. Three modes, each on a freshly started
    server:

    * ``cold``: back to back (closed loop, no think time), every result cache
      off in each worker (each request ranks and counts from the in-memory
      indexes): the server saturated, the worst case. Latency is then about
      clients ÷ throughput (Little's law), so its p95 measures the CPU cost
      per request more than anything a person would wait.
    * ``normal``: back to back, the per-worker result caches on (their hit
      rate in the measured period is printed).
    * ``users``: the production setting (caches on) with each client pausing
      a think time after every answer (exponential, mean ``--think`` seconds:
      a person reading a result page), i.e. 20 people using the portal at the
      same moment; what the latency targets describe.

The ``api`` suite does the same against ``/api/v1/programs/`` as an anonymous
client (``API_SCENARIOS``: ``search=``, the portal's filters under their API
names, harvesting later pages at 50 or 100 per page); its per-address rate
limit is lifted for the run, since every simulated client is 127.0.0.1.

Add a scenario for another page or endpoint by appending to ``SCENARIOS`` or
``API_SCENARIOS``, or a new :class:`Suite` to ``SUITES``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from harness import create_database, free_port, percentile, server_environment

REPO = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package.
sys.path.insert(0, str(REPO))

VAR = REPO / "var" / "bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/observatorio_bench"
TARGET_P95_MS = 150.0  # issue 5: the search page
TARGET_API_P95_MS = 100.0  # issue 7: the API's program list
CYCLES = 10  # editions 2013-2022
FIRST_EDITION = 2022
REAL_PROGRAMS = 346


# --- the data set (runs inside a Django process) ----------------------------------------------


def _shift_years(text: str, edition: int) -> str:
    years = {"2021": str(edition - 1), "2022": str(edition)}
    return re.sub(r"\b(2021|2022)\b", lambda m: years[m.group(1)], text)


def _drop_sentence(text: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=\.)\s+", text)
    if len(sentences) < 3:
        return text
    del sentences[rng.randrange(len(sentences))]
    return " ".join(sentences)


def _cycle(edition: int):
    from observatorio.programs.models import ReportingCycle

    real = ReportingCycle.objects.get(edition=FIRST_EDITION)

    def shift(day):
        if day is None:
            return None
        try:
            return day.replace(year=day.year - (FIRST_EDITION - edition))
        except ValueError:  # 29 February
            return day.replace(year=day.year - (FIRST_EDITION - edition), day=28)

    cycle, _created = ReportingCycle.objects.get_or_create(
        edition=edition,
        defaults={
            "name": real.name.replace(str(FIRST_EDITION), str(edition)),
            **{f: shift(getattr(real, f)) for f in (*ReportingCycle.SCHEDULE, "published_on")},
        },
    )
    return cycle


def build_scaled(copies: int, seed: int = 7, log: Callable[[str], None] = print) -> dict:
    """Add ``copies - 1`` varied copies of every real published program (see the docstring).

    Needs Django set up and the real compendium imported; writes with ``bulk_create``
    and rebuilds the search index (which gives the data a new version). Returns counts.
    """
    from django.db import transaction

    from observatorio.catalog.models import State
    from observatorio.programs.models import Program
    from observatorio.published.index import rebuild

    real = list(
        Program.objects.published()
        .filter(cycle__edition=FIRST_EDITION, source__isnull=False)
        .select_related("state")
        .prefetch_related("institutions", "populations", "secondary_objectives")
        .order_by("pk")
    )
    if not real:
        raise RuntimeError("No hay programas reales publicados: ejecute primero bootstrap.")
    states = list(State.objects.order_by("inegi_code"))
    state_index = {state.pk: i for i, state in enumerate(states)}
    skip = {"id", "cycle", "number", "state", "source", "previous", "created_by"}
    fields = [f for f in Program._meta.concrete_fields if f.name not in skip]
    through = {
        name: getattr(Program, name).through
        for name in ("institutions", "populations", "secondary_objectives")
    }
    columns = {
        name: (
            Program._meta.get_field(name).m2m_field_name() + "_id",
            Program._meta.get_field(name).m2m_reverse_field_name() + "_id",
        )
        for name in through
    }
    rng = random.Random(seed)
    started = time.perf_counter()
    created = 0
    with transaction.atomic():
        cycles = {FIRST_EDITION - c: _cycle(FIRST_EDITION - c) for c in range(CYCLES)}
        for j in range(1, copies):
            edition = FIRST_EDITION - j % CYCLES
            variant = j // CYCLES
            batch = []
            for original in real:
                copy = Program(
                    cycle=cycles[edition],
                    number=(original.number or 0) + 100 * variant,
                    status=Program.Status.PUBLISHED,
                )
                for f in fields:
                    setattr(copy, f.attname, getattr(original, f.attname))
                copy.version = 1
                copy.import_warnings = []
                texts = {
                    name: _shift_years(getattr(original, name), edition)
                    for name in ("title", "actor", "description", "results", "challenges")
                }
                if original.state_id:
                    old = original.state
                    new = states[(state_index[old.pk] + 7 * j) % len(states)]
                    copy.state = new
                    for name, text in texts.items():
                        texts[name] = text.replace(old.name, new.name).replace(
                            old.name.upper(), new.name.upper()
                        )
                if rng.random() < 0.35:
                    texts["description"] = _drop_sentence(texts["description"], rng)
                for name, text in texts.items():
                    setattr(copy, name, text)
                batch.append((original, copy))
            Program.objects.bulk_create([copy for _original, copy in batch], batch_size=1000)
            for name, model in through.items():
                owner, other = columns[name]
                model.objects.bulk_create(
                    [
                        model(**{owner: copy.pk, other: related.pk})
                        for original, copy in batch
                        for related in getattr(original, name).all()
                    ],
                    batch_size=2000,
                )
            created += len(batch)
        copied = time.perf_counter() - started
        log(f"  {created} copias creadas en {copied:.1f} s; reconstruyendo el índice…")
        entries = rebuild()
    return {
        "real": len(real),
        "created": created,
        "entries": entries,
        "copy_seconds": round(copied, 1),
        "index_seconds": round(time.perf_counter() - started - copied, 1),
    }


_WORD = re.compile(r"[^\W\d_]{4,}")


def vocabulary(limit_rare: int = 200) -> dict:
    """Real words of the compendium's programs for the query mix: frequent, rare, phrases."""
    from observatorio.lib.search import _STOP_WORDS, fold
    from observatorio.programs.models import Program

    real = Program.objects.published().filter(cycle__edition=FIRST_EDITION, source__isnull=False)
    df: Counter = Counter()
    phrases = []
    for title, description, results in real.values_list("title", "description", "results"):
        words = {w.lower() for w in _WORD.findall(f"{title} {description} {results}")}
        df.update(w for w in words if fold(w) not in _STOP_WORDS)
        title_words = title.split()
        if len(title_words) >= 3:
            phrases.append(title_words)
    frequent = [w for w, _n in df.most_common(60)]
    rare = sorted(w for w, n in df.items() if 2 <= n <= 4)
    rare = random.Random(1).sample(rare, min(limit_rare, len(rare)))
    return {"frequent": frequent, "rare": rare, "titles": phrases[:300]}


def facet_values() -> dict:
    from observatorio.catalog.models import Institution, PopulationGroup, Region
    from observatorio.programs.models import Program, ReportingCycle
    from observatorio.published.filters import DEFAULT_REGION_SCHEME

    published = Program.objects.published()
    return {
        "institucion": list(
            Institution.objects.filter(programs__in=published)
            .values_list("acronym", flat=True)
            .distinct()
            .order_by("acronym")
        ),
        "poblacion": list(PopulationGroup.objects.values_list("code", flat=True).order_by("code")),
        "region": list(
            Region.objects.filter(scheme=DEFAULT_REGION_SCHEME)
            .values_list("code", flat=True)
            .order_by("code")
        ),
        "ciclo": list(ReportingCycle.objects.values_list("edition", flat=True).order_by("edition")),
    }


def _size(db: str) -> str:
    from django.db import connection

    if db == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        return f"{path.stat().st_size / 2**20:.0f} MB"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return f"{cursor.fetchone()[0] / 2**20:.0f} MB"


def _analyze(db: str) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map that lets the
    postings index answer alone), as autovacuum would eventually provide."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if db == "postgres" else "ANALYZE")


#: Synthetic attention records behind the indicator pages (two years: 2023 and 2024).
INDICATOR_RECORDS = 60_000


def ensure_indicators(records: int = INDICATOR_RECORDS) -> dict:
    """The indicator catalogue, the panoramas' values and, once, the counts of *records*
    synthetic attention records for ``servicios`` and ``personas``, approved, with their
    protection solved (as an approval would leave them). Returns what the URLs draw from."""
    import tempfile

    import duckdb

    from observatorio.catalog.models import PopulationGroup
    from observatorio.indicators import catalogue, panorama, published
    from observatorio.indicators.actions import replace_record_counts
    from observatorio.indicators.models import Indicator, Value
    from observatorio.indicators.records import aggregate

    catalogue.load()
    if not Value.objects.filter(origin=Value.Origin.PANORAMA).exists():
        panorama.load()
    codes = ["servicios", "personas"]
    populations = sorted(PopulationGroup.objects.values_list("code", flat=True))
    if not Value.objects.filter(indicator__code="servicios", review="aprobado").exists():
        started = time.perf_counter()
        countries = ["MEX", "GTM", "HND", "SLV", "USA", "VEN", "HTI", "CUB", "COL", "NIC"]

        def pick(values: list[str], salt: int) -> str:
            items = ", ".join(f"'{v}'" for v in values)
            # Skewed: the first members are the most frequent, the last ones rare.
            share = f"pow((hash(i, {salt}) % 1000) / 1000.0, 3)"
            return f"[{items}][CAST(1 + floor({share} * {len(values)}) AS BIGINT)]"

        state = (
            "lpad(CAST(CAST(1 + floor(pow((hash(i, 2) % 1000) / 1000.0, 2.5) * 32) AS INTEGER) "
            "AS VARCHAR), 2, '0')"
        )
        query = f"""
            SELECT strftime(DATE '2023-01-01' + CAST(hash(i, 1) % 730 AS INTEGER), '%Y-%m-%d')
                       AS fecha,
                   {state} AS entidad, '' AS municipio,
                   {pick(["mujer", "hombre", "no_especificado"], 4)} AS sexo,
                   CASE WHEN hash(i, 5) % 20 = 0 THEN '' ELSE CAST(hash(i, 5) % 90 AS VARCHAR) END
                       AS edad,
                   {pick(countries, 6)} AS nacionalidad, {pick(countries, 7)} AS pais_nacimiento,
                   {pick(populations, 8)} AS poblacion, '' AS servicio,
                   'p' || CAST(hash(i, 10) % {max(records // 3, 1)} AS VARCHAR) AS persona
            FROM range({records}) t(i)
        """
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "atenciones.parquet"
            con = duckdb.connect(":memory:")
            con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")
            con.close()
            for code in codes:
                indicator = Indicator.objects.get(code=code)
                result = aggregate(path, indicator.measure, set(populations))
                if result.error_count:
                    raise RuntimeError(f"synthetic records refused: {result.errors[:3]}")
                replace_record_counts(indicator, result.periods, result.cells)
        Value.objects.filter(indicator__code__in=codes).update(review=Value.Review.APPROVED)
        print(f"  indicator counts of {records:,} records in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for indicator in Indicator.objects.filter(code__in=codes):
        published.cells(indicator)  # solves and keeps each period's protection
    print(f"  protection of the indicators' periods: {time.perf_counter() - started:.1f} s")
    return {
        "codes": codes,
        "periods": sorted(
            set(Value.objects.filter(indicator__code="servicios").values_list("period", flat=True))
        ),
        "states": sorted(
            set(
                Value.objects.filter(indicator__code="servicios")
                .exclude(state="")
                .values_list("state", flat=True)
            )
        )[:10],
    }


def child_build(db: str, copies: int, rebuilt: bool) -> int:
    """Inside the bench's Django process: bootstrap, scale, collect static, write the manifest."""
    import django

    django.setup()
    from django.core.management import call_command

    from observatorio.practices.models import GoodPractice
    from observatorio.programs.models import Program
    from observatorio.published.models import Posting

    manifest_path = VAR / f"dataset-{db}.json"
    wanted = REAL_PROGRAMS * copies
    started = time.perf_counter()
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
    call_command("migrate", interactive=False, verbosity=0)
    have = Program.objects.published().count()
    if manifest and manifest.get("copies") == copies and have == wanted and not rebuilt:
        print(f"  data set already built ({have} programs; built in {manifest['build_seconds']} s)")
        manifest["reused"] = True
    else:
        if have not in (0, REAL_PROGRAMS):
            print(
                f"  the database has {have} published programs, not {wanted}: "
                "run again with --rebuild",
                file=sys.stderr,
            )
            return 3
        call_command("bootstrap", verbosity=0, stdout=io.StringIO())
        stats = build_scaled(copies, log=lambda m: print(m, flush=True))
        _analyze(db)
        manifest = {
            "copies": copies,
            "build_seconds": round(time.perf_counter() - started, 1),
            **stats,
            "vocabulary": vocabulary(),
            "facets": facet_values(),
            "reused": False,
        }
    manifest["indicators"] = ensure_indicators()
    # As rebuild_search_index does: the suggestions' vocabulary made once, in the shared cache.
    from observatorio.published import suggestions

    started = time.perf_counter()
    suggestions.vocabulary()
    print(f"  suggestions' vocabulary: {time.perf_counter() - started:.1f} s")
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest["programs"] = Program.objects.published().count()
    manifest["practices"] = GoodPractice.objects.count()
    manifest["postings"] = Posting.objects.count()
    manifest["size"] = _size(db)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False))
    return 0


# --- the traffic ------------------------------------------------------------------------------


def _zipf(rng: random.Random, items: list):
    """An item, the first ones much more often (popular queries repeat)."""
    weights = [1 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def _word(rng: random.Random, m: dict) -> str:
    vocabulary = m["vocabulary"]
    word = (
        _zipf(rng, vocabulary["frequent"]) if rng.random() < 0.6 else rng.choice(vocabulary["rare"])
    )
    if rng.random() < 0.5:  # typed without accents
        word = _fold(word)
    return word


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _query(rng: random.Random, m: dict) -> str:
    roll = rng.random()
    if roll < 0.65:
        return _word(rng, m)
    if roll < 0.9:  # two to three consecutive words of a real title
        words = rng.choice(m["vocabulary"]["titles"])
        size = rng.choice((2, 3))
        start = rng.randrange(max(1, len(words) - size + 1))
        phrase = " ".join(words[start : start + size]).strip('.,;:()«»"')
        return phrase.lower() if rng.random() < 0.5 else _fold(phrase)
    return f"{_word(rng, m)} {_word(rng, m)}"


def _facets(rng: random.Random, m: dict, count: int) -> dict:
    values = m["facets"]
    choices = {
        "parte": lambda: rng.choice(("federal", "estatal")),
        "objetivo": lambda: str(_zipf(rng, list(range(1, 24)))),
        "entidad": lambda: f"{rng.randint(1, 32):02d}",
        "ciclo": lambda: str(rng.choice(values["ciclo"])),
        "institucion": lambda: rng.choice(values["institucion"]),
        "poblacion": lambda: rng.choice(values["poblacion"]),
        "region": lambda: rng.choice(values["region"]),
        "cuantitativos": lambda: rng.choice(("si", "no")),
    }
    names = rng.sample(sorted(choices), count)
    return {name: choices[name]() for name in names}


@dataclass
class Scenario:
    """A kind of request: its share of the traffic and how to draw one URL."""

    name: str
    weight: float
    url: Callable[[random.Random, dict], str]
    description: str


def _search(params: dict) -> str:
    return "/buscar/?" + urlencode(params) if params else "/buscar/"


SCENARIOS = [
    Scenario(
        "palabras",
        0.35,
        lambda rng, m: _search({"q": _query(rng, m)}),
        "a word query (frequent or rare word, accent-free variant, phrase of a real title)",
    ),
    Scenario(
        "facetas",
        0.25,
        lambda rng, m: _search(
            {
                **({"q": _query(rng, m)} if rng.random() < 0.5 else {}),
                **_facets(rng, m, rng.choice((1, 1, 2, 2, 3))),
            }
        ),
        "one to three facet values, with a query half of the time",
    ),
    Scenario(
        "paginas",
        0.12,
        lambda rng, m: _search(
            {
                **({"q": _query(rng, m)} if rng.random() < 0.6 else _facets(rng, m, 1)),
                "pagina": rng.randint(2, 5),
            }
        ),
        "pages 2-5 of a query or of a facet",
    ),
    Scenario(
        "navegar",
        0.13,
        lambda rng, m: _search({"pagina": rng.randint(2, 40)} if rng.random() < 0.6 else {}),
        "browsing without a query: the first page or a later one",
    ),
    Scenario(
        "practicas",
        0.15,
        lambda rng, m: _search(
            {
                "tipo": "practicas",
                **({"q": _query(rng, m)} if rng.random() < 0.6 else {}),
                **({"entidad": f"{rng.randint(1, 32):02d}"} if rng.random() < 0.3 else {}),
            }
        ),
        "the good-practices tab, with a query and/or a state",
    ),
]


#: The portal's facet names and the API's filter names (same filters, issue 7).
_API_NAMES = {
    "parte": "section",
    "objetivo": "objective",
    "entidad": "state",
    "ciclo": "cycle",
    "institucion": "institution",
    "poblacion": "population",
    "region": "region",
    "cuantitativos": "quantitative",
}


def _api(params: dict) -> str:
    renamed = {}
    for name, value in params.items():
        if name == "cuantitativos":
            value = "true" if value == "si" else "false"
        renamed[_API_NAMES.get(name, name)] = value
    return "/api/v1/programs/?" + urlencode(renamed) if renamed else "/api/v1/programs/"


API_SCENARIOS = [
    Scenario(
        "api-busqueda",
        0.35,
        lambda rng, m: _api({"search": _query(rng, m)}),
        "search= with a word query, ranked by relevance",
    ),
    Scenario(
        "api-filtros",
        0.30,
        lambda rng, m: _api(
            {
                **({"search": _query(rng, m)} if rng.random() < 0.3 else {}),
                **_facets(rng, m, rng.choice((1, 1, 2, 2, 3))),
            }
        ),
        "one to three filters (objective, section, state, region, ...), a query 30% of the time",
    ),
    Scenario(
        "api-paginas",
        0.20,
        lambda rng, m: _api(
            {"page": rng.randint(2, 40), **({"page_size": 100} if rng.random() < 0.3 else {})}
            if rng.random() < 0.5
            else {**_facets(rng, m, 1), "page": rng.randint(2, 3)}
        ),
        "harvesting: pages 2-40 of everything (50 or 100 per page) or 2-3 of one filter",
    ),
    Scenario(
        "api-todo",
        0.15,
        lambda rng, m: _api({"page_size": rng.choice((50, 100))} if rng.random() < 0.5 else {}),
        "the first page of every published program",
    ),
]


_BREAKDOWNS = ("entidad", "sexo", "grupo_edad", "nacionalidad", "pais_nacimiento", "poblacion")


def _indicator(rng: random.Random, m: dict, view: str) -> str:
    data = m.get("indicators") or {"codes": ["servicios"], "periods": [2024], "states": ["07"]}
    params = {"periodo": rng.choice(data["periods"])}
    if view == "mapa":
        params["vista"] = "mapa"
    else:
        breakdown = rng.choice(_BREAKDOWNS)
        params["desglose"] = breakdown
        if breakdown != "entidad" and rng.random() < 0.5:
            params["entidad"] = rng.choice(data["states"])
        if view == "grafica":
            params["vista"] = "grafica"
    return f"/indicadores/{rng.choice(data['codes'])}/?" + urlencode(params)


INDICATOR_SCENARIOS = [
    Scenario(
        "catalogo",
        0.10,
        lambda rng, m: (
            "/indicadores/" + (f"?objetivo={rng.choice((1, 15, 16))}" if rng.random() < 0.5 else "")
        ),
        "the catalogue of indicators, by objective half of the time",
    ),
    Scenario(
        "tabla",
        0.40,
        lambda rng, m: _indicator(rng, m, "tabla"),
        "an indicator's table: a period, a breakdown, a state half of the time",
    ),
    Scenario(
        "grafica",
        0.20,
        lambda rng, m: _indicator(rng, m, "grafica"),
        "the same as a chart (rendered once per content, then kept)",
    ),
    Scenario("mapa", 0.15, lambda rng, m: _indicator(rng, m, "mapa"), "the states' map"),
    Scenario(
        "datos-api",
        0.15,
        lambda rng, m: (
            "/api/v1/indicators/"
            + rng.choice((m.get("indicators") or {"codes": ["servicios"]})["codes"])
            + "/data/?"
            + urlencode(
                {"period": rng.choice((m.get("indicators") or {"periods": [2024]})["periods"])}
            )
        ),
        "the API's published cells of one period",
    ),
]


@dataclass
class Suite:
    """What one run drives: the URL mix and its latency target."""

    name: str
    scenarios: list[Scenario]
    target_ms: float
    issue: str


SUITES = {
    "portal": Suite("portal", SCENARIOS, TARGET_P95_MS, "issue 5: the search page"),
    "api": Suite("api", API_SCENARIOS, TARGET_API_P95_MS, "issue 7: GET /api/v1/programs/"),
    "indicators": Suite(
        "indicators", INDICATOR_SCENARIOS, TARGET_P95_MS, "issue 17: the indicator pages"
    ),
}


def traffic(manifest: dict, seed: int, scenarios: list[Scenario] = SCENARIOS):
    """An endless stream of (scenario name, URL) following the weights of *scenarios*."""
    rng = random.Random(seed)
    weights = [s.weight for s in scenarios]
    while True:
        scenario = rng.choices(scenarios, weights)[0]
        yield scenario.name, scenario.url(rng, manifest)


# --- the load driver --------------------------------------------------------------------------


@dataclass
class Sample:
    scenario: str
    seconds: float
    status: int


async def _get(port: int, target: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                "Accept-Language: es-MX\r\nConnection: close\r\n\r\n"
            ).encode("ascii")
        )
        await writer.drain()
        data = await reader.read()  # gunicorn's sync workers close after each response
    finally:
        writer.close()
    return int(data[9:12]) if data.startswith(b"HTTP/") else 0


async def _drive(
    port: int, clients: int, seconds: float, urls, record: bool, think: float = 0.0
) -> list[Sample]:
    """*clients* clients for *seconds*: back to back, or pausing a random think time
    (exponential, mean *think* seconds) after each answer, as people reading a page do."""
    samples: list[Sample] = []
    end = time.perf_counter() + seconds
    pauses = random.Random(11)

    async def client() -> None:
        if think:  # people do not all arrive in the same instant
            await asyncio.sleep(pauses.uniform(0, think))
        while time.perf_counter() < end:
            name, target = next(urls)
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(_get(port, target), timeout=60)
            except (TimeoutError, OSError):
                status = 0
            if record:
                samples.append(Sample(name, time.perf_counter() - started, status))
            if think:
                await asyncio.sleep(pauses.expovariate(1 / think))

    await asyncio.gather(*(client() for _ in range(clients)))
    return samples


@dataclass
class Figures:
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float
    rps: float

    @classmethod
    def of(cls, samples: list[Sample], seconds: float) -> Figures:
        ms = sorted(s.seconds * 1000 for s in samples)
        return cls(
            requests=len(samples),
            errors=sum(s.status != 200 for s in samples),
            p50=percentile(ms, 0.50),
            p95=percentile(ms, 0.95),
            p99=percentile(ms, 0.99),
            max=ms[-1] if ms else float("nan"),
            rps=len(samples) / seconds,
        )

    def columns(self) -> str:
        return (
            f"{self.requests:>8} {self.errors:>6} {self.p50:>8.1f} {self.p95:>8.1f} "
            f"{self.p99:>8.1f} {self.max:>8.1f} {self.rps:>7.1f}"
        )


COLUMNS = (
    f"{'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
    f"{'req/s':>7}"
)


# --- gunicorn ---------------------------------------------------------------------------------

# Hooks of the bench's gunicorn: switch the result caches off for a cold run, and report the
# cache hit counts of each worker (at the end of the warm-up, and at exit).
GUNICORN_CONF = """
import json
import os
import time

_start = None
_cpu = {"requests": 0, "request": 0.0, "queries": 0.0}
_began = 0.0


def _stats():
    from observatorio.published import caches

    figures = caches.stats()
    snapshot = caches.SEARCH_INDEX.peek()
    figures["token loads"] = [snapshot.postings_loaded if snapshot else 0, 0]
    figures["cpu"] = [_cpu["request"], _cpu["queries"], _cpu["requests"]]
    return figures


def post_worker_init(worker):
    from observatorio.portal import search_views

    if os.environ.get("BENCH_COLD") == "1":
        from observatorio.published import caches

        caches.RESULT_CACHE = False
    # Count the CPU time the page spends in the search and facet layer.
    for name in ("programs_for", "practices_for"):

        def timed(query, _original=getattr(search_views, name)):
            began = time.thread_time()
            try:
                return _original(query)
            finally:
                _cpu["queries"] += time.thread_time() - began

        setattr(search_views, name, timed)


def pre_request(worker, req):
    global _start, _began
    if _start is None and os.path.exists(os.environ["BENCH_MARK"]):
        _start = _stats()
    _began = time.thread_time()


def post_request(worker, req, environ, resp):
    _cpu["requests"] += 1
    _cpu["request"] += time.thread_time() - _began


def worker_exit(server, worker):
    with open(os.environ["BENCH_STATS"], "a") as out:
        out.write(json.dumps({"start": _start, "end": _stats()}) + "\\n")
"""


def _environment(db: str, pg_url: str) -> dict:
    return server_environment(
        db, pg_url, VAR, OBSERVATORIO_DB_CONN_MAX_AGE="60", OBSERVATORIO_LOG_LEVEL="WARNING"
    )


class Server:
    """gunicorn on 127.0.0.1 with the bench's hooks; stop() waits for the workers' reports."""

    def __init__(self, env: dict, workers: int, cold: bool, label: str):
        self.port = free_port()
        self.stats = VAR / f"stats-{label}.jsonl"
        self.mark = VAR / f"mark-{label}"
        for path in (self.stats, self.mark):
            path.unlink(missing_ok=True)
        conf = VAR / "gunicorn.conf.py"
        conf.write_text(GUNICORN_CONF)
        env = {
            **env,
            "BENCH_COLD": "1" if cold else "0",
            "BENCH_STATS": str(self.stats),
            "BENCH_MARK": str(self.mark),
        }
        self.log = (VAR / f"gunicorn-{label}.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--config",
                str(conf),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--timeout",
                "120",
            ],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn terminó (código {self.process.returncode})")
            try:
                if asyncio.run(_get(self.port, "/buscar/")) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn no respondió a tiempo")

    def start_measuring(self) -> None:
        self.mark.touch()

    def worker_memory(self) -> list[int]:
        """Resident memory of each worker, in MB (Linux /proc; empty elsewhere)."""
        sizes = []
        try:
            task = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            for pid in task.read_text().split():
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) // 1024)
        except OSError:
            return []
        return sizes

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        totals: dict = {}
        if self.stats.exists():
            for line in self.stats.read_text().splitlines():
                report = json.loads(line)
                start = report["start"] or {}
                for name, values in report["end"].items():
                    before = start.get(name, [0] * len(values))
                    totals.setdefault(name, [0] * len(values))
                    for i, value in enumerate(values):
                        totals[name][i] += value - before[i]
        return dict(totals)


# --- one database -----------------------------------------------------------------------------


def run_database(db: str, args) -> list[tuple[str, str, Figures, dict]]:
    print(f"\n=== {db} ===")
    env = _environment(db, args.pg_url)
    if db == "postgres":
        problem, _created = create_database(args.pg_url, args.rebuild)
        if problem:
            print(f"  PostgreSQL SKIPPED: no server answers at {args.pg_url} ({problem})")
            return []
    elif args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"observatorio.sqlite3{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, __file__, "--child-build", db, "--copies", str(args.copies)]
        + (["--rebuild"] if args.rebuild else []),
        cwd=REPO,
        env=env,
    )
    if build.returncode:
        print(f"  building the data set failed (exit {build.returncode})")
        return []
    manifest = json.loads((VAR / f"dataset-{db}.json").read_text())
    print(
        f"  data set: {manifest['programs']} published programs ({manifest['real']} real × "
        f"{manifest['copies']}: {CYCLES} cycles, states rotated, years and sentences varied), "
        f"{manifest['practices']} good practices, {manifest['postings']} postings; "
        f"database {manifest['size']}"
    )
    if manifest["reused"]:
        print(
            f"  built earlier in {manifest['build_seconds']} s (copies "
            f"{manifest['copy_seconds']} s, index {manifest['index_seconds']} s); "
            f"checked in {time.perf_counter() - started:.1f} s"
        )
    else:
        print(
            f"  built in {manifest['build_seconds']} s (copies {manifest['copy_seconds']} s, "
            f"search index {manifest['index_seconds']} s)"
        )
    results = []
    for suite in args.suites:
        for mode in args.modes:
            results.append(run_mode(db, suite, mode, env, manifest, args))
    return results


def run_mode(db: str, suite: Suite, mode: str, env: dict, manifest: dict, args):
    label = f"{db}-{suite.name}-{mode}"
    load = os.getloadavg()
    print(
        f"\n--- {suite.name} ({suite.issue}), {db}, {mode}: {args.clients} clients, "
        f"{args.workers} sync workers, "
        f"warm-up {args.warmup:g} s, measured {args.duration:g} s; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ---"
    )
    server = Server(env, args.workers, cold=(mode == "cold"), label=label)
    try:
        server.wait_ready()
        urls = traffic(manifest, args.seed, suite.scenarios)
        think = args.think if mode == "users" else 0.0
        asyncio.run(_drive(server.port, args.clients, args.warmup, urls, False, think))
        server.start_measuring()
        started = time.perf_counter()
        samples = asyncio.run(_drive(server.port, args.clients, args.duration, urls, True, think))
        elapsed = time.perf_counter() - started
        memory = server.worker_memory()
    finally:
        caches = server.stop()
    print(f"  {'scenario':<12} {COLUMNS}")
    by_scenario = defaultdict(list)
    for sample in samples:
        by_scenario[sample.scenario].append(sample)
    for scenario in suite.scenarios:
        if by_scenario.get(scenario.name):
            figures = Figures.of(by_scenario[scenario.name], elapsed)
            print(f"  {scenario.name:<12} {figures.columns()}")
    overall = Figures.of(samples, elapsed)
    print(f"  {'overall':<12} {overall.columns()}")
    statuses = Counter(s.status for s in samples if s.status != 200)
    if statuses:
        print(f"  non-200 answers: {dict(statuses)} (0 = connection error or timeout)")
    print(
        "  during the measured period, all workers: "
        f"{caches.get('index builds', [0])[0]} index builds (entry table, facet bitsets), "
        f"{caches.get('token loads', [0])[0]} tokens' postings read from the database"
    )
    if memory:
        print(f"  worker memory (resident): {', '.join(f'{m} MB' for m in memory)}")
    if caches.get("cpu") and caches["cpu"][2]:
        request_cpu, query_cpu, served = caches["cpu"]
        print(f"  server CPU per request: {1000 * request_cpu / served:.1f} ms")
    if suite.name == "portal" and caches.get("cpu") and caches["cpu"][2]:
        print(
            f"  server CPU per request: {1000 * request_cpu / served:.1f} ms, of which "
            f"{1000 * query_cpu / served:.1f} ms in programs_for/practices_for (search, facets, "
            "result caches); the rest is the view, its page queries and the template"
        )
    for name, (hits, misses, *_rest) in sorted(caches.items()):
        if name in ("index builds", "token loads", "cpu"):
            continue
        if hits + misses:
            print(
                f"  cache '{name}': {hits} hits, {misses} misses "
                f"({100 * hits / (hits + misses):.0f}% hit rate)"
            )
    verdict = "reached" if overall.p95 < suite.target_ms and not overall.errors else "NOT reached"
    print(f"  target p95 < {suite.target_ms:g} ms at {args.clients} clients: {verdict}")
    return db, suite, mode, overall, caches


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rebuild", action="store_true", help="recreate the data set")
    parser.add_argument("--copies", type=int, default=150, help="copies of each real program")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=45, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--modes", default="cold,normal,users", help="any of cold, normal, users (comma-separated)"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time of the users mode, seconds"
    )
    parser.add_argument(
        "--suites", default="portal,api", help="portal (the search page), api (its list) or both"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the URL mix")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--child-build", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    if args.copies < 1 or args.clients < 1 or args.workers < 1:
        parser.error("--copies, --clients and --workers must be at least 1")
    VAR.mkdir(parents=True, exist_ok=True)
    if args.child_build:
        return child_build(args.child_build, args.copies, args.rebuild)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or not set(args.modes) <= {"cold", "normal", "users"}:
        parser.error("--modes takes cold, normal and/or users, comma-separated")
    names = [n.strip() for n in args.suites.split(",") if n.strip()]
    if not names or not set(names) <= set(SUITES):
        parser.error("--suites takes portal, api or portal,api")
    args.suites = [SUITES[n] for n in names]
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        print("gunicorn is not installed in this virtualenv", file=sys.stderr)
        return 2
    load = os.getloadavg()
    print(
        f"Portal benchmark: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}."
    )
    for suite in args.suites:
        print(
            f"URL mix of '{suite.name}' ({suite.issue}; target p95 < {suite.target_ms:g} ms): "
            + ", ".join(f"{s.name} {s.weight:.0%} ({s.description})" for s in suite.scenarios)
        )
    print(
        f"gunicorn: {args.workers} synchronous workers (the work is CPU-bound Python: threads "
        "would share one GIL; one worker more than cores keeps both busy while another waits "
        "on the database). Modes: cold = clients back to back (saturation), every result cache "
        "off in each worker (each request validates, ranks and counts from the in-memory "
        "indexes, which every mode loads during the warm-up); normal = back to back, "
        f"per-worker result caches on; users = caches on, each client pausing a think time "
        f"(exponential, mean {args.think:g} s) after each answer, as a person reading the page."
    )
    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        results.extend(run_database(db, args))
    if results:
        print(f"\nSummary ({args.clients} clients, {args.workers} sync gunicorn workers)")
        print(
            f"  {'suite':<6} {'database':<9} {'mode':<7} {COLUMNS} {'cpu/req':>8} {'search':>7} "
            f"{'hits':>5}  target"
        )
        for db, suite, mode, overall, caches in results:
            ok = overall.p95 < suite.target_ms and not overall.errors
            request_cpu, query_cpu, served = caches.get("cpu") or (0, 0, 0)
            per_request, in_search = (
                1000 * request_cpu / max(served, 1),
                1000 * query_cpu / max(served, 1),
            )
            cache = "program results" if suite.name == "portal" else "api program pages"
            hits, misses = caches.get(cache, [0, 0])[:2]
            print(
                f"  {suite.name:<6} {db:<9} {mode:<7} {overall.columns()} "
                f"{per_request:>6.1f}ms {in_search:>5.1f}ms "
                f"{100 * hits / max(hits + misses, 1):>4.0f}%  "
                f"p95 < {suite.target_ms:g} ms: {'yes' if ok else 'NO'}"
            )
        print(
            "  cpu/req: server CPU time per request; search: of which in programs_for and "
            "practices_for (the portal's search layer; not timed for the API); hits: portal "
            "results or API pages served from the per-worker cache"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
