from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishedConfig(AppConfig):
    """The read layer: everything the public sees, read one way (see ARCHITECTURE.md)."""

    name = "observatorio.published"
    # The models (search entries, postings, the data version) were created under this label.
    label = "search"
    verbose_name = _("Datos publicados")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from . import signals, version
        from .opendata import renderers  # noqa: F401  (registers the download formats)

        # Keep the data version, and so every cache, in step with what the public sees.
        signals.connect()
        # The data version is read once per request (version.current).
        request_started.connect(version.request_started, dispatch_uid="search.version.start")
        request_finished.connect(version.request_finished, dispatch_uid="search.version.end")
