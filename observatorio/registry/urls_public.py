"""URLs of the public centre pages, under /centros/ (the staff's registry is in urls.py)."""

from django.urls import path

from . import public_views

app_name = "centres"

urlpatterns = [
    path("", public_views.centre_list, name="list"),
    path("<slug:code>/", public_views.centre_page, name="centre"),
]
