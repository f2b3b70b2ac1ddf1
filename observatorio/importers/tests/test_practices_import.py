"""Importing the good-practice study: dry run, commit, idempotency, bad input."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.management import call_command

from observatorio.importers.practices.importing import import_practices
from observatorio.practices.models import GoodPractice, Mark, PanoramaFigure, Qualification
from observatorio.published import version

from .helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_a_commit_imports_the_44_practices_in_12_states_with_provenance(practices_path):
    report = import_practices(practices_path, commit=True)
    assert report.created == 44
    states = Counter(GoodPractice.objects.values_list("state__name", flat=True))
    assert len(states) == 12
    assert states["Chihuahua"] == 8
    regions = Counter(GoodPractice.objects.values_list("region__name", flat=True))
    assert set(regions) == {"Norte", "Occidente", "Centro", "Sur-Sureste"}
    lines = practices_path.read_text(encoding="utf-8").splitlines()
    for practice in GoodPractice.objects.all():
        assert practice.source.slug == "buenas-practicas-oim-conofam"
        assert 1 <= practice.source_first_line <= practice.source_last_line <= len(lines)
        assert practice.state.regions.filter(pk=practice.region_id).exists()


def test_missing_marks_are_imported_as_unknown_never_as_passes(practices_path):
    report = import_practices(practices_path, commit=True)
    unknown_in_source = sum(
        value is None for p in report.parse.practices for value in p.criteria.values()
    )
    assert unknown_in_source > 0
    stored_unknown = sum(
        mark == Mark.UNKNOWN for p in GoodPractice.objects.all() for mark in p.marks().values()
    )
    assert stored_unknown == unknown_in_source


def test_qualification_is_computed_from_the_imported_marks(practices_path):
    import_practices(practices_path, commit=True)
    verdicts = Counter(p.qualification for p in GoodPractice.objects.all())
    # Every practice of the study meets at least 3 criteria, even with its unknown marks.
    assert verdicts == {Qualification.QUALIFIES: 44}


def test_panorama_figures_are_kept_as_printed_with_their_line(practices_path):
    report = import_practices(practices_path, commit=True)
    assert PanoramaFigure.objects.count() == len(report.parse.figures) > 0
    lines = practices_path.read_text(encoding="utf-8").splitlines()
    for figure in PanoramaFigure.objects.all()[:50]:
        printed = figure.value_as_printed
        assert printed in lines[figure.source_line - 1] or printed.split()[0] in " ".join(
            lines[figure.source_line - 2 : figure.source_line + 1]
        ), (figure, lines[figure.source_line - 1])
    assert PanoramaFigure.objects.exclude(flags=[]).exists()


def test_a_second_commit_changes_nothing(practices_path):
    import_practices(practices_path, commit=True)
    ids = set(PanoramaFigure.objects.values_list("id", flat=True))
    report = import_practices(practices_path, commit=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 44)
    assert GoodPractice.objects.count() == 44
    assert set(PanoramaFigure.objects.values_list("id", flat=True)) == ids


def test_a_commit_that_changes_the_data_gives_it_a_new_version(practices_path):
    import_practices(practices_path, commit=True)
    imported = version.current()
    import_practices(practices_path, commit=True)
    assert version.current() == imported  # nothing changed
    # Figures are replaced in bulk (no model signal): the import's own signal says so.
    PanoramaFigure.objects.filter(scope_kind=PanoramaFigure.ScopeKind.STATE)[:1].get().delete()
    assert version.current() == imported
    report = import_practices(practices_path, commit=True)
    assert (report.created, report.updated) == (0, 0)
    assert version.current() != imported


def test_the_command_prints_one_json_object_per_practice(practices_path, capsys):
    call_command("import_practices", str(practices_path), jsonl=True)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 44
    for row in rows:
        assert {"state", "number", "title", "criteria", "line"} <= row.keys()
        assert set(row["criteria"]) == {
            "sostenibilidad",
            "asociacion",
            "innovacion",
            "replicabilidad",
            "eficacia",
        }
        assert all(v in (True, False, None) for v in row["criteria"].values())
        assert "\n" not in row["title"]
    assert nothing_written(GoodPractice, PanoramaFigure)


def test_the_command_commits_and_reports(practices_path, capsys):
    call_command("import_practices", str(practices_path), commit=True)
    out = capsys.readouterr().out
    assert "Prácticas: 44 en 12 entidades" in out
    assert "Importado: 44 nuevas" in out
