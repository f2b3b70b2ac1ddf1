from django.urls import path

from . import views, views_public

app_name = "practices"

urlpatterns = [
    path("", views_public.practice_list, name="list"),
    path("<int:pk>/", views_public.practice_detail, name="detail"),
    path("<int:pk>/evaluaciones/", views.ratings, name="ratings"),
    path("<int:pk>/evaluar/", views.rate, name="rate"),
]
