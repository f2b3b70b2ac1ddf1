"""Fixtures of the API tests: tokens for the named cast, an open cycle, reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from observatorio.accounts.models import ApiToken
from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.programs.models import Program, ReportingCycle

# Rates high enough never to interfere; test_throttling lowers them.
UNTHROTTLED = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def unthrottled(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": UNTHROTTLED}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def make_report(open_cycle, cast):
    """A report of a state (INEGI code) or an institution (acronym) in the open cycle."""

    def make(*, state=None, institution=None, status=Program.Status.DRAFT, **extra):
        values = {
            "cycle": open_cycle,
            "section": Program.Section.STATE if state else Program.Section.FEDERAL,
            "objective": GcmObjective.objects.get(number=extra.pop("objective", 7)),
            "title": "Atención integral a personas migrantes",
            "state": State.objects.get(inegi_code=state) if state else None,
            "status": status,
            "description": "Brinda orientación jurídica y canaliza a servicios.",
            "results": "Se atendió a 1,200 personas.",
            "challenges": "Falta de personal.",
            "start_date": dt.date(2021, 1, 1),
            "permanent": True,
            "execution": Program.Execution.ACTIVE,
        }
        program = Program.objects.create(**{**values, **extra})
        if institution:
            program.institutions.add(Institution.objects.get(acronym=institution))
        return program

    return make
