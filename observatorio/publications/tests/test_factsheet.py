"""State factsheets: a state's programs by objective, missing objectives, practices, figures."""

from __future__ import annotations

import io
import subprocess
import tempfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from observatorio.catalog.models import GcmObjective, State
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program, ReportingCycle
from observatorio.publications.document import PublicationError
from observatorio.publications.factsheet import build_factsheet, render_factsheet

from .conftest import needs_poppler

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, check=True, text=True
        )
    return " ".join(out.stdout.split())


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(texts).split())


def _expected(state: State, cycle: ReportingCycle):
    programs = Program.objects.published().filter(cycle=cycle, state=state, section="estatal")
    covered = set(programs.values_list("objective__number", flat=True))
    missing = [o for o in GcmObjective.objects.order_by("number") if o.number not in covered]
    return list(programs), missing


def _fold(text: str) -> str:
    return " ".join(text.split())


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_factsheet_has_the_states_programs_missing_objectives_and_practices(real_data, db, fmt):
    cycle = ReportingCycle.objects.get(edition=2022)
    # The state with the most programs in the 2022 compendium.
    state = max(
        State.objects.all(),
        key=lambda s: Program.objects.published().filter(state=s, section="estatal").count(),
    )
    programs, missing = _expected(state, cycle)
    assert programs and missing
    data = render_factsheet(state, cycle, fmt)
    text = _pdf_text(data) if fmt == "pdf" else _docx_text(data)
    assert f"Ficha estatal: {state.name}" in text
    for program in programs:
        assert _fold(program.title) in text
    assert "Objetivos sin programas publicados" in text
    for objective in missing:
        assert _fold(f"Objetivo {objective.number}. {objective.title_es}") in text
    for practice in GoodPractice.objects.filter(state=state):
        assert _fold(practice.title) in text
    assert str(len(programs)) in text


def test_model_counts_and_qualifications(real_data, db):
    cycle = ReportingCycle.objects.get(edition=2022)
    state = GoodPractice.objects.order_by("state__inegi_code").first().state
    sheet = build_factsheet(state, cycle)
    programs, missing = _expected(state, cycle)
    assert sheet.program_count == len(programs)
    assert len(sheet.missing) == len(missing)
    assert len(sheet.objectives) + len(sheet.missing) == 23
    practices = list(GoodPractice.objects.filter(state=state).order_by("number"))
    assert [p.title for p in sheet.practices] == [" ".join(p.title.split()) for p in practices]
    assert [p.qualification for p in sheet.practices] == [
        str(p.qualification.label) for p in practices
    ]


@needs_poppler
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_state_without_programs_still_gets_a_factsheet_that_says_so(real_data, db, fmt):
    cycle = ReportingCycle.objects.get(edition=2022)
    state = next(
        s
        for s in State.objects.order_by("inegi_code")
        if not Program.objects.published().filter(state=s, cycle=cycle).exists()
    )
    data = render_factsheet(state, cycle, fmt)
    text = _pdf_text(data) if fmt == "pdf" else _docx_text(data)
    assert "La entidad no tiene programas publicados en el ciclo 2022" in text
    assert "Objetivo 23." in text and "Objetivo 1." in text


def test_unknown_format_is_refused(real_data, db):
    state = State.objects.get(inegi_code="14")
    with pytest.raises(PublicationError, match="Formato desconocido"):
        render_factsheet(state, ReportingCycle.objects.get(edition=2022), "odt")


def test_command_writes_a_factsheet_and_refuses_unknown_states(real_data, db, tmp_path):
    target = tmp_path / "jalisco.docx"
    out = io.StringIO()
    args = ["--cycle", "2022", "--format", "docx", "--output", str(target)]
    call_command("publish_compendium", *args, "--state", "14", stdout=out)
    assert "Ficha de Jalisco 2022" in out.getvalue()
    assert "Ficha estatal: Jalisco" in _docx_text(target.read_bytes())
    for code in ("99", "jal", "0"):
        with pytest.raises(CommandError, match="No existe la entidad federativa"):
            call_command("publish_compendium", *args, "--state", code, stdout=io.StringIO())
