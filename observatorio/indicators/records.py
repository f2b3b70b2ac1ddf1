"""Read and aggregate a file of administrative records (issue 17), without the database.

A record file (CSV in UTF-8 with a header row, or Parquet) holds one row per service
given to a person. :func:`aggregate` checks every row and, when none fails, counts the
rows (``servicios``) or the distinct people (``personas``) for every published table
(:data:`TABLES`) and calendar year.

Both steps run inside an in-memory DuckDB database, vectorised: one query finds, for
every row, which rules it breaks (a bit per rule, see :data:`RULES`) and returns the
total count and the first rows that fail; only when no row fails, one ``GROUP BY
GROUPING SETS`` query produces every table. Record-level data is never written
anywhere: the database lives in memory, spilling to disk is off (``temp_directory``
is empty) and nothing is logged. Messages never repeat a cell's value nor the path.

Two refinements keep it fast and within memory: a CSV file is first checked without
numbering its rows (numbering makes DuckDB read on one thread) and read again with
line numbers only when a row fails; ``personas`` are counted table by table, through
64-bit hashes of ``persona``, since distinct counts over every table at once need
more than 1 GB for a million rows (see :func:`aggregation_sql`). The counts are exact
all the same: one query first compares the file's distinct ``persona`` with their
distinct hashes, and should two people share a hash the file is counted by ``persona``
itself (:func:`hashes_collide`).

The file format (the interface the management command and the people who prepare the
files rely on) is described in :data:`REQUIRED`, :data:`OPTIONAL` and :data:`RULES`.
Lines are numbered as a spreadsheet numbers them: the header is line 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import duckdb
from django.utils import timezone
from django.utils.translation import gettext as _

#: Columns every file must have, in the order errors are reported.
REQUIRED = ("fecha", "entidad", "sexo", "edad", "nacionalidad", "pais_nacimiento", "poblacion")
#: Columns a file may have.
OPTIONAL = ("municipio", "servicio", "persona")
#: Every known column, in the order errors are reported.
COLUMNS = (
    "fecha",
    "entidad",
    "municipio",
    "sexo",
    "edad",
    "nacionalidad",
    "pais_nacimiento",
    "poblacion",
    "servicio",
    "persona",
)

MEASURES = ("servicios", "personas")
SEXES = ("mujer", "hombre", "no_especificado")
AGE_GROUPS = ("0-11", "12-17", "18-29", "30-59", "60+", "no_especificado")
#: Upper bounds (inclusive) of the age groups with a known age.
AGE_LIMITS = ((11, "0-11"), (17, "12-17"), (29, "18-29"), (59, "30-59"), (120, "60+"))
STATES = tuple(f"{n:02d}" for n in range(1, 33))
FIRST_DAY = dt.date(2000, 1, 1)
MAX_ERRORS = 200
DEFAULT_MAX_BYTES = 3 * 2**30
#: How much of a file is read to tell its format and to read the CSV header.
SNIFF_BYTES = 64 * 1024

#: The dimensions of a cell, in :class:`Cell` order (after the period).
DIMENSIONS = ("state", "sex", "age_group", "nationality", "country_of_birth", "population")

#: Every published table: the dimensions it crosses, for each period (``()`` is the total).
#: Tables without ``state`` are national; the suppression of small cells works on these.
TABLES: tuple[tuple[str, ...], ...] = (
    (),
    ("sex",),
    ("age_group",),
    ("nationality",),
    ("country_of_birth",),
    ("population",),
    ("sex", "age_group"),
    ("state",),
    ("state", "sex"),
    ("state", "age_group"),
    ("state", "population"),
)

COUNTRIES_FILE = Path(__file__).resolve().parents[1] / "catalog" / "data" / "countries.json"
# DuckDB's own messages may repeat the path and values: they are never passed on.
_LINE = re.compile(r"CSV Error on Line:\s*(\d+)", re.IGNORECASE)
# Errors in the queries themselves (bugs, not bad files) are not turned into refusals.
_BUGS = (duckdb.BinderException, duckdb.ParserException, duckdb.CatalogException)


@dataclass(frozen=True)
class RowError:
    """A rule a cell breaks.

    ``row`` is the row's line in the file as a spreadsheet numbers it: the header is
    line 1, the first record line 2 (for Parquet too). ``message`` is in the active
    language and never repeats the cell's value.
    """

    row: int
    column: str
    message: str


class RecordsRefused(Exception):  # noqa: N818 - the name the command relies on
    """The whole file is refused (format, columns, size); ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Cell(NamedTuple):
    """One published figure: ``""`` in a dimension means all of it (``state`` "" = national)."""

    period: int
    state: str
    sex: str
    age_group: str
    nationality: str
    country_of_birth: str
    population: str
    value: int


