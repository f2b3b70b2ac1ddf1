"""The stored search index: one row of normalised tokens per published program or practice."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entry",
    )
    practice = models.OneToOneField(
        "practices.GoodPractice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entry",
    )
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
