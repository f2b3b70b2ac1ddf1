"""The public pages over the real 2022 compendium and good-practice study, checked against the DB.

Program, states, objectives and institutions (portal) and the good-practice catalogue and
ficha (practices): every page answers, shows what the database says, hides what is not
published, and answers 404 (never 500) to unknown or malformed addresses.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, State
from observatorio.practices.models import GoodPractice, PanoramaFigure
from observatorio.programs.models import BlockStatus, Program, ResultFigure

pytestmark = pytest.mark.django_db

PROGRAM_LINK = re.compile(r'href="(?:/en)?/programas/(\d+)/"')


@pytest.fixture
def imported(real_data):
    """The real compendium and study, imported once for the module (observatorio/conftest.py).

    Each test runs in its own savepoint inside that import, so what a test changes
    (unpublishing a program, signing in a user) is undone before the next one.
    """


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def between(body: str, start: str, end: str) -> str:
    return body.split(start, 1)[1].split(end, 1)[0]


def program_ids(fragment: str) -> list[int]:
    return [int(pk) for pk in PROGRAM_LINK.findall(fragment)]


def text(fragment: str) -> str:
    """The visible text of an HTML fragment, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# --- every page ----------------------------------------------------------------------


def urls() -> list[str]:
    federal = Program.objects.published().federal().order_by("pk").first()
    state_program = Program.objects.published().state_level().order_by("pk").first()
    practice = GoodPractice.objects.order_by("pk").first()
    return [
        reverse("portal:home"),
        reverse("portal:program", args=[federal.pk]),
        reverse("portal:program", args=[state_program.pk]),
        reverse("portal:states"),
        reverse("portal:state", args=["ciudad-de-mexico"]),
        reverse("portal:state", args=["zacatecas"]) + "?ciclo=2022",
        reverse("portal:objectives"),
        reverse("portal:objective", args=[1]),
        reverse("portal:objective", args=[23]),
        reverse("portal:institutions"),
        reverse("portal:institution", args=["SRE"]),
        reverse("practices:list"),
        reverse("practices:detail", args=[practice.pk]),
    ]


def test_every_public_page_answers_in_spanish_and_in_english(client, imported):
    for url in urls():
        body = get(client, url)
        assert '<html lang="es-MX">' in body
        assert "<h1" in body
        english = get(client, "/en" + url)
        assert '<html lang="en">' in english


def test_the_navigation_leads_to_every_section(client, imported):
    body = get(client, reverse("portal:states"))
    nav = between(body, 'class="sections"', "</nav>")
    for name in ["search", "coverage", "objectives", "states", "institutions"]:
        assert f'href="{reverse("portal:" + name)}"' in nav
    assert f'href="{reverse("practices:list")}"' in nav
    assert f'href="{reverse("portal:states")}" aria-current="page"' in nav


# --- the program page ----------------------------------------------------------------


def test_the_program_page_shows_every_field_and_its_source_lines(client, imported):
    program = Program.objects.published().federal().get(objective__number=1, number=1)
    body = get(client, reverse("portal:program", args=[program.pk]))
    assert html.escape(program.title) in body
    assert '<span class="code">1.1</span>' in body
    assert "Compendio General 2022" in body and "Federal" in body
    assert f'href="{reverse("portal:objective", args=[1])}?ciclo=2022"' in body
    assert program.actor in body
    for institution in program.institutions.all():
        assert f'href="{reverse("portal:institution", args=[institution.acronym])}"' in body
    facts = text(between(body, 'class="facts"', "</dl>"))
    for label in ["Ciclo de reporte", "Parte del compendio", "Número en el compendio",
                  "Objetivo principal", "Objetivos secundarios", "Actor (como se imprime)",
                  "Instituciones", "Entidad federativa", "Grupos de población", "Vigencia",
                  "Situación del programa", "Presupuesto", "Enlaces"]:  # fmt: skip
        assert label in facts
    # The source: document and lines.
    reference = program.source_reference
    assert reference and str(program.source_first_line) in reference
    source = text(between(body, 'id="source-title"', "</section>"))
    assert reference in source
    assert f"líneas {program.source_first_line} a {program.source_last_line}" in source
    assert program.source.file_name in source
    assert text(html.escape(program.description[:60])) in text(body)


