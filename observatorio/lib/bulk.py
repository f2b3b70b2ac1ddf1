"""Writing many rows at once with the database's ``executemany``, for large imports.

Django's ``bulk_create`` and ``bulk_update`` build one statement per batch through the
query compiler: for tens of thousands of rows that machinery, not the database, takes
most of the time (an import of 50,000 indicator values spent 24 of its 33 seconds in
it). :func:`insert` and :func:`update` prepare each value with its field's own
``get_db_prep_save`` (so decimals, JSON and dates are stored as the ORM would store
them, ``auto_now`` included) and hand the rows to the driver. Like ``bulk_create``
they send no signals; unlike it, :func:`insert` does not return the new keys (read
them back by what identifies the rows). Both run in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models, router

BATCH = 2000
#: Fields whose Python value is already what the driver takes (no conversion to run on
#: every row): text, integers, booleans and keys.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _reader(field, connection, add: bool):
    """A function giving *field*'s value of an object as the database stores it."""
    if isinstance(field, _AS_IS) and not isinstance(field, models.DateField):
        return lambda obj, name=field.attname: getattr(obj, name)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, add), connection)


def _write(model, sql: str, rows: list[tuple]) -> None:
    connection = connections[router.db_for_write(model)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def insert(model, objects: Iterable) -> int:
    """INSERT the unsaved *objects* of *model* (every concrete field but the key)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    readers = [_reader(f, connection, True) for f in fields]
    rows = [tuple(read(obj) for read in readers) for obj in objects]
    if rows:
        columns = ", ".join(quote(f.column) for f in fields)
        places = ", ".join(["%s"] * len(fields))
        table = quote(model._meta.db_table)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({places})"  # noqa: S608 - own names
        _write(model, sql, rows)
    return len(rows)


def update(model, objects: Iterable, names: Sequence[str]) -> int:
    """UPDATE the fields *names* of saved *objects* of *model*, by primary key (fields
    with ``auto_now`` are updated too, as a save would)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    fields += [f for f in meta.concrete_fields if getattr(f, "auto_now", False) and f not in fields]
    readers = [_reader(f, connection, False) for f in fields]
    key = meta.pk
    rows = [(*(read(obj) for read in readers), obj.pk) for obj in objects]
    if rows:
        sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(key.column)} = %s"  # noqa: S608 - the model's own names
        _write(model, sql, rows)
    return len(rows)
