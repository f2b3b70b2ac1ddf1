"""Prepare a database: migrations, catalogues and the bundled source documents."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Aplica las migraciones, crea la tabla de la caché, carga los catálogos e importa "
        "los documentos fuente incluidos. Idempotente: ejecutarlo de nuevo no cambia nada."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        # The shared cache lives in a database table (rate limits do not use it).
        call_command("createcachetable", verbosity=max(verbosity - 1, 0))
        call_command("load_catalogs", verbosity=verbosity, stdout=self.stdout)
        compendium = settings.SOURCE_DATA_DIR / "compendio-general-2022.txt"
        call_command(
            "import_compendium",
            str(compendium),
            commit=True,
            verbosity=verbosity,
            stdout=self.stdout,
        )
        study = settings.SOURCE_DATA_DIR / "buenas-practicas-oim-conofam.txt"
        call_command(
            "import_practices", str(study), commit=True, verbosity=verbosity, stdout=self.stdout
        )
        # After the imports: the catalogue cites their documents.
        call_command("load_indicators", verbosity=verbosity, stdout=self.stdout)
        call_command("load_coordination", commit=True, verbosity=verbosity, stdout=self.stdout)
        call_command("load_registry", verbosity=verbosity, stdout=self.stdout)
        call_command("rebuild_search_index", verbosity=verbosity, stdout=self.stdout)
        # Objective suggestions learn from the published programs (skipped when unchanged).
        call_command("train_suggestions", verbosity=verbosity, stdout=self.stdout)
