"""The stored search index and the version of what the portal shows.

* :class:`SearchEntry`: one row of normalised tokens per published program or practice;
* :class:`Posting`: one row per (entry, distinct token) with its term frequency and
  whether the token is in the title, found through a B-tree index on ``token``;
* :class:`DataVersion`: one row whose random token changes with every change to
  what the portal shows (see ``observatorio/published/version.py``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _indexed(model: str) -> models.OneToOneField:
    """The record an entry indexes: a program or a practice (the other one is null)."""
    return models.OneToOneField(
        model, on_delete=models.CASCADE, null=True, blank=True, related_name="search_entry"
    )


class SearchEntry(models.Model):
    """Tokens of one published program or one good practice (see ``index.py``).

    ``tokens`` holds every token of the record (title included) and
    ``title_tokens`` the title's alone, both as ``" tok1 tok2 ... "`` (see
    :func:`observatorio.lib.search.document_tokens`).
    """

    class Kind(models.TextChoices):
        PROGRAM = "programa", _("Programa")
        PRACTICE = "practica", _("Buena práctica")

    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    program = _indexed("programs.Program")
    practice = _indexed("practices.GoodPractice")
    tokens = models.TextField(_("tokens"))
    title_tokens = models.TextField(_("tokens del título"))
    length = models.PositiveIntegerField(_("número de tokens"))
    sort_key = models.CharField(
        _("clave de orden"),
        max_length=100,
        help_text=_("Desempata resultados con la misma puntuación igual en toda base de datos."),
    )

    class Meta:
        verbose_name = _("entrada del índice de búsqueda")
        verbose_name_plural = _("entradas del índice de búsqueda")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="programa", program__isnull=False, practice__isnull=True)
                    | Q(kind="practica", program__isnull=True, practice__isnull=False)
                ),
                name="search_entry_points_at_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.sort_key

    @property
    def target(self):
        return self.program if self.kind == self.Kind.PROGRAM else self.practice


class Posting(models.Model):
    """One distinct token of one entry: what a query reads instead of scanning ``tokens``.

    ``tf`` is how many times the token occurs in the entry's ``tokens`` and
    ``in_title`` whether it occurs in its ``title_tokens``: the integers BM25
    needs, identical on every database because one Python function writes them.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="postings")
    token = models.TextField(_("token"))
    tf = models.PositiveIntegerField(_("frecuencia"))
    in_title = models.BooleanField(_("en el título"), default=False)

    class Meta:
        verbose_name = _("aparición de un token")
        verbose_name_plural = _("apariciones de tokens")
        # A B-tree on token that also holds the other columns: a query reads one token's
        # postings from the index alone, in entry order, without visiting the table.
        indexes = [
            models.Index(fields=["token", "entry", "tf", "in_title"], name="search_posting_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.token} ({self.tf})"


class DataVersion(models.Model):
    """A single row: a random token replaced whenever published data or the index change.

    Every worker process reads it once per request and keeps its in-memory
    indexes and cached results only while it is unchanged. A random token (not
    a counter) can never come back after a rolled-back transaction.
    """

    token = models.CharField(_("versión"), max_length=32)
    changed_at = models.DateTimeField(_("cambiada"), auto_now=True)

    class Meta:
        verbose_name = _("versión de los datos publicados")
        verbose_name_plural = _("versiones de los datos publicados")

    def __str__(self) -> str:
        return self.token
