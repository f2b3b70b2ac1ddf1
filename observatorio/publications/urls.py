from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("", views.release_list, name="releases"),
    path("<int:number>/", views.release_detail, name="release"),
    path("<int:number>/<str:name>", views.release_file, name="release-file"),
]
