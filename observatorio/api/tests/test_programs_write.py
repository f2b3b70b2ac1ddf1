"""Writing through the API: drafts and the workflow, with exactly the web's permissions.

Every write path has a test where another state's (or institution's) user is refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from observatorio.catalog.models import GcmObjective
from observatorio.programs.models import Program, ResultFigure, Revision, Transition

pytestmark = pytest.mark.django_db
URL = "/api/v1/programs/"
S = Program.Status


def state_report(**overrides) -> dict:
    data = {
        "cycle": 2025,
        "section": "estatal",
        "state": "14",
        "objective": 21,
        "secondary_objectives": [7],
        "populations": ["retorno"],
        "title": "Módulo de orientación a personas en retorno",
        "description": "Orientación jurídica y vinculación laboral en el aeropuerto.",
        "results": "Se atendió a 830 personas.",
        "challenges": "Rotación del personal.",
        "start_date": "2022-01-15",
        "permanent": True,
        "budget": "150000.50",
        "execution": "vigente",
        "links": ["https://www.gob.mx/migrantes"],
        "figures": [
            {"label": "Personas atendidas", "value": 830, "sex": "mujeres", "age_group": "30-59"}
        ],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def federal_report(**overrides) -> dict:
    return state_report(
        **{"section": "federal", "state": None, "institutions": ["SRE"], **overrides}
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Program.objects.count(),
        Revision.objects.count(),
        ResultFigure.objects.count(),
        Transition.objects.count(),
    )


# --- creating ---------------------------------------------------------------------------


def test_an_enlace_creates_a_draft_of_their_state(client_for, open_cycle):
    response = client_for("enlace_jalisco").post(URL, state_report(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    program = Program.objects.get(pk=data["id"])
    assert (program.status, program.section, program.state.inegi_code) == (S.DRAFT, "estatal", "14")
    assert program.created_by.username == "enlace_jalisco"
    assert program.links == ["https://www.gob.mx/migrantes"]
    assert [o.number for o in program.secondary_objectives.all()] == [7]
    assert program.budget == pytest.approx(150000.50)
    figure = program.figures.get()
    assert (figure.value, figure.sex, figure.unit) == (830, "mujeres", "personas")
    assert program.has_quantitative_results
    assert program.revisions.get().note == "creado"
    assert data["status"] == "borrador" and data["version"] == 1 and data["number"] is None


def test_a_reporter_creates_a_joint_federal_report_that_includes_their_institution(
    client_for, open_cycle
):
    response = client_for("reporter_sre").post(
        URL, federal_report(institutions=["SRE", "stps"]), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["institutions"] == ["SRE", "STPS"]


def test_another_states_enlace_cannot_create_a_report_for_jalisco(client_for, open_cycle):
    before = counts()
    response = client_for("enlace_chiapas").post(URL, state_report(), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Solo puede reportar programas de su propia entidad federativa."
    )
    assert counts() == before


def test_a_reporter_cannot_create_a_report_for_another_institution(client_for, open_cycle):
    before = counts()
    response = client_for("reporter_sre").post(
        URL, federal_report(institutions=["STPS", "COMAR"]), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Incluya a su propia institución entre las que reportan."
    assert counts() == before


@pytest.mark.parametrize(
    ("username", "body", "reason"),
    [
        ("enlace_jalisco", federal_report(), "informantes institucionales"),
        ("reporter_sre", state_report(), "enlace estatal"),
        # Who reports nothing at all is refused before the body is read.
        ("reviewer", state_report(), "Su cuenta no reporta"),
        ("outsider", federal_report(), "Su cuenta no reporta"),
        ("council_chihuahua", state_report(state="08"), "Su cuenta no reporta"),
    ],
)
def test_whoever_does_not_report_for_that_part_is_refused(
    client_for, open_cycle, username, body, reason
):
    before = counts()
    response = client_for(username).post(URL, body, format="json")
    assert response.status_code == 403
    assert reason in response.json()["detail"]
    assert counts() == before


def test_reports_are_created_only_in_an_open_cycle(client_for, open_cycle):
    open_cycle.closes_on = timezone.localdate() - dt.timedelta(days=1)
    open_cycle.opens_on = open_cycle.closes_on - dt.timedelta(days=30)
    open_cycle.save()
    response = client_for("enlace_jalisco").post(URL, state_report(), format="json")
    # The cycle's state, not the user's scope, refuses it: a conflict, as the README says.
    assert response.status_code == 409
    assert "no está abierto" in response.json()["detail"]


def test_an_anonymous_client_cannot_write(anon, open_cycle):
    response = anon.post(URL, state_report(), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert Program.objects.count() == 0


# --- the form's rules, through the API ---------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2021-01-01", "permanent": False}, "end_date", "anterior a la de inicio"),
        ({"end_date": "2023-01-01"}, "end_date", "permanente no tiene fecha de término"),
        ({"links": ["no es un enlace"]}, "links", "no es una dirección web válida"),
        ({"links": ["https://a.mx\nhttps://b.mx"]}, "links", "saltos de línea"),
        ({"challenges_none": True}, "challenges", "no ambas cosas"),
        ({"secondary_objectives": [21]}, "secondary_objectives", "no se repite"),
        ({"title": "x" * 501}, "title", "500"),
        ({"title": "   "}, "title", "obligatorio"),
        ({"title": ""}, "title", "Este dato es obligatorio."),
        ({"description": "x" * 20_001}, "description", "20000"),
        ({"figures": [{"label": "Personas", "value": -3}]}, "figures", "no pueden ser negativas"),
        ({"populations": ["marcianos"]}, "populations", "No existe «marcianos»"),
        ({"objective": 24}, "objective", "menor o igual a 23"),
        ({"cycle": 1999}, "cycle", "No existe el ciclo 1999"),
        ({"state": None}, "state", "lleva la clave INEGI"),
        ({"institutions": ["SRE"]}, "institutions", "no lleva instituciones"),
    ],
)
def test_the_report_forms_rules_apply_with_a_message_per_field(
    client_for, open_cycle, overrides, field, message
):
    before = counts()
    response = client_for("enlace_jalisco").post(URL, state_report(**overrides), format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert counts() == before


def test_a_federal_report_needs_its_institutions(client_for, open_cycle):
    response = client_for("reporter_sre").post(URL, federal_report(institutions=[]), format="json")
    assert response.status_code == 400
    assert response.json()["institutions"] == ["Este dato es obligatorio."]  # the form's
    response = client_for("reporter_sre").post(URL, federal_report(state="14"), format="json")
    assert response.json()["state"] == ["Un reporte federal no lleva entidad federativa."]


# --- editing ------------------------------------------------------------------------------


def test_an_enlace_edits_their_draft_and_only_the_fields_sent_change(client_for, make_report):
    program = make_report(state="14")
    api = client_for("enlace_jalisco")
    response = api.patch(
        f"{URL}{program.pk}/",
        {
            "version": 1,
            "description": "Nueva descripción.",
            "figures": [{"label": "Casos", "value": "4"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    program.refresh_from_db()
    assert program.description == "Nueva descripción."
    assert program.title == "Atención integral a personas migrantes"
    assert program.version == 2
    assert [f.label for f in program.figures.all()] == ["Casos"]
    assert program.revisions.get().note == "editado"
    assert response.json()["version"] == 2


def test_a_stale_version_is_a_conflict_and_nothing_is_written(client_for, make_report):
    program = make_report(state="14", version=3)
    before = counts()
    response = client_for("enlace_jalisco").patch(
        f"{URL}{program.pk}/", {"version": 2, "title": "Otro título"}, format="json"
    )
    assert response.status_code == 409
    assert "versión 3" in response.json()["detail"]
    program.refresh_from_db()
    assert program.title == "Atención integral a personas migrantes"
    assert counts() == before


def test_an_edit_needs_the_version_and_cannot_move_the_report(client_for, make_report):
    program = make_report(state="14")
    api = client_for("enlace_jalisco")
    response = api.patch(f"{URL}{program.pk}/", {"title": "Sin versión"}, format="json")
    assert response.json() == {"version": ["Este campo es obligatorio."]}
    response = api.patch(
        f"{URL}{program.pk}/", {"version": 1, "state": "07", "cycle": 2022}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["state"] == ["No se cambia en un reporte existente."]
    assert response.json()["cycle"] == ["No se cambia en un reporte existente."]


def test_another_states_enlace_cannot_read_or_edit_a_draft(client_for, make_report):
    program = make_report(state="14")
    api = client_for("enlace_chiapas")
    assert api.get(f"{URL}{program.pk}/").status_code == 404
    response = api.patch(f"{URL}{program.pk}/", {"version": 1, "title": "Mío"}, format="json")
    assert response.status_code == 404
    program.refresh_from_db()
    assert program.title == "Atención integral a personas migrantes"


def test_a_reviewer_sees_a_draft_but_may_not_edit_it(client_for, make_report):
    program = make_report(state="14")
    response = client_for("reviewer").patch(
        f"{URL}{program.pk}/", {"version": 1, "title": "Corregido"}, format="json"
    )
    assert response.status_code == 403
    assert "Solo quien reporta" in response.json()["detail"]


def test_a_report_in_review_cannot_be_edited(client_for, make_report):
    program = make_report(state="14", status=S.SUBMITTED)
    response = client_for("enlace_jalisco").patch(
        f"{URL}{program.pk}/", {"version": 1, "title": "Tarde"}, format="json"
    )
    # The report's status does not allow it: 409, as the README promises.
    assert response.status_code == 409
    assert "no se puede editar" in response.json()["detail"]


def test_a_reporter_cannot_drop_their_own_institution_from_a_report(client_for, make_report):
    program = make_report(institution="SRE")
    response = client_for("reporter_sre").patch(
        f"{URL}{program.pk}/", {"version": 1, "institutions": ["STPS"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["institutions"] == [
        "Incluya a su propia institución entre las que reportan."
    ]
    assert [i.acronym for i in program.institutions.all()] == ["SRE"]


# --- the workflow -----------------------------------------------------------------------


def test_a_report_goes_through_review_to_publication(client_for, make_report):
    program = make_report(state="14")
    enlace, reviewer = client_for("enlace_jalisco"), client_for("reviewer")

    response = enlace.post(f"{URL}{program.pk}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "enviado"

    response = reviewer.post(f"{URL}{program.pk}/return/", {"comment": ""}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = reviewer.post(f"{URL}{program.pk}/return/", {"comment": "   "}, format="json")
    assert response.status_code == 400
    response = reviewer.post(
        f"{URL}{program.pk}/return/", {"comment": "Agregue las cifras."}, format="json"
    )
    assert response.json()["status"] == "devuelto"

    version = response.json()["version"]
    assert (
        enlace.patch(
            f"{URL}{program.pk}/", {"version": version, "results": "830 personas."}, format="json"
        ).status_code
        == 200
    )
    assert enlace.post(f"{URL}{program.pk}/submit/", {}, format="json").json()["status"] == (
        "reenviado"
    )
    response = reviewer.post(f"{URL}{program.pk}/approve/", {"comment": "Bien."}, format="json")
    assert response.json()["status"] == "aprobado"
    response = reviewer.post(f"{URL}{program.pk}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "publicado"
    assert response.json()["number"] == 1
    trail = list(Program.objects.get(pk=program.pk).transitions.values_list("to_status", "comment"))
    assert trail == [
        ("enviado", ""),
        ("devuelto", "Agregue las cifras."),
        ("reenviado", ""),
        ("aprobado", "Bien."),
        ("publicado", ""),
    ]


def test_an_incomplete_report_is_not_submitted_and_says_what_is_missing(client_for, make_report):
    program = make_report(state="14", description="", execution="")
    response = client_for("enlace_jalisco").post(f"{URL}{program.pk}/submit/")
    assert response.status_code == 409
    assert "Falta la descripción." in response.json()["detail"]
    assert "Falta la situación del programa" in response.json()["detail"]
    program.refresh_from_db()
    assert program.status == S.DRAFT


def test_a_transition_from_the_wrong_status_is_a_conflict(client_for, make_report):
    program = make_report(state="14", status=S.SUBMITTED)
    response = client_for("reviewer").post(f"{URL}{program.pk}/publish/")
    assert response.status_code == 409
    assert "publicar" in response.json()["detail"]


@pytest.mark.parametrize("action", ["approve", "publish", "return"])
def test_only_reviewers_review(client_for, make_report, action):
    program = make_report(state="14", status=S.SUBMITTED)
    response = client_for("enlace_jalisco").post(
        f"{URL}{program.pk}/{action}/", {"comment": "Yo mismo."}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Solo el personal revisor de la UPM puede hacerlo."
    assert Transition.objects.count() == 0


def test_a_reviewer_does_not_submit_someone_elses_report(client_for, make_report):
    program = make_report(state="14")
    response = client_for("reviewer").post(f"{URL}{program.pk}/submit/")
    assert response.status_code == 403


def test_unknown_fields_in_a_transition_are_refused(client_for, make_report):
    program = make_report(state="14")
    response = client_for("enlace_jalisco").post(
        f"{URL}{program.pk}/submit/", {"comment": "hola"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"comment": ["Campo desconocido."]}
    program.refresh_from_db()
    assert program.status == S.DRAFT


# --- another state's user, on every write path ----------------------------------------------

WRITE_PATHS = [
    ("patch", "{pk}/", {"version": 1, "title": "Ajeno"}, S.DRAFT),
    ("post", "{pk}/submit/", {}, S.DRAFT),
    ("post", "{pk}/return/", {"comment": "Ajeno"}, S.SUBMITTED),
    ("post", "{pk}/approve/", {}, S.SUBMITTED),
    ("post", "{pk}/publish/", {}, S.APPROVED),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), WRITE_PATHS)
def test_another_states_user_is_refused_on_every_write_path(
    client_for, make_report, method, path, body, status
):
    program = make_report(state="14", status=status)
    before = counts()
    for username in ("enlace_chiapas", "council_chihuahua", "registry_tlaxcala", "outsider"):
        api = client_for(username)
        response = getattr(api, method)(URL + path.format(pk=program.pk), body, format="json")
        assert response.status_code in (403, 404), (username, response.status_code)
    # A submitted report is visible to nobody here, so its existence is not revealed either.
    assert client_for("enlace_chiapas").post(URL + f"{program.pk}/submit/").status_code == 404
    program.refresh_from_db()
    assert (program.status, program.title, program.version) == (
        status,
        "Atención integral a personas migrantes",
        1,
    )
    assert counts()[:2] == before[:2] and counts()[3] == before[3]


@pytest.mark.parametrize(("method", "path", "body", "status"), WRITE_PATHS)
def test_another_institutions_reporter_is_refused_on_every_write_path(
    client_for, make_report, method, path, body, status
):
    program = make_report(institution="STPS", status=status)
    response = getattr(client_for("reporter_sre"), method)(
        URL + path.format(pk=program.pk), body, format="json"
    )
    assert response.status_code == 404
    program.refresh_from_db()
    assert program.status == status


def test_the_web_form_and_the_api_ask_one_rule_for_the_institutions(
    client_for, cast, open_cycle, monkeypatch
):
    """Change the policy's rule and both the web form and the API follow it."""
    from observatorio.catalog.models import Institution
    from observatorio.lib.policy import deny
    from observatorio.programs import permissions
    from observatorio.programs.forms import ReportForm

    monkeypatch.setattr(permissions, "_claims", lambda *args: deny("Regla única."))
    response = client_for("reporter_sre").post(URL, federal_report(), format="json")
    assert response.json() == {"detail": "Regla única."}
    form = ReportForm(
        {
            "title": "Ventanilla",
            "objective": GcmObjective.objects.get(number=3).pk,
            "institutions": [Institution.objects.get(acronym="SRE").pk],
        },
        instance=Program(cycle=open_cycle, section="federal"),
        user=cast("reporter_sre"),
        section="federal",
    )
    assert not form.is_valid()
    assert form.errors["institutions"] == ["Regla única."]


