"""Fixtures of the API tests: tokens for the named cast and an open cycle of 2025 (the
shared ``make_report`` of observatorio/conftest.py creates reports in it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from observatorio.accounts.models import ApiToken
from observatorio.programs.models import ReportingCycle

# Rates high enough never to interfere; test_throttling lowers them.
UNTHROTTLED = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def unthrottled(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": UNTHROTTLED}


@pytest.fixture(autouse=True)
def _fast_hasher(fast_hasher):
    """Every API test signs in with a token: the cheap hasher (observatorio/conftest.py)."""


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def client_for(cast):
    """An API client authenticated with a new token of the named cast member."""

    def make(username: str) -> APIClient:
        _token, key = ApiToken.issue(cast(username), "pruebas")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        api.key = key
        return api

    return make


@pytest.fixture
def open_cycle(db):
    today = timezone.localdate()
    return ReportingCycle.objects.create(
        edition=2025,
        name="Ciclo 2025",
        period_start=dt.date(2024, 7, 1),
        period_end=dt.date(2025, 6, 30),
        opens_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=40),
    )
