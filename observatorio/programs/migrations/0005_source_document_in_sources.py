# SourceDocument moved from the importers app to the sources app with its table
# (sources/0001_initial): the foreign key changes in Django's state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0004_public_order_index'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='program',
                    name='source',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='programs', to='sources.sourcedocument', verbose_name='documento fuente'),
                ),
            ],
        ),
    ]
