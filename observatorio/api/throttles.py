"""Request rates: per client address for anonymous clients, per user with a token.

The rates (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, from the variables
``OBSERVATORIO_API_ANON_RATE`` and ``OBSERVATORIO_API_USER_RATE``) are read on
every request, so a settings override applies at once.

How requests are counted
    Not with DRF's cache-based history (a list of timestamps read and written back on
    every request: on the database cache that is six statements, and two workers that
    read the same list at once lose one of the two requests), but with the site's rate
    counter, :func:`observatorio.ratelimit.counters.hit`: **one** atomic
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per request on the client's row, shared
    by every worker and every server of the site.

    The rate is checked on the counter's sliding window (:attr:`~observatorio.ratelimit.
    counters.Hit.estimate`). A refused request is taken back, so that a client that waits
    as told gets through; ``Retry-After`` says when one more fits under the same estimate.

The client's address is the site's one definition
(:func:`observatorio.ratelimit.clients.client_address`: ``X-Forwarded-For`` only from
``OBSERVATORIO_TRUSTED_PROXIES``), and an IPv6 client counts as its /64 network, as for the
log-in throttle.
"""

from __future__ import annotations

import time

from rest_framework import throttling
from rest_framework.settings import api_settings

from observatorio.ratelimit import counters
from observatorio.ratelimit.clients import address_key, client_address


class _DatabaseRateThrottle:
    """DRF's throttle interface over the site's rate counter (see the module's docstring)."""

    timer = time.time

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        address = client_address(request)
        return address_key(address) if address else ""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.hit = counters.hit(counters.make_key(ident), self.duration, self.timer())
        if self.hit.within(self.num_requests):
            return True
        self.hit.take_back()
        return False

    def wait(self):
        """Seconds until one more request fits, under the same estimate (at least 1)."""
        return self.hit.wait(self.num_requests)


class AnonThrottle(_DatabaseRateThrottle, throttling.AnonRateThrottle):
    pass


class UserThrottle(_DatabaseRateThrottle, throttling.UserRateThrottle):
    def get_cache_key(self, request, view):
        # Anonymous clients are counted by AnonThrottle alone.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
