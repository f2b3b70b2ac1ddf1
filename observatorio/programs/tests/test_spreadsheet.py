"""The homogeneous report as a spreadsheet: download the template, fill it, upload it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from observatorio.catalog.models import Institution, State
from observatorio.programs import spreadsheet
from observatorio.programs.models import BlockStatus, Program, ReportingCycle, Revision
from observatorio.programs.spreadsheet import RowError

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Writer alone (enough for the DOCX checks) cannot open spreadsheets: look for Calc's library.
HAVE_CALC = SOFFICE is not None and any(
    (Path(SOFFICE).resolve().parent / name).exists() for name in ("libsclo.so", "libsclo.dylib")
)
TEMPLATE_URL = reverse("spreadsheet:template")
UPLOAD_URL = reverse("spreadsheet:upload")

STATE_HEADER = [
    "Título",
    "Objetivo principal",
    "Objetivos secundarios",
    "Entidad federativa",
    "Grupos de población",
    "Descripción",
    "Resultados",
    "Retos",
    "Sin retos",
    "Fecha de inicio",
    "Fecha de término",
    "Permanente",
    "Presupuesto (MXN)",
    "Situación",
    "Enlaces",
]

GOOD_ROW = {
    "Título": "Ventanilla  de atención a personas migrantes",
    "Objetivo principal": "7. Vulnerabilidades",
    "Objetivos secundarios": "15, 16",
    "Grupos de población": "Personas migrantes en tránsito; mujeres migrantes",
    "Descripción": "Orientación jurídica y canalización a servicios de salud.",
    "Resultados": "Se atendió a 1,200 personas.",
    "Retos": "Falta de personal.",
    "Sin retos": "No",
    "Fecha de inicio": dt.date(2022, 8, 1),
    "Fecha de término": dt.date(2023, 6, 30),
    "Permanente": "No",
    "Presupuesto (MXN)": 150000.5,
    "Situación": "Vigente",
    "Enlaces": "https://jalisco.gob.mx/migrantes https://example.org/informe.pdf",
}


@pytest.fixture
def cycle(open_cycle):
    """The open 2023 cycle of the programs tests' conftest."""
    return open_cycle


@pytest.fixture
def closed_cycle(db):
    today = timezone.localdate()
    return ReportingCycle.objects.create(
        edition=2021,
        name="Ciclo 2021",
        period_start=dt.date(2020, 7, 1),
        period_end=dt.date(2021, 6, 30),
        opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=300),
    )


def download(client, user, cycle) -> bytes:
    client.force_login(user)
    response = client.get(TEMPLATE_URL, {"ciclo": cycle.edition})
    assert response.status_code == 200, response.content[:500]
    return response.content


