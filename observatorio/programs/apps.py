from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "observatorio.programs"
    verbose_name = _("Programas y ciclos de reporte")
