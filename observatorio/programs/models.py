"""Reporting cycles and the programs and actions reported in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.importers.models import SourceDocument


class ReportingCycle(models.Model):
    """An edition of the compendium: the period its reports cover."""

    edition = models.PositiveSmallIntegerField(_("edición"), unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    period_start = models.DateField(_("inicio del periodo reportado"))
    period_end = models.DateField(_("fin del periodo reportado"))
    published_on = models.DateField(_("fecha de publicación"), null=True, blank=True)

    class Meta:
        ordering = ["-edition"]
        verbose_name = _("ciclo de reporte")
        verbose_name_plural = _("ciclos de reporte")

    def __str__(self) -> str:
        return self.name


class BlockStatus(models.TextChoices):
    """What a report says in its Resultados or Retos block."""

    REPORTED = "reportado", _("Reportado")
    NONE = "ninguno", _("Se reportó que no hubo")
    MISSING = "sin_bloque", _("Sin bloque en la fuente")


class ProgramQuerySet(models.QuerySet):
    def federal(self) -> ProgramQuerySet:
        return self.filter(section=Program.Section.FEDERAL)

    def state_level(self) -> ProgramQuerySet:
        return self.filter(section=Program.Section.STATE)


class Program(models.Model):
    """A program or action reported under one PMM objective in one cycle."""

    class Section(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "estatal", _("Estatal")

    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.PROTECT, related_name="programs", verbose_name=_("ciclo")
    )
    section = models.CharField(_("parte"), max_length=10, choices=Section.choices)
    objective = models.ForeignKey(
        GcmObjective,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("objetivo del Pacto Mundial"),
    )
    number = models.PositiveSmallIntegerField(_("número dentro del objetivo"))
    title = models.TextField(_("título"))
    actor = models.CharField(
        _("actor como se imprimió"),
        max_length=300,
        help_text=_("Texto del paréntesis final del título en la fuente."),
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="programs", verbose_name=_("instituciones")
    )
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("entidad federativa"),
    )
    description = models.TextField(_("descripción"), blank=True)
    results = models.TextField(_("resultados"), blank=True)
    results_status = models.CharField(
        _("estado de los resultados"),
        max_length=12,
        choices=BlockStatus.choices,
        default=BlockStatus.REPORTED,
    )
    challenges = models.TextField(_("retos"), blank=True)
    challenges_status = models.CharField(
        _("estado de los retos"),
        max_length=12,
        choices=BlockStatus.choices,
        default=BlockStatus.REPORTED,
    )
    source = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("documento fuente"),
    )
    source_first_line = models.PositiveIntegerField(_("primera línea en la fuente"), null=True)
    source_last_line = models.PositiveIntegerField(_("última línea en la fuente"), null=True)
    import_warnings = models.JSONField(_("advertencias de importación"), default=list, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "section", "objective__number", "number"]
        verbose_name = _("programa o acción")
        verbose_name_plural = _("programas y acciones")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "section", "objective", "number"],
                name="unique_program_number_per_objective",
            ),
            models.CheckConstraint(
                condition=models.Q(source__isnull=True)
                | models.Q(source_first_line__isnull=False, source_last_line__isnull=False),
                name="program_source_has_lines",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "section", "objective"])]

    def __str__(self) -> str:
        return f"{self.objective.number}.{self.number} {self.title} ({self.actor})"

    @property
    def challenges_none(self) -> bool:
        """Whether the report says explicitly that there were no challenges."""
        return self.challenges_status == BlockStatus.NONE

    @property
    def results_none(self) -> bool:
        return self.results_status == BlockStatus.NONE

    @property
    def source_reference(self) -> str:
        """Human-readable provenance: document and lines."""
        if not self.source:
            return ""
        return _("%(doc)s, líneas %(first)s–%(last)s") % {
            "doc": self.source.title,
            "first": self.source_first_line,
            "last": self.source_last_line,
        }
