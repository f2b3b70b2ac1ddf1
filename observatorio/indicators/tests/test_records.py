"""The record reader and aggregator (records.py): no database needed."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from observatorio.indicators.records import (
    AGE_GROUPS,
    DIMENSIONS,
    MAX_ERRORS,
    TABLES,
    Aggregation,
    Cell,
    RecordsRefused,
    aggregate,
)

TODAY = dt.date(2026, 6, 30)
POPULATIONS = {"migrantes", "refugiados", "retornados"}
HEADER = [
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
]


def row(**values) -> dict:
    base = {
        "fecha": "2024-03-15",
        "entidad": "07",
        "municipio": "07089",
        "sexo": "mujer",
        "edad": "34",
        "nacionalidad": "GTM",
        "pais_nacimiento": "GTM",
        "poblacion": "migrantes",
        "servicio": "salud",
        "persona": "p1",
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def to_parquet(csv_path: Path) -> Path:
    """The same records as Parquet, written by DuckDB (every column VARCHAR)."""
    target = csv_path.with_suffix(".parquet")
    con = duckdb.connect(":memory:")
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true, header=true)) "
        f"TO '{target}' (FORMAT parquet)"
    )
    con.close()
    return target


def run(tmp_path, rows, measure="servicios", *, header=HEADER, parquet=False, **kwargs):
    path = write_csv(tmp_path / "registros.csv", rows, header)
    if parquet:
        path = to_parquet(path)
    return aggregate(path, measure, POPULATIONS, today=TODAY, **kwargs)


def table(result: Aggregation, dims: tuple[str, ...], period: int | None = None) -> dict:
    """The cells of one table as {tuple of the table's dimension values: value}."""
    out = {}
    for cell in result.cells:
        if period is not None and cell.period != period:
            continue
        values = cell._asdict()
        if all(bool(values[d]) == (d in dims) for d in DIMENSIONS):
            out[(cell.period, *(values[d] for d in dims))] = cell.value
    return out


EXAMPLE = [
    row(entidad="07", municipio="07089", sexo="mujer", edad="34", persona="a"),
    row(entidad="07", municipio="", sexo="hombre", edad="8", persona="b"),
    row(entidad="07", sexo="mujer", edad="", nacionalidad="HND", persona="a"),
    row(entidad="14", municipio="14039", sexo="mujer", edad="61", persona="c"),
    row(entidad="14", municipio="", sexo="no_especificado", edad="17", poblacion="refugiados"),
    row(fecha="2023-12-31", entidad="02", municipio="02004", sexo="hombre", edad="30"),
    row(fecha="2023-01-01", entidad="02", municipio="", sexo="hombre", pais_nacimiento="MEX"),
]


@pytest.mark.parametrize("parquet", [False, True], ids=["csv", "parquet"])
def test_counts_by_hand(tmp_path, parquet):
    result = run(tmp_path, EXAMPLE, parquet=parquet)
    assert result.ok and result.records == 7 and result.errors == []
    assert result.periods == [2023, 2024]
    assert table(result, ()) == {(2023,): 2, (2024,): 5}
    assert table(result, ("sex",), 2024) == {
        (2024, "mujer"): 3,
        (2024, "hombre"): 1,
        (2024, "no_especificado"): 1,
    }
    assert table(result, ("age_group",), 2024) == {
        (2024, "30-59"): 1,
        (2024, "0-11"): 1,
        (2024, "no_especificado"): 1,
        (2024, "60+"): 1,
        (2024, "12-17"): 1,
    }
    assert table(result, ("state",)) == {(2024, "07"): 3, (2024, "14"): 2, (2023, "02"): 2}
    assert table(result, ("state", "sex"), 2024) == {
        (2024, "07", "mujer"): 2,
        (2024, "07", "hombre"): 1,
        (2024, "14", "mujer"): 1,
        (2024, "14", "no_especificado"): 1,
    }
    assert table(result, ("nationality",), 2024) == {(2024, "GTM"): 4, (2024, "HND"): 1}
    assert table(result, ("country_of_birth",), 2023) == {(2023, "GTM"): 1, (2023, "MEX"): 1}
    assert table(result, ("population",), 2024) == {(2024, "migrantes"): 4, (2024, "refugiados"): 1}
    assert table(result, ("state", "population"), 2024) == {
        (2024, "07", "migrantes"): 3,
        (2024, "14", "migrantes"): 1,
        (2024, "14", "refugiados"): 1,
    }
    assert table(result, ("sex", "age_group"), 2023) == {(2023, "hombre", "30-59"): 2}
    assert table(result, ("state", "age_group"), 2023) == {(2023, "02", "30-59"): 2}
    # Every cell belongs to exactly one table of TABLES.
    assert sum(len(table(result, dims)) for dims in TABLES) == len(result.cells)


def test_national_totals_are_the_sums_over_states(tmp_path):
    result = run(tmp_path, EXAMPLE)
    for national, by_state in [
        ((), ("state",)),
        (("sex",), ("state", "sex")),
        (("age_group",), ("state", "age_group")),
        (("population",), ("state", "population")),
    ]:
        sums = Counter()
        for key, value in table(result, by_state).items():
            sums[(key[0], *key[2:])] += value
        assert dict(sums) == table(result, national)


def test_both_ways_of_counting_services_agree(tmp_path):
    """The fallback when the fine-grained counts do not fit in memory gives the same cells."""
    from observatorio.indicators import records

    path = write_csv(tmp_path / "r.csv", EXAMPLE)
    con = records._connect()
    kind, header = records._sniff(path, 10**6)
    source, columns, _line = records._source(con, path, kind, header, "servicios")

    def cells(fine):
        sql = records.aggregation_sql(source, columns, "servicios", fine=fine)
        return sorted(con.execute(sql, {"path": str(path)}).fetchall(), key=str)

    assert cells(True) == cells(False)
    assert len(cells(True)) == len(run(tmp_path, EXAMPLE).cells)


def test_personas_counts_distinct_people(tmp_path):
    rows = [
        row(entidad="07", municipio="", persona="a", edad="10"),
        row(entidad="07", municipio="", persona="a", edad="12"),  # a birthday
        row(entidad="14", municipio="", persona="a", edad="12"),
        row(entidad="14", municipio="", persona="b", sexo="hombre"),
        row(fecha="2023-05-01", entidad="14", municipio="", persona="a"),
    ]
    servicios = run(tmp_path, rows)
    personas = run(tmp_path, rows, "personas")
    assert table(servicios, (), 2024) == {(2024,): 4}
    assert table(personas, ()) == {(2024,): 2, (2023,): 1}
    assert table(personas, ("state",), 2024) == {(2024, "07"): 1, (2024, "14"): 2}
    assert table(personas, ("age_group",), 2024) == {
        (2024, "0-11"): 1,
        (2024, "12-17"): 1,
        (2024, "30-59"): 1,
    }
    assert table(personas, ("sex",), 2024) == {(2024, "mujer"): 1, (2024, "hombre"): 1}


def test_personas_needs_the_persona_column_and_every_value(tmp_path):
    header = [h for h in HEADER if h != "persona"]
    with pytest.raises(RecordsRefused) as refused:
        run(tmp_path, [row()], "personas", header=header)
    assert "persona" in refused.value.message
    result = run(tmp_path, [row(), row(persona="")], "personas")
    assert result.error_count == 1 and result.cells == []
    error = result.errors[0]
    assert (error.row, error.column) == (3, "persona")
    assert "obligatorio para contar personas" in error.message
    # Counting services needs neither.
    assert run(tmp_path, [row(persona="")]).ok
    assert run(tmp_path, [row()], header=header).ok


@pytest.mark.parametrize(
    "age,group",
    [
        ("0", "0-11"),
        ("11", "0-11"),
        ("12", "12-17"),
        ("17", "12-17"),
        ("18", "18-29"),
        ("29", "18-29"),
        ("30", "30-59"),
        ("59", "30-59"),
        ("60", "60+"),
        ("120", "60+"),
        ("0120", "60+"),
        ("100", "60+"),
        ("119", "60+"),
        ("007", "0-11"),
        ("", "no_especificado"),
    ],
)
def test_age_groups(tmp_path, age, group):
    result = run(tmp_path, [row(edad=age)])
    assert table(result, ("age_group",)) == {(2024, group): 1}
    assert group in AGE_GROUPS


@pytest.mark.parametrize(
    "values,column,message",
    [
        ({"fecha": ""}, "fecha", "«fecha» es obligatorio"),
        ({"fecha": "15/03/2024"}, "fecha", "formato AAAA-MM-DD"),
        ({"fecha": "2024-02-30"}, "fecha", "formato AAAA-MM-DD"),
        ({"fecha": "2024-3-5"}, "fecha", "formato AAAA-MM-DD"),
        ({"fecha": "1999-12-31"}, "fecha", "entre el 1 de enero de 2000 y el día de hoy"),
        ({"fecha": "2026-07-01"}, "fecha", "entre el 1 de enero de 2000 y el día de hoy"),
        ({"entidad": ""}, "entidad", "«entidad» es obligatorio"),
        ({"entidad": "7", "municipio": ""}, "entidad", "clave INEGI de dos dígitos"),
        ({"entidad": "33", "municipio": ""}, "entidad", "clave INEGI de dos dígitos"),
        ({"entidad": "00", "municipio": ""}, "entidad", "clave INEGI de dos dígitos"),
        ({"municipio": "7089"}, "municipio", "cinco dígitos"),
        ({"municipio": "14039"}, "municipio", "no pertenece a la entidad"),
        ({"sexo": ""}, "sexo", "«sexo» es obligatorio"),
        ({"sexo": "Mujer"}, "sexo", "«mujer», «hombre» o «no_especificado»"),
        ({"sexo": "x"}, "sexo", "«mujer», «hombre» o «no_especificado»"),
        ({"edad": "12.5"}, "edad", "número entero de años"),
        ({"edad": "abc"}, "edad", "número entero de años"),
        ({"edad": " 12"}, "edad", "número entero de años"),
        ({"edad": "-1"}, "edad", "entre 0 y 120 años"),
        ({"edad": "121"}, "edad", "entre 0 y 120 años"),
        ({"edad": "0130"}, "edad", "entre 0 y 120 años"),
        ({"edad": "200"}, "edad", "entre 0 y 120 años"),
        ({"edad": "99999999999999999999999"}, "edad", "entre 0 y 120 años"),
        ({"nacionalidad": ""}, "nacionalidad", "«nacionalidad» es obligatorio"),
        ({"nacionalidad": "XXX"}, "nacionalidad", "ISO 3166-1 alfa-3 en mayúsculas"),
        ({"nacionalidad": "gtm"}, "nacionalidad", "ISO 3166-1 alfa-3 en mayúsculas"),
        ({"nacionalidad": "GT"}, "nacionalidad", "ISO 3166-1 alfa-3 en mayúsculas"),
        ({"pais_nacimiento": ""}, "pais_nacimiento", "«pais_nacimiento» es obligatorio"),
        ({"pais_nacimiento": "Guatemala"}, "pais_nacimiento", "ISO 3166-1 alfa-3"),
        ({"poblacion": ""}, "poblacion", "«poblacion» es obligatorio"),
        ({"poblacion": "turistas"}, "poblacion", "catálogo de grupos de población"),
        ({"servicio": "s" * 51}, "servicio", "más de 50 caracteres"),
        ({"persona": "x" * 65}, "persona", "más de 64 caracteres"),
    ],
)
@pytest.mark.parametrize("parquet", [False, True], ids=["csv", "parquet"])
def test_each_rule(tmp_path, values, column, message, parquet):
    rows = [row(), row(), row(**values), row()]
    result = run(tmp_path, rows, parquet=parquet)
    assert result.records == 4
    assert result.error_count == 1
    assert result.cells == []
    [error] = result.errors
    assert error.row == 4  # the header is line 1, the first record line 2
    assert error.column == column
    assert message in error.message
    for value in values.values():
        if len(value) > 3:
            assert value not in error.message


def test_valid_edges(tmp_path):
    rows = [
        row(fecha="2000-01-01"),
        row(fecha=TODAY.isoformat()),
        row(entidad="32", municipio="32058"),
        row(entidad="01", municipio=""),
        row(nacionalidad="MEX", pais_nacimiento="USA"),
        row(servicio="s" * 50, persona="p" * 64),
        row(servicio="", persona=""),
    ]
    result = run(tmp_path, rows)
    assert result.ok, result.errors
    assert result.periods == [2000, 2024, 2026]


def test_a_row_can_break_several_rules_and_errors_are_capped(tmp_path):
    rows = [row(sexo="x", edad="-3")] + [row(poblacion="otra")] * (MAX_ERRORS + 50)
    result = run(tmp_path, rows)
    assert result.error_count == MAX_ERRORS + 52
    assert len(result.errors) == MAX_ERRORS
    assert [(e.row, e.column) for e in result.errors[:3]] == [
        (2, "sexo"),
        (2, "edad"),
        (3, "poblacion"),
    ]
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    assert result.periods == [2024]


def test_optional_columns_may_be_absent(tmp_path):
    header = [h for h in HEADER if h not in ("municipio", "servicio", "persona")]
    result = run(tmp_path, [row(), row(sexo="hombre")], header=header)
    assert table(result, ("sex",)) == {(2024, "mujer"): 1, (2024, "hombre"): 1}
    # Any order of the columns.
    assert run(tmp_path, [row()], header=list(reversed(HEADER))).ok


def test_missing_and_unknown_columns(tmp_path):
    header = [h for h in HEADER if h not in ("edad", "sexo")]
    with pytest.raises(RecordsRefused) as refused:
        run(tmp_path, [row()], header=header)
    assert refused.value.message == "Faltan columnas obligatorias: sexo, edad."
    with pytest.raises(RecordsRefused) as refused:
        run(tmp_path, [row(curp="X")], header=[*HEADER, "curp", "nombre"])
    assert "columnas desconocidas: «curp», «nombre»" in refused.value.message
    with pytest.raises(RecordsRefused) as refused:
        run(tmp_path, [row()], header=[*HEADER, "sexo"])
    assert "repite columnas: sexo" in refused.value.message


def test_a_file_without_header_is_refused_without_showing_its_first_line(tmp_path):
    path = tmp_path / "sin-encabezado.csv"
    path.write_text("2024-03-15,07,07089,mujer,34,GTM,GTM,migrantes,salud,ID-SECRETO\n")
    with pytest.raises(RecordsRefused) as refused:
        aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert "no es un encabezado" in refused.value.message
    assert "SECRETO" not in refused.value.message and "2024" not in refused.value.message


def test_byte_order_mark_and_quoted_cells(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufefffecha,entidad,sexo,edad,nacionalidad,pais_nacimiento,poblacion,servicio\r\n"
        '2024-03-15,07,mujer,34,GTM,GTM,migrantes,"salud, consulta"\r\n'
        '"2024-03-16","14","hombre","","MEX","MEX","retornados",""\r\n'.encode()
    )
    result = aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert result.ok, result.errors
    assert table(result, ("age_group",)) == {(2024, "30-59"): 1, (2024, "no_especificado"): 1}


def test_unknown_parquet_column(tmp_path):
    path = tmp_path / "extra.parquet"
    duckdb.connect(":memory:").execute(
        f"COPY (SELECT '2024-01-01' AS fecha, 'x' AS nombre) TO '{path}' (FORMAT parquet)"
    )
    with pytest.raises(RecordsRefused) as refused:
        aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert "«nombre»" in refused.value.message
    # A Parquet file's column names are its schema, never a record: they are named.
    duckdb.connect(":memory:").execute(f"COPY (SELECT 1 AS a) TO '{path}' (FORMAT parquet)")
    with pytest.raises(RecordsRefused) as refused:
        aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert "columnas desconocidas: «a»" in refused.value.message


def test_typed_parquet_columns(tmp_path):
    """A Parquet file with a DATE and whole-number ages stored as numbers is read too."""
    path = tmp_path / "typed.parquet"
    duckdb.connect(":memory:").execute(
        f"""COPY (SELECT DATE '2024-05-01' AS fecha, '07' AS entidad, 'mujer' AS sexo,
                  age AS edad, 'MEX' AS nacionalidad, 'MEX' AS pais_nacimiento,
                  'migrantes' AS poblacion
                  FROM (VALUES (12.0::DOUBLE), (NULL), (12.5)) t(age))
            TO '{path}' (FORMAT parquet)"""
    )
    result = aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(4, "edad")]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "vacío"),
        (b"\x00\x01\x02\xff\xfe binary" * 100, "no es un CSV en UTF-8 ni un Parquet"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 10, "ni un Parquet"),
        ("fecha;entidad\n".encode("latin-1"), "no es un encabezado"),
        (b"PAR1 not really parquet", "Parquet no se pudo leer"),
        (b"\n\n", "vacío"),
    ],
)
def test_refused_files(tmp_path, content, message):
    path = tmp_path / "datos.csv"
    path.write_bytes(content)
    with pytest.raises(RecordsRefused) as refused:
        aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert message in refused.value.message
    assert str(tmp_path) not in refused.value.message


