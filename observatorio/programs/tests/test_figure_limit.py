"""The report form's figures: a hard maximum, so that a POST claiming 100,000 forms is
refused cheaply (issue 14)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from observatorio.programs.forms import FigureFormSet
from observatorio.programs.models import Program

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "figures-TOTAL_FORMS": "100000",
    "figures-INITIAL_FORMS": "0",
    "figures-MIN_NUM_FORMS": "0",
    "figures-MAX_NUM_FORMS": "1000",
}
MESSAGE = "Se admiten hasta 50 cifras de resultados; quite las que sobran."


def test_a_formset_of_100000_figures_builds_at_most_50_forms_and_says_why():
    formset = FigureFormSet(MANAGEMENT, instance=Program(), prefix="figures")
    assert len(formset.forms) <= 50
    assert not formset.is_valid()
    assert formset.non_form_errors() == [MESSAGE]


@override_settings(DEBUG=False)
def test_the_report_pages_refuse_100000_figures_with_a_spanish_message(
    cast, open_cycle, make_report
):
    client = Client(raise_request_exception=False)
    client.force_login(cast("enlace_jalisco"))
    draft = make_report(state="14")
    for url in (f"/reportes/nuevo/?ciclo={open_cycle.edition}", f"/reportes/{draft.pk}/editar/"):
        response = client.post(url, {"title": "Reporte", "version": draft.version, **MANAGEMENT})
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        assert MESSAGE in page
        assert page.count('name="figures-') < 50 * 10
    draft.refresh_from_db()
    assert draft.title == "Atención integral a personas migrantes"
