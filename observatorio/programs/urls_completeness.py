"""URLs of the completeness pages (see views_completeness.py)."""

from django.urls import path

from . import views_completeness as views

app_name = "completeness"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:edition>/", views.dashboard, name="cycle"),
]
