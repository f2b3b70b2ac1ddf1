from django.urls import path

from . import search_views, views

app_name = "portal"

urlpatterns = [
    path("cobertura/", views.coverage_page, name="coverage"),
    path("buscar/", search_views.search_page, name="search"),
]
