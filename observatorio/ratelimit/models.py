"""The rate counters (see :mod:`observatorio.ratelimit.counters`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """One key's hits in the current and the previous fixed window, and its block.

    One row per key (an API client and scope, a log-in username, address or pair), written
    by one ``INSERT … ON CONFLICT DO UPDATE`` per hit (:func:`~.counters.hit`). On
    PostgreSQL the table is UNLOGGED (migration 0001): a crash empties it.
    """

    #: SHA-256 of what is counted (:func:`~.counters.make_key`): fixed length, nothing personal.
    key = models.CharField(_("clave"), max_length=64, primary_key=True)
    #: The window's number: seconds since the epoch divided by the window's duration.
    period = models.BigIntegerField(_("ventana"))
    count = models.PositiveIntegerField(_("eventos en la ventana"))
    previous = models.PositiveIntegerField(_("eventos en la ventana anterior"))
    #: When the row stops mattering (the end of the window after this one, or of the
    #: block if later), epoch seconds.
    expires = models.FloatField(_("caduca"), db_index=True)
    #: Until when the key is refused (epoch seconds; 0 or past: not blocked).
    blocked_until = models.FloatField(_("bloqueada hasta"), default=0)

    class Meta:
        verbose_name = _("contador de frecuencia")
        verbose_name_plural = _("contadores de frecuencia")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count}+{self.previous}"