def test_a_program_that_reported_no_challenges_says_so(client, imported):
    program = Program.objects.published().filter(challenges_status=BlockStatus.NONE).first()
    body = get(client, reverse("portal:program", args=[program.pk]))
    assert "No se reportaron retos." in between(body, 'id="challenges-title"', "</section>")
    other = Program.objects.published().exclude(challenges="").first()
    body = get(client, reverse("portal:program", args=[other.pk]))
    assert "No se reportaron retos." not in body


def test_the_program_page_shows_figures_dates_budget_links_and_secondary_objectives(
    client, imported
):
    program = Program.objects.published().state_level().filter(state__inegi_code="14").first()
    program.secondary_objectives.set(GcmObjective.objects.filter(number__in=[7, 16]))
    program.populations.set(PopulationGroup.objects.order_by("code")[:2])
    Program.objects.filter(pk=program.pk).update(
        start_date=dt.date(2021, 3, 1),
        end_date=dt.date(2022, 6, 30),
        budget=Decimal("1250000.50"),
        execution=Program.Execution.ACTIVE,
        links=["https://example.org/programa"],
    )
    ResultFigure.objects.create(
        program=program, label="Personas atendidas", value=830, sex="mujeres", nationality="GT"
    )
    body = get(client, reverse("portal:program", args=[program.pk]))
    assert f'href="{reverse("portal:state", args=["jalisco"])}?ciclo=2022"' in body
    for number in (7, 16):
        assert f'href="{reverse("portal:objective", args=[number])}?ciclo=2022"' in body
    for group in PopulationGroup.objects.order_by("code")[:2]:
        assert html.escape(group.name) in body
    table = between(body, "<caption>Cifras de resultados</caption>", "</table>")
    assert "Personas atendidas" in table and ">830<" in table and "Mujeres" in table
    facts = text(between(body, 'class="facts"', "</dl>"))
    assert "1 de marzo de 2021 – 30 de junio de 2022" in facts
    assert "$ 1,250,000.50 MXN" in facts
    assert "Vigente" in facts
    assert 'href="https://example.org/programa"' in body


@pytest.mark.parametrize("status", ["borrador", "enviado", "aprobado", "retirado"])
def test_an_unpublished_program_is_not_found(client, imported, status):
    program = Program.objects.published().first()
    Program.objects.filter(pk=program.pk).update(status=status)
    assert client.get(reverse("portal:program", args=[program.pk])).status_code == 404


def test_other_programs_of_the_same_institution_are_published_and_capped(client, imported):
    sre = Institution.objects.get(acronym="SRE")
    mine = Program.objects.published().filter(institutions=sre).order_by("pk")
    program = mine.first()
    hidden = mine.last()
    Program.objects.filter(pk=hidden.pk).update(status=Program.Status.WITHDRAWN)
    expected = set(
        Program.objects.published()
        .filter(institutions__in=program.institutions.all())
        .exclude(pk=program.pk)
        .values_list("pk", flat=True)
    )
    assert len(expected) > 8
    body = get(client, reverse("portal:program", args=[program.pk]))
    others = between(body, 'id="others-title"', "</section>")
    listed = program_ids(others)
    assert len(listed) == 8 and set(listed) <= expected
    assert program.pk not in listed and hidden.pk not in listed
    assert f"Se muestran 8 de {len(expected)} programas publicados." in text(others)
    assert f'href="{reverse("portal:search")}?institucion=SRE"' in others


