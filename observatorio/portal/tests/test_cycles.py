"""The public pages stay on the last complete edition while a new cycle is being published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from observatorio.programs.models import Program, ReportingCycle
from observatorio.published.cycles import default_cycle, published_cycles

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_cycle_with_one_report(real_data, make_report, open_cycle):
    make_report(state="14", status=Program.Status.PUBLISHED, number=1, objective=10)
    return open_cycle


def test_a_cycle_is_complete_once_closed_and_its_edition_published():
    today = timezone.localdate()
    cycle = ReportingCycle(
        edition=2030,
        period_start=dt.date(2029, 7, 1),
        period_end=dt.date(2030, 6, 30),
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
    )
    assert not cycle.is_complete()
    cycle.published_on = today
    assert not cycle.is_complete()  # still open to reports
    cycle.closes_on = today - dt.timedelta(days=1)
    assert cycle.is_complete()
    cycle.published_on = today + dt.timedelta(days=1)
    assert not cycle.is_complete()  # announced, not yet published


def test_one_published_report_of_a_new_cycle_does_not_replace_the_last_edition(
    client, new_cycle_with_one_report
):
    assert [c.edition for c in published_cycles()] == [2023, 2022]
    assert default_cycle(published_cycles()).edition == 2022
    home = client.get("/").content.decode()
    assert "Compendio General 2022" in home
    assert "<strong>228</strong> programas federales" in home
    assert client.get("/api/v1/coverage/").json()["cycle"] == 2022
    objective = client.get("/objetivos/10/").content.decode()
    assert "Ciclo en curso" not in objective
    assert "(en curso)" in objective  # offered in the selector


def test_the_cycle_in_progress_shows_its_own_progress_and_links_the_last_edition(
    client, new_cycle_with_one_report
):
    page = client.get("/objetivos/10/?ciclo=2023").content.decode()
    assert "Ciclo en curso" in page
    assert 'href="?ciclo=2022"' in page
    home = client.get("/?ciclo=2023").content.decode()
    assert "<strong>0</strong> programas federales" in home
    assert "Ciclo en curso" in home
