from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "observatorio.assist"
    verbose_name = _("Asistencia a quien reporta y revisa")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the workflow's signals)