def fill(template: bytes, rows: list[dict]) -> bytes:
    """Write *rows* (header -> value) into the template's «Reportes» sheet from row 2."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Reportes"]
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for offset, row in enumerate(rows):
        for header, value in row.items():
            sheet.cell(row=2 + offset, column=columns[header], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def post(client, cycle, data: bytes, name: str = "reportes.xlsx"):
    upload = SimpleUploadedFile(name, data, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    return client.post(f"{UPLOAD_URL}?ciclo={cycle.edition}", {"file": upload})


def upload_rows(client, user, cycle, rows):
    return post(client, cycle, fill(download(client, user, cycle), rows))


def xlsx(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the template ------------------------------------------------------------


def test_the_template_has_the_report_sheet_its_catalogues_and_instructions(client, cast, cycle):
    data = download(client, cast("enlace_jalisco"), cycle)

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "Reportes",
        "Cifras",
        "Instrucciones",
        "Listas",
        "Objetivos",
        "Entidades",
        "Instituciones",
        "Poblaciones",
    ]
    reports = workbook["Reportes"]
    assert [c.value for c in reports[1]] == STATE_HEADER
    assert reports.freeze_panes == "A2"
    assert reports.column_dimensions["F"].width == 60
    assert workbook["Entidades"].max_row == 33
    assert workbook["Objetivos"]["A8"].value == "7. Vulnerabilidades"
    instructions = "\n".join(str(c.value) for c in workbook["Instrucciones"]["A"] if c.value)
    assert "Ciclo 2023 (julio 2022 – junio 2023)" in instructions
    assert "Reporta: Jalisco (parte estatal)." in instructions


def test_the_template_offers_pick_lists_from_the_catalogue_sheets(client, cast, cycle):
    data = download(client, cast("enlace_jalisco"), cycle)

    reports = openpyxl.load_workbook(io.BytesIO(data))["Reportes"]
    lists = {
        str(v.sqref): v.formula1
        for v in reports.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists == {
        "B2:B1001": "Objetivos!$A$2:$A$24",
        "D2:D1001": "Entidades!$A$2:$A$33",
        "I2:I1001": '"Sí,No"',
        "L2:L1001": '"Sí,No"',
        "N2:N1001": '"Vigente,Concluido,Suspendido"',
    }
    kinds = {str(v.sqref): v.type for v in reports.data_validations.dataValidation}
    assert kinds["J2:J1001"] == kinds["K2:K1001"] == "date"
    # The budget is read as the form reads it ("$1,500,000.50", "1 500 000"): no numeric type
    # that would refuse such text in the spreadsheet program, only the prompt.
    assert kinds["M2:M1001"] is None


def test_an_enlace_gets_their_state_already_filled_in(client, cast, cycle):
    data = download(client, cast("enlace_jalisco"), cycle)

    reports = openpyxl.load_workbook(io.BytesIO(data))["Reportes"]
    assert reports["D2"].value == reports["D101"].value == "Jalisco"
    assert reports["A2"].value is None


def test_a_reporter_gets_an_institution_column_with_their_institution(client, cast, cycle):
    client.force_login(cast("reporter_sre"))
    response = client.get(TEMPLATE_URL, {"ciclo": cycle.edition})

    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    assert 'filename="plantilla-reportes-2023-sre.xlsx"' in response["Content-Disposition"]
    reports = openpyxl.load_workbook(io.BytesIO(response.content))["Reportes"]
    header = [c.value for c in reports[1]]
    assert "Institución" in header and "Entidad federativa" not in header
    assert reports.cell(row=2, column=header.index("Institución") + 1).value == "SRE"
    lists = [v.formula1 for v in reports.data_validations.dataValidation if v.type == "list"]
    assert any(f.startswith("Instituciones!$A$2") for f in lists)


def resave_in_libreoffice(data: bytes, tmp_path) -> bytes:
    """Open *data* in headless LibreOffice and save it again as XLSX."""
    source = tmp_path / "plantilla.xlsx"
    source.write_bytes(data)
    completed = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'perfil'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "salida"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return (tmp_path / "salida" / "plantilla.xlsx").read_bytes()


WITH_LIBREOFFICE = pytest.mark.skipif(
    not HAVE_CALC,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui); "
    "the headless conversion check is skipped",
)


@WITH_LIBREOFFICE
def test_the_template_opens_cleanly_in_libreoffice(client, cast, cycle, tmp_path):
    data = resave_in_libreoffice(download(client, cast("enlace_jalisco"), cycle), tmp_path)

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:3] == ["Reportes", "Cifras", "Instrucciones"]
    figures = workbook["Cifras"]
    assert len([v for v in figures.data_validations.dataValidation if v.type == "list"]) == 4
    reports = workbook["Reportes"]
    assert [c.value for c in reports[1]] == STATE_HEADER
    assert reports["D2"].value == "Jalisco"
    lists = [v for v in reports.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 5


@WITH_LIBREOFFICE
def test_a_template_filled_and_saved_by_libreoffice_uploads(client, cast, cycle, tmp_path):
    enlace = cast("enlace_jalisco")
    data = resave_in_libreoffice(fill(download(client, enlace, cycle), [GOOD_ROW]), tmp_path)

    response = post(client, cycle, data)

    assert response.status_code == 302
    program = Program.objects.get(cycle=cycle)
    assert (program.start_date, program.budget) == (dt.date(2022, 8, 1), Decimal("150000.50"))


# --- uploading a good file ---------------------------------------------------


def test_a_filled_template_creates_drafts_with_the_right_fields(client, cast, cycle):
    enlace = cast("enlace_jalisco")
    second = {
        "Título": "Jornadas de documentación",
        "Objetivo principal": 4,
        "Descripción": "Expedición de actas de nacimiento.",
        "Sin retos": "Sí",
        "Permanente": "Sí",
        "Fecha de inicio": "15/01/2020",
        "Situación": "concluido",
    }

    response = upload_rows(client, enlace, cycle, [GOOD_ROW, second])

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:list')}?ciclo=2023"
    first, other = Program.objects.filter(cycle=cycle).order_by("id")
    assert first.title == "Ventanilla de atención a personas migrantes"
    assert first.status == Program.Status.DRAFT
    assert first.section == Program.Section.STATE
    assert first.state == State.objects.get(inegi_code="14")
    assert first.created_by == enlace
    assert first.objective.number == 7
    assert sorted(o.number for o in first.secondary_objectives.all()) == [15, 16]
    assert sorted(p.code for p in first.populations.all()) == ["mujeres_migrantes", "transito"]
    assert first.description == "Orientación jurídica y canalización a servicios de salud."
    assert first.results == "Se atendió a 1,200 personas."
    assert (first.challenges, first.challenges_status) == ("Falta de personal.", "reportado")
    assert (first.start_date, first.end_date) == (dt.date(2022, 8, 1), dt.date(2023, 6, 30))
    assert first.permanent is False
    assert first.budget == Decimal("150000.50")
    assert first.execution == Program.Execution.ACTIVE
    assert first.links == ["https://jalisco.gob.mx/migrantes", "https://example.org/informe.pdf"]
    assert not first.institutions.exists()
    assert other.objective.number == 4
    assert other.challenges_status == BlockStatus.NONE
    assert other.permanent is True and other.end_date is None
    assert other.start_date == dt.date(2020, 1, 15)
    assert other.execution == Program.Execution.CONCLUDED
    assert other.budget is None
    revisions = Revision.objects.filter(program__in=[first, other])
    assert [(r.number, r.note, r.author) for r in revisions] == [
        (1, "importado de hoja de cálculo", enlace)
    ] * 2
    assert first.revisions.get().data["populations"] == [
        "Mujeres migrantes",
        "Personas migrantes en tránsito",
    ]


def test_the_success_message_counts_the_drafts(client, cast, cycle):
    response = upload_rows(client, cast("enlace_jalisco"), cycle, [GOOD_ROW])

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Se creó 1 borrador desde la hoja de cálculo."]


def test_a_reporter_upload_creates_federal_drafts_of_their_institution(client, cast, cycle):
    reporter = cast("reporter_sre")
    row = {k: v for k, v in GOOD_ROW.items()}

    response = upload_rows(client, reporter, cycle, [row])

    assert response.status_code == 302
    program = Program.objects.get(cycle=cycle)
    assert program.section == Program.Section.FEDERAL
    assert program.state is None
    assert [i.acronym for i in program.institutions.all()] == ["SRE"]


def test_rows_left_with_only_the_prefilled_state_are_ignored(client, cast, cycle):
    response = upload_rows(client, cast("enlace_jalisco"), cycle, [GOOD_ROW])

    assert response.status_code == 302
    assert Program.objects.filter(cycle=cycle).count() == 1


def test_a_blank_state_cell_means_the_enlaces_own_state(client, cast, cycle):
    row = dict(GOOD_ROW, **{"Entidad federativa": None})

    response = upload_rows(client, cast("enlace_jalisco"), cycle, [row])

    assert response.status_code == 302
    assert Program.objects.get(cycle=cycle).state.name == "Jalisco"


def test_uploading_the_same_file_twice_does_not_duplicate_the_reports(client, cast, cycle):
    enlace = cast("enlace_jalisco")
    data = fill(download(client, enlace, cycle), [GOOD_ROW])
    assert post(client, cycle, data).status_code == 302
    existing = Program.objects.get(cycle=cycle)

    response = post(client, cycle, data)

    assert response.status_code == 200
    assert response.context["row_errors"] == [
        RowError(
            2,
            "Título",
            f"Ya existe un reporte con este título y objetivo en el ciclo "
            f"(reporte n.º {existing.pk}).",
        )
    ]
    assert Program.objects.count() == 1


def test_a_row_repeated_in_the_file_is_an_error(client, cast, cycle):
    response = upload_rows(client, cast("enlace_jalisco"), cycle, [GOOD_ROW, GOOD_ROW])

    assert response.context["row_errors"] == [
        RowError(3, "Título", "Repite el reporte de la fila 2 (mismo título y objetivo).")
    ]
    assert not Program.objects.exists()


# --- bad rows: every error, row by row, and nothing written --------------------

BAD_CELLS = [
    ("Título", "", "Este dato es obligatorio."),
    ("Título", "x" * 501, "El texto admite hasta 500 caracteres y tiene 501."),
    ("Objetivo principal", None, "Este dato es obligatorio."),
    (
        "Objetivo principal",
        "30. Inventado",
        "«30. Inventado» no es un objetivo del Pacto Mundial; elija uno del 1 al 23.",
    ),
    ("Objetivos secundarios", "2, 99", "«99» no es un número de objetivo del 1 al 23."),
    (
        "Objetivos secundarios",
        "7",
        "El objetivo principal no se repite entre los secundarios.",
    ),
    ("Descripción", "   ", "Este dato es obligatorio."),
    ("Descripción", "a" * 20_001, "El texto admite hasta 20000 caracteres y tiene 20001."),
    (
        "Entidad federativa",
        "Narnia",
        "«Narnia» no es una entidad federativa del catálogo.",
    ),
    (
        "Grupos de población",
        "Mujeres migrantes; Marcianos",
        "«Marcianos» no es un grupo de población del catálogo (hoja «Poblaciones»).",
    ),
    (
        "Fecha de inicio",
        "pronto",
        "«pronto» no es una fecha; escriba una fecha con formato dd/mm/aaaa.",
    ),
    (
        "Fecha de término",
        dt.date(2022, 7, 31),
        "La fecha de término es anterior a la de inicio.",
    ),
    (
        "Presupuesto (MXN)",
        "mucho",
        "«mucho» no es un monto; escríbalo en pesos, por ejemplo 1,500,000.50.",
    ),
    ("Presupuesto (MXN)", -5, "El presupuesto no puede ser negativo."),
    (
        "Sin retos",
        "Quizá",
        "«Quizá» no es una respuesta válida; escriba «Sí» o «No».",
    ),
    (
        "Situación",
        "En pausa",
        "«En pausa» no es una situación válida; escriba «Vigente», «Concluido», «Suspendido».",
    ),
    (
        "Enlaces",
        "https://ok.example.org www.sin-esquema",
        "«www.sin-esquema» no es una dirección web válida (https://…).",
    ),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_CELLS)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(
    client, cast, cycle, column, value, message
):
    good = dict(GOOD_ROW, **{"Título": "Otro programa"})
    bad = dict(GOOD_ROW, **{column: value})

    response = upload_rows(client, cast("enlace_jalisco"), cycle, [good, bad])

    assert response.status_code == 200
    assert response.context["row_errors"] == [RowError(3, column, message)]
    assert not Program.objects.exists()
    assert not Revision.objects.exists()


def test_every_error_of_every_row_is_collected(client, cast, cycle):
    rows = [
        dict(GOOD_ROW, **{"Título": None, "Presupuesto (MXN)": -1}),
        dict(GOOD_ROW, **{"Título": "B", "Fecha de inicio": "ayer"}),
    ]

    response = upload_rows(client, cast("enlace_jalisco"), cycle, rows)

    assert response.context["row_errors"] == [
        RowError(2, "Título", "Este dato es obligatorio."),
        RowError(2, "Presupuesto (MXN)", "El presupuesto no puede ser negativo."),
        RowError(
            3,
            "Fecha de inicio",
            "«ayer» no es una fecha; escriba una fecha con formato dd/mm/aaaa.",
        ),
    ]
    assert not Program.objects.exists()


def test_it_refuses_a_row_for_another_state(client, cast, cycle):
    rows = [GOOD_ROW, dict(GOOD_ROW, **{"Título": "Albergue", "Entidad federativa": "CHIAPAS"})]

    response = upload_rows(client, cast("enlace_jalisco"), cycle, rows)

    assert response.status_code == 200
    assert response.context["row_errors"] == [
        RowError(
            3,
            "Entidad federativa",
            "Solo puede reportar programas de su propia entidad federativa.",
        )
    ]
    assert not Program.objects.exists()


def test_it_refuses_a_row_for_another_institution(client, cast, cycle):
    reporter = cast("reporter_sre")
    rows = [GOOD_ROW, dict(GOOD_ROW, **{"Título": "Becas", "Institución": "INM"})]

    response = upload_rows(client, reporter, cycle, rows)

    assert response.context["row_errors"] == [
        # The policy's own message, as the report form gives it (the row goes through it).
        RowError(3, "Institución", "Incluya a su propia institución entre las que reportan.")
    ]
    assert not Program.objects.exists()


def test_the_upload_page_shows_the_errors_as_a_table(client, cast, cycle):
    bad = dict(GOOD_ROW, **{"Presupuesto (MXN)": -5})

    response = upload_rows(client, cast("enlace_jalisco"), cycle, [bad])

    page = response.content.decode()
    assert '<th scope="col">Fila</th>' in page
    assert '<th scope="col">Columna</th>' in page
    assert "<td>Presupuesto (MXN)</td><td>El presupuesto no puede ser negativo.</td>" in page
    assert "no se guardó ningún reporte" in page


# --- files refused as a whole ---------------------------------------------------


def _header_without(*names):
    def build(workbook):
        sheet = workbook.active
        sheet.title = "Reportes"
        sheet.append([h for h in STATE_HEADER if h not in names])
        sheet.append(["Programa"] * (len(STATE_HEADER) - len(names)))

    return build


def _encrypted_office_file() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE2 compound file whose
    directory names the EncryptionInfo and EncryptedPackage streams (trimmed to the parts
    the upload looks at)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    return header + directory + b"\x00" * 1024


def _truncated_xlsx(client, user, cycle) -> bytes:
    data = fill(download(client, user, cycle), [GOOD_ROW])
    return data[: len(data) // 2]


def _not_a_workbook_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


NOT_XLSX = (
    "El archivo no es una hoja de cálculo XLSX. Descargue la plantilla, llénela y guárdela "
    "como libro de Excel (.xlsx)."
)
CORRUPT = "El archivo XLSX está dañado y no se pudo leer. Ábralo y guárdelo de nuevo."


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("renamed-pdf.xlsx", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n", NOT_XLSX),
        ("reportes.csv", lambda: "Título,Objetivo\nUno,7\n".encode(), NOT_XLSX),
        ("binary.xlsx", lambda: bytes(range(256)) * 8, NOT_XLSX),
        ("document.xlsx", _not_a_workbook_zip, NOT_XLSX),
        (
            "protegido.xlsx",
            _encrypted_office_file,
            "El archivo está protegido con contraseña. Quite la contraseña, guárdelo como "
            ".xlsx y súbalo de nuevo.",
        ),
        (
            "antiguo.xls",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048,
            "El archivo es un libro de Excel 97-2003 (.xls) u otro documento antiguo de Office. "
            "Guárdelo como libro de Excel (.xlsx).",
        ),
        ("vacio.xlsx", lambda: b"", "El archivo está vacío."),
        (
            "hoja-vacia.xlsx",
            lambda: xlsx(lambda wb: setattr(wb.active, "title", "Reportes")),
            "La hoja «Reportes» está vacía.",
        ),
        (
            "solo-encabezado.xlsx",
            lambda: xlsx(
                lambda wb: (setattr(wb.active, "title", "Reportes"), wb.active.append(STATE_HEADER))
            ),
            "La hoja «Reportes» no tiene ningún reporte debajo del encabezado.",
        ),
        (
            "sin-hoja.xlsx",
            lambda: xlsx(lambda wb: (wb.create_sheet("Datos"), wb.create_sheet("Otra"))),
            "El archivo no tiene la hoja «Reportes» de la plantilla.",
        ),
        (
            "encabezado.xlsx",
            lambda: xlsx(_header_without("Descripción", "Retos")),
            "El encabezado no coincide con la plantilla. Faltan las columnas: Descripción, "
            "Retos. Descargue la plantilla y copie sus filas en ella.",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_template_is_refused(client, cast, cycle, name, make, message):
    client.force_login(cast("enlace_jalisco"))

    response = post(client, cycle, make(), name=name)

    assert response.status_code == 200
    assert response.context["file_errors"] == [RowError(None, "", message)]
    assert message in response.content.decode()
    assert not Program.objects.exists()


def test_a_corrupt_xlsx_is_refused(client, cast, cycle):
    enlace = cast("enlace_jalisco")
    data = _truncated_xlsx(client, enlace, cycle)

    response = post(client, cycle, data)

    assert response.context["file_errors"] == [RowError(None, "", CORRUPT)]
    assert not Program.objects.exists()


def test_a_file_over_five_megabytes_is_refused(client, cast, cycle):
    client.force_login(cast("enlace_jalisco"))

    response = post(client, cycle, b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024))

    assert response.context["file_errors"] == [
        RowError(None, "", "El archivo pesa 5.0 MB; el máximo es 5 MB.")
    ]
    assert not Program.objects.exists()


def test_more_than_a_thousand_rows_are_refused(client, cast, cycle):
    rows = [dict(GOOD_ROW, **{"Título": f"Programa {n}"}) for n in range(1001)]

    response = upload_rows(client, cast("enlace_jalisco"), cycle, rows)

    assert response.context["file_errors"] == [
        RowError(
            None,
            "",
            "La hoja tiene más de 1000 reportes; divídala en varios archivos de hasta 1000 filas.",
        )
    ]
    assert not Program.objects.exists()


def test_a_thousand_rows_are_accepted(client, cast, cycle):
    rows = [dict(GOOD_ROW, **{"Título": f"Programa {n}"}) for n in range(1000)]

    response = upload_rows(client, cast("enlace_jalisco"), cycle, rows)

    assert response.status_code == 302
    assert Program.objects.filter(cycle=cycle).count() == 1000


def test_the_whole_upload_is_rolled_back_when_one_draft_fails(cast, cycle, monkeypatch):
    enlace = cast("enlace_jalisco")
    template = spreadsheet.build_template(enlace, cycle)
    rows = [GOOD_ROW, dict(GOOD_ROW, **{"Título": "Segundo"})]
    result = spreadsheet.read_upload(io.BytesIO(fill(template, rows)), enlace, cycle)
    assert result.ok and len(result.rows) == 2
    original = Revision.snapshot
    calls = []

    def failing_snapshot(program):
        # The second draft's first revision fails, after both drafts were written.
        calls.append(program)
        if len(calls) == 2:
            raise RuntimeError("disco lleno")
        return original(program)

    monkeypatch.setattr(Revision, "snapshot", staticmethod(failing_snapshot))

    with pytest.raises(RuntimeError):
        spreadsheet.commit(result, enlace, cycle)

    assert not Program.objects.exists()


def test_an_invalid_result_cannot_be_committed(cast, cycle):
    enlace = cast("enlace_jalisco")
    result = spreadsheet.UploadResult(errors=[RowError(2, "Título", "Este dato es obligatorio.")])

    with pytest.raises(ValueError):
        spreadsheet.commit(result, enlace, cycle)


# --- who may use it ------------------------------------------------------------


def test_a_reviewer_without_a_reporting_scope_is_refused(client, cast, cycle):
    reviewer = cast("reviewer")
    client.force_login(reviewer)

    for response in (
        client.get(TEMPLATE_URL, {"ciclo": cycle.edition}),
        client.get(UPLOAD_URL, {"ciclo": cycle.edition}),
        post(client, cycle, b"PK"),
    ):
        assert response.status_code == 403
    result = spreadsheet.read_upload(io.BytesIO(b"PK"), reviewer, cycle)
    assert result.errors == [
        RowError(None, "", "Su cuenta no reporta por ninguna entidad ni institución.")
    ]
    assert not Program.objects.exists()


def test_anonymous_users_are_redirected_to_log_in(client, cycle):
    login = reverse("accounts:login")

    for url in (TEMPLATE_URL, UPLOAD_URL):
        response = client.get(url, {"ciclo": cycle.edition})
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
    response = client.post(f"{UPLOAD_URL}?ciclo={cycle.edition}", {})
    assert response.status_code == 302
    assert not Program.objects.exists()


def test_a_closed_cycle_is_refused(client, cast, cycle, closed_cycle):
    enlace = cast("enlace_jalisco")
    data = fill(spreadsheet.build_template(enlace, cycle), [GOOD_ROW])
    client.force_login(enlace)

    assert client.get(TEMPLATE_URL, {"ciclo": closed_cycle.edition}).status_code == 403
    assert client.get(UPLOAD_URL, {"ciclo": closed_cycle.edition}).status_code == 403
    assert post(client, closed_cycle, data).status_code == 403
    result = spreadsheet.read_upload(io.BytesIO(data), enlace, closed_cycle)
    assert result.errors == [
        RowError(None, "", "El ciclo «Ciclo 2021» no está abierto a reportes.")
    ]
    assert not Program.objects.exists()


def test_an_unknown_cycle_is_not_found(client, cast, cycle):
    client.force_login(cast("enlace_jalisco"))

    assert client.get(UPLOAD_URL, {"ciclo": "1999"}).status_code == 404
    assert client.get(TEMPLATE_URL, {"ciclo": "dos mil"}).status_code == 404


def test_the_upload_page_links_to_the_template_of_the_cycle(client, cast, cycle):
    client.force_login(cast("enlace_jalisco"))

    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    assert response.context["cycle"] == cycle
    page = response.content.decode()
    assert f'href="{TEMPLATE_URL}?ciclo=2023"' in page
    assert 'enctype="multipart/form-data"' in page


def test_catalogue_names_match_without_accents_or_case(cast, cycle):
    enlace = cast("enlace_jalisco")
    row = dict(
        GOOD_ROW,
        **{
            "Entidad federativa": "JALISCO",
            "Grupos de población": "PERSONAS MIGRANTES EN TRANSITO",
            "Situación": "SUSPENDIDO",
            "Sin retos": "si",
            "Retos": None,
        },
    )
    data = fill(spreadsheet.build_template(enlace, cycle), [row])

    result = spreadsheet.read_upload(io.BytesIO(data), enlace, cycle)

    assert result.errors == []
    (parsed,) = result.rows
    assert parsed.state == State.objects.get(inegi_code="14")
    assert [p.code for p in parsed.populations] == ["transito"]
    assert parsed.execution == Program.Execution.SUSPENDED
    assert parsed.no_challenges is True


def test_an_institution_is_found_by_its_acronym_in_any_case(cast, cycle):
    reporter = cast("reporter_sre")
    data = fill(spreadsheet.build_template(reporter, cycle), [dict(GOOD_ROW, Institución="sre")])

    result = spreadsheet.read_upload(io.BytesIO(data), reporter, cycle)

    assert result.errors == []
    assert result.rows[0].institution == Institution.objects.get(acronym="SRE")
