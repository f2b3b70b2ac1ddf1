"""The portal benchmark's data set (issues 5, 7 and 17): the scaled programs, the indicator
counts and the manifest the runs draw their URLs from.

A helper of ``bench/portal.py`` (the command line, the server, the runs and what they
print), which runs with ``bench/`` first on ``sys.path`` (so this module and ``harness``
import by name) and puts the checkout there too; ``bench/suggest.py`` builds its own
database with ``build_scaled``. Nothing here imports Django or ``observatorio`` at import
time: the functions run inside a Django process (``portal.py --child-build``, a child of
the run, or the child of ``suggest.py``) and import what they need when they run.

- ``build_scaled`` adds ``copies - 1`` varied copies of every real published program
  (``_cycle``, ``_shift_years``, ``_drop_sentence``) and rebuilds the search index.
- ``vocabulary`` and ``facet_values``: the real words and facet values the URL mixes
  (``bench/traffic.py``) draw from.
- ``ensure_indicators``: the indicator catalogue, the panoramas' values and the counts of
  ``INDICATOR_RECORDS`` synthetic attention records behind the indicator pages.
- ``child_build``: in the child process, migrate, bootstrap and scale (or reuse the data
  set built earlier), collect the static files and write the manifest
  (``VAR/dataset-<db>.json``) that the runs read.

The shape of the data set is described in ``bench/portal.py``'s docstring.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

# bench/, this module's folder, is first on sys.path: the modules beside it import by name.
from harness import REPO

#: The benchmark's files: the SQLite database, the manifests, gunicorn's configuration and logs.
VAR = REPO / "var" / "bench"
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
    """Add ``copies - 1`` varied copies of every real published program.

    How they vary: ``bench/portal.py``'s docstring. Needs Django set up and the real
    compendium imported; writes with ``bulk_create`` and rebuilds the search index (which
    gives the data a new version). Returns counts.
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
