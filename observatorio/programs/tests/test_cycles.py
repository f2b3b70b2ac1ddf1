"""UPM runs reporting cycles from the site; everyone lands on their own work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from observatorio.accounts.testing import PASSWORD
from observatorio.programs import actions
from observatorio.programs.models import Program, ReportingCycle

S = Program.Status
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def last_cycle(db):
    return ReportingCycle.objects.create(
        edition=2024,
        name="Ciclo 2024 (julio 2023 – junio 2024)",
        period_start=dt.date(2023, 7, 1),
        period_end=dt.date(2024, 6, 30),
        opens_on=dt.date(2024, 7, 1),
        deadline=dt.date(2024, 7, 31),
        closes_on=dt.date(2024, 8, 15),
        published_on=dt.date(2024, 10, 1),
        contact="Rosa Pérez, rosa.perez@example.org",
    )


def test_a_new_cycle_starts_from_the_previous_one(client, cast, last_cycle):
    client.force_login(cast("reviewer"))
    page = client.get(reverse("reports:cycle_create")).content.decode()
    assert 'value="2025"' in page
    assert "Ciclo 2025 (julio 2024 – junio 2025)" in page
    assert 'value="2024-07-01"' in page and 'value="2025-06-30"' in page
    assert f'value="{(TODAY() + dt.timedelta(days=30)).isoformat()}"' in page  # deadline
    assert f'value="{(TODAY() + dt.timedelta(days=45)).isoformat()}"' in page  # closes
    assert "rosa.perez@example.org" in page


def test_a_reviewer_opens_extends_closes_and_publishes_a_cycle(client, cast, last_cycle):
    client.force_login(cast("reviewer"))
    today = TODAY()
    data = {
        "edition": "2025",
        "name": "Ciclo 2025 (julio 2024 – junio 2025)",
        "period_start": "2024-07-01",
        "period_end": "2025-06-30",
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=10)).isoformat(),
        "closes_on": (today + dt.timedelta(days=20)).isoformat(),
        "contact": "Rosa Pérez",
    }
    assert client.post(reverse("reports:cycle_create"), data).status_code == 302
    cycle = ReportingCycle.objects.get(edition=2025)
    assert cycle.is_open()
    extended = {**data, "deadline": (today + dt.timedelta(days=15)).isoformat()}
    assert client.post(reverse("reports:cycle_edit", args=[2025]), extended).status_code == 302
    cycle.refresh_from_db()
    assert cycle.deadline == today + dt.timedelta(days=15) and cycle.edition == 2025
    # Publishing an edition that still receives reports is refused, with the reason.
    client.post(reverse("reports:cycle_action", args=[2025, "publicar"]))
    cycle.refresh_from_db()
    assert cycle.published_on is None
    client.post(reverse("reports:cycle_action", args=[2025, "cerrar"]))
    cycle.refresh_from_db()
    assert not cycle.is_open() and cycle.closes_on < today
    page = client.get(reverse("reports:cycles")).content.decode()
    assert "Cerrado" in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("deadline", "2099-01-01", "La fecha límite es posterior al cierre del ciclo."),
        ("edition", "2024", "Ya existe"),
        ("edition", "24", "Escriba el año de la edición"),
        ("closes_on", "2000-01-01", "El ciclo cierra antes de abrir."),
        ("opens_on", "", "Este campo es obligatorio."),
    ],
)
def test_a_bad_cycle_gets_a_spanish_message_and_nothing_is_written(
    client, cast, last_cycle, field, value, message
):
    client.force_login(cast("reviewer"))
    data = {
        "edition": "2025",
        "name": "Ciclo 2025",
        "period_start": "2024-07-01",
        "period_end": "2025-06-30",
        "opens_on": TODAY().isoformat(),
        "deadline": (TODAY() + dt.timedelta(days=10)).isoformat(),
        "closes_on": (TODAY() + dt.timedelta(days=20)).isoformat(),
        field: value,
    }
    response = client.post(reverse("reports:cycle_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReportingCycle.objects.count() == 1


@pytest.mark.parametrize(
    "username", ["enlace_jalisco", "reporter_sre", "council_chihuahua", "outsider"]
)
def test_only_reviewers_run_cycles(client, cast, last_cycle, username):
    client.force_login(cast(username))
    assert client.get(reverse("reports:cycles")).status_code == 403
    assert client.get(reverse("reports:cycle_create")).status_code == 403
    assert client.post(reverse("reports:cycle_create"), {"edition": "2025"}).status_code == 403
    assert client.post(reverse("reports:cycle_edit", args=[2024]), {"name": "x"}).status_code == 403
    assert client.post(reverse("reports:cycle_action", args=[2024, "cerrar"])).status_code == 403
    last_cycle.refresh_from_db()
    assert last_cycle.name == "Ciclo 2024 (julio 2023 – junio 2024)"


def test_the_enlace_lands_on_what_is_due(client, cast, make_report, open_cycle):
    open_cycle.contact = "Rosa Pérez, rosa.perez@example.org"
    open_cycle.save()
    returned = make_report(state="14", status=S.SUBMITTED, title="Albergue temporal")
    actions.return_for_changes(returned, cast("reviewer"), "Agregue cifras.")
    make_report(state="14", title="Bolsa de trabajo")
    cast("enlace_jalisco")
    response = client.post(
        reverse("accounts:login"), {"username": "enlace_jalisco", "password": PASSWORD}
    )
    assert response["Location"] == reverse("reports:work")
    page = client.get(reverse("reports:work")).content.decode()
    assert "1 reporte devuelto" in page and "Albergue temporal" in page
    assert "1 borrador sin enviar" in page and "Bolsa de trabajo" in page
    assert "faltan 20 días" in page
    assert "rosa.perez@example.org" in page


def test_the_reviewer_lands_on_the_queue_and_the_completeness(client, cast, make_report):
    make_report(state="14", status=S.SUBMITTED, title="Albergue temporal")
    client.force_login(cast("reviewer"))
    page = client.get(reverse("reports:work")).content.decode()
    assert "1 reporte espera su revisión" in page and "Albergue temporal" in page
    assert "entidades enviaron" in page


def test_without_an_open_cycle_an_enlace_is_told_whom_to_ask(client, cast, last_cycle):
    client.force_login(cast("enlace_jalisco"))
    page = client.get(reverse("reports:work")).content.decode()
    assert "Ningún ciclo de reporte está abierto ahora." in page
    assert "rosa.perez@example.org" in page


def test_who_reports_nothing_lands_on_the_home_page(client, cast):
    client.force_login(cast("outsider"))
    assert client.get(reverse("reports:work"))["Location"] == reverse("portal:home")
