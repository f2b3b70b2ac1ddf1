from django.contrib.auth import views as auth_views
from django.urls import path

from observatorio.lib.access import public

from .views import LoginView, api_token_revoke, api_tokens

app_name = "accounts"

urlpatterns = [
    path("entrar/", public(LoginView.as_view()), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revocar/", api_token_revoke, name="api_token_revoke"),
]