def test_submitting_a_report_already_in_review_is_a_conflict(client_for, make_report):
    program = make_report(state="14", status=S.SUBMITTED)
    response = client_for("enlace_jalisco").post(f"{URL}{program.pk}/submit/")
    assert response.status_code == 409
    assert "Enviado a revisión" in response.json()["detail"]


def test_submitting_another_states_published_report_is_forbidden(client_for, make_report):
    program = make_report(state="07", status=S.PUBLISHED, number=1, description="")
    response = client_for("enlace_jalisco").post(f"{URL}{program.pk}/submit/")
    assert response.status_code == 403
    assert "Falta" not in response.json()["detail"]


def test_a_reviewer_withdraws_a_published_report_with_a_reason(client_for, make_report):
    program = make_report(state="14", status=S.PUBLISHED, number=1)
    reviewer = client_for("reviewer")
    assert reviewer.post(f"{URL}{program.pk}/withdraw/", {}, format="json").status_code == 400
    response = reviewer.post(
        f"{URL}{program.pk}/withdraw/", {"comment": "Duplicado del 7.2."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "retirado"
    program.refresh_from_db()
    assert program.withdrawn_reason == "Duplicado del 7.2."
    assert client_for("enlace_jalisco").post(
        f"{URL}{program.pk}/withdraw/", {"comment": "Yo."}, format="json"
    ).status_code in (403, 404)


def test_a_council_member_comments_through_the_api_only_in_review(client_for, make_report):
    program = make_report(state="08", status=S.SUBMITTED)
    council = client_for("council_chihuahua")
    url = f"{URL}{program.pk}/comments/"
    response = council.post(url, {"text": "Revisar cifras."}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["text"] == "Revisar cifras."
    assert council.post(url, {"text": " "}, format="json").status_code == 400
    other = client_for("council_academia").post(
        f"{URL}{program.pk}/comments/", {"text": "Ajeno."}, format="json"
    )
    assert other.status_code in (403, 404)
    assert program.council_comments.count() == 1
