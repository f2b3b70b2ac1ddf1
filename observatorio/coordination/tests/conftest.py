"""Fixtures of the coordination tests: a council in Jalisco and one in Chiapas, a federal
body, their sessions and agreements, and the named cast (accounts/testing.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from observatorio.catalog.models import Institution, State
from observatorio.coordination.models import Agreement, Body, Session, StoredFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db, cast):
    """Bodies of two states and a federal one; an internal session with minutes in Jalisco."""
    jalisco, chiapas, chihuahua = (State.objects.get(inegi_code=c) for c in ("14", "07", "08"))
    sre = Institution.objects.get(acronym="SRE")
    segob = Institution.objects.get(acronym="SEGOB")
    jal = Body.objects.create(
        key="jal-consejo",
        name="Consejo Estatal de Jalisco",
        kind=Body.Kind.STATE_COUNCIL,
        state=jalisco,
        installed_on=dt.date(2020, 1, 10),
    )
    chis = Body.objects.create(
        key="chis-consejo",
        name="Consejo Estatal de Chiapas",
        kind=Body.Kind.STATE_COUNCIL,
        state=chiapas,
    )
    chh = Body.objects.create(
        key="chh-consejo",
        name="Consejo Estatal de Chihuahua",
        kind=Body.Kind.STATE_COUNCIL,
        state=chihuahua,
    )
    federal = Body.objects.create(
        key="comision",
        name="Comisión Intersecretarial",
        acronym="CI",
        kind=Body.Kind.COMMISSION,
        lead_institution=sre,
    )
    minutes = StoredFile.keep("acta-interna.pdf", "application/pdf", PDF)
    internal = Session.objects.create(
        body=jal,
        date=dt.date(2024, 3, 1),
        number=1,
        minutes=minutes,
        minutes_public=False,
        description="Sesión con acta interna",
    )
    public_minutes = StoredFile.keep("acta-publica.pdf", "application/pdf", PDF)
    open_session = Session.objects.create(
        body=jal, date=dt.date(2024, 6, 1), number=2, minutes=public_minutes, minutes_public=True
    )
    draft = Session.objects.create(body=jal, date=dt.date(2024, 9, 1), number=3, public=False)
    today = timezone.localdate()
    agreements = {}
    for key, body, responsible, public in (
        ("jal", jal, [segob], True),
        ("jal-internal", jal, [segob], False),
        ("chis", chis, [sre], True),
        ("chh", chh, [segob], True),
        ("federal", federal, [sre], True),
    ):
        a = Agreement.objects.create(
            body=body,
            text=f"Acuerdo {key}",
            agreed_on=today - dt.timedelta(days=30),
            due_on=today + dt.timedelta(days=30),
            public=public,
        )
        a.responsible.set(responsible)
        agreements[key] = a
    for name in (
        "enlace_jalisco",
        "enlace_chiapas",
        "reporter_sre",
        "reviewer",
        "council_chihuahua",
        "outsider",
    ):
        cast(name)
    return {
        "jal": jal,
        "chis": chis,
        "chh": chh,
        "federal": federal,
        "internal": internal,
        "open": open_session,
        "draft": draft,
        "agreements": agreements,
    }