def test_header_only_is_refused(tmp_path):
    with pytest.raises(RecordsRefused) as refused:
        run(tmp_path, [])
    assert "no tiene registros" in refused.value.message


def test_too_large(tmp_path):
    with pytest.raises(RecordsRefused) as refused:
        run(tmp_path, [row()] * 10, max_bytes=100)
    assert "límite" in refused.value.message


def test_ragged_csv_and_bad_utf8_later_on(tmp_path):
    path = write_csv(tmp_path / "r.csv", [row(), row()])
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write("2024-01-01,07,secreto-de-alguien\r\n")  # the csv module ends lines so
    with pytest.raises(RecordsRefused) as refused:
        aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert "línea 4" in refused.value.message
    assert "secreto" not in refused.value.message

    path = write_csv(tmp_path / "u.csv", [row()] * 2000)
    with open(path, "ab") as f:
        f.write(b"2024-01-01,07,,mujer,1,MEX,MEX,migrantes,caf\xe9,p\r\n")
    with pytest.raises(RecordsRefused) as refused:
        aggregate(path, "servicios", POPULATIONS, today=TODAY)
    assert "UTF-8" in refused.value.message


def test_messages_never_repeat_personal_values_nor_the_path(tmp_path):
    secret = "JUAN-PEREZ-1980-" + "z" * 60
    folder = tmp_path / "carpeta-confidencial"
    folder.mkdir()
    rows = [row(persona=secret, sexo="JUAN", edad="JUAN", poblacion="JUANA")]
    result = run(folder, rows)
    assert result.error_count == 4
    for error in result.errors:
        assert "JUAN" not in error.message
        assert "confidencial" not in error.message
    for bad in (b"\xff\xfe" * 10, b""):
        (folder / "x.csv").write_bytes(bad)
        with pytest.raises(RecordsRefused) as refused:
            aggregate(folder / "x.csv", "personas", POPULATIONS)
        assert "confidencial" not in refused.value.message


