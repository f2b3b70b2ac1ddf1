from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "observatorio.practices"
    verbose_name = _("Buenas prácticas")
