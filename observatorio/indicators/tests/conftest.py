"""Fixtures of the indicator values' tests: the catalogue and reporters of its institutions."""

from __future__ import annotations

import pytest

from observatorio.indicators import catalogue
from observatorio.indicators.models import Indicator


@pytest.fixture
def indicators(catalogs):
    """The starter catalogue, by code."""
    catalogue.load()
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def reporter_of(cast):
    """Return a function that creates a reporter of the institution *acronym*."""
    from django.contrib.auth import get_user_model

    from observatorio.accounts.models import Membership, Role
    from observatorio.accounts.testing import PASSWORD
    from observatorio.catalog.models import Institution

    def make(acronym: str):
        username = f"reporter_{acronym.lower()}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = get_user_model().objects.create_user(
                username, f"{username}@example.org", PASSWORD
            )
            Membership.objects.create(
                user=user, role=Role.REPORTER, institution=Institution.objects.get(acronym=acronym)
            )
        return user

    return make
