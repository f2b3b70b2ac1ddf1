"""Numbered, immutable open-data releases and their changelog.

``publish_release(by=None, note="")`` renders every open dataset of the portal
(``portal/opendata``: the same column definitions and renderers as ``/datos/``)
in every registered format (CSV, JSON, XLSX), adds a ``datapackage.json`` whose
resources point at the release's own CSV files, compares the programs with the
previous release's ``programas.json`` (its stored snapshot) and writes the release
and its files in one transaction. A release whose CSV files would be identical to
the previous release's is refused unless ``force``.

Each release also holds its **bundle** (:mod:`.bundle`): ``manifest.json`` and
``SHA256SUMS`` (the SHA-256 of every file) and ``datos.zip`` with every file and
both of them, so that one download carries the whole release and a way to check it.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from observatorio.lib.renderers import renderers_for
from observatorio.programs.models import Program
from observatorio.published.opendata.datasets import DATASETS, PROGRAMS, params_for
from observatorio.published.opendata.package import descriptor
from observatorio.published.opendata.renderers import DATASET
from observatorio.published.opendata.schema import Context, Table

from . import bundle
from .bundle import Rendered
from .models import Release, ReleaseFile

#: The program columns a correction is not about (the page address follows the site).
IGNORED_FIELDS = {"url"}
#: The English column names of the releases published before the columns were Spanish,
#: so that a release compares with such a snapshot column by column.
LEGACY_COLUMNS = {
    "cycle": "ciclo",
    "section": "parte",
    "objective": "objetivo",
    "objective_title": "objetivo_nombre",
    "number": "numero",
    "title": "titulo",
    "state_code": "entidad_clave",
    "state": "entidad",
    "institutions": "instituciones",
    "populations": "poblaciones",
    "description": "descripcion",
    "results": "resultados",
    "challenges": "retos",
    "challenges_none": "sin_retos",
    "has_quantitative_results": "con_resultados_cuantitativos",
    "start_date": "fecha_inicio",
    "end_date": "fecha_termino",
    "permanent": "permanente",
    "source_document": "fuente_documento",
    "source_first_line": "fuente_primera_linea",
    "source_last_line": "fuente_ultima_linea",
}
#: The file whose rows are the snapshot the next release compares with.
SNAPSHOT = f"{PROGRAMS.slug}.json"
DATAPACKAGE = "datapackage.json"


class NothingChanged(Exception):
    """The data are the same as in the latest release."""


class _SiteRequest:
    """What ``opendata.schema.Context`` needs from a request, for the configured public site."""

    def __init__(self, base: str):
        self.base = base.rstrip("/") + "/"

    def build_absolute_uri(self, location: str | None = None) -> str:
        return urljoin(self.base, location or "")


def site_url() -> str:
    """The public address written into released files (``OBSERVATORIO_PUBLIC_URL``)."""
    return getattr(settings, "PUBLIC_URL", "") or "http://127.0.0.1:8000/"


def file_path(number: int, name: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("publications:release-file", args=[number, name])


def _bytes(response) -> bytes:
    """The body of a streamed download.

    Not ``response.close()``: that sends ``request_finished``, whose handler closes
    the database connection when it is inside a transaction (as the release is).
    """
    try:
        return b"".join(response.streaming_content)
    finally:
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()


def render_files(number: int) -> list[Rendered]:
    """Every dataset in every format and the datapackage, as release *number* holds them."""
    request = _SiteRequest(site_url())
    context = Context(request)
    files = []
    with translation.override(settings.LANGUAGE_CODE):
        for dataset in DATASETS.values():
            for renderer in renderers_for(DATASET):
                name = f"{dataset.slug}.{renderer.format}"
                objects = dataset.objects(context, params_for(dataset, {}))
                table = Table(
                    dataset=dataset,
                    rows=dataset.rows(context, objects),
                    count=dataset.count(context, {}),
                    filename=dataset.slug,
                    url=request.build_absolute_uri(file_path(number, name)),
                )
                files.append(Rendered(name, renderer.content_type, _bytes(renderer.render(table))))
        package = descriptor(request.build_absolute_uri)
        package["version"] = str(number)
        for resource, dataset in zip(package["resources"], DATASETS.values(), strict=True):
            resource["path"] = f"{dataset.slug}.csv"  # relative: the package travels with them
        content = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        files.append(Rendered(DATAPACKAGE, "application/json", content))
    return files


def data_hash(files: list[Rendered]) -> str:
    """SHA-256 over the CSV files (the JSON and XLSX carry a date; the CSV only the data)."""
    names = {f"{dataset.slug}.csv" for dataset in DATASETS.values()}
    digest = hashlib.sha256()
    for item in sorted(files, key=lambda f: f.name):
        if item.name in names:
            digest.update(item.name.encode() + b"\0" + item.sha256.encode() + b"\n")
    return digest.hexdigest()


def programs_snapshot(content: bytes) -> dict[int, dict]:
    """The programs of a ``programas.json`` file by id, with today's column names."""
    rows = json.loads(content.decode("utf-8"))[PROGRAMS.name]
    return {row["id"]: {LEGACY_COLUMNS.get(k, k): v for k, v in row.items()} for row in rows}


