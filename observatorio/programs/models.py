"""Reporting cycles, the programs and actions reported in them, and the review workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, State
from observatorio.lib.relations import acting_user, optional
from observatorio.sources.models import SourceDocument

from . import report


class ReportingCycleQuerySet(models.QuerySet):
    def open(self, on: dt.date | None = None) -> ReportingCycleQuerySet:
        """Cycles that accept reports on *on* (today by default)."""
        day = on or timezone.localdate()
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def with_published(self) -> ReportingCycleQuerySet:
        """Cycles with at least one published report, newest first (what the public can see)."""
        return self.filter(pk__in=Program.objects.published().values("cycle")).order_by("-edition")

    def complete(self, on: dt.date | None = None) -> ReportingCycleQuerySet:
        """Editions the public sees whole on *on*: no longer open, their edition published."""
        day = on or timezone.localdate()
        return self.filter(published_on__lte=day).exclude(opens_on__lte=day, closes_on__gte=day)


class ReportingCycle(models.Model):
    """An edition of reporting: the period its reports cover and when they are due."""

    #: The dates UPM sets when it opens a cycle, in the order forms and the API show them.
    SCHEDULE = ("period_start", "period_end", "opens_on", "deadline", "closes_on")

    edition = models.PositiveSmallIntegerField(
        _("edición (año)"),
        unique=True,
        help_text=_("El año con que se conoce el ciclo y su compendio, p. ej. 2024."),
    )
    name = models.CharField(_("nombre"), max_length=200)
    period_start = models.DateField(_("inicio del periodo reportado"))
    period_end = models.DateField(_("fin del periodo reportado"))
    opens_on = models.DateField(_("abre el"), null=True, blank=True)
    deadline = models.DateField(
        _("fecha límite de envío"),
        null=True,
        blank=True,
        help_text=_("Los reportes enviados después de esta fecha cuentan como tardíos."),
    )
    closes_on = models.DateField(
        _("cierra el"),
        null=True,
        blank=True,
        help_text=_("Después de esta fecha ya no se crean ni envían reportes."),
    )
    published_on = models.DateField(
        _("fecha de publicación"),
        null=True,
        blank=True,
        help_text=_(
            "Cuando se publica la edición completa: desde entonces es la que el portal muestra "
            "por omisión."
        ),
    )
    contact = models.CharField(
        _("contacto en la UPM"),
        max_length=200,
        blank=True,
        help_text=_(
            "A quién escriben los enlaces e informantes con dudas del ciclo (nombre y correo)."
        ),
    )

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-edition"]
        verbose_name = _("ciclo de reporte")
        verbose_name_plural = _("ciclos de reporte")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="cycle_period_is_ordered",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="cycle_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(_("El periodo termina antes de empezar."))
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(_("El ciclo cierra antes de abrir."))
        if self.deadline and self.closes_on and self.deadline > self.closes_on:
            raise ValidationError(_("La fecha límite es posterior al cierre del ciclo."))

    def is_open(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return bool(self.opens_on and self.closes_on and self.opens_on <= day <= self.closes_on)

    def is_complete(self, on: dt.date | None = None) -> bool:
        """Whether the edition is whole: closed to reports and published (``published_on``).

        The public pages show the latest complete edition by default; a cycle whose first
        reports are being published is still in progress and never replaces it.
        """
        day = on or timezone.localdate()
        return bool(self.published_on and self.published_on <= day) and not self.is_open(day)

    @property
    def previous(self) -> ReportingCycle | None:
        return ReportingCycle.objects.filter(edition__lt=self.edition).order_by("-edition").first()


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

    def published(self) -> ProgramQuerySet:
        return self.filter(status=Program.Status.PUBLISHED)


class Program(models.Model):
    """A program or action reported under one primary PMM objective in one cycle.

    A program is also the report about it: it moves through the review
    workflow (draft → submitted → returned → resubmitted → approved →
    published, or withdrawn) only through :mod:`observatorio.programs.actions`,
    which checks the permission policy, changes the status, and writes an audit
    entry and a revision in one transaction.
    """

    class Section(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "estatal", _("Estatal")

    class Status(models.TextChoices):
        DRAFT = "borrador", _("Borrador")
        SUBMITTED = "enviado", _("Enviado a revisión")
        RETURNED = "devuelto", _("Devuelto con comentarios")
        RESUBMITTED = "reenviado", _("Reenviado a revisión")
        APPROVED = "aprobado", _("Aprobado")
        PUBLISHED = "publicado", _("Publicado")
        WITHDRAWN = "retirado", _("Retirado")

    class Execution(models.TextChoices):
        ACTIVE = "vigente", _("Vigente")
        CONCLUDED = "concluido", _("Concluido")
        SUSPENDED = "suspendido", _("Suspendido")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    IN_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    cycle = models.ForeignKey(
        ReportingCycle, on_delete=models.PROTECT, related_name="programs", verbose_name=_("ciclo")
    )
    section = models.CharField(_("parte"), max_length=10, choices=Section.choices)
    objective = models.ForeignKey(
        GcmObjective,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("objetivo principal del Pacto Mundial"),
    )
    secondary_objectives = models.ManyToManyField(
        GcmObjective,
        blank=True,
        related_name="secondary_programs",
        verbose_name=_("objetivos secundarios"),
    )
    number = models.PositiveSmallIntegerField(
        _("número dentro del objetivo"),
        null=True,
        blank=True,
        help_text=_("Se asigna al publicar."),
    )
    title = models.TextField(_("título"))
    actor = models.CharField(
        _("actor como se imprime"),
        max_length=300,
        blank=True,
        help_text=_("Texto del paréntesis final del título en el compendio."),
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="programs", verbose_name=_("instituciones")
    )
    state = optional(State, models.PROTECT, "programs", _("entidad federativa"))
    populations = models.ManyToManyField(
        PopulationGroup, blank=True, related_name="programs", verbose_name=_("grupos de población")
    )
    populations_inferred = models.BooleanField(
        _("grupos de población inferidos"),
        default=False,
        help_text=_(
            "Los grupos se dedujeron de las palabras clave del título y la descripción; "
            "no los eligió una persona."
        ),
    )
    description = models.TextField(_("descripción"), blank=True)
    results = models.TextField(_("resultados"), blank=True)
    results_status = models.CharField(
        _("estado de los resultados"),
        max_length=12,
        choices=BlockStatus.choices,
        default=BlockStatus.REPORTED,
    )
    has_quantitative_results = models.BooleanField(
        _("con resultados cuantitativos"),
        default=False,
        db_index=True,
        help_text=_("Tiene cifras capturadas o sus resultados reportan una cantidad. Se calcula."),
    )
    challenges = models.TextField(_("retos"), blank=True)
    challenges_status = models.CharField(
        _("estado de los retos"),
        max_length=12,
        choices=BlockStatus.choices,
        default=BlockStatus.REPORTED,
    )
    start_date = models.DateField(_("fecha de inicio"), null=True, blank=True)
    end_date = models.DateField(_("fecha de término"), null=True, blank=True)
    permanent = models.BooleanField(_("permanente"), default=False)
    budget = models.DecimalField(
        _("presupuesto (MXN)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    execution = models.CharField(
        _("situación del programa"), max_length=12, choices=Execution.choices, blank=True
    )
    links = models.JSONField(_("enlaces"), default=list, blank=True)
    status = models.CharField(
        _("estado del reporte"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    withdrawn_reason = models.TextField(_("motivo del retiro"), blank=True)
    previous = optional(
        "self", models.SET_NULL, "followers", _("mismo programa en el ciclo anterior")
    )
    version = models.PositiveIntegerField(
        _("versión"), default=1, help_text=_("Aumenta con cada cambio; evita pisar cambios ajenos.")
    )
    created_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("creado por"))
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)
    submitted_at = models.DateTimeField(_("enviado por primera vez"), null=True, blank=True)
    source = optional(SourceDocument, models.PROTECT, "programs", _("documento fuente"))
    source_first_line = models.PositiveIntegerField(
        _("primera línea en la fuente"), null=True, blank=True
    )
    source_last_line = models.PositiveIntegerField(
        _("última línea en la fuente"), null=True, blank=True
    )
    import_warnings = models.JSONField(_("advertencias de importación"), default=list, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "section", "objective__number", "number", "id"]
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
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="program_budget_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "section", "objective"]),
            models.Index(fields=["status"]),
            # The public lists: published programs in compendium order.
            models.Index(
                fields=["status", "cycle", "section", "objective", "number"],
                name="program_public_order",
            ),
        ]

    def __str__(self) -> str:
        code = (
            f"{self.objective.number}.{self.number}" if self.number else f"{self.objective.number}"
        )
        owner = self.actor or self.owner_label
        return f"{code} {self.title} ({owner})"

    # --- reading -----------------------------------------------------------

    @property
    def challenges_none(self) -> bool:
        """Whether the report says explicitly that there were no challenges."""
        return self.challenges_status == BlockStatus.NONE

    @property
    def results_none(self) -> bool:
        return self.results_status == BlockStatus.NONE

    @property
    def owner_label(self) -> str:
        """Who reports: the state, or the institutions' acronyms."""
        if self.section == self.Section.STATE and self.state_id:
            return self.state.name
        if not self.pk:
            return ""
        return "-".join(i.acronym for i in self.institutions.all())

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

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

    def missing_for_submission(self) -> list[str]:
        """Spanish messages for what a report needs before it can be submitted."""
        problems = []
        if not self.title.strip():
            problems.append(_("Falta el título."))
        if not self.description.strip():
            problems.append(_("Falta la descripción."))
        if self.section == self.Section.STATE and not self.state_id:
            problems.append(_("Falta la entidad federativa."))
        if self.section == self.Section.FEDERAL and not self.institutions.exists():
            problems.append(_("Falta la institución que reporta."))
        if not self.results.strip() and not self.figures.exists():
            problems.append(_("Faltan los resultados (texto o cifras)."))
        if self.challenges_status != BlockStatus.NONE and not self.challenges.strip():
            problems.append(_("Faltan los retos, o marque «no se reportan retos»."))
        if not self.permanent and not self.start_date:
            problems.append(_("Falta la fecha de inicio, o marque el programa como permanente."))
        if not self.execution:
            problems.append(_("Falta la situación del programa (vigente, concluido, suspendido)."))
        return problems


