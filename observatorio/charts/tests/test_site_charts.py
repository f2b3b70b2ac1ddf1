"""The site's charts over the 2022 compendium and the good-practice study."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from observatorio.catalog.models import GcmObjective, State
from observatorio.charts import site, site_charts
from observatorio.practices.models import PanoramaFigure
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published import caches, version
from observatorio.published.coverage import coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(real_data, db):
    return ReportingCycle.objects.get(edition=2022)


def test_a_chart_is_one_image_named_by_its_title_and_description(cycle):
    chart = site_charts.objectives_chart(cycle)
    root = re.match(r"<svg[^>]*>", chart.svg).group(0)
    assert 'role="img"' in root
    assert 'aria-labelledby="grafica-objetivos-title grafica-objetivos-desc"' in root
    assert f'<title id="grafica-objetivos-title">{chart.title}</title>' in chart.svg
    assert '<desc id="grafica-objetivos-desc">' in chart.svg
    # vega's own roles and labels would make screen readers walk every bar.
    assert chart.svg.count('role="') == 1
    assert "aria-label=" not in chart.svg and "aria-roledescription" not in chart.svg
    assert "style=" not in chart.svg  # the Content-Security-Policy allows no inline style
    assert "Vulnerabilidades" in chart.svg  # text stays text


def test_the_objectives_chart_table_holds_the_published_counts(cycle):
    chart = site_charts.objectives_chart(cycle)
    assert len(chart.rows) == 23
    published = Program.objects.published().filter(cycle=cycle)
    seven = next(row for row in chart.rows if row[0].startswith("7. "))
    assert int(seven[1]) == published.filter(section="federal", objective__number=7).count()
    assert int(seven[2]) == published.filter(section="estatal", objective__number=7).count()
    assert sum(int(row[3]) for row in chart.rows) == published.count()


def test_the_states_chart_lists_the_32_states_from_most_to_fewest(cycle):
    chart = site_charts.states_chart(cycle)
    counts = [int(row[1]) for row in chart.rows]
    assert len(counts) == 32 and counts == sorted(counts, reverse=True)
    assert chart.rows[0][:2] == ["Tlaxcala", "17"]
    data = coverage(cycle)
    mean = f"{data.total / 32:.1f}"
    assert mean in chart.description and mean in chart.notes[0]


def second_cycle() -> ReportingCycle:
    """A 2023 cycle with one published program of Chiapas."""
    later = ReportingCycle.objects.create(
        edition=2023,
        name="Ciclo 2023",
        period_start=dt.date(2022, 7, 1),
        period_end=dt.date(2023, 6, 30),
    )
    Program.objects.create(
        cycle=later,
        section=Program.Section.STATE,
        objective=GcmObjective.objects.get(number=4),
        number=1,
        title="Programa de Chiapas",
        state=State.objects.get(inegi_code="07"),
        status=Program.Status.PUBLISHED,
    )
    return later


def test_the_cycles_chart_appears_only_with_two_cycles(cycle):
    assert site_charts.cycles_chart([cycle]) is None
    assert site_charts.states_cycles_chart([cycle]) is None
    later = second_cycle()
    chart = site_charts.cycles_chart([later, cycle])
    assert [row[0] for row in chart.rows] == [cycle.name, "Ciclo 2023"]
    assert chart.rows[1][1:] == ["0", "1"]  # federal, state
    chiapas = site_charts.cycles_chart([later, cycle], State.objects.get(inegi_code="07"))
    before = Program.objects.published().filter(cycle=cycle, state__inegi_code="07").count()
    assert chiapas.rows == [[cycle.name, str(before)], ["Ciclo 2023", "1"]]


def test_a_state_is_compared_with_all_the_states_in_shares_of_their_programs(cycle):
    tlaxcala = State.objects.get(inegi_code="29")
    chart = site_charts.state_profile_chart(tlaxcala, cycle)
    three = next(row for row in chart.rows if row[0].startswith("3. "))
    data = coverage(cycle)
    assert three[1] == "5" and three[2] == f"{100 * 5 / 17:.1f} %"
    assert three[3] == str(data.objective_totals[2])
    assert three[4] == f"{100 * data.objective_totals[2] / data.total:.1f} %"
    assert "Tlaxcala: 17 programas" in chart.notes[0]
    assert site_charts.state_profile_chart(State.objects.get(inegi_code="32"), cycle) is None


def test_the_panorama_is_charted_by_unit_and_period_with_its_source(cycle):
    jalisco = State.objects.get(name="Jalisco")
    charts = site_charts.panorama_charts(jalisco)
    figures = PanoramaFigure.objects.filter(state=jalisco, value__isnull=False)
    groups = {}
    for f in figures:
        groups.setdefault((f.unit, f.period), []).append(f)
    assert len(charts) == sum(1 for items in groups.values() if len(items) >= 2)
    entries = charts[0]
    assert entries.title == "Jalisco: entradas, enero a junio 2021"
    assert entries.rows[0][:2] == ["Entradas registradas", "1,190,514"]
    assert "líneas 2913, 2915" in entries.source
    percent = next(c for c in charts if "porcentaje" in c.title)
    assert all(row[1].endswith(" %") for row in percent.rows)


def test_charts_are_built_once_per_data_version(cycle):
    caches.CHARTS.clear()
    first = site_charts.objectives_chart(cycle)
    assert site_charts.objectives_chart(cycle) is first
    version.bump()
    again = site_charts.objectives_chart(cycle)
    assert again is not first and again.svg == first.svg


def test_a_publication_shows_in_the_chart_on_the_next_request(cycle):
    before = site_charts.objectives_chart(cycle)
    program = Program.objects.published().filter(cycle=cycle, objective__number=7).first()
    program.status = Program.Status.WITHDRAWN
    program.save()
    after = site_charts.objectives_chart(cycle)
    total = sum(int(row[3]) for row in after.rows)
    assert total == sum(int(row[3]) for row in before.rows) - 1


def test_pages_show_their_charts_with_a_table_behind_each(client, cycle):
    pages = {
        reverse("portal:objectives"): "grafica-objetivos",
        reverse("portal:states"): "grafica-entidades",
        reverse("portal:state", args=["tlaxcala"]): "grafica-perfil-29",
        reverse("portal:state", args=["jalisco"]): "grafica-panorama-14-1",
    }
    for url, slug in pages.items():
        body = client.get(url).content.decode()
        figure = body.split(f'<figure class="chart" id="{slug}">')[1].split("</figure>")[0]
        assert 'role="img"' in figure
        assert "<details" in figure and "<table" in figure and '<th scope="row">' in figure


def test_the_panorama_table_prints_numbers_one_way_and_keeps_what_was_printed(client, cycle):
    body = client.get(reverse("portal:state", args=["baja-california"])).content.decode()
    table = body.split('<table class="grid panorama">')[1]
    assert "3,769,020" in table and "impreso «3 769 020»" in table
    assert "impreso «848l18»" in table
    jalisco = client.get(reverse("portal:state", args=["jalisco"])).content.decode()
    table = jalisco.split('<table class="grid panorama">')[1]
    assert "37.5 %" in table and "impreso «37.5%»" not in table


def test_site_colours_are_distinguishable_on_white_and_from_each_other():
    from observatorio.charts.maps import contrast

    federal, state = site_charts.PART_COLOURS.values()
    assert contrast(federal, "#ffffff") >= 3 and contrast(state, "#ffffff") >= 3
    assert contrast(federal, state) >= 3


def test_a_spec_for_the_site_is_a_copy_with_larger_type(cycle):
    from observatorio.charts import specs

    spec = specs.programs_per_objective_spec(cycle)
    bigger = site.for_site(spec)
    assert bigger["config"]["axis"]["labelFontSize"] == 12
    assert spec["config"]["axis"]["labelFontSize"] == 9


def test_a_panorama_figure_is_set_against_the_country_for_the_same_period(cycle):
    jalisco = State.objects.get(name="Jalisco")
    cards = next(c for c in site_charts.panorama_charts(jalisco) if "tarjetas" in c.title)
    assert cards.columns[-2:] == ["Nacional", "Porcentaje del nacional"]
    mine = PanoramaFigure.objects.get(
        state=jalisco, indicator="Tarjetas de residente temporal emitidas"
    )
    country = (
        PanoramaFigure.objects.filter(scope_kind="nacional", indicator=mine.indicator)
        .order_by("source_line")
        .first()
    )
    share = f"{100 * mine.value / country.value:.1f} %"
    row = next(r for r in cards.rows if r[0] == mine.indicator)
    assert row[-2:] == [f"{country.value:,.0f}", share]
    assert any(share in note for note in cards.notes)
    # Percentages are never divided by a national percentage.
    percent = next(c for c in site_charts.panorama_charts(jalisco) if "porcentaje" in c.title)
    assert "Nacional" not in percent.columns


def test_with_two_cycles_the_pages_chart_them_over_time(client, cycle):
    objectives = client.get(reverse("portal:objectives")).content.decode()
    assert 'id="grafica-ciclos"' not in objectives
    second_cycle()
    objectives = client.get(reverse("portal:objectives")).content.decode()
    assert 'id="grafica-ciclos"' in objectives
    states = client.get(reverse("portal:states")).content.decode()
    table = states.split('id="grafica-entidades-ciclos"')[1].split("</table>")[0]
    before = Program.objects.published().filter(cycle=cycle, state__inegi_code="07").count()
    assert (
        f'<th scope="row">Chiapas</th><td class="num">{before}</td><td class="num">1</td>' in table
    )
    chiapas = client.get(reverse("portal:state", args=["chiapas"])).content.decode()
    assert 'id="grafica-ciclos-07"' in chiapas
    jalisco = client.get(reverse("portal:state", args=["jalisco"])).content.decode()
    assert 'id="grafica-ciclos-14"' not in jalisco  # Jalisco reported in one cycle only
