from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("cobertura/", views.coverage_page, name="coverage"),
]
