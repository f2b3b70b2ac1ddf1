"""The indicator pages: catalogue, one indicator's table, chart and map, the state's list;
suppressed cells say «Reservado», never 0; every choice lives in the URL."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from observatorio.indicators import catalogue, panorama
from observatorio.indicators.models import Indicator, Value
from observatorio.indicators.published import cells
from observatorio.indicators.tests.records_files import records, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator_data(catalogs, tmp_path):
    catalogue.load()
    path = write(tmp_path / "atenciones.csv", records(400))
    call_command(
        "aggregate_records", str(path), "--indicator", "servicios", "--commit", stdout=io.StringIO()
    )
    Value.objects.update(review=Value.Review.APPROVED)
    return Indicator.objects.get(code="servicios")


def table(body: str) -> dict[str, str]:
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="num">(.*?)</td>', body, re.S)
    return {re.sub("<[^>]+>", "", label): re.sub("<[^>]+>", "", value) for label, value in rows}


def test_the_catalogue_groups_by_objective_and_filters(client, indicator_data):
    body = client.get("/indicadores/").content.decode()
    assert "Servicios otorgados a personas en contextos de movilidad" in body
    assert f"{len(catalogue.entries())} indicadores" in body
    only = client.get("/indicadores/?objetivo=12").content.decode()
    assert "Solicitudes de refugio" in only and "Servicios otorgados" not in only
    sdg = client.get("/indicadores/?ods=10.c.1").content.decode()
    assert "remesas" in sdg and "Servicios otorgados" not in sdg
    theme = client.get("/indicadores/?tema=documentacion").content.decode()
    assert "Tarjetas de residente temporal" in theme and "Servicios otorgados" not in theme
    assert client.get("/indicadores/?tema=nada").status_code == 400
    wrong = client.get("/indicadores/?objetivo=99")
    assert wrong.status_code == 400 and "elija uno del 1 al 23" in wrong.content.decode()


def test_the_states_table_matches_the_published_cells(client, indicator_data):
    body = client.get("/indicadores/servicios/").content.decode()
    shown = table(body)
    expected = {
        cell.state: cell
        for cell in cells(indicator_data, period=2023)
        if cell.state and not cell.breakdown()
    }
    assert shown["Chiapas"] == str(expected["07"].value)
    assert re.search(r"Total nacional, 2023:\s*<strong>400</strong>", body)
    assert 'href="/api/v1/indicators/servicios/data/?format=csv&amp;period=2023"' in body


def test_a_suppressed_cell_says_reserved_and_never_zero(client, indicator_data):
    hidden = [cell for cell in cells(indicator_data, period=2023) if cell.suppressed]
    assert hidden
    cell = next(c for c in hidden if c.breakdown() in {("sexo",), ("grupo_edad",)})
    name = "sexo" if cell.sex else "grupo_edad"
    where = f"&entidad={cell.state}" if cell.state else ""
    body = client.get(f"/indicadores/servicios/?desglose={name}{where}").content.decode()
    values = table(body)
    assert "Reservado" in values.values() and "0" not in values.values()
    assert "no es un cero" in body


def test_chart_and_map_views_and_bad_choices(client, indicator_data):
    chart = client.get("/indicadores/servicios/?vista=grafica&desglose=nacionalidad")
    assert chart.status_code == 200 and 'role="img"' in chart.content.decode()
    the_map = client.get("/indicadores/servicios/?vista=mapa").content.decode()
    chiapas = next(c for c in cells(indicator_data) if c.state == "07" and not c.breakdown())
    assert 'class="choropleth"' in the_map and f"Chiapas: {chiapas.value} servicios" in the_map
    # A map needs the states: with another breakdown the tab is not offered.
    other = client.get("/indicadores/servicios/?vista=mapa&desglose=sexo").content.decode()
    assert 'class="choropleth"' not in other and ">Mapa<" not in other
    wrong = client.get("/indicadores/servicios/?periodo=1999&desglose=nada")
    assert wrong.status_code == 400
    assert "Se ignoró «1999» en «periodo»" in wrong.content.decode()
    assert client.get("/indicadores/no-existe/").status_code == 404


def test_english_and_an_indicator_without_values(client, indicator_data):
    english = client.get("/en/indicadores/servicios/?desglose=sexo").content.decode()
    assert "Services given to people in mobility" in english and "Women" in english
    empty = client.get("/indicadores/costo-remesas/").content.decode()
    assert "aún no tiene valores publicados" in empty and "10.c.1" in empty


def test_the_state_page_lists_its_indicators(client, indicator_data, real_data):
    panorama.load()
    body = client.get("/entidades/chiapas/").content.decode()
    section = body.split('id="indicators-title"')[1].split("</section>")[0]
    assert "/indicadores/servicios/?periodo=2023&amp;entidad=07" in section
    chiapas = next(c for c in cells(indicator_data) if c.state == "07" and not c.breakdown())
    assert f">{chiapas.value}<" in section


def test_panorama_values_cite_their_sources_and_alerts(client, real_data):
    catalogue.load()
    panorama.load()
    value = (
        Value.objects.exclude(flags=[])
        .exclude(source_cited="")
        .exclude(state="")
        .filter(sex="", age_group="", nationality="", country_of_birth="", population="")
        .select_related("indicator")
        .first()
    )
    assert value is not None, "the study's panoramas give values with alerts"
    cell = next(
        c
        for c in cells(value.indicator, period=value.period)
        if c.state == value.state and not c.breakdown() and c.period_label == value.period_label
    )
    assert not cell.suppressed and cell.flags == tuple(value.flags)
    page = client.get(
        f"/indicadores/{value.indicator.code}/?periodo={value.period}&desglose=entidad"
    ).content.decode()
    notes = page.split('id="indicator-notes-title"')[1].split("</section>")[0]
    listed = [re.sub(r"\s+", " ", n) for n in re.findall(r"<li id=\"nota-\d+\">(.*?)</li>", notes)]
    from django.utils.html import escape

    from observatorio.practices.flags import flag_label

    assert escape(f"Fuente citada: {value.source_cited}") in re.sub(r"\s+", " ", notes)
    label = escape(flag_label(value.flags[0]))
    assert label in listed and "in_footnote_" not in notes
    # The row of that state points to its note by number.
    number = listed.index(label) + 1
    assert f'href="#nota-{number}"' in page


def test_a_suppressed_cell_carries_no_alert(client, indicator_data):
    hidden = next(c for c in cells(indicator_data, period=2023) if c.suppressed)
    match = {
        field: getattr(hidden, field)
        for field in ("state", "sex", "age_group", "nationality", "country_of_birth", "population")
    }
    Value.objects.filter(indicator=indicator_data, period=2023, **match).update(
        flags=["La línea 9 imprime otra cifra para el mismo dato: 3."]
    )
    again = next(c for c in cells(indicator_data, period=2023) if c.key == hidden.key)
    assert again.suppressed and again.flags == () and again.value is None
    rows = client.get(
        "/api/v1/indicators/servicios/data/", {"period": 2023, "state": hidden.state}
    ).json()["results"]
    row = next(r for r in rows if all(r[field] == value for field, value in match.items()))
    assert row["suppressed"] is True and row["flags"] == [] and row["value"] is None


def test_the_catalogues_latest_periods_are_each_indicators_first(client, indicator_data):
    from observatorio.indicators.published import latest_periods, periods

    Value.objects.filter(indicator=indicator_data, period=2024).update(review="enviado")
    latest = latest_periods()
    for indicator in Indicator.objects.all():
        found = periods(indicator)
        assert latest.get(indicator.pk) == (found[0] if found else None), indicator.code


def test_the_page_follows_an_unlock_at_once(client, indicator_data, cast):
    from observatorio.indicators.actions_values import unlock_values

    before = client.get("/indicadores/servicios/").content.decode()
    assert "Total nacional, 2023" in before
    client.get("/indicadores/servicios/?desglose=sexo")  # kept layouts and rows
    unlock_values(cast("reviewer"), indicator_data, 2023, "Revisión de cifras")
    after = client.get("/indicadores/servicios/?desglose=sexo").content.decode()
    assert "Total nacional, 2023" not in after
    assert "aún no tiene valores publicados" in after or "2023" not in after


def test_the_english_catalogue_names_indicators_and_objectives_in_english(client, indicator_data):
    english = client.get("/en/indicadores/").content.decode()
    assert "Services given to people in mobility" in english
    assert "Servicios otorgados a personas" not in english
    spanish = client.get("/indicadores/").content.decode()
    assert "Servicios otorgados a personas en contextos de movilidad" in spanish