def _summary(row: dict) -> dict:
    """What the release page says about a program (keys kept from the first releases)."""
    return {
        "id": row["id"],
        "cycle": row.get("ciclo"),
        "section": row.get("parte"),
        "objective": row.get("objetivo"),
        "number": row.get("numero"),
        "title": row.get("titulo"),
        "actor": row.get("actor"),
    }


def changelog(previous: dict[int, dict] | None, current: dict[int, dict]) -> dict:
    """Programs added, corrected (with the columns that changed) and withdrawn since *previous*.

    ``previous`` None: the first release, everything is new. Only the columns both
    snapshots have are compared: a column added to the data is not a correction.
    """
    previous = previous or {}
    added = [_summary(current[pk]) for pk in sorted(current.keys() - previous.keys())]
    withdrawn = [_summary(previous[pk]) for pk in sorted(previous.keys() - current.keys())]
    corrected = []
    for pk in sorted(current.keys() & previous.keys()):
        old, new = previous[pk], current[pk]
        fields = sorted(
            name
            for name in old.keys() & new.keys()
            if name not in IGNORED_FIELDS and old.get(name) != new.get(name)
        )
        if fields:
            corrected.append({**_summary(new), "fields": fields})
    return {"added": added, "corrected": corrected, "withdrawn": withdrawn}


def latest() -> Release | None:
    return Release.objects.order_by("-number").first()


def publish_release(*, by=None, note: str = "", force: bool = False) -> Release:
    """Render, compare and store the next release; raise :class:`NothingChanged` if the same."""
    previous = latest()
    number = (previous.number + 1) if previous else 1
    files = render_files(number)
    fingerprint = data_hash(files)
    if previous is not None and previous.data_hash == fingerprint and not force:
        raise NothingChanged(
            _(
                "Los datos no cambiaron desde la versión %(number)s: no se publica una versión "
                "nueva (use --force para publicarla de todos modos)."
            )
            % {"number": previous.number}
        )
    snapshot = next(f for f in files if f.name == SNAPSHOT)
    old = None
    if previous is not None:
        old = programs_snapshot(bytes(previous.files.get(name=SNAPSHOT).content))
    current = programs_snapshot(snapshot.content)
    changes = changelog(old, current)
    changes["previous"] = previous.number if previous else None
    changes["datasets_changed"] = _datasets_changed(previous, files)
    cycles = sorted(set(Program.objects.published().values_list("cycle__edition", flat=True)))
    created_at = timezone.now()
    files += bundle.files(
        files,
        {
            "release": number,
            "created_at": created_at.replace(microsecond=0).isoformat(),
            "site": site_url(),
            "cycles": cycles,
            "programs": len(current),
            "data_hash": fingerprint,
        },
        created_at,
    )
    try:
        with transaction.atomic():
            release = Release(
                number=number,
                created_at=created_at,
                created_by=by,
                note=note.strip(),
                cycles=cycles,
                programs=len(current),
                data_hash=fingerprint,
                changelog=changes,
            )
            release.save()
            for item in files:
                ReleaseFile(
                    release=release,
                    name=item.name,
                    media_type=item.media_type,
                    size=len(item.content),
                    sha256=item.sha256,
                    content=item.content,
                ).save()
    except IntegrityError as exc:
        raise NothingChanged(
            _("Otra persona publicó la versión %(number)s al mismo tiempo; intente de nuevo.")
            % {"number": number}
        ) from exc
    return release


def _datasets_changed(previous: Release | None, files: list[Rendered]) -> list[str]:
    """The datasets whose CSV differs from the previous release's (all of them in the first)."""
    names = [f"{dataset.slug}.csv" for dataset in DATASETS.values()]
    csv = {f.name: f.sha256 for f in files if f.name in names}
    before = {}
    if previous is not None:
        before = dict(previous.files.filter(name__in=names).values_list("name", "sha256"))
    return [name.removesuffix(".csv") for name in csv if before.get(name) != csv[name]]
