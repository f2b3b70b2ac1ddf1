"""The indicator values' policy: who sees, enters, approves and unlocks which values."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from observatorio.indicators import permissions
from observatorio.indicators.models import Value

pytestmark = pytest.mark.django_db


def value(indicator, review="borrador", state="", **cell):
    return Value.objects.create(
        indicator=indicator,
        period=2024,
        state=state,
        value=10,
        review=review,
        origin=Value.Origin.FORM,
        **cell,
    )


def test_approved_values_are_public_and_drafts_are_work(indicators, cast, reporter_of):
    entries = indicators["entradas-registradas"]  # UPMRIP, by state
    approved = value(entries, "aprobado", "14")
    draft = value(entries, "borrador", "07")
    anyone = AnonymousUser()
    assert permissions.can(anyone, "view", approved)
    assert not permissions.can(anyone, "view", draft)
    assert permissions.can(cast("reviewer"), "view", draft)
    assert permissions.can(reporter_of("UPMRIP"), "view", draft)
    assert permissions.can(cast("enlace_chiapas"), "view", draft)
    for outsider in ("enlace_jalisco", "reporter_sre", "council_chihuahua", "outsider"):
        assert not permissions.can(cast(outsider), "view", draft), outsider
    assert set(permissions.visible(anyone)) == {approved}
    assert set(permissions.visible(cast("enlace_jalisco"))) == {approved}
    assert set(permissions.visible(cast("enlace_chiapas"))) == {approved, draft}
    assert set(permissions.workable(cast("enlace_chiapas"))) == {draft}
    assert set(permissions.visible(cast("council_chihuahua"))) == {approved}
    assert set(permissions.visible(cast("reviewer"))) == {approved, draft}


def test_who_enters_values_of_an_indicator(indicators, cast, reporter_of):
    entries = indicators["entradas-registradas"]  # UPMRIP, broken down by state
    refuge = indicators["refugio-solicitudes"]  # COMAR, national only
    assert permissions.can(reporter_of("UPMRIP"), "submit", entries)
    assert not permissions.can(reporter_of("UPMRIP"), "submit", refuge)
    assert permissions.can(reporter_of("COMAR"), "submit", refuge)
    assert not permissions.can(cast("reporter_sre"), "submit", entries)
    assert permissions.can(cast("enlace_jalisco"), "submit", entries)
    assert not permissions.can(cast("enlace_jalisco"), "submit", refuge)
    assert permissions.can(cast("reviewer"), "submit", refuge)
    assert not permissions.can(cast("council_chihuahua"), "submit", entries)
    assert not permissions.can(AnonymousUser(), "submit", entries)

    jalisco = Value(indicator=entries, period=2024, state="14")
    chiapas = Value(indicator=entries, period=2024, state="07")
    national = Value(indicator=entries, period=2024, state="")
    enlace = cast("enlace_jalisco")
    assert permissions.can(enlace, "edit", jalisco)
    refused = permissions.can(enlace, "edit", chiapas)
    assert not refused and "propia entidad" in refused.reason
    assert not permissions.can(enlace, "edit", national)
    assert {i.code for i in permissions.submittable(enlace)} >= {"entradas-registradas"}
    assert "refugio-solicitudes" not in {i.code for i in permissions.submittable(enlace)}
    assert not permissions.submittable(AnonymousUser()).exists()


def test_approved_values_are_locked_and_only_reviewers_approve(indicators, cast, reporter_of):
    entries = indicators["entradas-registradas"]
    approved = value(entries, "aprobado", "14")
    refused = permissions.can(reporter_of("UPMRIP"), "edit", approved)
    assert not refused and refused.conflict
    assert not permissions.can(cast("reviewer"), "edit", approved)
    for action in ("approve", "unlock"):
        assert permissions.can(cast("reviewer"), action, entries)
        for user in ("enlace_jalisco", "council_academia", "outsider"):
            assert not permissions.can(cast(user), action, entries)
        assert not permissions.can(reporter_of("UPMRIP"), action, entries)
        assert not permissions.can(AnonymousUser(), action, entries)


def test_a_hidden_value_is_a_404_like_a_missing_one(indicators, cast):
    from django.http import Http404

    draft = value(indicators["entradas-registradas"], "borrador", "07")
    for pk in (draft.pk, 999999, "x1"):
        with pytest.raises(Http404):
            permissions.get_or_404(cast("enlace_jalisco"), pk)
    assert permissions.get_or_404(cast("enlace_chiapas"), draft.pk) == draft
