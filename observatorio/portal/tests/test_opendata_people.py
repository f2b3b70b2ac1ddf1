"""Open data a journalist can open: a BOM, Spanish headers with labels beside the codes,
every report field, the figures as their own tidy table, and LibreOffice reading it right."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from observatorio.catalog.models import GcmObjective, PopulationGroup
from observatorio.programs.models import REVISION_FIELDS, BlockStatus, Program, ResultFigure
from observatorio.published.opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
#: Column names of the first version of the open data; none of them is left.
ENGLISH = {"title", "state", "state_code", "cycle", "objective", "description", "name", "value"}
#: Each field of the report (programs.models.REVISION_FIELDS) → the columns that carry it.
REPORT_COLUMNS = {
    "title": ["titulo"],
    "objective": ["objetivo", "objetivo_nombre"],
    "secondary_objectives": ["objetivos_secundarios", "objetivos_secundarios_nombres"],
    "state": ["entidad_clave", "entidad"],
    "institutions": ["instituciones", "instituciones_nombres"],
    "populations": ["poblaciones", "poblaciones_nombres"],
    "description": ["descripcion"],
    "results": ["resultados", "resultados_estado"],
    "figures": ["cifras"],  # the count; the figures themselves are the «cifras» resource
    "challenges": ["retos"],
    "challenges_status": ["retos_estado", "sin_retos"],
    "start_date": ["fecha_inicio"],
    "end_date": ["fecha_termino"],
    "permanent": ["permanente"],
    "budget": ["presupuesto_mxn"],
    "execution": ["situacion"],
    "links": ["enlaces"],
    # Open data holds published reports only: their status is always «publicado».
    "status": [],
}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def records(client, slug: str) -> list[dict]:
    response = client.get(reverse("portal:dataset", args=[slug, "csv"]))
    assert response.status_code == 200
    data = body(response)
    assert data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def reported(real_data, db):
    """A published state program with every field of the report filled, and its figures."""
    program = Program.objects.published().filter(state__inegi_code="16").order_by("pk").first()
    program.budget = Decimal("1500000.50")
    program.execution = Program.Execution.ACTIVE
    program.permanent = True
    program.start_date = dt.date(2021, 3, 1)
    program.links = ["https://example.org/programa", "https://example.org/informe"]
    program.challenges_status = BlockStatus.NONE
    program.challenges = ""
    program.save()
    program.secondary_objectives.set(GcmObjective.objects.filter(number__in=[7, 3]))
    program.populations.set(PopulationGroup.objects.order_by("code")[:2])
    figures = [
        ("Niñas atendidas", "120", "personas", "mujeres", "0-11", "Honduras"),
        ("Niños atendidos", "95", "personas", "hombres", "0-11", "Guatemala"),
        ("Apoyos entregados", "1500.5", "apoyos", "total", "todas", ""),
    ]
    for label, value, unit, sex, age, nationality in figures:
        ResultFigure.objects.create(
            program=program,
            label=label,
            value=Decimal(value),
            unit=unit,
            sex=sex,
            age_group=age,
            nationality=nationality,
        )
    other = Program.objects.published().filter(section="federal").order_by("pk").first()
    ResultFigure.objects.create(program=other, label="Personas orientadas", value=40)
    return program


def test_every_csv_starts_with_a_bom_and_has_spanish_headers_with_labels(client, real_data):
    for slug, dataset in DATASETS.items():
        response = client.get(reverse("portal:dataset", args=[slug, "csv"]))
        data = body(response)
        assert data.startswith(BOM), slug
        header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert header == dataset.header, slug
        assert not ENGLISH & set(header), slug
    # The search download too.
    assert body(client.get(reverse("portal:download", args=["csv"]) + "?q=ninas")).startswith(BOM)
    # A code has its label beside it.
    programs = records(client, "programas")
    michoacan = next(r for r in programs if r["entidad_clave"] == "16")
    assert michoacan["entidad"] == "Michoacán"
    objective = GcmObjective.objects.get(number=int(michoacan["objetivo"]))
    assert michoacan["objetivo_nombre"] == objective.title_es
    institutions = {r["siglas"]: r for r in records(client, "instituciones")}
    assert (institutions["SRE"]["tipo"], institutions["SRE"]["tipo_nombre"]) == (
        "dependencia",
        "Dependencia",
    )
    assert (institutions["SRE"]["orden"], institutions["SRE"]["orden_nombre"]) == (
        "federal",
        "Federal",
    )
    assert {r["permanente"] for r in programs} <= {"sí", "no"}
    assert {r["sin_retos"] for r in programs} == {"sí", "no"}


def test_every_field_of_the_report_is_a_documented_column(client, reported):
    assert set(REPORT_COLUMNS) == set(REVISION_FIELDS)  # a new report field needs a column
    package = json.loads(client.get(reverse("portal:datapackage")).content)
    declared = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    programs = records(client, "programas")
    assert declared["programs"] == list(programs[0])
    for field, columns in REPORT_COLUMNS.items():
        assert set(columns) <= set(declared["programs"]), field
    page = client.get(reverse("portal:opendata")).content.decode()
    for name in declared["programs"] + declared["figures"]:
        assert f"<code>{name}</code>" in page, name  # the data dictionary on /datos/

    row = next(r for r in programs if r["id"] == str(reported.pk))
    assert row["presupuesto_mxn"] == "1500000.5"
    assert row["situacion"] == "vigente"
    assert row["permanente"] == "sí"
    assert row["fecha_inicio"] == "2021-03-01"
    assert row["objetivos_secundarios"] == "3; 7"
    titles = GcmObjective.objects.filter(number__in=[3, 7]).order_by("number")
    assert row["objetivos_secundarios_nombres"] == "; ".join(o.title_es for o in titles)
    assert row["enlaces"] == "https://example.org/programa; https://example.org/informe"
    assert (row["retos_estado"], row["sin_retos"]) == ("ninguno", "sí")
    assert row["cifras"] == "3"
    groups = PopulationGroup.objects.order_by("code")[:2]
    assert row["poblaciones"] == "; ".join(g.code for g in groups)
    assert row["poblaciones_nombres"] == "; ".join(g.name_es for g in groups)
    # The JSON has the same values, typed.
    document = json.loads(body(client.get("/datos/programas.json")))
    record = next(r for r in document["programs"] if r["id"] == reported.pk)
    assert (record["presupuesto_mxn"], record["permanente"], record["cifras"]) == (
        1500000.5,
        True,
        3,
    )


def test_the_figures_are_a_tidy_table_that_joins_to_the_programs(client, reported):
    programs = {r["id"]: r for r in records(client, "programas")}
    figures = records(client, "cifras")
    assert len(figures) == ResultFigure.objects.count() == 4
    # One row per program × figure: the key is unique and every value is one number.
    keys = [(r["programa_id"], r["cifra"]) for r in figures]
    assert len(set(keys)) == len(keys)
    assert all(Decimal(r["valor"]) >= 0 for r in figures)
    for row in figures:
        program = programs[row["programa_id"]]  # joins: every figure's program is published
        assert (row["ciclo"], row["objetivo"], row["entidad_clave"]) == (
            program["ciclo"],
            program["objetivo"],
            program["entidad_clave"],
        )
    # The count in the programs table agrees with the rows of the figures table.
    for pk, program in programs.items():
        assert int(program["cifras"]) == sum(r["programa_id"] == pk for r in figures), pk
    mine = [r for r in figures if r["programa_id"] == str(reported.pk)]
    assert [r["cifra"] for r in mine] == ["1", "2", "3"]
    first = mine[0]
    assert (first["que_se_cuenta"], first["valor"], first["unidad"]) == (
        "Niñas atendidas",
        "120",
        "personas",
    )
    assert (first["sexo"], first["sexo_nombre"]) == ("mujeres", "Mujeres")
    assert (first["grupo_edad"], first["grupo_edad_nombre"]) == ("0-11", "0 a 11 años")
    assert first["nacionalidad"] == "Honduras"
    assert mine[2]["valor"] == "1500.5"
    # A withdrawn program's figures leave with it.
    Program.objects.filter(pk=reported.pk).update(status=Program.Status.WITHDRAWN)
    assert {r["programa_id"] for r in records(client, "cifras")} == {
        r["programa_id"] for r in figures if r["programa_id"] != str(reported.pk)
    }


def test_the_data_package_with_figures_validates_with_frictionless(client, reported, tmp_path):
    descriptor = json.loads(client.get(reverse("portal:datapackage")).content)
    for resource in descriptor["resources"]:
        path = resource["path"].removeprefix("http://testserver")
        name = Path(path.split("?")[0]).name
        (tmp_path / name).write_bytes(body(client.get(path)))
        resource["path"] = name
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    command = Path(os.sys.executable).parent / "frictionless"
    result = subprocess.run(  # noqa: S603 - the venv's own tool on our own files
        [str(command), "validate", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # A figure of a program that is not in the programs table breaks the foreign key.
    table = tmp_path / "cifras.csv"
    table.write_bytes(table.read_bytes().replace(f"\r\n{reported.pk},".encode(), b"\r\n999999,"))
    broken = subprocess.run(  # noqa: S603
        [str(command), "validate", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert broken.returncode != 0 and "foreign-key" in broken.stdout


def _soffice_to_xlsx(source: Path, work: Path, options: str = "") -> list[list]:
    """The rows LibreOffice reads from a CSV, converted to XLSX and read back with openpyxl.

    Without *options*, LibreOffice's defaults, as a file opened without choosing anything.
    """
    from openpyxl import load_workbook

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = work / "profile"
    target = "xlsx" if not options else "xlsx:Calc MS Excel 2007 XML"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if options:
        command += [f"--infilter=Text - txt - csv (StarCalc):{options}"]
    command += ["--convert-to", target, "--outdir", str(work / "out"), str(source)]
    subprocess.run(  # noqa: S603 - LibreOffice on our own file
        command,
        env={**os.environ, "HOME": str(work)},
        capture_output=True,
        timeout=300,
        check=True,
    )
    converted = work / "out" / (source.name.removesuffix(".csv") + ".xlsx")
    assert converted.exists(), sorted(p.name for p in (work / "out").iterdir())
    sheet = load_workbook(converted, read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    converted.unlink()
    return rows


def _download(client, tmp_path: Path, slug: str, fmt: str) -> Path:
    path = tmp_path / f"{slug}.{fmt}"
    path.write_bytes(body(client.get(reverse("portal:dataset", args=[slug, fmt]))))
    return path


def _check_accents(programs: list[list], states: list[list], exact) -> None:
    at = programs[0].index("entidad")
    assert {"Michoacán", "Nuevo León", "Yucatán"} <= {row[at] for row in programs[1:]}
    cells = [str(cell) for row in programs[1:] for cell in row if cell is not None]
    assert any("niñas" in cell for cell in cells)
    assert not any("Ã" in cell or "ï»¿" in cell for cell in cells)  # no mojibake
    names = {row[states[0].index("nombre")] for row in states[1:]}
    assert {"Chihuahua", "Michoacán", "Querétaro", "Yucatán"} <= names
    # Every title reads back as published (but for what a spreadsheet would run, kept as text).
    at = programs[0].index("titulo")
    read = {row[0]: row[at] for row in programs[1:]}
    for pk, title in Program.objects.published().values_list("pk", "title"):
        if not title.startswith(("=", "+", "-", "@")):
            assert read[pk] == exact(title), pk


def test_libreoffice_opens_the_csv_para_excel_with_its_accents_by_default(
    client, real_data, tmp_path
):
    from observatorio.published.opendata.renderers import EXCEL_SUBSTITUTES

    rows = {
        slug: _soffice_to_xlsx(_download(client, tmp_path, slug, "excel.csv"), tmp_path)
        for slug in ("programas", "entidades")
    }
    assert rows["programas"][0] == DATASETS["programas"].header
    _check_accents(rows["programas"], rows["entidades"], lambda t: t.translate(EXCEL_SUBSTITUTES))


def test_libreoffice_reads_the_utf8_csv_exactly_when_told_it_is_utf8(client, real_data, tmp_path):
    # 44 = comma, 34 = double quote, 76 = UTF-8: what its import dialog offers for this file.
    # (LibreOffice's default without a dialog is Windows-1252 whatever the byte-order mark
    # says; the CSV para Excel is for that.)
    rows = {
        slug: _soffice_to_xlsx(_download(client, tmp_path, slug, "csv"), tmp_path, "44,34,76,1")
        for slug in ("programas", "entidades")
    }
    assert rows["programas"][0] == DATASETS["programas"].header  # the mark is not in a header
    _check_accents(rows["programas"], rows["entidades"], lambda t: t)