@dataclass
class Aggregation:
    records: int
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    periods: list[int] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class Rule(NamedTuple):
    column: str
    #: SQL over the row's VARCHAR cells (NULL when empty), ``fecha_d`` (the parsed
    #: date, NULL when malformed), ``edad_int`` and ``municipio_ok`` (whether they are
    #: written as an integer, as five digits: see :func:`validation_sql`); true when
    #: the row breaks the rule.
    condition: str
    #: A function returning the message (called only when a row breaks the rule).
    message: object


def _required(column: str) -> Rule:
    return Rule(
        column,
        f"{column} IS NULL",
        lambda: _("El campo «%(column)s» es obligatorio y está vacío.") % {"column": column},
    )


def _country(column: str) -> Rule:
    return Rule(
        column,
        # A long list: IN a subquery (a hash join) rather than list_contains (a scan).
        f"{column} IS NOT NULL AND {column} NOT IN (SELECT unnest($countries))",
        lambda: (
            _(
                "«%(column)s» debe ser un código de país ISO 3166-1 alfa-3 en mayúsculas "
                "(por ejemplo, MEX, GTM o USA)."
            )
            % {"column": column}
        ),
    )


#: The rules, one bit each (bit *i* for ``RULES[i]``), in the order they are reported.
#: The rules of one column exclude each other (a cell breaks at most one).
RULES: tuple[Rule, ...] = (
    _required("fecha"),
    Rule(
        "fecha",
        "fecha IS NOT NULL AND fecha_d IS NULL",
        lambda: _("La fecha debe tener el formato AAAA-MM-DD (por ejemplo, 2024-03-15)."),
    ),
    Rule(
        "fecha",
        "fecha_d < DATE '2000-01-01' OR fecha_d > $today",
        lambda: _("La fecha debe estar entre el 1 de enero de 2000 y el día de hoy."),
    ),
    _required("entidad"),
    Rule(
        "entidad",
        "entidad IS NOT NULL AND NOT list_contains($states, entidad)",
        lambda: _("La entidad debe ser una clave INEGI de dos dígitos, de 01 a 32."),
    ),
    Rule(
        "municipio",
        "municipio IS NOT NULL AND NOT municipio_ok",
        lambda: _("El municipio debe ser una clave INEGI de cinco dígitos."),
    ),
    Rule(
        "municipio",
        "municipio_ok AND list_contains($states, entidad) AND left(municipio, 2) <> entidad",
        lambda: _("El municipio no pertenece a la entidad indicada."),
    ),
    _required("sexo"),
    Rule(
        "sexo",
        "sexo IS NOT NULL AND NOT list_contains(['mujer', 'hombre', 'no_especificado'], sexo)",
        lambda: _("El sexo debe ser «mujer», «hombre» o «no_especificado»."),
    ),
    Rule(
        "edad",
        "edad IS NOT NULL AND NOT edad_int",
        lambda: _(
            "La edad debe ser un número entero de años, sin decimales, o quedar vacía "
            "si no se conoce."
        ),
    ),
    Rule(
        "edad",
        # 0 to 120, leading zeros allowed; a pattern is cheaper than a cast.
        "edad_int AND NOT regexp_full_match(edad, '0*([0-9]{1,2}|1[01][0-9]|120)')",
        lambda: _("La edad debe estar entre 0 y 120 años."),
    ),
    _required("nacionalidad"),
    _country("nacionalidad"),
    _required("pais_nacimiento"),
    _country("pais_nacimiento"),
    _required("poblacion"),
    Rule(
        "poblacion",
        "poblacion IS NOT NULL AND poblacion NOT IN (SELECT unnest($populations))",
        lambda: _("La población no es un código del catálogo de grupos de población."),
    ),
    Rule(
        "servicio",
        "strlen(servicio) > 50 AND length(servicio) > 50",
        lambda: _("El servicio no puede tener más de 50 caracteres."),
    ),
    Rule(
        "persona",
        "strlen(persona) > 64 AND length(persona) > 64",
        lambda: _("El identificador de persona no puede tener más de 64 caracteres."),
    ),
    Rule(
        "persona",
        "$personas AND persona IS NULL",
        lambda: _("El identificador de persona es obligatorio para contar personas y está vacío."),
    ),
)


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """The ISO 3166-1 alpha-3 codes of the catalogue (and MEX)."""
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    return tuple(sorted({c["alpha_3"] for c in data["countries"]} | {"MEX"}))