def test_messages_follow_the_language(tmp_path):
    from django.utils import translation

    with translation.override("en"):
        result = run(tmp_path, [row(sexo="x")])
    assert result.errors[0].message != run(tmp_path, [row(sexo="x")]).errors[0].message


def test_no_population_codes_make_every_row_fail(tmp_path):
    path = write_csv(tmp_path / "r.csv", [row(), row()])
    result = aggregate(path, "servicios", set(), today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(2, "poblacion"), (3, "poblacion")]


def test_unknown_measure(tmp_path):
    with pytest.raises(ValueError):
        run(tmp_path, [row()], "visitas")


# -- The property: aggregate() equals a plain Python count of every table ---------------


def reference(rows: list[dict], measure: str) -> list[Cell]:
    """Every table of TABLES counted with collections.Counter."""

    def age_group(age: str) -> str:
        if age == "":
            return "no_especificado"
        age = int(age)
        for limit, group in ((11, "0-11"), (17, "12-17"), (29, "18-29"), (59, "30-59")):
            if age <= limit:
                return group
        return "60+"

    counted: dict[tuple, Counter | dict] = {}
    for r in rows:
        values = {
            "state": r["entidad"],
            "sex": r["sexo"],
            "age_group": age_group(r["edad"]),
            "nationality": r["nacionalidad"],
            "country_of_birth": r["pais_nacimiento"],
            "population": r["poblacion"],
        }
        period = int(r["fecha"][:4])
        for dims in TABLES:
            key = (period, *(values[d] if d in dims else "" for d in DIMENSIONS))
            counted.setdefault(key, set()).add(r["persona"] if measure == "personas" else id(r))
    return sorted(Cell(*key, len(members)) for key, members in counted.items())


