"""Documents generated in the background: request, follow, download (/publicaciones/)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_request, name="request"),
    path("<int:pk>/", views.document_status, name="status"),
    path("<int:pk>/descargar", views.document_download, name="download"),
]