def _connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory database that never spills to disk nor loads extensions."""
    return duckdb.connect(
        ":memory:",
        config={
            "threads": 2,
            "memory_limit": "1GB",
            "temp_directory": "",
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )


# ---------------------------------------------------------------------------------
# The file: format, size, columns


def _sniff(path: Path, max_bytes: int) -> tuple[str, list[str] | None]:
    """Return ``("parquet", None)`` or ``("csv", header)``; refuse anything else."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        raise RecordsRefused(_("No se pudo abrir el archivo de registros.")) from None
    if size == 0:
        raise RecordsRefused(_("El archivo está vacío."))
    if size > max_bytes:
        raise RecordsRefused(
            _("El archivo pesa más del límite de %(limit)s MB.") % {"limit": max_bytes // 2**20}
        )
    if head.startswith(b"PAR1"):
        return "parquet", None
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=size <= SNIFF_BYTES)
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise RecordsRefused(
            _(
                "El archivo no es un CSV en UTF-8 ni un Parquet. Guárdelo como CSV "
                "(UTF-8, separado por comas) o como Parquet."
            )
        )
    text = text.removeprefix("\ufeff")
    if "\n" not in text and size > SNIFF_BYTES:
        raise RecordsRefused(_("La primera línea del archivo no es un encabezado de columnas."))
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        header = []
    if not any(h.strip() for h in header):
        raise RecordsRefused(_("El archivo está vacío."))
    return "csv", header


def _check_columns(header: list[str], measure: str, *, csv_header: bool = True) -> list[str]:
    """Refuse a header with unknown, repeated or missing columns; return it."""
    if csv_header and not set(header) & set(COLUMNS):
        # No header at all: the first line is a record, whose values must not be shown.
        raise RecordsRefused(_("La primera línea del archivo no es un encabezado de columnas."))
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        # The names of columns are not personal data; they help to fix the file.
        names = ", ".join(f"«{h[:40]}»" for h in unknown[:10])
        raise RecordsRefused(
            _(
                "El archivo tiene columnas desconocidas: %(names)s. Las columnas válidas "
                "son: %(valid)s."
            )
            % {"names": names, "valid": ", ".join(COLUMNS)}
        )
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise RecordsRefused(
            _("El archivo repite columnas: %(names)s.") % {"names": ", ".join(repeated)}
        )
    missing = [c for c in REQUIRED if c not in header]
    if measure == "personas" and "persona" not in header:
        missing.append("persona")
    if missing:
        raise RecordsRefused(
            _("Faltan columnas obligatorias: %(names)s.") % {"names": ", ".join(missing)}
        )
    return header


def _source(con, path: Path, kind: str, header: list[str] | None, measure: str):
    """The FROM clause and the select list giving every known column as VARCHAR.

    Empty cells become NULL; absent optional columns are NULL. Returns
    ``(from_sql, {column: sql}, line_sql)``.
    """
    if kind == "csv":
        types = ", ".join(f"'{h}': 'VARCHAR'" for h in header)
        source = (
            f"read_csv($path, columns={{{types}}}, header=true, auto_detect=false, "
            "delim=',', quote='\"', escape='\"', strict_mode=true, null_padding=false, "
            "encoding='utf-8')"
        )
        present = {h: f"nullif({h}, '')" for h in header}
        line = "row_number() OVER () + 1"
    else:
        try:
            schema = con.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($path))",
                {"path": str(path)},
            ).fetchall()
        except duckdb.Error:
            raise RecordsRefused(_("El archivo Parquet no se pudo leer: está dañado.")) from None
        names = [name for name, _type in schema]
        _check_columns(names, measure, csv_header=False)
        source = "read_parquet($path)"
        present = {}
        for name, type_ in schema:
            value = f"CAST({name} AS VARCHAR)"
            if name == "edad" and (type_ in ("FLOAT", "DOUBLE") or type_.startswith("DECIMAL")):
                # 35.0 from a tool that stores whole numbers as floats is the age 35.
                value = (
                    f"CASE WHEN {name} = trunc({name}) AND abs({name}) < 1e9 "
                    f"THEN CAST(CAST({name} AS BIGINT) AS VARCHAR) ELSE {value} END"
                )
            present[name] = f"nullif({value}, '')"
        line = "file_row_number + 2"
    columns = {c: present.get(c, "CAST(NULL AS VARCHAR)") for c in COLUMNS}
    return source, columns, line


def _select(columns: dict[str, str]) -> str:
    return ", ".join(f"{sql} AS {name}" for name, sql in columns.items())