class ResultFigure(models.Model):
    """A quantitative result of a program, optionally disaggregated."""

    #: What a report says of a figure, in the order of the form, the sheet and the files.
    CONTENT = ("label", "value", "unit", "sex", "age_group", "nationality")

    class Sex(models.TextChoices):
        TOTAL = "total", _("Total")
        WOMEN = "mujeres", _("Mujeres")
        MEN = "hombres", _("Hombres")
        OTHER = "otro", _("Otro / no especificado")

    class AgeGroup(models.TextChoices):
        ALL = "todas", _("Todas las edades")
        CHILD = "0-11", _("0 a 11 años")
        ADOLESCENT = "12-17", _("12 a 17 años")
        YOUNG = "18-29", _("18 a 29 años")
        ADULT = "30-59", _("30 a 59 años")
        OLDER = "60+", _("60 años y más")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("qué se cuenta"), max_length=200)
    value = models.DecimalField(_("valor"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unidad"), max_length=50, default="personas")
    sex = models.CharField(_("sexo"), max_length=10, choices=Sex.choices, default=Sex.TOTAL)
    age_group = models.CharField(
        _("grupo de edad"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.ALL
    )
    nationality = models.CharField(_("nacionalidad"), max_length=100, blank=True)

    class Meta:
        ordering = ["program", "id"]
        verbose_name = _("cifra de resultados")
        verbose_name_plural = _("cifras de resultados")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_value_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "value": str(self.value.normalize() if isinstance(self.value, Decimal) else self.value),
            "unit": self.unit,
            "sex": self.sex,
            "age_group": self.age_group,
            "nationality": self.nationality,
        }


class Transition(models.Model):
    """An audit entry: who moved a report from one status to another, when, and why."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="transitions")
    actor = acting_user(_("quién"))
    at = models.DateTimeField(_("cuándo"), default=timezone.now)
    from_status = models.CharField(_("de"), max_length=12, choices=Program.Status.choices)
    to_status = models.CharField(_("a"), max_length=12, choices=Program.Status.choices)
    comment = models.TextField(_("comentario"), blank=True)

    class Meta:
        ordering = ["program", "at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")

    def __str__(self) -> str:
        return f"{self.program_id}: {self.from_status} → {self.to_status} ({self.actor})"


#: The keys of a revision's snapshot, in the form's order: declared in ``report.py``.
REVISION_FIELDS = report.REVISION_FIELDS


def _revised_value(program: Program, declared: report.ReportField):
    """One declared field of *program* as a plain, comparable value of a snapshot."""
    name, kind = declared.name, declared.kind
    if declared.revision_key:
        return getattr(program, declared.revision_key)
    value = getattr(program, name)
    if kind == "objective":
        return str(value)
    if kind == "state":
        return str(value) if program.state_id else ""
    if kind == "objectives":
        return sorted(str(o) for o in value.all())
    if kind == "institutions":
        return sorted(i.acronym for i in value.all())
    if kind == "populations":
        return sorted(p.name_es for p in value.all())
    if kind == "figures":
        return [f.as_dict() for f in value.all()]
    if kind == "date":
        return value.isoformat() if value else ""
    if kind == "amount":
        return str(value) if value is not None else ""
    if kind == "links":
        return list(value or [])
    return value


class Revision(models.Model):
    """A snapshot of a report after each change, to show its history and diffs."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revisión"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("autor"),
    )
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)
    note = models.CharField(_("nota"), max_length=200, blank=True)
    data = models.JSONField(_("contenido"))

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("revisión")
        verbose_name_plural = _("revisiones")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} r{self.number}"

    @staticmethod
    def snapshot(program: Program) -> dict:
        """Return the report's content as plain, comparable values."""
        return {
            declared.snapshot_key: _revised_value(program, declared)
            for declared in report.FIELDS
            if declared.revised
        }

    @classmethod
    def capture(cls, program: Program, author, note: str = "") -> Revision:
        last = program.revisions.aggregate(n=Max("number"))["n"] or 0
        return cls.objects.create(
            program=program,
            number=last + 1,
            author=author if getattr(author, "pk", None) else None,
            note=str(note),
            data=cls.snapshot(program),
        )


class CouncilComment(models.Model):
    """A comment by a member of the state's council on a submitted report."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="council_comments")
    author = acting_user(_("autor"))
    text = models.TextField(_("comentario"))
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["program", "created_at"]
        verbose_name = _("comentario del consejo")
        verbose_name_plural = _("comentarios del consejo")

    def __str__(self) -> str:
        return f"{self.program_id}: {self.text[:40]}"
