"""Project URLs."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Observatorio — administración")
admin.site.site_title = _("Observatorio")
admin.site.index_title = _("Catálogos, programas e importaciones")

# Under /api/ Django's own 400 and 500 answers are JSON too (observatorio/api/errors.py).
handler400 = "observatorio.api.errors.bad_request"
handler500 = "observatorio.api.errors.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API keeps one address whatever the language (observatorio/api/).
    path("api/", include("observatorio.api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("cuentas/", include("observatorio.accounts.urls")),
    path("avisos/", include("observatorio.notifications.urls")),
    path("practicas/", include("observatorio.practices.urls")),
    path("reportes/", include("observatorio.programs.urls_reports")),
    path("asistencia/", include("observatorio.assist.urls")),
    path("reportes/completitud/", include("observatorio.programs.urls_completeness")),
    path("reportes/hoja/", include("observatorio.programs.urls_spreadsheet")),
    path("datos/versiones/", include("observatorio.publications.urls")),
    path("publicaciones/", include("observatorio.publications.urls_documents")),
    # Before the portal: its indicadores/<code>/ would take captura/ for an indicator.
    path("coordinacion/", include("observatorio.coordination.urls")),
    path("centros/", include("observatorio.registry.urls_public")),
    path("registro/", include("observatorio.registry.urls")),
    path("indicadores/captura/", include("observatorio.indicators.urls_values")),
    path("", include("observatorio.portal.urls")),
    prefix_default_language=False,
)
