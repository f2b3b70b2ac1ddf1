"""``observatorio load_registry``: the needs catalogue, the centres and their services."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from observatorio.registry.loading import load


class Command(BaseCommand):
    help = (
        "Carga el catálogo de necesidades, los centros que nombran los acuerdos de la CIAIMM "
        "con sus servicios, y un indicador por necesidad. Idempotente."
    )

    def handle(self, *args, **options):
        loaded = load()
        self.stdout.write(
            _(
                "Registro: %(n)d necesidades, %(c)d centros, %(s)d servicios y %(i)d "
                "indicadores nuevos."
            )
            % {"n": loaded.needs, "c": loaded.centres, "s": loaded.services, "i": loaded.indicators}
        )
