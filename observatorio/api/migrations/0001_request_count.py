"""The API's request counters; on PostgreSQL an UNLOGGED table (see RequestCount)."""

from django.db import migrations, models


def unlogged(apps, schema_editor):
    """On PostgreSQL, no write-ahead log for the counters: a request's count then commits
    without waiting for the disk (they are worth nothing after a crash, which empties the
    table). SQLite has no such thing and needs none (WAL mode, synchronous=NORMAL)."""
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name("api_requestcount")
        schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="RequestCount",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=64, primary_key=True, serialize=False, verbose_name="clave"
                    ),
                ),
                ("period", models.BigIntegerField(verbose_name="ventana")),
                ("count", models.PositiveIntegerField(verbose_name="peticiones en la ventana")),
                (
                    "previous",
                    models.PositiveIntegerField(verbose_name="peticiones en la ventana anterior"),
                ),
                ("expires", models.FloatField(db_index=True, verbose_name="caduca")),
            ],
            options={
                "verbose_name": "contador de peticiones a la API",
                "verbose_name_plural": "contadores de peticiones a la API",
            },
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop, elidable=True),
    ]
