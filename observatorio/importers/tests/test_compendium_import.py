"""Importing the compendium into the database: dry run, commit, idempotency, bad input."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.management import call_command

from observatorio.catalog.models import Institution
from observatorio.importers.base import ImportRefused
from observatorio.importers.compendium.importing import import_compendium, resolve_actor
from observatorio.programs.models import BlockStatus, Program, ReportingCycle
from observatorio.sources.models import ImportRun, SourceDocument

from .helpers import nothing_written, write

pytestmark = pytest.mark.django_db


def test_a_commit_imports_every_program_with_its_provenance(compendium_path):
    report = import_compendium(compendium_path, commit=True)
    assert report.created == 346
    assert Program.objects.federal().count() == 228
    assert Program.objects.state_level().count() == 118
    cycle = ReportingCycle.objects.get()
    assert cycle.edition == 2022
    assert (cycle.period_start.isoformat(), cycle.period_end.isoformat()) == (
        "2021-06-01",
        "2022-06-30",
    )
    lines = compendium_path.read_text(encoding="utf-8").splitlines()
    source = SourceDocument.objects.get()
    assert source.line_count == len(lines)
    for program in Program.objects.select_related("source"):
        assert program.source == source
        assert program.source_first_line <= program.source_last_line
        assert lines[program.source_first_line - 1].strip().startswith(f"{program.number}.")


def test_every_program_is_linked_to_institutions_or_a_state(compendium_path):
    import_compendium(compendium_path, commit=True)
    for program in Program.objects.prefetch_related("institutions"):
        if program.section == Program.Section.FEDERAL:
            assert program.institutions.exists(), program
            assert program.state is None, program
        else:
            assert program.state is not None, program


def test_joint_reporting_links_several_institutions(compendium_path):
    import_compendium(compendium_path, commit=True)
    joint = Program.objects.get(actor="STPS-SRE")
    assert sorted(i.acronym for i in joint.institutions.all()) == ["SRE", "STPS"]


def test_state_programs_are_linked_to_their_state(compendium_path):
    import_compendium(compendium_path, commit=True)
    states = Counter(Program.objects.state_level().values_list("state__name", flat=True))
    assert len(states) == 20
    assert states["Michoacán"] > 0
    office = Program.objects.state_level().exclude(institutions=None)
    for program in office:
        assert all(i.state_id == program.state_id for i in program.institutions.all())


def test_no_challenges_reported_is_kept_apart_from_a_missing_block(compendium_path):
    import_compendium(compendium_path, commit=True)
    statuses = Counter(Program.objects.values_list("challenges_status", flat=True))
    assert statuses[BlockStatus.NONE] > 0
    assert statuses[BlockStatus.REPORTED] > 300
    for program in Program.objects.filter(challenges_status=BlockStatus.NONE):
        assert program.challenges_none


def test_a_second_commit_updates_nothing_and_never_duplicates(compendium_path):
    import_compendium(compendium_path, commit=True)
    report = import_compendium(compendium_path, commit=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 346)
    assert Program.objects.count() == 346
    assert ImportRun.objects.count() == 2


def test_a_corrected_document_updates_only_the_corrected_program(compendium_path, tmp_path):
    import_compendium(compendium_path, commit=True)
    text = compendium_path.read_text(encoding="utf-8")
    target = Program.objects.federal().get(objective__number=1, number=1)
    corrected = text.replace(
        "Elaborar estudios, diagnósticos", "Elaborar estudios y diagnósticos", 1
    )
    assert corrected != text
    path = tmp_path / "compendio-corregido.txt"
    path.write_text(corrected, encoding="utf-8")
    report = import_compendium(path, commit=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 345)
    target.refresh_from_db()
    assert target.title.startswith("Elaborar estudios y diagnósticos")
    assert Program.objects.count() == 346


def test_an_actor_missing_from_the_catalogue_is_reported_and_writes_nothing(
    compendium_path, tmp_path
):
    text = compendium_path.read_text(encoding="utf-8")
    assert "(UPMRIP-SEGOB)" in text
    path = write(tmp_path, "actor.txt", text.replace("(UPMRIP-SEGOB)", "(Secretaría Inventada)", 1))
    report = import_compendium(path)
    assert any("Secretaría Inventada" in e for e in report.errors)
    with pytest.raises(ImportRefused) as caught:
        import_compendium(path, commit=True)
    assert "no corresponde a ninguna institución" in str(caught.value)
    assert nothing_written(Program, ReportingCycle)


def test_an_actor_added_in_the_admin_then_resolves(compendium_path, tmp_path):
    text = compendium_path.read_text(encoding="utf-8")
    path = write(tmp_path, "actor.txt", text.replace("(UPMRIP-SEGOB)", "(Secretaría Inventada)", 1))
    institution = Institution.objects.create(
        acronym="SI", name="Secretaría Inventada", type="dependencia", order="federal"
    )
    institution.aliases.create(text="Secretaría Inventada")
    report = import_compendium(path, commit=True)
    assert report.created == 346


def test_the_command_prints_a_summary_by_part_and_objective(compendium_path, capsys):
    call_command("import_compendium", str(compendium_path))
    out = capsys.readouterr().out
    assert "Parte federal: 228 programas" in out
    assert "Parte estatal: 118 programas" in out
    assert "O11:0 O12:0 O13:0" in out
    assert "no se escribió nada" in out
    assert nothing_written(Program, ReportingCycle)


def test_the_command_prints_one_json_object_per_program(compendium_path, capsys):
    call_command("import_compendium", str(compendium_path), jsonl=True)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 346
    keys = {"section", "objective", "number", "title", "actor", "line", "challenges_none"}
    assert all(keys <= row.keys() for row in rows)
    first = rows[0]
    assert (first["section"], first["objective"], first["number"]) == ("federal", 1, 1)
    assert first["actor"] == "UPMRIP-SEGOB"
    assert "(" not in first["title"] and not first["title"][0].isdigit()


def test_the_command_commits_and_says_what_it_did(compendium_path, capsys):
    call_command("import_compendium", str(compendium_path), commit=True)
    assert "Importado: 346 nuevos, 0 actualizados, 0 sin cambios." in capsys.readouterr().out
    call_command("import_compendium", str(compendium_path), commit=True)
    assert "Importado: 0 nuevos, 0 actualizados, 346 sin cambios." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("actor", "acronyms", "state"),
    [
        ("STPS-SRE", ["STPS", "SRE"], None),
        ("SRE-INM", ["SRE", "INM"], None),
        ("UPMRIP-SEGOB-SRE", ["UPMRIP", "SRE"], None),
        ("UPMRIP- SEGOB", ["UPMRIP"], None),
        ("SNE- STPS", ["SNE"], None),
        ("Michoacán de Ocampo", [], "16"),
        ("ESTADO DE MÉXICO", [], "15"),
        (
            "Despacho de la Gobernadora, Dirección de Atención a Migrantes del Estado de Tlaxcala",
            ["DAM-TLAX"],
            "29",
        ),
    ],
)
def test_actors_resolve_to_institutions_and_states(actor, acronyms, state):
    resolution = resolve_actor(actor)
    assert resolution.problem == ""
    assert [i.acronym for i in resolution.institutions] == acronyms
    assert (resolution.state.inegi_code if resolution.state else None) == state


def test_a_joint_actor_with_an_unknown_part_does_not_resolve():
    assert "no corresponde" in resolve_actor("STPS-XYZ").problem
