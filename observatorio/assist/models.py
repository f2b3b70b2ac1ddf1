"""What assistance stores: the trained suggestion models, what was suggested and chosen, and
the links reviewers make between programs.

* :class:`SuggestionModel`: one trained objective classifier, as a file (its bytes and
  their SHA-256), with the data version and the fingerprint of the programs it learned from;
* :class:`SuggestionRecord`: the suggestion shown for a report when it was sent to review
  and when it was published, and the objective chosen, so that agreement is measured per
  cycle;
* :class:`ProgramLink`: a reviewer's decision about two similar programs: the same program
  as a joint report of several institutions, or not related (a dismissal, remembered so the
  pair is not offered again). "Continuación de" is the program's own ``previous``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective
from observatorio.programs.models import Program, ReportingCycle


class SuggestionModelQuerySet(models.QuerySet):
    def current(self) -> SuggestionModel | None:
        """The newest model, the one suggestions come from."""
        return self.order_by("-pk").first()


class SuggestionModel(models.Model):
    """A trained classifier of program texts into the 23 PMM objectives."""

    trained_at = models.DateTimeField(_("entrenado"), default=timezone.now)
    data_version = models.CharField(
        _("versión de los datos"),
        max_length=32,
        help_text=_("Versión de los datos publicados de la que se entrenó."),
    )
    fingerprint = models.CharField(
        _("huella de los programas"),
        max_length=64,
        help_text=_(
            "SHA-256 del id, el objetivo y la última modificación de cada programa de "
            "entrenamiento y de las variantes impresas de los objetivos."
        ),
    )
    programs = models.PositiveIntegerField(_("programas de entrenamiento"))
    cycles = models.JSONField(_("ciclos"), default=list)
    payload = models.BinaryField(_("archivo del modelo"))
    sha256 = models.CharField(_("SHA-256 del archivo"), max_length=64)
    metrics = models.JSONField(_("medidas"), default=dict, blank=True)
    reason = models.CharField(_("motivo"), max_length=100, blank=True)

    objects = SuggestionModelQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("modelo de sugerencias")
        verbose_name_plural = _("modelos de sugerencias")

    def __str__(self) -> str:
        return f"v{self.pk} ({self.programs})"


class SuggestionRecord(models.Model):
    """The objectives suggested for a report at one moment, and the one chosen then."""

    class Event(models.TextChoices):
        SUBMITTED = "enviado", _("Enviado a revisión")
        PUBLISHED = "publicado", _("Publicado")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="suggestions")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("momento"), max_length=10, choices=Event.choices)
    model = models.ForeignKey(
        SuggestionModel, on_delete=models.SET_NULL, null=True, related_name="records"
    )
    suggested = models.JSONField(_("sugeridos"), help_text=_("[{objective, score}], en orden."))
    chosen = models.ForeignKey(GcmObjective, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(
        _("lugar del elegido"), null=True, help_text=_("1 si coincide con la primera sugerencia.")
    )
    at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sugerencia registrada")
        verbose_name_plural = _("sugerencias registradas")
        indexes = [models.Index(fields=["cycle", "event"], name="assist_record_cycle")]

    def __str__(self) -> str:
        return f"{self.program_id} {self.event} {self.chosen_id}"


class ProgramLink(models.Model):
    """A reviewer's decision on a pair of programs (stored with ``first`` < ``second``)."""

    class Kind(models.TextChoices):
        JOINT = "conjunto", _("Programa conjunto")
        DISMISSED = "descartado", _("No relacionados")

    first = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("decisión"), max_length=12, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("vínculo entre programas")
        verbose_name_plural = _("vínculos entre programas")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="assist_one_link_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="assist_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.second_id} {self.kind}"

    @staticmethod
    def pair(a: int, b: int) -> tuple[int, int]:
        return (a, b) if a < b else (b, a)
