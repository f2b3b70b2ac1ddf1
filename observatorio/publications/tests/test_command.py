"""``observatorio publish_compendium``: the file appears whole or not at all, errors in Spanish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from observatorio.catalog.models import GcmObjective
from observatorio.programs.models import Program, ReportingCycle
from observatorio.publications.management.commands import publish_compendium


@pytest.fixture
def cycle(db):
    cycle = ReportingCycle.objects.create(
        edition=2032,
        name="Ciclo 2032",
        period_start=dt.date(2031, 7, 1),
        period_end=dt.date(2032, 6, 30),
    )
    Program.objects.create(
        cycle=cycle,
        section=Program.Section.FEDERAL,
        objective=GcmObjective.objects.get(number=3),
        number=1,
        title="Información en albergues y puntos de tránsito",
        actor="INM",
        description="Carteles y pláticas.",
        results="Se informó a 300 personas.",
        challenges="Ninguno.",
        status=Program.Status.PUBLISHED,
    )
    return cycle


def publish(*args):
    call_command("publish_compendium", *args)


def test_it_writes_the_docx_and_leaves_nothing_else(cycle, tmp_path, capsys):
    output = tmp_path / "compendio.docx"
    publish("--cycle", "2032", "--format", "docx", "--output", str(output))
    headings = [p.text for p in Document(str(output)).paragraphs if p.style.name == "Heading 3"]
    assert headings == ["1. Información en albergues y puntos de tránsito (INM)"]
    assert [p.name for p in tmp_path.iterdir()] == ["compendio.docx"]
    assert "Compendio 2032 (DOCX" in capsys.readouterr().out


def test_an_unknown_cycle_is_refused_in_spanish(cycle, tmp_path):
    output = tmp_path / "compendio.pdf"
    for edition in ("1999", "dos mil"):
        with pytest.raises(CommandError, match="No existe el ciclo de reporte") as error:
            publish("--cycle", edition, "--format", "pdf", "--output", str(output))
        assert error.value.returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_a_cycle_without_published_programs_is_refused(cycle, tmp_path):
    Program.objects.update(status=Program.Status.WITHDRAWN)
    with pytest.raises(CommandError, match="no tiene programas publicados"):
        publish("--cycle", "2032", "--format", "docx", "--output", str(tmp_path / "c.docx"))
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_format_is_refused(cycle, tmp_path):
    with pytest.raises(CommandError, match="Formato desconocido: «odt»"):
        publish("--cycle", "2032", "--format", "odt", "--output", str(tmp_path / "c.odt"))


def test_an_unwritable_path_is_refused_before_any_work(cycle, tmp_path, monkeypatch):
    def fail(*args):
        raise AssertionError("rendered although the path cannot be written")

    monkeypatch.setattr(publish_compendium, "render_compendium", fail)
    with pytest.raises(CommandError, match="No existe la carpeta"):
        publish("--cycle", "2032", "--format", "docx", "--output", str(tmp_path / "no" / "c.docx"))
    with pytest.raises(CommandError, match="es una carpeta"):
        publish("--cycle", "2032", "--format", "docx", "--output", str(tmp_path))


def test_a_failure_while_generating_leaves_the_previous_file_untouched(
    cycle, tmp_path, monkeypatch
):
    output = tmp_path / "compendio.docx"
    output.write_bytes(b"previous edition")

    def fail(cycle, fmt):
        raise RuntimeError("the renderer broke halfway")

    monkeypatch.setattr(publish_compendium, "render_compendium", fail)
    with pytest.raises(RuntimeError):
        publish("--cycle", "2032", "--format", "docx", "--output", str(output))
    assert output.read_bytes() == b"previous edition"
    assert [p.name for p in tmp_path.iterdir()] == ["compendio.docx"]
