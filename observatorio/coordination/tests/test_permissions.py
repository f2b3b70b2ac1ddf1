"""Every write path refuses another scope; internal minutes and drafts never reach anyone
outside the body (pages, files, the API, search, the calendar)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from observatorio.accounts.testing import PASSWORD
from observatorio.catalog.models import Institution, State
from observatorio.coordination import actions, permissions
from observatorio.coordination.models import (
    Agreement,
    AgreementNote,
    Body,
    InformationRequest,
    Member,
    RequestAnswer,
    Session,
)

pytestmark = pytest.mark.django_db


def _client(client, username):
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# --- the policy ----------------------------------------------------------------------------


def test_an_enlace_manages_only_their_states_bodies(world):
    jalisco = _user("enlace_jalisco")
    assert permissions.can(jalisco, "manage", world["jal"])
    assert not permissions.can(jalisco, "manage", world["chis"])
    assert not permissions.can(jalisco, "manage", world["federal"])
    assert permissions.can(_user("reviewer"), "manage", world["chis"])
    assert permissions.can(_user("reviewer"), "manage", world["federal"])
    refused = permissions.can(jalisco, "manage", world["chis"])
    assert "propia entidad" in refused.reason


def test_a_council_member_comments_on_their_bodies_agreements_and_edits_none(world):
    council = _user("council_chihuahua")
    chh, jal = world["agreements"]["chh"], world["agreements"]["jal"]
    assert permissions.can(council, "comment", chh)
    assert not permissions.can(council, "follow_up", chh)
    assert not permissions.can(council, "manage", chh.body)
    assert not permissions.can(council, "comment", jal)
    with pytest.raises(PermissionDenied):
        actions.add_note(council, jal, AgreementNote.Kind.COMMENT, "De otro consejo")
    with pytest.raises(PermissionDenied):
        actions.add_note(council, chh, AgreementNote.Kind.PROGRESS, "Avance", status_to="done")
    actions.add_note(council, chh, AgreementNote.Kind.COMMENT, "Comentario del consejo")
    chh.refresh_from_db()
    assert chh.status == Agreement.Status.PENDING
    assert chh.notes.count() == 1


def test_a_responsible_institution_records_progress_but_does_not_edit(world):
    reporter = _user("reporter_sre")
    federal = world["agreements"]["federal"]
    actions.add_note(reporter, federal, AgreementNote.Kind.PROGRESS, "Hecho", status_to="done")
    federal.refresh_from_db()
    assert federal.status == Agreement.Status.DONE and federal.closed_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        actions.save_agreement(reporter, federal, [Institution.objects.get(acronym="SRE")])
    with pytest.raises(PermissionDenied):
        actions.add_note(
            reporter, world["agreements"]["jal"], AgreementNote.Kind.PROGRESS, "No es suyo"
        )


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("enlace_jalisco", True),
        ("reviewer", True),
        ("enlace_chiapas", False),
        ("outsider", False),
        ("council_chihuahua", False),
        ("reporter_sre", False),
    ],
)
def test_every_write_action_on_a_jalisco_body_is_scoped(world, username, allowed):
    user = _user(username)
    body = world["jal"]
    segob = Institution.objects.get(acronym="SEGOB")
    writes = [
        lambda: actions.save_member(
            user, Member(body=body, person=f"Persona {username}", sector="civil_society")
        ),
        lambda: actions.save_session(user, Session(body=body, date=dt.date(2024, 10, 1))),
        lambda: actions.save_agreement(
            user, Agreement(body=body, text="Nuevo", agreed_on=dt.date(2024, 10, 1)), [segob]
        ),
        lambda: actions.save_body(
            user,
            Body(
                key=f"jal-{username}",
                name="Sub",
                kind="working_table",
                state=body.state,
                parent=body,
            ),
        ),
        lambda: actions.save_step(user, body.state, 1, "in_progress", ""),
        lambda: actions.end_member(
            user, Member.objects.create(body=body, person=f"P{username}", sector="academia")
        ),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()


def test_an_enlace_answers_only_for_their_state(world):
    reviewer, jalisco, chiapas = _user("reviewer"), _user("enlace_jalisco"), _user("enlace_chiapas")
    states = State.objects.filter(inegi_code__in=["14", "07"])
    request = actions.send_request(
        reviewer,
        title="Censo de albergues",
        question="¿Cuántos albergues?",
        deadline=timezone.localdate() + dt.timedelta(days=5),
        states=states,
    )
    jal, chis = State.objects.get(inegi_code="14"), State.objects.get(inegi_code="07")
    with pytest.raises(PermissionDenied):
        actions.answer_request(jalisco, request, chis, "Respondo por Chiapas")
    with pytest.raises(PermissionDenied):
        actions.send_request(
            jalisco, title="x", question="y", deadline=request.deadline, states=states
        )
    actions.answer_request(jalisco, request, jal, "Doce albergues")
    assert RequestAnswer.objects.get().state == jal
    # Each enlace sees the request, and only their own answer.
    assert list(permissions.answerable_states(chiapas, request)) == [chis]
    assert not permissions.requests_for(_user("outsider")).exists()
    with pytest.raises(PermissionDenied):
        actions.review_answer(jalisco, RequestAnswer.objects.get(), "accepted")


# --- pages, files, API, calendar ---------------------------------------------------------


@pytest.mark.parametrize("username", [None, "enlace_chiapas", "reporter_sre", "outsider"])
def test_internal_minutes_reach_nobody_outside_the_body(client, world, username):
    client = _client(client, username)
    internal, draft = world["internal"], world["draft"]
    minutes_url = reverse("coordination:minutes", args=[internal.pk])
    file_url = reverse("coordination:file", args=[internal.minutes_id])
    missing = client.get(reverse("coordination:minutes", args=[999999]))
    for url in (minutes_url, file_url, reverse("coordination:session", args=[draft.pk])):
        response = client.get(url)
        assert response.status_code == 404 == missing.status_code, url
    page = client.get(reverse("coordination:session", args=[internal.pk])).content.decode()
    assert "acta-interna.pdf" not in page and minutes_url not in page
    body_page = client.get(reverse("coordination:body", args=["jal-consejo"])).content.decode()
    assert "Acuerdo jal-internal" not in body_page
    assert f'href="{reverse("coordination:session", args=[draft.pk])}"' not in body_page
    api = client.get("/api/v1/sessions/?body=jal-consejo").json()
    by_id = {row["id"]: row for row in api["results"]}
    assert by_id[internal.pk]["minutes_url"] == ""
    assert draft.pk not in by_id
    assert by_id[world["open"].pk]["minutes_url"].endswith("/acta/")
    agreements = client.get("/api/v1/agreements/?body=jal-consejo").json()["results"]
    assert [a["text"] for a in agreements] == ["Acuerdo jal"]
    ics = client.get(reverse("coordination:body_calendar", args=["jal-consejo"])).content.decode()
    assert f"sesion-{world['open'].pk}@" in ics and f"sesion-{draft.pk}@" not in ics
    search = client.get("/buscar/?q=acta+interna").content.decode()
    assert "acta-interna" not in search


def test_internal_minutes_open_for_the_states_enlace_and_the_upm(client, world):
    for username in ("enlace_jalisco", "reviewer"):
        client.logout()
        _client(client, username)
        response = client.get(reverse("coordination:minutes", args=[world["internal"].pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        ("session_new", {"key": "chis-consejo"}, {"date": "2024-05-01", "kind": "ordinary"}),
        ("agreement_new", {"key": "chis-consejo"}, {"text": "x", "agreed_on": "2024-05-01"}),
        (
            "member_new",
            {"key": "chis-consejo"},
            {"person": "Alguien", "sector": "academia", "role": "member"},
        ),
        ("body_edit", {"key": "chis-consejo"}, {"name": "Otro", "kind": "state_council"}),
    ],
)
def test_the_pages_refuse_another_states_enlace(client, world, name, kwargs, data):
    _client(client, "enlace_jalisco")
    before = (Session.objects.count(), Agreement.objects.count(), Member.objects.count())
    response = client.post(reverse(f"coordination:{name}", kwargs=kwargs), data)
    assert response.status_code == 403
    assert "propia entidad" in response.content.decode()
    assert (Session.objects.count(), Agreement.objects.count(), Member.objects.count()) == before
    assert Body.objects.get(key="chis-consejo").name == "Consejo Estatal de Chiapas"


def test_a_hidden_body_answers_404_like_a_missing_one(client, world):
    Body.objects.filter(key="chis-consejo").update(public=False)
    _client(client, "enlace_jalisco")
    hidden = client.get(reverse("coordination:body", args=["chis-consejo"]))
    missing = client.get(reverse("coordination:body", args=["no-existe"]))
    assert hidden.status_code == missing.status_code == 404
    assert client.get("/api/v1/bodies/chis-consejo/").status_code == 404
    client.logout()
    _client(client, "enlace_chiapas")
    assert client.get(reverse("coordination:body", args=["chis-consejo"])).status_code == 200


def test_information_requests_need_a_signed_in_user_of_their_scope(client, world):
    reviewer = _user("reviewer")
    request = actions.send_request(
        reviewer,
        title="Pedido",
        question="¿Qué?",
        deadline=timezone.localdate(),
        states=State.objects.filter(inegi_code="07"),
    )
    assert client.get("/api/v1/information-requests/").status_code == 401
    assert client.get(reverse("coordination:request", args=[request.pk])).status_code == 302
    _client(client, "enlace_jalisco")
    assert client.get(reverse("coordination:request", args=[request.pk])).status_code == 404
    response = client.post(
        reverse("coordination:request_answer", args=[request.pk, "07"]), {"s07-text": "x"}
    )
    assert response.status_code == 404
    assert not RequestAnswer.objects.exists()
    assert InformationRequest.objects.count() == 1
    from observatorio.accounts.models import ApiToken

    _token, jalisco_key = ApiToken.issue(_user("enlace_jalisco"), "pruebas")
    _token, chiapas_key = ApiToken.issue(_user("enlace_chiapas"), "pruebas")
    url = "/api/v1/information-requests/"
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {jalisco_key}").json()["count"] == 0
    assert (
        client.get(f"{url}{request.pk}/", HTTP_AUTHORIZATION=f"Token {jalisco_key}").status_code
        == 404
    )
    mine = client.get(url, HTTP_AUTHORIZATION=f"Token {chiapas_key}").json()["results"]
    assert [r["id"] for r in mine] == [request.pk]
    assert mine[0]["answers"] == [
        {"state": "07", "status": "missing", "answered_at": None, "on_time": None}
    ]


def test_the_contact_directory_is_for_the_bodys_participants(client, world):
    Member.objects.create(
        body=world["chh"],
        person="Rosa Campos",
        sector="civil_society",
        email="rosa@example.org",
        phone="614 000 0000",
    )
    url = reverse("coordination:body", args=["chh-consejo"])
    assert "Rosa Campos" in client.get(url).content.decode()
    for username, sees in (
        (None, False),
        ("enlace_jalisco", False),
        ("council_chihuahua", True),
        ("reviewer", True),
    ):
        client.logout()
        _client(client, username)
        page = client.get(url).content.decode()
        assert ("rosa@example.org" in page) is sees, username
        assert ("614 000 0000" in page) is sees, username
