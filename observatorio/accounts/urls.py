from django.contrib.auth import views as auth_views
from django.urls import path

from observatorio.lib.access import public

from .views import LoginView

app_name = "accounts"

urlpatterns = [
    path("entrar/", public(LoginView.as_view()), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
]
