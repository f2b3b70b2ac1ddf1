"""URLs of the spreadsheet pages (see views_spreadsheet.py)."""

from django.urls import path

from . import views_spreadsheet as views

app_name = "spreadsheet"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("plantilla/", views.template_download, name="template"),
]
