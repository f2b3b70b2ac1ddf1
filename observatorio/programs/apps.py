from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "observatorio.programs"
    verbose_name = _("Programas y ciclos de reporte")

    def ready(self) -> None:
        from . import notifying

        # The workflow's changes become notices to whoever they concern.
        notifying.connect()
