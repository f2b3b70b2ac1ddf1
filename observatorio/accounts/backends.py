"""The authentication backend: Django's model backend behind the log-in throttle."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Refuse attempts for a locked username or address before checking the password.

    Failures are counted here and a success clears the username's failures; see
    :mod:`observatorio.accounts.throttle` for the policy and the design.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = throttle.client_address(request)
        seconds = throttle.locked_for(username, address)
        if seconds:
            throttle.record_refusal(username, address, seconds)
            if request is not None:
                setattr(request, throttle.LOCKED_FOR, seconds)
            # Stops authenticate() from asking any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(username, address)
        else:
            throttle.reset_username(username)
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )
