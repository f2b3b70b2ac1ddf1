from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("<int:pk>/evaluaciones/", views.ratings, name="ratings"),
    path("<int:pk>/evaluar/", views.rate, name="rate"),
]
