"""``observatorio load_indicators``: the starter catalogue of indicators (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from observatorio.indicators import followup, panorama
from observatorio.indicators.catalogue import load


class Command(BaseCommand):
    help = (
        "Carga o actualiza el catálogo inicial de indicadores (data/indicators.json) y los "
        "valores de los panoramas del estudio de buenas prácticas y el indicador de seguimiento."
    )

    def handle(self, *args, **options):
        loaded = load()
        self.stdout.write(
            _(
                "Indicadores: %(created)d nuevos, %(updated)d actualizados, "
                "%(unchanged)d sin cambios."
            )
            % vars(loaded)
        )
        figures = panorama.load()
        self.stdout.write(
            _("Valores de los panoramas: %(written)d; cifras que no son valores: %(skipped)d.")
            % {"written": figures.written, "skipped": figures.skipped.total()}
        )
        rewritten = followup.refresh()
        self.stdout.write(
            _("Indicador de seguimiento: %(count)d ciclos recalculados de los reportes.")
            % {"count": rewritten}
        )
        if options["verbosity"] > 1:
            for reason, count in figures.skipped.most_common():
                self.stdout.write(f"  {count:>4}  {reason}")
