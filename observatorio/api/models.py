"""The API's request counters (see :mod:`observatorio.api.throttles`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestCount(models.Model):
    """How many requests one client made in the current and the previous rate window.

    One row per client and scope, written by one ``INSERT … ON CONFLICT DO UPDATE``
    per request (:func:`observatorio.api.throttles.count_request`).
    """

    #: SHA-256 of the scope and the client (address or user): fixed length, nothing personal.
    key = models.CharField(_("clave"), max_length=64, primary_key=True)
    #: The window's number: seconds since the epoch divided by the rate's duration.
    period = models.BigIntegerField(_("ventana"))
    count = models.PositiveIntegerField(_("peticiones en la ventana"))
    previous = models.PositiveIntegerField(_("peticiones en la ventana anterior"))
    #: When the row stops mattering (the end of the window after this one), epoch seconds.
    expires = models.FloatField(_("caduca"), db_index=True)

    class Meta:
        verbose_name = _("contador de peticiones a la API")
        verbose_name_plural = _("contadores de peticiones a la API")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count}+{self.previous}"
