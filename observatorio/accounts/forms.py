"""Log-in forms that explain a refusal by the log-in throttle instead of blaming the password."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttle


class ThrottleMessageMixin:
    """Say "too many attempts, wait N minutes (or seconds)" when the backend refused the
    attempt."""

    def refusal(self) -> throttle.Refusal | None:
        return getattr(self.request, throttle.REFUSAL, None) if self.request else None

    def get_invalid_login_error(self):
        refusal = self.refusal()
        if refusal:
            return forms.ValidationError(refusal.message(), code="throttled")
        return super().get_invalid_login_error()


class LoginForm(ThrottleMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    pass


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del token"),
        max_length=100,
        help_text=_("Para qué o dónde lo usará, p. ej. «carga desde el sistema estatal»."),
    )
