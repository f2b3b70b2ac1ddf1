from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "observatorio.search"
    verbose_name = _("Búsqueda")

    def ready(self) -> None:
        # Keep the data version in step with what the portal shows (see version.py).
        from django.core.signals import request_finished, request_started

        from . import signals, version

        signals.connect()
        # The data version is read once per request (version.current).
        request_started.connect(version.request_started, dispatch_uid="search.version.start")
        request_finished.connect(version.request_finished, dispatch_uid="search.version.end")
