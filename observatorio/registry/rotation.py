"""Key rotation: every sealed column rewritten under the current key, indexes recomputed."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from . import crypto
from .models import Person, Sealed

BATCH = 2000


@dataclass
class Rotated:
    current: str
    values: int = 0
    outdated: int = 0
    rows: int = 0


def _sealed_models():
    for model in apps.get_app_config("registry").get_models():
        fields = [f for f in model._meta.fields if isinstance(f, Sealed)]
        if fields:
            yield model, fields


def rotate(*, commit: bool) -> Rotated:
    """Count (and with *commit*, rewrite) the sealed values not under the current key."""
    current = crypto.keys().current
    result = Rotated(current)
    with transaction.atomic():
        for model, fields in _sealed_models():
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - own names
                for row in cursor.fetchall():
                    for token in row:
                        if token:
                            result.values += 1
                            result.outdated += crypto.key_of(token) != current
            if not commit:
                continue
            names = [f.name for f in fields]
            for start in range(0, model.objects.count(), BATCH):
                batch = list(model.objects.order_by("pk")[start : start + BATCH])
                for obj in batch:
                    if isinstance(obj, Person):
                        obj.index()
                # Saving writes every sealed field again (encrypted with the current key).
                update = names + (
                    ["curp_index", "phone_index", "identity_index"] if model is Person else []
                )
                model.objects.bulk_update(batch, update, batch_size=500)
                result.rows += len(batch)
    return result
