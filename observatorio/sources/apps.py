from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "observatorio.sources"
    verbose_name = _("Importaciones y fuentes")