RECORD = st.fixed_dictionaries(
    {
        "fecha": st.dates(dt.date(2000, 1, 1), TODAY).map(dt.date.isoformat),
        "entidad": st.sampled_from(["01", "07", "14", "32"]),
        "municipio": st.just(""),
        "sexo": st.sampled_from(["mujer", "hombre", "no_especificado"]),
        "edad": st.one_of(st.just(""), st.integers(0, 120).map(str)),
        "nacionalidad": st.sampled_from(["MEX", "GTM", "VEN"]),
        "pais_nacimiento": st.sampled_from(["MEX", "HND", "USA"]),
        "poblacion": st.sampled_from(sorted(POPULATIONS)),
        "servicio": st.sampled_from(["", "salud", "albergue"]),
        "persona": st.sampled_from(["a", "b", "c", "d", "e"]),
    }
)


@hypothesis_settings(max_examples=40)
@given(
    rows=st.lists(RECORD, min_size=1, max_size=30),
    measure=st.sampled_from(["servicios", "personas"]),
    parquet=st.booleans(),
)
def test_aggregate_equals_a_python_reference(rows, measure, parquet):
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "r.csv", rows)
        if parquet:
            path = to_parquet(path)
        result = aggregate(path, measure, POPULATIONS, today=TODAY)
    assert result.ok, result.errors
    assert result.records == len(rows)
    assert result.periods == sorted({int(r["fecha"][:4]) for r in rows})
    assert result.cells == reference(rows, measure)


