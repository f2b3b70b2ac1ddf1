"""Open-data releases: numbered, immutable snapshots of every open dataset.

A :class:`Release` and its :class:`ReleaseFile` rows are written together, in
one transaction, by :func:`observatorio.publications.releases.publish_release`;
from then on they never change. ``save()`` refuses to update, ``delete()``
refuses always, the querysets refuse ``update()`` and ``delete()``, the admin is
read-only, and database triggers (migration 0002) refuse ``UPDATE`` and
``DELETE`` on both tables from any other client.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.lib.relations import optional
from observatorio.practices.models import GoodPractice, PanoramaFigure
from observatorio.programs.models import Program


class ImmutableError(Exception):
    """A published release (or one of its files) cannot be changed or deleted."""


def _refuse(what) -> None:
    raise ImmutableError(
        _("La versión publicada no se puede modificar ni borrar (%(what)s).") % {"what": what}
    )


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse(self.model._meta.verbose_name)

    def delete(self):
        _refuse(self.model._meta.verbose_name)

    def bulk_update(self, *args, **kwargs):
        _refuse(self.model._meta.verbose_name)


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse(self)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(self)


class Release(ImmutableModel):
    """One numbered open-data release: every dataset in CSV, JSON and XLSX, a datapackage."""

    number = models.PositiveIntegerField(_("número"), unique=True)
    created_at = models.DateTimeField(_("publicada"), default=timezone.now)
    created_by = optional(settings.AUTH_USER_MODEL, models.PROTECT, "+", _("publicada por"))
    note = models.TextField(_("nota"), blank=True)
    cycles = models.JSONField(_("ciclos que abarca"), default=list)
    programs = models.PositiveIntegerField(_("programas publicados"), default=0)
    data_hash = models.CharField(
        _("huella de los datos"),
        max_length=64,
        help_text=_("SHA-256 de los CSV: igual si y solo si los datos no cambiaron."),
    )
    changelog = models.JSONField(_("cambios respecto de la versión anterior"), default=dict)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("versión de datos abiertos")
        verbose_name_plural = _("versiones de datos abiertos")

    def __str__(self) -> str:
        return _("Versión %(number)s") % {"number": self.number}


class ReleaseFile(ImmutableModel):
    """One file of a release, its bytes stored in the database with their SHA-256."""

    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="files", verbose_name=_("versión")
    )
    name = models.CharField(_("archivo"), max_length=100)
    media_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("contenido"))

    class Meta:
        ordering = ["release", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="release_file_unique_name")
        ]
        verbose_name = _("archivo de versión")
        verbose_name_plural = _("archivos de versión")

    def __str__(self) -> str:
        return f"{self.release_id}/{self.name}"


# --- documents generated in the background -------------------------------------------


def data_version(kind: str, cycle, state=None) -> str:
    """A cheap fingerprint of the published data a document is built from.

    Compendium: the number and latest change of the cycle's published programs (publishing,
    withdrawing or correcting one changes ``updated_at`` or the count). Factsheet: the same
    for the state's published programs, plus its good practices (marks included) and the
    figures of its panorama, which have no modification date and are few per state, so
    their rows are hashed. The one place the fingerprint is computed.
    """
    programs = Program.objects.published().filter(cycle=cycle)
    if kind == GeneratedDocument.Kind.FACTSHEET:
        programs = programs.filter(section=Program.Section.STATE, state=state)
    summary = programs.aggregate(n=Count("id"), last=Max("updated_at"))
    last = summary["last"].isoformat() if summary["last"] else "-"
    parts = [kind, str(cycle.pk), str(getattr(state, "pk", "-")), str(summary["n"]), last]
    if kind == GeneratedDocument.Kind.FACTSHEET:
        practice_fields = [
            f.attname for f in GoodPractice._meta.concrete_fields if f.attname != "import_warnings"
        ]
        parts.append(
            repr(
                list(
                    GoodPractice.objects.filter(state=state)
                    .order_by("pk")
                    .values_list(*practice_fields)
                )
            )
        )
        parts.append(
            repr(
                list(
                    PanoramaFigure.objects.filter(state=state)
                    .order_by("pk")
                    .values_list("pk", "indicator", "value_as_printed", "unit", "period")
                )
            )
        )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class GeneratedDocumentQuerySet(models.QuerySet):
    def reusable(self) -> GeneratedDocumentQuerySet:
        """Documents that are done or on their way: a request with the same key reuses them."""
        return self.exclude(status=GeneratedDocument.Status.FAILED)


class GeneratedDocument(models.Model):
    """A compendium or state factsheet generated by a background task, kept until the data
    it was built from changes (see :func:`data_version`)."""

    class Kind(models.TextChoices):
        COMPENDIUM = "compendium", _("Compendio")
        FACTSHEET = "factsheet", _("Ficha estatal")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX (Word)"

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Generándose")
        DONE = "done", _("Listo")
        FAILED = "failed", _("Falló")

    kind = models.CharField(_("documento"), max_length=12, choices=Kind.choices)
    cycle = models.ForeignKey(
        "programs.ReportingCycle",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ciclo"),
    )
    state = optional("catalog.State", models.CASCADE, "+", _("entidad federativa"))
    format = models.CharField(_("formato"), max_length=4, choices=Format.choices)
    data_version = models.CharField(_("versión de los datos"), max_length=64)
    status = models.CharField(
        _("estado"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    step = models.CharField(_("paso"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    content = models.BinaryField(_("contenido"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("tamaño (bytes)"), null=True, blank=True)
    task_id = models.CharField(_("id de la tarea"), max_length=64, blank=True)
    requested_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("solicitado por"))
    requested_at = models.DateTimeField(_("solicitado"), default=timezone.now)
    started_at = models.DateTimeField(_("iniciado"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)

    objects = GeneratedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["kind", "cycle", "state", "format", "data_version"],
                name="generated_document_key",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="generated_document_progress_lte_100"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="compendium", state__isnull=True)
                | models.Q(kind="factsheet", state__isnull=False),
                name="generated_document_state_iff_factsheet",
            ),
        ]
        verbose_name = _("documento generado")
        verbose_name_plural = _("documentos generados")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle_id} {self.state_id or ''} {self.format}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def filename(self) -> str:
        """The Spanish name the download is saved under."""
        from django.utils.text import slugify

        edition = self.cycle.edition
        if self.kind == self.Kind.FACTSHEET:
            return f"ficha-{slugify(self.state.name)}-{edition}.{self.format}"
        return f"compendio-general-{edition}.{self.format}"
