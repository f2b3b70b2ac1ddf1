"""Adding and taking out figure rows in the report form without saving: with htmx only the
figures come back, without JavaScript the whole form, as typed; nothing is written."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from observatorio.programs.forms import MAX_FIGURES, rearrange_figures
from observatorio.programs.models import Program, ResultFigure

from .test_report_pages import create_url, form_data

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def as_query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def rows(data) -> list[str]:
    return [data.get(f"figures-{i}-label") for i in range(int(data["figures-TOTAL_FORMS"]))]


def test_a_row_is_added_at_the_end_and_the_others_keep_what_was_typed(catalogs):
    data = rearrange_figures(as_query(form_data()), add=True)
    assert rows(data) == ["Personas atendidas", "", None]
    assert data["figures-2-unit"] == "personas" and data["figures-2-sex"] == "total"
    assert data["figures-0-value"] == "830" and data["title"].startswith("Módulo")
    assert data.getlist("secondary_objectives") == form_data()["secondary_objectives"]


def test_an_unsaved_row_is_taken_out_and_the_rest_renumbered(catalogs):
    data = form_data(**{"figures-1-label": "Talleres", "figures-1-value": "12"})
    data = rearrange_figures(as_query(data), remove=0)
    assert rows(data) == ["Talleres"]
    assert data["figures-0-value"] == "12" and "figures-1-label" not in data


def test_saved_rows_and_rows_that_do_not_exist_are_not_taken_out(catalogs):
    data = as_query(form_data(**{"figures-INITIAL_FORMS": "1", "figures-0-id": "7"}))
    for index in (0, 2, 99, -1):
        assert rows(rearrange_figures(data, remove=index)) == ["Personas atendidas", ""]


def test_no_more_rows_than_the_limit_whatever_the_management_form_claims(catalogs):
    data = as_query(form_data(**{"figures-TOTAL_FORMS": "100000"}))
    assert int(rearrange_figures(data, add=True)["figures-TOTAL_FORMS"]) == MAX_FIGURES
    broken = as_query(form_data(**{"figures-TOTAL_FORMS": "dos"}))
    assert rearrange_figures(broken, add=True)["figures-TOTAL_FORMS"] == "1"


def test_htmx_gets_only_the_figures_with_a_new_focused_row_and_nothing_is_saved(
    client, cast, open_cycle
):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(create_url(open_cycle), {**form_data(), "otra_cifra": "1"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<fieldset id="figures"')
    assert "<h1>" not in html and "Revise los campos" not in html
    assert html.count("<legend>Cifra ") == 3
    assert 'value="3" id="id_figures-TOTAL_FORMS"' in html
    assert 'name="figures-2-label"' in html and "autofocus" in html
    assert 'value="Personas atendidas"' in html
    assert not Program.objects.exists() and not ResultFigure.objects.exists()


def test_without_javascript_the_whole_form_comes_back_as_typed_without_errors(
    client, cast, open_cycle
):
    client.force_login(cast("enlace_jalisco"))
    data = {**form_data(title="", description=""), "quitar_cifra": "1"}
    response = client.post(create_url(open_cycle), data)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>" in html
    assert html.count("<legend>Cifra ") == 1
    assert "Revise los campos" not in html and 'class="error"' not in html
    assert 'value="Personas atendidas"' in html
    assert not Program.objects.exists()


def test_rows_are_added_on_the_edit_page_only_for_whoever_may_edit(client, cast, make_report):
    report = make_report(state="14")
    ResultFigure.objects.create(program=report, label="Personas atendidas", value=830)
    url = reverse("reports:edit", args=[report.pk])
    data = {
        **form_data(**{"figures-TOTAL_FORMS": "1", "figures-INITIAL_FORMS": "1"}),
        "figures-0-id": str(report.figures.get().pk),
        "version": str(report.version),
        "otra_cifra": "1",
    }
    client.force_login(cast("enlace_chiapas"))
    assert client.post(url, data, **HTMX).status_code == 404
    client.force_login(cast("enlace_jalisco"))
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().count("<legend>Cifra ") == 2
    # Taking out the saved row by its index is refused quietly: it has its own box.
    data.pop("otra_cifra")
    response = client.post(url, {**data, "quitar_cifra": "0"}, **HTMX)
    assert response.content.decode().count("<legend>Cifra ") == 1
    assert "Quitar al guardar" in response.content.decode()
    report.refresh_from_db()
    assert report.figures.count() == 1 and report.title != form_data()["title"]
