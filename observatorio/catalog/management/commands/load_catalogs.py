"""Create or complete the reference catalogues from the bundled JSON files."""

from django.core.management.base import BaseCommand, CommandError

from observatorio.catalog.loading import CatalogError, load_catalogs


class Command(BaseCommand):
    help = "Carga o completa los catálogos de referencia (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Sobrescribe con los archivos los campos editados en la administración.",
        )

    def handle(self, *args, update=False, **options):
        try:
            counts = load_catalogs(update=update)
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        if not counts:
            self.stdout.write("Catálogos al día; no hubo cambios.")
            return
        for key, value in sorted(counts.items()):
            self.stdout.write(f"{key.replace('_', ' ')}: {value}")
