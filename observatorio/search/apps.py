from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "observatorio.search"
    verbose_name = _("Búsqueda")

    def ready(self) -> None:
        # Keep the data version in step with what the portal shows (see version.py).
        from . import signals

        signals.connect()
