# SourceDocument and ImportRun now belong to the sources app, which keeps their tables
# (sources/0001_initial); every foreign key to them was moved first (programs/0005,
# practices/0002). Here they leave this app's state, and their content types are
# relabelled so that permissions and admin history stay attached to them.

from django.db import migrations

MODELS = ('sourcedocument', 'importrun')


def relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def to_sources(apps, schema_editor):
    relabel(apps, schema_editor, 'importers', 'sources')


def to_importers(apps, schema_editor):
    relabel(apps, schema_editor, 'sources', 'importers')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('importers', '0001_initial'),
        ('practices', '0002_source_document_in_sources'),
        ('programs', '0005_source_document_in_sources'),
        ('sources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ImportRun'),
                migrations.DeleteModel(name='SourceDocument'),
            ],
        ),
        migrations.RunPython(to_sources, to_importers),
    ]
