"""URLs of the value capture pages (see views.py), under /indicadores/captura/."""

from django.urls import path

from . import views

app_name = "indicator_values"

urlpatterns = [
    path("", views.value_list, name="list"),
    path("nuevo/", views.value_form, name="form"),
    path("lote/", views.batch, name="batch"),
    path("importar/", views.value_import, name="import"),
    path("<int:pk>/", views.value_detail, name="detail"),
]
