"""What happens to a registered person: contacts, the needs found at each, referrals to
services and their follow-up; and the access log every read and change writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution
from observatorio.lib.relations import optional

from .models import UNKNOWN, Centre, Need, Person, Service, sealed


class Contact(models.Model):
    """One attention of a person at a centre; the needs found then hang from it."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="contacts", verbose_name=_("persona")
    )
    centre = models.ForeignKey(
        Centre, models.PROTECT, related_name="contacts", verbose_name=_("centro")
    )
    on = models.DateField(_("fecha"), default=timezone.localdate)
    by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("atendió"))
    first = models.BooleanField(_("primera atención"), default=False)
    age_group = models.CharField(_("grupo de edad ese día"), max_length=20, default=UNKNOWN)
    notes = sealed(_("notas"))

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("atención")
        verbose_name_plural = _("atenciones")
        indexes = [models.Index(fields=["centre", "on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.on}"


class IdentifiedNeed(models.Model):
    contact = models.ForeignKey(
        Contact, models.CASCADE, related_name="needs", verbose_name=_("atención")
    )
    need = models.ForeignKey(Need, models.PROTECT, related_name="+", verbose_name=_("necesidad"))

    class Meta:
        ordering = ["contact", "need__order"]
        verbose_name = _("necesidad identificada")
        verbose_name_plural = _("necesidades identificadas")
        constraints = [
            models.UniqueConstraint(fields=["contact", "need"], name="need_once_per_contact")
        ]

    def __str__(self) -> str:
        return self.need.code


class Referral(models.Model):
    """A referral of a person to a service at a centre or to an outside institution."""

    class Status(models.TextChoices):
        SENT = "enviada", _("Enviada")
        ACCEPTED = "aceptada", _("Aceptada")
        ATTENDED = "atendida", _("Atendida")
        CLOSED = "cerrada", _("Cerrada")
        REJECTED = "rechazada", _("Rechazada")

    OPEN = (Status.SENT, Status.ACCEPTED)
    #: The identity a referral may share, when the sharing consent is in force.
    SHAREABLE = ("nombre", "fecha_nacimiento", "telefono", "curp")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="referrals", verbose_name=_("persona")
    )
    need = models.ForeignKey(
        Need, models.PROTECT, related_name="referrals", verbose_name=_("necesidad")
    )
    from_centre = models.ForeignKey(
        Centre, models.PROTECT, related_name="referrals_sent", verbose_name=_("canaliza")
    )
    service = optional(Service, models.PROTECT, "referrals", _("servicio"))
    institution = optional(
        Institution, models.PROTECT, "registry_referrals", _("institución externa")
    )
    shared = models.JSONField(_("datos compartidos"), default=list, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    sent_on = models.DateField(_("enviada el"), default=timezone.localdate)
    due_on = models.DateField(_("fecha compromiso"))
    attended_on = models.DateField(_("atendida el"), null=True, blank=True)
    age_group = models.CharField(_("grupo de edad ese día"), max_length=20, default=UNKNOWN)
    by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("canalizó"))
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("canalización")
        verbose_name_plural = _("canalizaciones")
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["from_centre", "sent_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False) | models.Q(institution__isnull=False),
                name="referral_goes_somewhere",
            )
        ]

    def __str__(self) -> str:
        return f"canalización {self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status in self.OPEN and self.due_on < timezone.localdate()

    @property
    def destination(self) -> str:
        return str(self.service) if self.service_id else str(self.institution)


class ReferralNote(models.Model):
    referral = models.ForeignKey(
        Referral, models.CASCADE, related_name="notes", verbose_name=_("canalización")
    )
    at = models.DateTimeField(_("fecha"), default=timezone.now)
    by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("por"))
    status = models.CharField(_("estado después"), max_length=12, choices=Referral.Status.choices)
    text = sealed(_("nota"))

    class Meta:
        ordering = ["referral", "at", "pk"]
        verbose_name = _("seguimiento de canalización")
        verbose_name_plural = _("seguimientos de canalizaciones")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status}"


class AccessLog(models.Model):
    """One read, change or refused attempt on the registry: who, when, what, never a value."""

    class Action(models.TextChoices):
        READ = "lectura", _("Lectura")
        CREATE = "alta", _("Alta")
        CHANGE = "cambio", _("Cambio")
        SEARCH = "busqueda", _("Búsqueda")
        EXPORT = "exportacion", _("Exportación ARCO")
        ANONYMISE = "anonimizacion", _("Anonimización")
        REFUSED = "rechazo", _("Intento rechazado")

    at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)
    user = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("usuario"))
    action = models.CharField(_("acción"), max_length=16, choices=Action.choices)
    what = models.CharField(_("objeto"), max_length=40)
    person_ref = models.CharField(
        _("persona (referencia)"), max_length=36, blank=True, db_index=True
    )
    centre = optional(Centre, models.SET_NULL, "+", _("centro"))
    detail = models.CharField(_("detalle"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("acceso al registro")
        verbose_name_plural = _("bitácora de accesos")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.what}"


class DuplicateDismissal(models.Model):
    """Two records staff judged not to be the same person: not suggested again."""

    first = models.ForeignKey(Person, models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, models.CASCADE, related_name="+")
    by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("por"))
    at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("duplicado descartado")
        verbose_name_plural = _("duplicados descartados")
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="dismissed_once")]

    def __str__(self) -> str:
        return f"{self.first_id}≠{self.second_id}"
