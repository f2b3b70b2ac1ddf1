from django.urls import path

from . import pages, search_views, views, views_indicators
from . import views_opendata as opendata

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("cobertura/", views.coverage_page, name="coverage"),
    path("buscar/", search_views.search_page, name="search"),
    path("buscar/programas.<str:fmt>", opendata.search_download, name="download"),
    path("datos/", opendata.opendata_page, name="opendata"),
    path("datos/datapackage.json", opendata.datapackage, name="datapackage"),
    path("datos/<slug:slug>.<str:fmt>", opendata.dataset_download, name="dataset"),
    path("programas/<int:pk>/", pages.program_page, name="program"),
    path("entidades/", pages.states_page, name="states"),
    path("entidades/<slug:slug>/", pages.state_page, name="state"),
    path("objetivos/", pages.objectives_page, name="objectives"),
    path("objetivos/<int:number>/", pages.objective_page, name="objective"),
    path("instituciones/", pages.institutions_page, name="institutions"),
    path("instituciones/<str:acronym>/", pages.institution_page, name="institution"),
    path("indicadores/", views_indicators.indicators_page, name="indicators"),
    path("indicadores/<slug:code>/", views_indicators.indicator_page, name="indicator"),
]
