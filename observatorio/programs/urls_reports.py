"""URLs of the report form, workflow and history (see views_reports.py)."""

from django.urls import path

from . import views_cycles
from . import views_reports as views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("nuevo/", views.report_create, name="create"),
    path("lote/", views.report_bulk, name="bulk"),
    path("mi-trabajo/", views_cycles.my_work, name="work"),
    path("ciclos/", views_cycles.cycle_list, name="cycles"),
    path("ciclos/nuevo/", views_cycles.cycle_create, name="cycle_create"),
    path("ciclos/<int:edition>/", views_cycles.cycle_edit, name="cycle_edit"),
    path("ciclos/<int:edition>/<slug:verb>/", views_cycles.cycle_action, name="cycle_action"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/editar/", views.report_edit, name="edit"),
    path("<int:pk>/historial/", views.report_history, name="history"),
    path("<int:pk>/comentar/", views.report_comment, name="comment"),
    path("<int:pk>/<slug:verb>/", views.report_transition, name="transition"),
]