def test_the_database_never_spills_records_to_disk():
    from observatorio.indicators import records

    con = records._connect()
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() "
            "WHERE name IN ('temp_directory', 'threads', 'memory_limit')"
        ).fetchall()
    )
    con.close()
    assert settings["temp_directory"] == ""
    assert settings["threads"] == "2"


def test_personas_are_counted_by_persona_itself_when_two_share_a_hash(tmp_path, monkeypatch):
    from observatorio.indicators import records as module

    rows = [
        row(entidad="07", municipio="", persona="a"),
        row(entidad="14", municipio="", persona="b"),
        row(entidad="14", municipio="", persona="b", sexo="hombre"),
    ]
    hashed = run(tmp_path, rows, "personas")
    assert module.hashes_collide([(2, 2)]) is False and module.hashes_collide([(3, 2)]) is True
    asked = []
    real = module.aggregation_sql

    def spy(*args, **kwargs):
        asked.append(kwargs.get("exact", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "hashes_collide", lambda found: True)
    monkeypatch.setattr(module, "aggregation_sql", spy)
    exact = run(tmp_path, rows, "personas")
    assert asked and all(asked)  # every table counted by persona
    assert exact.cells == hashed.cells
    assert table(exact, ("state",), 2024) == {(2024, "07"): 1, (2024, "14"): 1}
