from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "observatorio.publications"
    verbose_name = _("Publicaciones")

    def ready(self) -> None:
        # Register the compendium's and the factsheets' formats (lib/renderers).
        from . import factsheet  # noqa: F401
        from .renderers import docx, pdf  # noqa: F401