def _run(con, sql: str, params: dict, *, retry: str | None = None):
    """Run *sql*; turn DuckDB's errors about the file into :class:`RecordsRefused`.

    Out of memory, *retry* (a query that needs less) is run instead when given.
    """
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.OutOfMemoryException:
        if retry:
            return _run(con, retry, params)
        raise RecordsRefused(
            _("El archivo es demasiado grande para procesarlo con la memoria disponible.")
        ) from None
    except _BUGS:
        raise
    except duckdb.Error as error:
        # The message may quote the path or the line's values: keep the line number only.
        found = _LINE.search(str(error))
        if found:
            raise RecordsRefused(
                _(
                    "El archivo no se pudo leer como CSV cerca de la línea %(line)s: revise "
                    "que esté en UTF-8, separado por comas y con el mismo número de "
                    "columnas que el encabezado en cada fila."
                )
                % {"line": found.group(1)}
            ) from None
        raise RecordsRefused(
            _(
                "El archivo no se pudo leer: revise que sea un CSV en UTF-8 separado por "
                "comas, con el mismo número de columnas que el encabezado en cada fila, "
                "o un Parquet."
            )
        ) from None


# ---------------------------------------------------------------------------------
# Validation and aggregation


def _fecha_d() -> str:
    return (
        "CASE WHEN regexp_full_match(fecha, '[0-9]{4}-[0-9]{2}-[0-9]{2}') "
        "THEN CAST(try_strptime(fecha, '%Y-%m-%d') AS DATE) END"
    )


def validation_sql(source: str, columns: dict[str, str], line: str | None) -> str:
    """One query: records, error count, the first failing rows and the years present.

    *line* is the SQL of a row's line number; without it (``None``) the query does not
    look for the first failing rows (for CSV, numbering the rows makes DuckDB read the
    file on one thread, so a file is first checked without and numbered only if a
    row fails).
    """
    first = (
        f"min_by([line, failed], line, {MAX_ERRORS}) FILTER (WHERE failed <> 0)" if line else "NULL"
    )
    # The rules of a column exclude each other: one CASE per column (a third faster
    # than one per rule, since a row's later conditions are skipped once one holds).
    by_column: dict[str, list[str]] = {}
    for i, rule in enumerate(RULES):
        by_column.setdefault(rule.column, []).append(f"WHEN {rule.condition} THEN {1 << i}")
    bits = " + ".join(f"(CASE {' '.join(whens)} ELSE 0 END)" for whens in by_column.values())
    return f"""
        WITH src AS (SELECT {line or "0"} AS line, {_select(columns)} FROM {source}),
        dated AS (
            SELECT
                *,
                {_fecha_d()} AS fecha_d,
                regexp_full_match(edad, '-?[0-9]+') AS edad_int,
                regexp_full_match(municipio, '[0-9]{{5}}') AS municipio_ok
            FROM src
        ),
        checked AS (SELECT line, fecha_d, CAST({bits} AS BIGINT) AS failed FROM dated)
        SELECT
            count(*),
            coalesce(sum(bit_count(failed)), 0),
            {first},
            list(DISTINCT year(fecha_d)) FILTER (
                WHERE fecha_d BETWEEN DATE '2000-01-01' AND $today
            )
        FROM checked
    """  # noqa: S608 - built from the module's constants and checked column names


def collision_sql(source: str, columns: dict[str, str]) -> str:
    """The file's distinct ``persona`` and their distinct 64-bit hashes. When the two are
    equal (two people share a hash with a chance of about 3 in a million among ten
    million), the hash is one-to-one on the file's people, so every table's distinct
    hashes are exactly its distinct people (:func:`hashes_collide`)."""
    return f"""
        WITH src AS (SELECT {_select(columns)} FROM {source})
        SELECT count(DISTINCT persona), count(DISTINCT hash(persona)) FROM src
    """  # noqa: S608 - built from the module's constants and checked column names


def hashes_collide(found: list) -> bool:
    """Whether :func:`collision_sql`'s answer shows two people with one hash."""
    [(people, hashes)] = found
    return people != hashes


