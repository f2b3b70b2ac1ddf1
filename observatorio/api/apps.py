from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "observatorio.api"
    verbose_name = _("API")

    def ready(self):
        # Registers the schema extension for the token authentication.
        from . import schema  # noqa: F401
