"""``observatorio aggregate_records FILE --indicator CODE [--commit]``: dry run, then the
counts replaced atomically; bad files refused in Spanish with nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from observatorio.indicators import catalogue
from observatorio.indicators.models import Indicator, Value

from .records_files import records, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(catalogs):
    catalogue.load()


def run(*args) -> str:
    out = io.StringIO()
    call_command("aggregate_records", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_dry_run_writes_nothing_and_commit_replaces_never_adds(loaded, tmp_path):
    path = write(tmp_path / "atenciones.csv", records(400))
    out = run(path, "--indicator", "servicios")
    assert "Registros leídos: 400; periodos: 2023." in out and "Simulación" in out
    assert not Value.objects.exists()
    run(path, "--indicator", "servicios", "--commit")
    services = Indicator.objects.get(code="servicios")
    national = services.values.national().totals().get(period=2023)
    assert national.value == 400 and national.origin == Value.Origin.RECORDS
    written = services.values.count()
    again = run(path, "--indicator", "servicios", "--commit")
    assert f"se reemplazaron {written}" in again
    assert services.values.count() == written
    assert services.values.national().totals().get(period=2023).value == 400
    # State totals add up to the national total (services are additive).
    states = services.values.totals().exclude(state="").values_list("value", flat=True)
    assert sum(states) == 400


def test_distinct_persons_count_each_person_once(loaded, tmp_path):
    rows = records(300)
    path = write(tmp_path / "atenciones.csv", rows)
    run(path, "--indicator", "personas", "--commit")
    persons = Indicator.objects.get(code="personas").values.national().totals().get()
    assert persons.value == len({row["persona"] for row in rows})


def test_a_file_with_errors_is_refused_by_row_and_nothing_is_written(loaded, tmp_path):
    rows = records(50)
    rows[3]["sexo"] = "x"
    rows[7]["edad"] = "-4"
    rows[9]["pais_nacimiento"] = "ZZZ"
    path = write(tmp_path / "secreto-atenciones.csv", rows)
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 errores: no se escribió nada") as refused:
        call_command(
            "aggregate_records", str(path), "--indicator", "servicios", "--commit", stdout=out
        )
    printed = out.getvalue()
    assert "Línea 5, columna «sexo»" in printed and "Línea 9, columna «edad»" in printed
    assert "secreto" not in printed + str(refused.value)
    assert not Value.objects.exists()


def test_binary_junk_and_unknown_indicators_are_refused_in_spanish(loaded, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(CommandError, match="no es un CSV en UTF-8 ni un Parquet"):
        run(junk, "--indicator", "servicios")
    with pytest.raises(CommandError, match="No existe el indicador «nada»"):
        run(junk, "--indicator", "nada")
    with pytest.raises(CommandError, match="no se calcula a partir de registros"):
        run(junk, "--indicator", "entradas-registradas")
    with pytest.raises(CommandError, match="No se encontró el archivo"):
        run(tmp_path / "no-existe.csv", "--indicator", "servicios")
    assert not Value.objects.exists()


def test_approved_counts_are_not_replaced(loaded, tmp_path):
    path = write(tmp_path / "atenciones.csv", records(120))
    run(path, "--indicator", "servicios", "--commit")
    Value.objects.update(review=Value.Review.APPROVED)
    with pytest.raises(CommandError, match="aprobados"):
        run(
            write(tmp_path / "otro.csv", records(90, seed=9)),
            "--indicator",
            "servicios",
            "--commit",
        )
    assert Indicator.objects.get(code="servicios").values.national().totals().get().value == 120


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(loaded, tmp_path, settings):
    settings.RECORDS_MAX_BYTES = 2**20
    big = tmp_path / "grande.csv"
    with big.open("wb") as out:
        out.seek(2**20 + 10)
        out.write(b"\n")
    with pytest.raises(CommandError, match="pesa más del límite de 1 MB"):
        run(big, "--indicator", "servicios")
    assert not Value.objects.exists()
