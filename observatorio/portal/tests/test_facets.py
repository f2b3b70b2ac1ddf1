"""The in-memory facet index gives exactly what the SQL queries give, for any combination.

``programs_for`` (bitsets, postings, cached results) is compared with
``programs_for_sql`` (one GROUP BY per facet: the original implementation) on
the real 2022 compendium for random combinations of valid and invalid values
of every portal parameter, in both languages; ``practices_for`` with
``practices_for_sql`` likewise.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from observatorio.catalog.models import Institution, PopulationGroup, Region
from observatorio.published import caches, facets, querying, version
from observatorio.published.bits import Renumbering, bitset, members, selection
from observatorio.published.filters import portal_data
from observatorio.published.querying import (
    practices_for,
    practices_for_sql,
    programs_for,
    programs_for_sql,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

QUERIES = [
    "migrantes",
    "niñas",
    "trata de personas",
    "regularizacion migratoria",
    "asilo",
    "Chiapas",
    "mujeres migrantes",
    "palabrainexistente",
    "de la",
    "   ",
]


def assert_same(query: dict) -> None:
    fast, sql = programs_for(query), programs_for_sql(query)
    assert fast.ids == sql.ids, query
    assert fast.query == sql.query
    assert fast.applied == sql.applied
    assert fast.ignored == sql.ignored
    assert fast.facets == sql.facets, query


@pytest.fixture
def values(real_data, db):
    published = Institution.objects.filter(programs__status="publicado").distinct()
    return {
        "institucion": list(published.values_list("acronym", flat=True)) + ["NOEXISTE"],
        "poblacion": list(PopulationGroup.objects.values_list("code", flat=True)) + ["marcianos"],
        "region": [
            *Region.objects.filter(scheme="oim-conofam-2022").values_list("code", flat=True),
            "conofam:centro",
            "oim-conofam-2022:norte",
            "atlantida",
        ],
    }


def _parameters(draw, values: dict) -> dict:
    maybe = lambda strategy: draw(st.one_of(st.none(), strategy))  # noqa: E731
    candidates = {
        "q": maybe(st.sampled_from(QUERIES)),
        "parte": maybe(st.sampled_from(["federal", "estatal", "lunar"])),
        "ciclo": maybe(st.sampled_from(["2022", "2021", "2022.0", "0", "abc"])),
        "objetivo": maybe(
            st.one_of(st.integers(1, 23).map(str), st.sampled_from(["7.0", "7.5", "24", "x"]))
        ),
        "entidad": maybe(
            st.one_of(st.integers(1, 32).map("{:02d}".format), st.sampled_from(["99", "7"]))
        ),
        "region": maybe(st.sampled_from(values["region"])),
        "institucion": maybe(
            st.sampled_from(values["institucion"]).flatmap(
                lambda a: st.sampled_from([a, a.lower()])
            )
        ),
        "poblacion": maybe(st.sampled_from(values["poblacion"])),
        "cuantitativos": maybe(st.sampled_from(["si", "no", "SI", "quizas"])),
    }
    return {key: value for key, value in candidates.items() if value is not None}


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), language=st.sampled_from(["es-mx", "en"]))
def test_random_filter_combinations_count_like_sql(values, data, language):
    query = _parameters(data.draw, values)
    with translation.override(language):
        assert_same(query)
        assert_same(query)  # the second time from the result cache


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_apis_published_ids_are_the_filters_sql(values, data):
    """What the API answers anonymous clients with (``published_ids``) is ``ordered_ids()``."""
    filterset, _ignored = querying._validated(portal_data(_parameters(data.draw, values)))
    assert querying.published_ids(filterset) == filterset.ordered_ids()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"parte": "federal"},
        {"q": "ninas", "entidad": "07"},
        {"entidad": "07", "objetivo": "7", "cuantitativos": "si"},
        {"region": "norte", "parte": "estatal"},
        {"region": "conofam:centro"},
        {"institucion": "sre", "q": "proteccion consular"},
        {"ciclo": "2022", "poblacion": "ninez"},
        {"objetivo": "abc", "parte": "lunar", "entidad": "999", "ciclo": "0"},
        {"q": "a" * 500},
    ],
)
def test_known_combinations_and_the_sql_fallback(values, monkeypatch, query):
    assert_same(query)
    # A filter the bitset index does not know goes to SQL, with the same result.
    monkeypatch.setattr(querying, "KNOWN_FILTERS", frozenset({"search"}))
    monkeypatch.setattr(caches, "RESULT_CACHE", False)
    assert_same(query)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.sampled_from(["", *QUERIES, "buenas practicas", "salud"]),
    entidad=st.one_of(st.just(""), st.integers(1, 33).map("{:02d}".format)),
    region=st.sampled_from(["", "norte", "sur", "centro", "occidente", "sureste", "nada"]),
    language=st.sampled_from(["es-mx", "en"]),
)
def test_good_practices_like_sql(real_data, db, q, entidad, region, language):
    query = {"q": q, "entidad": entidad, "region": region, "tipo": "practicas"}
    with translation.override(language):
        fast, sql = practices_for(query), practices_for_sql(query)
    assert [p.pk for p in fast.practices] == [p.pk for p in sql.practices]
    assert (fast.query, fast.applied, fast.facets) == (sql.query, sql.applied, sql.facets)


def test_results_are_fresh_copies(real_data, db):
    first = programs_for({"parte": "estatal"})
    first.ids.clear()
    first.facets["objetivo"][0].count = -1
    second = programs_for({"parte": "estatal"})
    assert len(second.ids) == 118
    assert second.facets["objetivo"][0].count > 0


def test_the_index_is_built_once_per_data_version(real_data, db):
    facets.facet_index()
    builds = caches.FACETS.builds
    programs_for({"parte": "federal"})
    programs_for({"parte": "estatal"})
    assert caches.FACETS.builds == builds
    version.bump()
    programs_for({"parte": "federal"})
    assert caches.FACETS.builds == builds + 1


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    size=st.integers(0, 300),
    data=st.data(),
)
def test_bitsets_and_renumberings(size, data):
    chosen = data.draw(st.sets(st.integers(0, max(size - 1, 0)), max_size=size))
    mask = bitset(chosen, size)
    assert members(mask, size) == sorted(chosen)
    assert mask.bit_count() == len(chosen)
    assert list(selection(mask, size)) == [int(i in chosen) for i in range(size)]
    # A partial renumbering: some positions map to a shuffled target numbering.
    targets = data.draw(st.permutations(range(size)))
    mapped = data.draw(st.sets(st.integers(0, max(size - 1, 0)), max_size=size))
    pairs = [(i, targets[i]) for i in mapped]
    # Run by run, or element by element (what happens past max_runs runs).
    renumbering = Renumbering(pairs, size, size, max_runs=data.draw(st.sampled_from([0, 256])))
    expected = {targets[i] for i in chosen & mapped}
    assert members(renumbering.forward(mask), size) == sorted(expected)
    assert members(renumbering.backward(bitset(expected, size)), size) == sorted(chosen & mapped)
