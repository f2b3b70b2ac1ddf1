"""``observatorio load_indicators``: the starter catalogue of indicators (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from observatorio.indicators.catalogue import load


class Command(BaseCommand):
    help = "Carga o actualiza el catálogo inicial de indicadores (data/indicators.json)."

    def handle(self, *args, **options):
        loaded = load()
        self.stdout.write(
            _(
                "Indicadores: %(created)d nuevos, %(updated)d actualizados, "
                "%(unchanged)d sin cambios."
            )
            % vars(loaded)
        )
