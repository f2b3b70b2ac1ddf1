from django.contrib.auth import views as auth_views
from django.urls import path

from observatorio.lib.access import public

app_name = "accounts"

urlpatterns = [
    path(
        "entrar/",
        public(auth_views.LoginView.as_view(template_name="accounts/login.html")),
        name="login",
    ),
    path("salir/", public(auth_views.LogoutView.as_view()), name="logout"),
]
