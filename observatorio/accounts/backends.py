"""The authentication backend: Django's model backend behind the log-in throttle."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from observatorio.ratelimit.clients import client_address

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Count each attempt before checking its password; refuse locked or held ones unchecked.

    See :mod:`observatorio.accounts.throttle` for the policy and the design.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        attempt = throttle.begin(username, client_address(request))
        if isinstance(attempt, throttle.Refusal):
            if request is not None:
                setattr(request, throttle.REFUSAL, attempt)
            # Stops authenticate() from asking any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            attempt.failed()
        else:
            attempt.succeeded()
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )
