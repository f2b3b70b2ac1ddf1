"""Model fields declared the same way across the apps."""

from __future__ import annotations

from django.db import models


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