def test_only_a_signed_in_user_who_may_see_it_gets_the_workflow_link(client, imported, cast):
    program = Program.objects.published().first()
    url = reverse("portal:program", args=[program.pk])
    workflow = f'href="{reverse("reports:detail", args=[program.pk])}"'
    assert workflow not in get(client, url)
    client.force_login(cast("reviewer"))
    assert workflow in get(client, url)


# --- states --------------------------------------------------------------------------


def test_the_states_page_lists_the_32_states_with_their_counts(client, imported):
    body = get(client, reverse("portal:states"))
    rows = re.findall(r'<th scope="row"><a href="/entidades/([a-z-]+)/">', body)
    assert len(rows) == 32
    practices = dict(GoodPractice.objects.values_list("state_id").annotate(n=Count("id")))
    for state in State.objects.all():
        n = Program.objects.published().filter(state=state, section="estatal").count()
        row = between(body, f'href="/entidades/{state.slug}/">', "</tr>")
        cells = re.findall(r"<td[^>]*>(\d+)</td>", row)
        assert int(cells[0]) == n, state.name
        assert int(cells[2]) == practices.get(state.pk, 0), state.name


@pytest.mark.parametrize("code", ["14", "16", "07", "32"])
def test_a_state_page_shows_its_programs_by_objective_and_its_gaps(client, imported, code):
    state = State.objects.get(inegi_code=code)
    body = get(client, reverse("portal:state", args=[state.slug]))
    programs = Program.objects.published().filter(state=state, section="estatal")
    section = between(body, 'id="programs-title"', 'id="practices-title"')
    assert sorted(program_ids(section)) == sorted(programs.values_list("pk", flat=True))
    covered = set(programs.values_list("objective__number", flat=True))
    missing = set(range(1, 24)) - covered
    rows = re.findall(r'<tr( class="gap-row")? id="objetivo-(\d+)">', section)
    assert len(rows) == 23  # every objective is listed
    assert {int(n) for gap, n in rows if gap} == missing
    assert section.count("Sin programas</span>") == len(missing)
    assert f"cubre {len(covered)} de 23 objetivos" in text(section)
    assert f'href="{reverse("portal:search")}?entidad={code}"' in section
    assert html.escape(state.official_name) in body


def test_a_state_page_lists_its_practices_and_panorama_with_warnings(client, imported):
    state = State.objects.get(name="Baja California")
    body = get(client, reverse("portal:state", args=["baja-california"]))
    practices = between(body, 'id="practices-title"', "</section>")
    for practice in GoodPractice.objects.filter(state=state):
        assert f'href="{reverse("practices:detail", args=[practice.pk])}"' in practices
        assert str(practice.qualification.label) in practices
    figures = PanoramaFigure.objects.filter(state=state)
    table = between(body, '<table class="grid panorama">', "</table>")
    assert table.count('<th scope="row">') == figures.count()
    flagged = next(f for f in figures if "parts_do_not_add_up" in f.flags)
    assert html.escape(flagged.value_as_printed) in table
    assert "Las partes no suman el total impreso" in table
    assert table.count('class="warning"') == sum(len(f.flags) for f in figures)
    assert "Norte" in text(between(body, 'class="facts"', "</dl>"))


def test_a_state_is_found_by_its_inegi_code_with_a_permanent_redirect(client, imported):
    response = client.get(reverse("portal:state", args=["09"]) + "?ciclo=2022")
    assert response.status_code == 301
    assert response["Location"] == "/entidades/ciudad-de-mexico/?ciclo=2022"
    assert client.get(reverse("portal:state", args=["33"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/entidades/atlantida/",
        "/entidades/jalisco/?ciclo=1999",
        "/entidades/jalisco/?ciclo=abc",
        "/entidades/jalisco/?ciclo=" + "9" * 400,
        "/entidades/?ciclo=2021",
        "/objetivos/0/",
        "/objetivos/24/",
        "/objetivos/99999999999999999999999/",
        "/objetivos/1/?ciclo=%27%20OR%201=1",
        "/instituciones/NO-EXISTE/",
        "/instituciones/%3Cscript%3E/",
        "/programas/99999999999999999999999/",
        "/practicas/999999/",
        "/en/entidades/narnia/",
    ],
)
def test_unknown_addresses_are_a_clean_404(client, imported, url):
    assert client.get(url).status_code == 404


# --- objectives ---------------------------------------------------------------------


def test_the_objectives_page_counts_federal_and_state_programs(client, imported):
    body = get(client, reverse("portal:objectives"))
    table = between(body, '<table class="grid objectives-table">', "</table>")
    tbody = between(table, "<tbody>", "</tbody>")
    rows = re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    assert len(rows) == 23
    published = Program.objects.published()
    for objective, row in zip(GcmObjective.objects.order_by("number"), rows, strict=True):
        federal, state = (int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row))
        assert federal == published.filter(objective=objective, section="federal").count()
        assert state == published.filter(objective=objective, section="estatal").count()
    assert f'<td class="num">{published.federal().count()}</td>' in body


