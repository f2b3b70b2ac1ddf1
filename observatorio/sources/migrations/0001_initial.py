# The models moved here from the importers app and keep its tables: this migration only
# tells Django's state that they now belong to this app (the tables were created by
# importers/0001_initial, on fresh and existing databases alike). The foreign keys that
# point to them follow in programs/0005 and practices/0002; importers/0002 drops the old
# state and moves the content types (and so permissions and admin history) here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('importers', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SourceDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='clave')),
                        ('title', models.CharField(max_length=300, verbose_name='título')),
                        ('publisher', models.CharField(blank=True, max_length=300, verbose_name='editor')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='año')),
                        ('file_name', models.CharField(max_length=200, verbose_name='archivo')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 del texto')),
                        ('line_count', models.PositiveIntegerField(verbose_name='líneas')),
                        ('licence', models.TextField(blank=True, verbose_name='licencia y crédito')),
                    ],
                    options={
                        'verbose_name': 'documento fuente',
                        'verbose_name_plural': 'documentos fuente',
                        'db_table': 'importers_sourcedocument',
                        'ordering': ['slug'],
                    },
                ),
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('importer', models.CharField(max_length=60, verbose_name='importador')),
                        ('started_at', models.DateTimeField(auto_now_add=True, verbose_name='inicio')),
                        ('created', models.PositiveIntegerField(default=0, verbose_name='creados')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='actualizados')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='sin cambios')),
                        ('warnings', models.JSONField(blank=True, default=list, verbose_name='advertencias')),
                        ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='runs', to='sources.sourcedocument', verbose_name='documento')),
                    ],
                    options={
                        'verbose_name': 'importación',
                        'verbose_name_plural': 'importaciones',
                        'db_table': 'importers_importrun',
                        'ordering': ['-started_at'],
                    },
                ),
            ],
        ),
    ]
