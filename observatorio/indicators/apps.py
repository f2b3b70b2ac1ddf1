from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "observatorio.indicators"
    verbose_name = _("Indicadores")

    def ready(self):
        from . import followup

        followup.connect()