@pytest.mark.parametrize("number", [1, 7, 21])
def test_an_objective_page_lists_federal_state_and_missing_states(client, imported, number):
    objective = GcmObjective.objects.get(number=number)
    body = get(client, reverse("portal:objective", args=[number]))
    assert html.escape(objective.title_es) in body
    published = Program.objects.published().filter(objective=objective)
    federal = between(body, 'id="federal-title"', "</section>")
    assert sorted(program_ids(federal)) == sorted(published.federal().values_list("pk", flat=True))
    for program in published.federal():
        assert html.escape(program.actor) in federal
    by_state = between(body, 'id="state-title"', "</section>")
    assert sorted(program_ids(by_state)) == sorted(
        published.state_level().values_list("pk", flat=True)
    )
    with_programs = set(published.state_level().values_list("state__name", flat=True))
    for name in with_programs:
        assert f'>{html.escape(name)}</a> <span class="count">' in by_state
    without = between(body, 'id="without-title"', "</section>")
    listed = set(re.findall(r'<li><a href="/entidades/[a-z-]+/">([^<]+)</a></li>', without))
    assert {html.unescape(n) for n in listed} == set(
        State.objects.exclude(name__in=with_programs).values_list("name", flat=True)
    )
    assert f'href="{reverse("portal:search")}?objetivo={number}"' in body


def test_english_pages_show_the_english_objective_titles(client, imported):
    objective = GcmObjective.objects.get(number=3)
    body = get(client, "/en/objetivos/3/")
    assert html.escape(objective.title_en) in body
    assert html.escape(objective.title_es) not in body
    assert 'href="/en/programas/' in body  # links stay in English
    listing = get(client, "/en/objetivos/")
    for o in GcmObjective.objects.all():
        assert html.escape(o.title_en) in listing
        assert html.escape(o.short_en) in listing
    state = get(client, "/en/entidades/jalisco/")
    assert html.escape(GcmObjective.objects.get(number=1).title_en) in state
    spanish = get(client, "/objetivos/3/")
    assert html.escape(objective.title_en) not in spanish
    assert html.escape(objective.title_es) in spanish


# --- institutions -------------------------------------------------------------------


def test_the_institutions_page_lists_every_institution_with_zero_counts(client, imported):
    body = get(client, reverse("portal:institutions"))
    counts = Institution.objects.annotate(
        n=Count("programs", filter=Q(programs__status="publicado"), distinct=True)
    )
    rows = re.findall(r'<th scope="row"><a href="/instituciones/([^/]+)/">', body)
    assert sorted(rows) == sorted(i.acronym for i in counts)
    zero = 0
    for institution in counts:
        row = between(body, f'href="/instituciones/{institution.acronym}/">', "</tr>")
        assert re.search(rf'<td class="num[^"]*">{institution.n}</td>', row), institution
        zero += institution.n == 0
    assert zero > 0
    for label in ["Federal", "Estatal", "Internacional", "Oficina estatal de atención a migrantes"]:
        assert label in body


