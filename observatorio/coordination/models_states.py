"""What UPM asks of the states and what each state builds: information requests and their
answers, the points of each state's Modelo, the five installation steps, proposals received.

Imported by ``models.py`` (Django finds the app's models there).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import State
from observatorio.lib.relations import optional


class InformationRequest(models.Model):
    """A question UPM sends to one, several or all enlaces, with a deadline."""

    title = models.CharField(_("asunto"), max_length=200)
    question = models.TextField(_("solicitud"))
    deadline = models.DateField(_("fecha límite"))
    states = models.ManyToManyField(
        State, related_name="information_requests", verbose_name=_("entidades a las que se pide")
    )
    attachments = models.ManyToManyField(
        "coordination.StoredFile", blank=True, related_name="+", verbose_name=_("anexos")
    )
    created_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("enviada por"))
    created_at = models.DateTimeField(_("enviada"), default=timezone.now)
    closed = models.BooleanField(_("cerrada"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("solicitud de información")
        verbose_name_plural = _("solicitudes de información")

    def __str__(self) -> str:
        return self.title


class RequestAnswer(models.Model):
    """One state's answer to a request (no row: not answered yet)."""

    class Status(models.TextChoices):
        ANSWERED = "answered", _("Respondida")
        RETURNED = "returned", _("Devuelta para completar")
        ACCEPTED = "accepted", _("Aceptada")

    request = models.ForeignKey(
        InformationRequest, models.CASCADE, related_name="answers", verbose_name=_("solicitud")
    )
    state = models.ForeignKey(State, models.PROTECT, related_name="+", verbose_name=_("entidad"))
    text = models.TextField(_("respuesta"))
    files = models.ManyToManyField(
        "coordination.StoredFile", blank=True, related_name="+", verbose_name=_("archivos")
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.ANSWERED
    )
    review_note = models.TextField(_("observaciones de la UPM"), blank=True)
    answered_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("respondida por"))
    first_answered_at = models.DateTimeField(_("primera respuesta"), default=timezone.now)
    answered_at = models.DateTimeField(_("última respuesta"), default=timezone.now)

    class Meta:
        ordering = ["request", "state__inegi_code"]
        verbose_name = _("respuesta de una entidad")
        verbose_name_plural = _("respuestas de las entidades")
        constraints = [
            models.UniqueConstraint(fields=["request", "state"], name="one_answer_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.state}"


class InstallationStep(models.Model):
    """Where a state stands on one of the five steps to install the coordination mechanism."""

    class Step(models.IntegerChoices):
        FEDERAL_LINK = (
            1,
            _("Analizar la vinculación de sus acciones con la política migratoria federal"),
        )
        CONCURRENT = 2, _("Fortalecer las atribuciones concurrentes de las instituciones locales")
        OFFICE = 3, _("Evaluar el diseño institucional de la oficina de atención a migrantes")
        LEGAL = 4, _("Armonizar el marco jurídico local con la política migratoria")
        RESOURCES = 5, _("Revisar los recursos destinados a la atención del fenómeno migratorio")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Sin iniciar")
        IN_PROGRESS = "in_progress", _("En proceso")
        DONE = "done", _("Concluido")

    #: The lines of the Estrategia (2019) that list each step.
    SOURCE_LINES = {1: 117, 2: 119, 3: 121, 4: 123, 5: 125}

    state = models.ForeignKey(
        State, models.PROTECT, related_name="installation_steps", verbose_name=_("entidad")
    )
    step = models.PositiveSmallIntegerField(_("paso"), choices=Step.choices)
    status = models.CharField(
        _("estado"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    evidence = models.TextField(_("evidencia o nota"), blank=True)
    files = models.ManyToManyField(
        "coordination.StoredFile", blank=True, related_name="+", verbose_name=_("archivos")
    )
    updated_at = models.DateTimeField(_("actualizado"), default=timezone.now)
    updated_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("actualizado por"))

    class Meta:
        ordering = ["state__inegi_code", "step"]
        verbose_name = _("paso de instalación")
        verbose_name_plural = _("pasos de instalación")
        constraints = [
            models.UniqueConstraint(fields=["state", "step"], name="one_row_per_state_step"),
        ]

    def __str__(self) -> str:
        return f"{self.state} · {self.step}"


class ModelPoint(models.Model):
    """A point for action of a state's Modelo para la Protección e Integración."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Programado")
        IN_PROGRESS = "in_progress", _("En proceso")
        DONE = "done", _("Cumplido")

    state = models.ForeignKey(
        State, models.PROTECT, related_name="model_points", verbose_name=_("entidad")
    )
    number = models.PositiveSmallIntegerField(_("número"))
    text = models.TextField(_("punto de acción"))
    status = models.CharField(
        _("estado"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    evidence = models.TextField(_("evidencia o nota"), blank=True)
    updated_at = models.DateTimeField(_("actualizado"), default=timezone.now)

    class Meta:
        ordering = ["state__inegi_code", "number"]
        verbose_name = _("punto del Modelo estatal")
        verbose_name_plural = _("puntos del Modelo estatal")
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="model_point_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.state} · {self.number}"


class Proposal(models.Model):
    """A proposal the state council received from the public, private or social sector."""

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Sector público")
        PRIVATE = "private", _("Sector privado")
        SOCIAL = "social", _("Sector social")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        UNDER_STUDY = "under_study", _("En análisis")
        ADOPTED = "adopted", _("Incorporada")
        DECLINED = "declined", _("No procedente")

    state = models.ForeignKey(
        State, models.PROTECT, related_name="proposals", verbose_name=_("entidad")
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    proposer = models.CharField(_("quién la propone"), max_length=200)
    text = models.TextField(_("propuesta"))
    received_on = models.DateField(_("recibida"), default=timezone.localdate)
    status = models.CharField(
        _("estado"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    response = models.TextField(_("respuesta del consejo"), blank=True)

    class Meta:
        ordering = ["state__inegi_code", "-received_on", "pk"]
        verbose_name = _("propuesta recibida")
        verbose_name_plural = _("propuestas recibidas")

    def __str__(self) -> str:
        return f"{self.state} · {self.proposer}"
