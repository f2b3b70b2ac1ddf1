"""Values of one indicator from a CSV or XLSX file: a dry run with errors by line, an
atomic import, the user's scope, locks and bounds."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from observatorio.accounts.testing import PASSWORD
from observatorio.indicators import importing
from observatorio.indicators.actions import ValuesRefused
from observatorio.indicators.actions_values import approve_values, save_value
from observatorio.indicators.models import Value

pytestmark = pytest.mark.django_db

HEADER = "period,state,sex,age_group,nationality,country_of_birth,population,value,status\n"
GOOD = HEADER + "2024,14,,,GTM,,,120,preliminar\n2024,14,,,HND,,,80,definitivo\n2024,,,,,,,900,\n"


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot():
    return sorted(Value.objects.values_list("state", "nationality", "value", "review"))


def test_a_dry_run_changes_nothing_and_the_import_writes_every_row(indicators, cast):
    entries, reviewer = indicators["entradas-registradas"], cast("reviewer")
    checked = importing.check(reviewer, entries, csv_bytes(GOOD), "valores.csv")
    assert checked.ok and checked.new == 3
    assert not Value.objects.exists()
    importing.import_values(reviewer, entries, csv_bytes(GOOD), "valores.csv")
    assert snapshot() == [
        ("", "", Decimal(900), "borrador"),
        ("14", "GTM", Decimal(120), "borrador"),
        ("14", "HND", Decimal(80), "borrador"),
    ]
    value = Value.objects.get(nationality="GTM")
    assert value.origin == "archivo"
    assert value.revisions.get().action == "importado"
    again = importing.check(reviewer, entries, csv_bytes(GOOD), "valores.csv")
    assert again.unchanged == 3 and again.new == 0


def test_errors_are_listed_by_line_in_spanish_and_nothing_is_written(indicators, cast):
    bad = (
        HEADER
        + "2024,14,,,GTM,,,120,\n"
        + "2024,14,mujer,,,,,5,\n"  # line 3: no sex breakdown
        + "2024,99,,,,,,5,\n"  # line 4
        + "2024,14,,,GTM,,,7,\n"  # line 5: repeats line 2
        + "dos mil,,,,,,,5,\n"  # line 6
        + "2024,,,,,,,1.5,\n"  # line 7
        + "2024,,,,,,,5,final\n"  # line 8
    )
    entries = indicators["entradas-registradas"]
    checked = importing.check(cast("reviewer"), entries, csv_bytes(bad), "v.csv")
    lines = dict(checked.errors)
    assert set(lines) == {3, 4, 5, 6, 7, 8}
    assert "no se desagrega por sexo" in lines[3]
    assert "Repite la celda de la línea 2" in lines[5]
    assert "entero" in lines[7]
    with pytest.raises(ValuesRefused, match="6 errores"):
        importing.import_values(cast("reviewer"), entries, csv_bytes(bad), "v.csv")
    assert not Value.objects.exists()


def test_an_enlace_imports_only_their_states_rows(indicators, cast):
    entries = indicators["entradas-registradas"]
    text = HEADER + "2024,14,,,GTM,,,3,\n2024,07,,,GTM,,,4,\n"
    checked = importing.check(cast("enlace_jalisco"), entries, csv_bytes(text), "v.csv")
    assert [line for line, _m in checked.errors] == [3]
    assert "propia entidad" in checked.errors[0][1]
    with pytest.raises(ValuesRefused):
        importing.check(cast("reporter_sre"), entries, csv_bytes(text), "v.csv")
    with pytest.raises(ValuesRefused):
        importing.check(cast("council_chihuahua"), entries, csv_bytes(text), "v.csv")
    assert not Value.objects.exists()


def test_approved_values_are_not_overwritten(indicators, cast):
    entries, reviewer = indicators["entradas-registradas"], cast("reviewer")
    save_value(reviewer, entries, period=2024, state="14", nationality="GTM", value=1)
    approve_values(reviewer, entries, 2024)
    checked = importing.check(reviewer, entries, csv_bytes(GOOD), "v.csv")
    assert "aprobado" in dict(checked.errors)[2]


def test_an_xlsx_file_is_read_too(indicators, cast):
    rows = [
        ["period", "nationality", "sex", "value"],
        [2024, "HND", "mujer", 3],
        [2024, "HND", "", 10],
    ]
    requests = indicators["refugio-solicitudes"]
    importing.import_values(cast("reviewer"), requests, xlsx_bytes(rows), "v.xlsx")
    assert requests.values.count() == 2


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "v.csv", "vacío"),
        (b"period,valor\n2024,1\n", "v.csv", "primera fila"),
        (HEADER.encode(), "v.csv", "no tiene filas"),
        (b"PK\x03\x04garbage", "v.xlsx", "dañado"),
        (b"not a zip", "v.xlsx", "no es una hoja"),
        (b"x" * (importing.MAX_BYTES + 1), "v.csv", "5 MB"),
    ],
)
def test_unreadable_files_are_refused_in_spanish(indicators, cast, data, name, message):
    with pytest.raises(ValuesRefused, match=message):
        importing.check(cast("reviewer"), indicators["entradas-registradas"], data, name)


def test_more_rows_than_allowed_are_refused(indicators, cast, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    with pytest.raises(ValuesRefused, match="más de 2 filas"):
        importing.check(
            cast("reviewer"), indicators["entradas-registradas"], csv_bytes(GOOD), "v.csv"
        )


def test_the_import_page_dry_runs_and_imports(client, indicators, cast, fast_hasher):
    cast("reviewer")
    client.login(username="reviewer", password=PASSWORD)
    url = "/indicadores/captura/importar/"
    assert client.get(url).status_code == 200
    entries = indicators["entradas-registradas"]
    bad = HEADER + "2024,99,,,,,,5,\n"
    page = client.post(
        url, {"indicator": entries.pk, "file": SimpleUploadedFile("v.csv", csv_bytes(bad))}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "«99» no es un valor válido" in body
    page = client.post(
        url,
        {
            "indicator": entries.pk,
            "file": SimpleUploadedFile("v.csv", csv_bytes(GOOD)),
            "commit": "1",
        },
    )
    assert page.status_code == 302
    assert Value.objects.count() == 3
    page = client.post(url, {"indicator": entries.pk, "file": SimpleUploadedFile("v.pdf", b"%PDF")})
    assert "Suba un archivo .csv o .xlsx." in page.content.decode()


def test_the_import_page_is_refused_to_who_enters_nothing(client, cast, indicators, fast_hasher):
    cast("council_chihuahua")
    assert client.get("/indicadores/captura/importar/").status_code == 302
    client.login(username="council_chihuahua", password=PASSWORD)
    assert client.get("/indicadores/captura/importar/").status_code == 403
