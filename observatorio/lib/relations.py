"""Model fields declared the same way across the apps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def optional(to, on_delete, related_name: str, verbose_name, **more) -> models.ForeignKey:
    """A foreign key a record may lack: null in the database, blank in forms."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **more,
    )


def owner(related_name: str, field=models.ForeignKey) -> models.ForeignKey:
    """The user a row belongs to: it goes when the user's account is deleted."""
    return field(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("usuario"),
    )


def acting_user(verbose_name) -> models.ForeignKey:
    """The user who did or wrote something: the account stays while the record does."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )
