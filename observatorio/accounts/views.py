"""Log-in page: Django's, answering 429 while the log-in throttle refuses attempts."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        seconds = form.locked_for()
        if seconds:
            response.status_code = 429
            response["Retry-After"] = str(seconds)
        return response
