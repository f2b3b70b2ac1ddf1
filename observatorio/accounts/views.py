"""Log-in page (Django's, answering 429 while the log-in throttle refuses attempts) and the
user's API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import permissions
from .forms import ApiTokenForm, LoginForm
from .models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        refusal = form.refusal()
        if refusal:
            response.status_code = 429
            response["Retry-After"] = str(refusal.seconds)
        return response


@login_required
def api_tokens(request):
    """The user's API tokens: create one (its key is shown only in this answer) and revoke."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": permissions.visible(request.user), "new_key": new_key},
    )
    # The key must not stay in any cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def api_token_revoke(request, pk):
    """Revoke one of the user's tokens (POST): it stops working at once."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # Another person's token answers 404 exactly like one that does not exist.
    token = get_object_or_404(permissions.visible(request.user), pk=pk)
    if token.revoke():
        messages.success(
            request, _("Se revocó el token «%(name)s»: ya no funciona.") % {"name": token.name}
        )
    else:
        messages.info(request, _("Ese token ya estaba revocado."))
    return redirect("accounts:api_tokens")
