from django.urls import path

from . import views

app_name = "assist"

urlpatterns = [
    path("", views.agreement, name="agreement"),
    path("objetivos/", views.objectives, name="objectives"),
    path("reportes/<str:pk>/", views.panel, name="panel"),
    path("reportes/<str:pk>/vinculo/", views.link, name="link"),
]