def aggregation_sql(
    source: str,
    columns: dict[str, str],
    measure: str,
    tables=TABLES,
    *,
    fine: bool = True,
    exact: bool = False,
) -> str:
    """One ``GROUP BY GROUPING SETS`` query over the (valid) rows: *tables* for every year.

    For ``personas`` the distinct ``persona`` are counted through their 64-bit hashes,
    which keeps the memory a table needs to a few bytes per person (exact once
    :func:`hashes_collide` says no two people share one); with *exact*, through
    ``persona`` itself.

    For ``servicios`` with *fine*, rows are first counted by every dimension at once
    (one hash table over the file), then the tables add those counts up: about twice
    as fast as grouping the rows themselves into every table, unless nearly every row
    is a combination of its own (then that table may not fit in memory, and *fine*
    false groups the rows directly).
    """
    age = " ".join(f"WHEN age <= {limit} THEN '{group}'" for limit, group in AGE_LIMITS)
    if measure == "personas":
        distinct = "persona" if exact else "hash(persona)"
        counted, value = "grouped", f"count(DISTINCT {distinct})"
    elif fine:
        counted, value = "fine", "CAST(sum(n) AS BIGINT)"
    else:
        counted, value = "grouped", "count(*)"
    sets = ", ".join("(" + ", ".join(("period", *table)) + ")" for table in tables)
    used = {d for table in tables for d in table}
    dimensions = ", ".join(d if d in used else f"NULL AS {d}" for d in DIMENSIONS)
    return f"""
        WITH src AS (SELECT {_select(columns)} FROM {source}),
        rows AS (
            SELECT
                year(CAST(fecha AS DATE)) AS period,
                entidad AS state,
                sexo AS sex,
                CAST(edad AS INTEGER) AS age,
                nacionalidad AS nationality,
                pais_nacimiento AS country_of_birth,
                poblacion AS population,
                persona
            FROM src
        ),
        grouped AS (
            SELECT *, CASE WHEN age IS NULL THEN 'no_especificado' {age} END AS age_group
            FROM rows
        ),
        fine AS (
            SELECT period, {", ".join(DIMENSIONS)}, count(*) AS n FROM grouped GROUP BY ALL
        )
        SELECT period, {dimensions}, {value}
        FROM {counted}
        GROUP BY GROUPING SETS ({sets})
    """  # noqa: S608 - built from the module's constants and checked column names


def _row_errors(first: list | None) -> list[RowError]:
    errors = []
    for line, failed in sorted(first or []):
        for i, rule in enumerate(RULES):
            if failed >> i & 1:
                errors.append(RowError(int(line), rule.column, rule.message()))
                if len(errors) == MAX_ERRORS:
                    return errors
    return errors


def aggregate(
    path: Path | str,
    measure: str,
    population_codes: set[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    today: dt.date | None = None,
) -> Aggregation:
    """Check the record file at *path* and count *measure* for every table of :data:`TABLES`.

    *measure* is ``"servicios"`` (rows) or ``"personas"`` (distinct ``persona``);
    *population_codes* are the valid ``poblacion`` codes. Raises
    :class:`RecordsRefused` for a file that cannot be read as records at all; rows
    that break a rule come back in ``errors`` (the first :data:`MAX_ERRORS`) and
    ``error_count``, and then no cells are computed.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")
    path = Path(path)
    today = today or timezone.localdate()
    kind, header = _sniff(path, max_bytes)
    if header is not None:
        _check_columns(header, measure)
    params = {
        "path": str(path),
        "today": today,
        "states": list(STATES),
        "countries": list(country_codes()),
        "populations": sorted(population_codes),
        "personas": measure == "personas",
    }
    con = _connect()
    try:
        source, columns, line = _source(con, path, kind, header, measure)
        sql = validation_sql(source, columns, line if kind == "parquet" else None)
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        [(records, error_count, first, periods)] = _run(con, sql, used)
        if error_count and first is None:
            # A CSV file with errors: again, numbering the rows this time.
            [(_records, _count, first, _periods)] = _run(
                con, validation_sql(source, columns, line), used
            )
        if records == 0:
            raise RecordsRefused(_("El archivo no tiene registros: solo el encabezado."))
        result = Aggregation(
            records=records,
            errors=_row_errors(first),
            error_count=int(error_count),
            periods=sorted(periods or []),
        )
        if result.error_count:
            return result
        if measure == "servicios":
            # Every table in one pass over the file.
            rows = _run(
                con,
                aggregation_sql(source, columns, measure),
                {"path": str(path)},
                retry=aggregation_sql(source, columns, measure, fine=False),
            )
        else:
            # DuckDB keeps one set of distinct people per table at once when the tables
            # are counted one by one (all at once, a million rows need more than 1 GB).
            rows = []
            found = _run(con, collision_sql(source, columns), {"path": str(path)})
            exact = hashes_collide(found)
            for table in TABLES:
                sql = aggregation_sql(source, columns, measure, (table,), exact=exact)
                rows += _run(con, sql, {"path": str(path)})
    finally:
        con.close()
    result.cells = sorted(
        Cell(int(period), *(d or "" for d in dims), int(value)) for period, *dims, value in rows
    )
    return result
