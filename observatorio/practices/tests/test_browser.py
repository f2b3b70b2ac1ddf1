"""A rater rates a practice in Debian's chromium; a rater of its own state is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.catalog.models import State
from observatorio.practices.models import GoodPractice, Qualification

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def practice(catalogs):
    return GoodPractice.objects.create(
        state=State.objects.get(inegi_code="08"),
        number=3,
        title="Red de albergues para personas migrantes en tránsito",
        marks_from=GoodPractice.MarksFrom.RATERS,
    )


def test_a_rater_rates_a_practice_and_sees_the_panel(live_server, page, practice, cast):
    cast("council_academia")
    log_in(page, live_server, "council_academia")
    page.goto(live_server.url + reverse("practices:rate", args=[practice.pk]))
    for criterion in ["Sostenibilidad", "Asociación", "Innovación"]:
        page.get_by_role("group", name=criterion).get_by_label("Cumple", exact=True).check()
    page.get_by_role("group", name="Replicabilidad").get_by_label("No cumple").check()
    page.get_by_role("button", name="Guardar evaluación").click()
    expect(page.get_by_role("alert")).to_contain_text("Revise los campos marcados")
    expect(page.get_by_text("Justifique la marca del criterio «Sostenibilidad».")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "practice-rate-errors.png"), full_page=True)

    for criterion in ["Sostenibilidad", "Asociación", "Innovación", "Replicabilidad"]:
        page.get_by_role("group", name=criterion).get_by_label("Justificación").fill(
            f"La ficha documenta el criterio de {criterion.lower()}."
        )
    page.get_by_role("button", name="Guardar evaluación").click()
    expect(page.get_by_role("status")).to_contain_text("Se guardó su evaluación")
    expect(page.get_by_role("table")).to_contain_text("Cumple")
    page.screenshot(path=str(SHOTS / "practice-ratings.png"), full_page=True)
    practice.refresh_from_db()
    assert practice.qualification == Qualification.QUALIFIES


def test_a_rater_of_the_practices_own_state_is_refused(live_server, page, practice, cast):
    cast("council_chihuahua")
    log_in(page, live_server, "council_chihuahua")
    response = page.goto(live_server.url + reverse("practices:rate", args=[practice.pk]))
    assert response.status == 403
    assert not practice.ratings.exists()
