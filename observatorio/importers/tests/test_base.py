"""The importers' shared skeleton, checked on both: refusals write nothing, in Spanish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from observatorio.importers.base import ImportRefused
from observatorio.importers.compendium.importing import import_compendium
from observatorio.importers.practices.importing import import_practices
from observatorio.practices.models import GoodPractice, PanoramaFigure
from observatorio.programs.models import Program, ReportingCycle

from .helpers import COMPENDIUM, STUDY, nothing_written, write

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Importer:
    run: Callable
    command: str
    document: Path
    other: Path  # another document, which it refuses
    refusal: str  # a word of that refusal
    truncated_share: float  # how much of the document a copy that is surely truncated keeps
    models: tuple  # what a commit writes (besides the provenance)
    records: str  # the parse's list of records
    count: int  # how many the whole document holds


IMPORTERS = [
    Importer(
        import_compendium,
        "import_compendium",
        COMPENDIUM,
        STUDY,
        "compendio",
        0.4,
        (Program, ReportingCycle),
        "programs",
        346,
    ),
    Importer(
        import_practices,
        "import_practices",
        STUDY,
        COMPENDIUM,
        "estudio",
        0.6,
        (GoodPractice, PanoramaFigure),
        "practices",
        44,
    ),
]


@pytest.fixture(params=IMPORTERS, ids=["compendium", "practices"])
def importer(request) -> Importer:
    return request.param


def test_a_dry_run_writes_nothing(importer):
    report = importer.run(importer.document)
    assert len(getattr(report.parse, importer.records)) == importer.count
    assert report.errors == []
    assert not report.committed
    assert nothing_written(*importer.models)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "está vacío"),
        ("   \n\n  \n", "está vacío"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "binario"),
        (b"\x00\x01PK binary", "binario"),
        (b"Compendio \xe9\xe9 latin-1", "UTF-8"),
    ],
)
def test_unreadable_files_are_refused_in_spanish_and_write_nothing(
    importer, tmp_path, content, message
):
    path = write(tmp_path, "entrada.txt", content)
    with pytest.raises(ImportRefused) as caught:
        importer.run(path, commit=True)
    assert message in str(caught.value)
    assert nothing_written(*importer.models)


def test_another_document_is_refused_and_writes_nothing(importer):
    with pytest.raises(ImportRefused) as caught:
        importer.run(importer.other, commit=True)
    assert importer.refusal in str(caught.value).lower()
    assert nothing_written(*importer.models)


def test_a_truncated_document_is_reported_and_writes_nothing(importer, tmp_path):
    lines = importer.document.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = lines[: int(len(lines) * importer.truncated_share)]
    path = write(tmp_path, "truncado.txt", "".join(kept))
    report = importer.run(path)
    assert report.errors, "a truncated document must be reported"
    with pytest.raises(ImportRefused):
        importer.run(path, commit=True)
    assert nothing_written(*importer.models)


def test_the_command_fails_with_a_spanish_message_on_an_empty_file(importer, tmp_path, capsys):
    path = write(tmp_path, "vacio.txt", "")
    with pytest.raises(CommandError, match="No se importó nada"):
        call_command(importer.command, str(path), commit=True)
    assert "está vacío" in capsys.readouterr().err
    assert nothing_written(*importer.models)


def test_the_command_reports_a_missing_file(importer, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command(importer.command, str(tmp_path / "no-existe.txt"))
    assert "No existe el archivo" in capsys.readouterr().err


def test_the_command_refuses_to_simulate_a_truncated_document(importer, tmp_path, capsys):
    text = importer.document.read_text(encoding="utf-8")
    path = write(tmp_path, "truncado.txt", text[: len(text) // 2])
    with pytest.raises(CommandError, match="--commit no escribiría nada"):
        call_command(importer.command, str(path))
    assert "ERROR: " in capsys.readouterr().out
