"""Notices to users, in the site and by e-mail, and each user's choice of what to receive."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.lib.relations import owner


class Kind(models.TextChoices):
    """What a notice is about (each can be muted by e-mail; all stay in the site)."""

    SUBMITTED = "enviado", _("Un reporte se envió a revisión")
    RETURNED = "devuelto", _("Un reporte se devolvió con comentarios")
    APPROVED = "aprobado", _("Un reporte se aprobó")
    PUBLISHED = "publicado", _("Un reporte se publicó")
    WITHDRAWN = "retirado", _("Un reporte se retiró")
    COMMENTED = "comentado", _("El consejo estatal comentó un reporte")
    DEADLINE = "plazo", _("Se acerca la fecha límite de un ciclo")
    VALUES_SUBMITTED = "valores_env", _("Valores de un indicador se enviaron a revisión")
    VALUES_APPROVED = "valores_apr", _("Valores de un indicador se aprobaron")
    VALUES_UNLOCKED = "valores_des", _("Valores de un indicador se desbloquearon")
    AGREEMENT_OVERDUE = "acuerdo_venc", _("Un acuerdo a cargo de su institución venció")
    INFO_REQUEST = "solicitud", _("La UPM pidió información a su entidad")
    INFO_ANSWER = "respuesta", _("Una entidad respondió una solicitud de información")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notice to one user: what happened, where to look, whether it was read."""

    user = owner("notifications")
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("asunto"), max_length=300)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("dirección"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("leído"), null=True, blank=True)
    emailed = models.BooleanField(_("enviado por correo"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user} · {self.title}"


class Preference(models.Model):
    """Which notices a user also wants by e-mail (all of them unless they say otherwise)."""

    user = owner("notification_preference", models.OneToOneField)
    email = models.BooleanField(
        _("recibir avisos por correo"),
        default=True,
        help_text=_("Sin esta opción, los avisos solo aparecen en el sitio."),
    )
    muted = models.JSONField(_("tipos que no se envían por correo"), default=list, blank=True)

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")

    def __str__(self) -> str:
        return str(self.user)

    def wants_email(self, kind: str) -> bool:
        return self.email and kind not in (self.muted or [])

    @classmethod
    def of(cls, user) -> Preference:
        """The user's preference (unsaved defaults when they never chose)."""
        found = cls.objects.filter(user=user).first()
        return found or cls(user=user)
