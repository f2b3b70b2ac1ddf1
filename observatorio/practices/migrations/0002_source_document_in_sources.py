# SourceDocument moved from the importers app to the sources app with its table
# (sources/0001_initial): the foreign keys change in Django's state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0001_initial'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='goodpractice',
                    name='source',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='practices', to='sources.sourcedocument', verbose_name='documento fuente'),
                ),
                migrations.AlterField(
                    model_name='panoramafigure',
                    name='source',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='panorama_figures', to='sources.sourcedocument'),
                ),
            ],
        ),
    ]
