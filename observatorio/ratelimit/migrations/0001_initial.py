"""The rate counters (the API's former api.RequestCount, with blocks), UNLOGGED on PostgreSQL."""

from django.db import migrations, models


def unlogged(apps, schema_editor):
    """On PostgreSQL, no write-ahead log for the counters: a count then commits without
    waiting for the disk (they are worth nothing after a crash, which empties the table).
    SQLite has no such thing and needs none (WAL mode, synchronous=NORMAL)."""
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name("ratelimit_counter")
        schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=64, primary_key=True, serialize=False, verbose_name="clave"
                    ),
                ),
                ("period", models.BigIntegerField(verbose_name="ventana")),
                ("count", models.PositiveIntegerField(verbose_name="eventos en la ventana")),
                (
                    "previous",
                    models.PositiveIntegerField(verbose_name="eventos en la ventana anterior"),
                ),
                ("expires", models.FloatField(db_index=True, verbose_name="caduca")),
                ("blocked_until", models.FloatField(default=0, verbose_name="bloqueada hasta")),
            ],
            options={
                "verbose_name": "contador de frecuencia",
                "verbose_name_plural": "contadores de frecuencia",
            },
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop, elidable=True),
    ]
