"""Request rates: per client address for anonymous clients, per user with a token.

The rates (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, from the variables
``OBSERVATORIO_API_ANON_RATE`` and ``OBSERVATORIO_API_USER_RATE``) are read on
every request, so a settings override applies at once; the counters live in the
default cache (the database), shared by every worker.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(_RateFromSettings, throttling.UserRateThrottle):
    def get_cache_key(self, request, view):
        # Anonymous clients are counted by AnonThrottle alone.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
