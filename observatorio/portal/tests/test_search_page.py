"""The public search page: accent-free queries, facets in the URL, highlighting, bad input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from observatorio.lib.text import fold
from observatorio.programs import actions
from observatorio.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(real_data, db):
    """The real data, imported once for the module (see observatorio/conftest.py)."""


def result_titles(body: str) -> list[str]:
    titles = re.findall(r'<li>\s*<a href="/programas/\d+/"><strong>(.*?)</strong>', body, re.S)
    return [re.sub(r"</?mark>", "", t) for t in titles]


def total(body: str) -> int:
    return int(re.search(r'<h2 id="results-title"[^>]*>(\d+) (?:programa|buena)', body).group(1))


def facet(body: str, heading: str) -> dict[str, int]:
    """Label → count of one facet block of the page."""
    aside = body.split('class="facets"')[1].split("</aside>")[0]
    block = aside.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]
    return {
        label: int(n)
        for label, n in re.findall(
            r'<a href="[^"]*"[^>]*>([^<]*)</a> <span class="count">(\d+)</span>', block
        )
    }


def get(client, query: str) -> str:
    response = client.get(reverse("portal:search") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_query_without_accents_finds_the_accented_words(client, indexed):
    body = client.get(reverse("portal:search") + "?q=regularizacion").content.decode()
    assert total(body) > 0
    assert "<mark>" in body
    found = result_titles(body)
    assert any("regulariz" in fold(t) for t in found)


def test_facets_narrow_the_results_and_live_in_the_url(client, indexed):
    url = reverse("portal:search") + "?q=ninas&entidad=07"
    body = client.get(url).content.decode()
    chiapas = Program.objects.published().filter(state__inegi_code="07")
    assert 0 < total(body) <= chiapas.count()
    everywhere = total(client.get(reverse("portal:search") + "?q=ninas").content.decode())
    assert total(body) < everywhere
    # Facet links keep the query and the active filter in the URL.
    assert "?q=ninas&amp;entidad=07&amp;parte=estatal" in body
    assert 'href="?q=ninas"' in body  # removing the state filter


def test_facet_counts_add_up_to_the_results(client, indexed):
    body = client.get(reverse("portal:search") + "?parte=federal").content.decode()
    assert total(body) == 228
    aside = body.split('class="facets"')[1].split("</aside>")[0]
    objective_block = aside.split("Objetivo del Pacto Mundial")[1].split("<h2>")[0]
    counts = [int(n) for n in re.findall(r'<span class="count">(\d+)</span>', objective_block)]
    assert sum(counts) == 228


def test_without_a_query_every_published_program_is_listed_in_pages(client, indexed):
    body = client.get(reverse("portal:search")).content.decode()
    assert total(body) == 346
    assert "Página 1 de 18" in body


@pytest.mark.parametrize(
    "query",
    [
        "?pagina=999999999",
        "?pagina=-1",
        "?objetivo=abc&parte=lunar&entidad=999&ciclo=0",
        "?q=" + "a" * 5000,
        "?q=%27%20OR%201%3D1%20--",
        "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "?q=%01%02",
    ],
)
def test_absurd_input_gives_a_normal_page(client, indexed, query):
    response = client.get(reverse("portal:search") + query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("query", ["?q=%00%01", "?institucion=S%00RE", "?entidad=0%007"])
def test_nul_in_a_parameter_is_a_400_page_that_says_so(client, indexed, query):
    """PostgreSQL refuses NUL in text: refused before any view, on both databases."""
    response = client.get(reverse("portal:search") + query)
    assert response.status_code == 400
    assert "contiene el carácter nulo (NUL, %00)" in response.content.decode()


def test_unpublished_reports_are_never_found(client, indexed, cast):
    program = Program.objects.get(section="federal", objective__number=1, number=1)
    before = client.get(reverse("portal:search") + "?q=Revista+Rutas").content.decode()
    assert program.title in result_titles(before)
    actions.withdraw(program, cast("reviewer"), "Prueba")
    body = client.get(reverse("portal:search") + "?q=Revista+Rutas").content.decode()
    assert program.title not in body


def test_region_facet_counts_the_programs_of_its_member_states(client, indexed):
    from observatorio.catalog.models import Region

    body = get(client, "?parte=estatal")
    regions = facet(body, "Región")
    assert sum(regions.values()) == 118  # every state is in exactly one study region
    north = Region.objects.get(scheme="oim-conofam-2022", code="norte")
    expected = Program.objects.published().filter(state__in=north.members.all()).count()
    assert regions["Norte"] == expected
    assert total(get(client, "?region=norte")) == expected


def test_institution_filter_ignores_case_and_matches_the_database(client, indexed):
    expected = Program.objects.published().filter(institutions__acronym="SRE").count()
    assert expected > 5
    body = get(client, "?institucion=sre")
    assert total(body) == expected
    assert facet(body, "Institución")["SRE"] == expected
    assert "Institución: SRE" in body  # the active filter chip


def test_a_facet_keeps_its_other_values_while_one_is_selected(client, indexed):
    body = get(client, "?entidad=07")
    states = facet(body, "Entidad federativa")
    assert len(states) > 10  # other states stay reachable with their own counts
    jalisco = Program.objects.published().filter(state__inegi_code="14").count()
    assert states["Jalisco"] == jalisco
    assert 'aria-current="true" class="on">Chiapas</a>' in body
    # The other facets are counted within Chiapas.
    assert sum(facet(body, "Objetivo del Pacto Mundial").values()) == total(body)


def test_filters_combine_like_the_database_says(client, indexed):
    expected = (
        Program.objects.published()
        .filter(objective__number=7, section="estatal", state__inegi_code="14")
        .count()
    )
    assert total(get(client, "?objetivo=7&parte=estatal&entidad=14")) == expected
    expected_q = Program.objects.published().filter(has_quantitative_results=True).count()
    assert 0 < expected_q < 346
    body = get(client, "?cuantitativos=si")
    assert total(body) == expected_q
    assert facet(body, "Resultados cuantitativos") == {"Sí": expected_q, "No": 346 - expected_q}


def test_population_facet_uses_the_assigned_groups(client, indexed):
    from django.db.models import Count

    top = (
        Program.objects.published()
        .values("populations__code", "populations__name_es")
        .exclude(populations=None)
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert top is not None, "the importer assigns population groups"
    body = get(client, f"?poblacion={top['populations__code']}")
    assert total(body) == top["n"]
    assert facet(body, "Grupo de población")[top["populations__name_es"]] == top["n"]


@pytest.mark.parametrize(
    ("query", "heading"),
    [
        ("?entidad=99", "Entidad federativa"),
        ("?institucion=NOEXISTE", "Institución"),
        ("?poblacion=marcianos", "Grupo de población"),
        ("?region=atlantida", "Región"),
        ("?cuantitativos=quizas", "Resultados cuantitativos"),
        ("?objetivo=24", "Objetivo del Pacto Mundial"),
    ],
)
def test_an_unknown_facet_value_is_dropped_with_a_notice(client, indexed, query, heading):
    body = get(client, query)
    assert f"Se ignoró el filtro «{heading}»" in body
    assert total(body) == 346


def test_good_practices_have_their_own_tab_with_state_facets(client, indexed):
    from observatorio.practices.models import GoodPractice

    body = get(client, "?tipo=practicas")
    assert total(body) == 44
    jalisco = GoodPractice.objects.filter(state__inegi_code="14").count()
    assert facet(body, "Entidad federativa")["Jalisco"] == jalisco
    assert total(get(client, "?tipo=practicas&entidad=14")) == jalisco
    body = get(client, "?tipo=practicas&q=salud")
    assert 0 < total(body) < 44
    assert "<mark>" in body
    assert re.search(r'href="/practicas/\d+/"', body)
    # The tabs carry the words across and show both counts.
    assert 'href="?q=salud"' in body


@pytest.mark.parametrize("query", ["?q=migrantes", "?parte=estatal&pagina=2", "?q=salud&pagina=2"])
def test_each_result_row_names_its_program_as_the_program_page_does(client, indexed, query):
    """Rows come from the cached representations: the same owner, code and cycle as the model."""
    import html

    body = get(client, query)
    rows = re.findall(
        r'<li>\s*<a href="/programas/(\d+)/"><strong>.*?</strong></a>\s*'
        r'<span class="muted">\((.*?)\) · Objetivo (\S+) · (\d{4})</span>',
        body,
        re.S,
    )
    assert len(rows) == 20
    for pk, owner, code, cycle in rows:
        program = Program.objects.select_related("objective", "cycle").get(pk=pk)
        number = f".{program.number}" if program.number else ""
        assert html.unescape(owner) == (program.actor or program.owner_label), pk
        assert code == f"{program.objective.number}{number}", pk
        assert int(cycle) == program.cycle.edition


def _reference_facet_list(key, values, state):
    """The facet links as first written (one urlencode of the whole state per value)."""
    import html
    from urllib.parse import urlencode

    base = {k: v for k, v in state.items() if v not in (None, "") and k not in (key, "pagina")}
    items = []
    for value in values:
        params = base if value.selected else {**base, key: value.value}
        ordered = {k: params[k] for k in (*state, key) if k in params}
        link = html.escape("?" + urlencode(ordered))
        current = ' aria-current="true" class="on"' if value.selected else ""
        items.append(
            f'<li><a href="{link}"{current}>{html.escape(str(value.label))}</a> '
            f'<span class="count">{value.count}</span></li>'
        )
    return "".join(items)


_PARAM = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)


@given(
    state=st.dictionaries(
        st.sampled_from(["q", "entidad", "region", "objetivo", "pagina", "institucion", "tipo"]),
        st.one_of(st.none(), st.just(""), _PARAM, st.integers(0, 30)),
        max_size=6,
    ),
    key=st.sampled_from(["entidad", "region", "objetivo", "institucion"]),
    values=st.lists(st.tuples(_PARAM, _PARAM, st.integers(0, 999), st.booleans()), max_size=5),
)
def test_facet_links_are_the_ones_first_written(state, key, values):
    from observatorio.portal.search_views import _facet_list
    from observatorio.published.querying import FacetValue

    facet = [FacetValue(*value) for value in values]
    assert str(_facet_list(key, facet, state)) == _reference_facet_list(key, facet, state)
