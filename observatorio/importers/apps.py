from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "observatorio.importers"
    verbose_name = _("Importaciones y fuentes")
