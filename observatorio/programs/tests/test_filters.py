"""The one program filter definition shared by the portal, the downloads and the API."""

from __future__ import annotations

import pytest

from observatorio.programs.models import Program
from observatorio.published.filters import ProgramFilter, portal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(real_data, db):
    return Program.objects.published()


def run(data: dict) -> ProgramFilter:
    filterset = ProgramFilter(data, queryset=Program.objects.published())
    filterset.is_valid()
    return filterset


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"state": "99"}, "state", "opción válida"),
        ({"institution": "NOEXISTE"}, "institution", "opción válida"),
        ({"population": "marcianos"}, "population", "opción válida"),
        ({"region": "atlantida"}, "region", "Esa región no existe."),
        ({"quantitative": "quizas"}, "quantitative", "Use «true» o «false»."),
        ({"objective": "24"}, "objective", "menor o igual a 23"),
        ({"objective": "abc"}, "objective", "número"),
        ({"section": "lunar"}, "section", "opción válida"),
        ({"cycle": "0"}, "cycle", "mayor o igual a 1900"),
        ({"search": "a" * 201}, "search", "200"),
    ],
)
def test_bad_values_are_errors_in_spanish(published, data, field, message):
    filterset = run(data)
    assert not filterset.is_valid()
    assert message in " ".join(filterset.errors[field])


def test_each_filter_selects_what_the_database_says(published):
    cases = [
        ({"objective": "3"}, published.filter(objective__number=3)),
        ({"section": "federal"}, published.filter(section="federal")),
        ({"state": "14"}, published.filter(state__inegi_code="14")),
        ({"region": "norte"}, published.filter(state__regions__code="norte").distinct()),
        ({"institution": "inm"}, published.filter(institutions__acronym="INM")),
        ({"cycle": "2022"}, published.filter(cycle__edition=2022)),
        ({"quantitative": "true"}, published.filter(has_quantitative_results=True)),
        ({"quantitative": "0"}, published.filter(has_quantitative_results=False)),
    ]
    for data, expected in cases:
        filterset = run(data)
        assert filterset.is_valid(), filterset.errors
        assert set(filterset.ordered_ids()) == set(expected.values_list("pk", flat=True)), data
        assert expected.exists(), data


def test_region_names_a_scheme_explicitly(published):
    assert run({"region": "oim-conofam-2022:centro"}).is_valid()
    # CONOFAM's regions are known by name only: valid, but no state belongs to them yet.
    filterset = run({"region": "conofam:centro"})
    assert filterset.is_valid()
    assert filterset.ordered_ids() == []


def test_a_search_orders_by_relevance_and_filters_still_apply(published):
    everywhere = run({"search": "niñas"})
    ranked = everywhere.ordered_ids()
    assert len(ranked) > 5
    assert ranked == everywhere.ranking  # every hit is published: same order as the index
    federal = run({"search": "ninas", "section": "federal"}).ordered_ids()
    assert federal == [pk for pk in ranked if pk in set(federal)]
    assert set(federal) < set(ranked)


def test_without_a_search_the_order_is_the_compendium_order(published):
    ids = run({"section": "federal", "objective": "1"}).ordered_ids()
    by_number = Program.objects.filter(pk__in=ids).order_by("number")
    assert ids == list(by_number.values_list("pk", flat=True))


def test_portal_parameters_are_renamed_and_yes_no_becomes_a_boolean():
    assert portal_data({"q": "trata", "entidad": "07", "cuantitativos": "si", "otro": "x"}) == {
        "search": "trata",
        "state": "07",
        "quantitative": "true",
    }
    assert portal_data({"cuantitativos": "NO"}) == {"quantitative": "false"}
    assert portal_data({"cuantitativos": "tal vez"}) == {"quantitative": "invalid"}


def test_filter_sets_share_one_form_class_and_keep_their_own_values():
    from django.utils import translation

    good = ProgramFilter({"state": "14", "section": "estatal"}, queryset=Program.objects.none())
    bad = ProgramFilter({"state": "99"}, queryset=Program.objects.none())
    assert good.is_valid() and not bad.is_valid()
    assert type(good.form) is type(bad.form)
    # The fields are shared (they keep no state); the filters are each filter set's own.
    assert good.form.fields["state"] is bad.form.fields["state"]
    assert good.filters["state"] is not bad.filters["state"]
    assert good.filters["search"].parent is good and bad.filters["search"].parent is bad
    assert good.applied["state"].inegi_code == "14" and good.applied["section"] == "estatal"
    assert set(bad.errors) == {"state"} and not good.errors
    # Labels and messages follow the language of each request, not of the first one.
    with translation.override("en"):
        english = ProgramFilter({"objective": "99"}, queryset=Program.objects.none())
        assert str(english.form.fields["section"].label) == "Section"
        assert "less than or equal to 23" in " ".join(english.errors["objective"])
    assert str(good.form.fields["section"].label) == "Parte"
