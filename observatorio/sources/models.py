"""Source documents and the log of imports: the provenance of every imported record.

Both models were first defined in the ``importers`` app; they keep its tables
(``db_table``), so moving them changed no data (see ``migrations/0001_initial.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceDocument(models.Model):
    """A document records were imported from, identified by the hash of its text."""

    slug = models.SlugField(_("clave"), max_length=80, unique=True)
    title = models.CharField(_("título"), max_length=300)
    publisher = models.CharField(_("editor"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("año"), null=True, blank=True)
    file_name = models.CharField(_("archivo"), max_length=200)
    sha256 = models.CharField(_("SHA-256 del texto"), max_length=64)
    line_count = models.PositiveIntegerField(_("líneas"))
    licence = models.TextField(_("licencia y crédito"), blank=True)

    class Meta:
        db_table = "importers_sourcedocument"
        ordering = ["slug"]
        verbose_name = _("documento fuente")
        verbose_name_plural = _("documentos fuente")

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def register(cls, *, slug: str, path: Path, text: str, **fields) -> SourceDocument:
        """Create or refresh the record of a document from its text."""
        doc, _created = cls.objects.update_or_create(
            slug=slug,
            defaults={
                "file_name": path.name,
                "sha256": cls.digest(text),
                "line_count": len(text.splitlines()),
                **fields,
            },
        )
        return doc


class ImportRun(models.Model):
    """One committed import: what document, what it did, what it warned about."""

    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="runs", verbose_name=_("documento")
    )
    importer = models.CharField(_("importador"), max_length=60)
    started_at = models.DateTimeField(_("inicio"), auto_now_add=True)
    created = models.PositiveIntegerField(_("creados"), default=0)
    updated = models.PositiveIntegerField(_("actualizados"), default=0)
    unchanged = models.PositiveIntegerField(_("sin cambios"), default=0)
    warnings = models.JSONField(_("advertencias"), default=list, blank=True)

    class Meta:
        db_table = "importers_importrun"
        ordering = ["-started_at"]
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")

    def __str__(self) -> str:
        return f"{self.importer} · {self.document} · {self.started_at:%Y-%m-%d %H:%M}"