@pytest.mark.parametrize("acronym", ["SRE", "sre", "Inm", "SAM-BC"])
def test_an_institution_page_lists_exactly_its_published_programs(client, imported, acronym):
    institution = Institution.objects.get(acronym__iexact=acronym)
    mine = Program.objects.published().filter(institutions=institution)
    if mine.exists():
        Program.objects.filter(pk=mine.first().pk).update(status=Program.Status.DRAFT)
    body = get(client, reverse("portal:institution", args=[acronym]))
    section = between(body, 'id="programs-title"', 'id="practices-title"')
    expected = sorted(
        Program.objects.published().filter(institutions=institution).values_list("pk", flat=True)
    )
    assert sorted(program_ids(section)) == expected
    practices = between(body, 'id="practices-title"', "</section>")
    for practice in institution.practices.all():
        assert f'href="{reverse("practices:detail", args=[practice.pk])}"' in practices
    assert html.escape(institution.name) in body
    assert institution.get_type_display() in body


def test_an_institution_shows_its_state_and_parent(client, imported):
    child = Institution.objects.filter(parent__isnull=False).select_related("parent").first()
    body = get(client, reverse("portal:institution", args=[child.acronym]))
    facts = between(body, 'class="facts"', "</dl>")
    assert f'href="{reverse("portal:institution", args=[child.parent.acronym])}"' in facts
    office = Institution.objects.get(acronym="SAM-BC")
    body = get(client, reverse("portal:institution", args=["sam-bc"]))
    assert f'href="{reverse("portal:state", args=[office.state.slug])}"' in body


# --- home ----------------------------------------------------------------------------


def test_the_home_page_shows_the_cycle_the_heatmap_and_the_ways_in(client, imported):
    body = get(client, reverse("portal:home"))
    published = Program.objects.published()
    states = published.state_level().values("state").distinct().count()
    objectives = published.values("objective").distinct().count()
    figures = text(between(body, '<ul class="figures">', "</ul>"))
    assert f"{published.federal().count()} programas federales" in figures
    assert f"{published.state_level().count()} programas estatales" in figures
    assert f"{states} entidades con programas de 32" in figures
    assert f"{objectives} objetivos con programas de 23" in figures
    heatmap = between(body, '<table class="grid heatmap">', "</table>")
    assert heatmap.count('<th scope="row"><a href="/entidades/') == 32
    assert '<label for="home-q">' in body and 'name="q"' in body
    assert f'action="{reverse("portal:search")}"' in body
    entry = between(body, 'class="entry-points"', "</ul>")
    for url in [
        reverse("portal:objectives"),
        reverse("portal:states"),
        reverse("portal:institutions"),
        reverse("practices:list"),
        reverse("portal:coverage"),
    ]:
        assert f'href="{url}' in entry


def test_the_heatmap_cells_have_readable_text(client, imported):
    """White figures only on dark cells, dark figures elsewhere (WCAG AA contrast)."""
    from observatorio.charts.maps import PALETTE, contrast
    from observatorio.portal.pages import white_text_on

    body = get(client, reverse("portal:home"))
    cells = re.findall(r'class="num cell shade-(\d)">(<span[^>]*>)', body)
    assert cells
    for shade, span in cells:
        colour = PALETTE[int(shade)]
        white = 'class="on-dark"' in span
        if "aria-hidden" in span:
            continue
        assert white == white_text_on(colour)
        assert contrast(colour, "#ffffff" if white else "#1d1d1f") >= 4.5, colour


def test_groups_assigned_by_keywords_are_marked_as_such(client, imported):
    program = Program.objects.published().filter(populations_inferred=True).first()
    body = get(client, reverse("portal:program", args=[program.pk]))
    assert program.populations.first().name_es in body
    assert "asignados por palabras clave de la descripción" in body
    program.populations_inferred = False
    program.save(update_fields=["populations_inferred"])
    body = get(client, reverse("portal:program", args=[program.pk]))
    assert "asignados por palabras clave" not in body
