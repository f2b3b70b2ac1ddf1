"""An information request from send to close: answers, a return, acceptance, lateness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from observatorio.accounts.testing import PASSWORD
from observatorio.catalog.models import State
from observatorio.coordination import actions
from observatorio.coordination.models import RequestAnswer
from observatorio.coordination.views_followup import completeness_rows
from observatorio.notifications.models import Kind, Notification

from .test_permissions import _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_to_two(world):
    return actions.send_request(
        _user("reviewer"),
        title="Albergues",
        question="¿Cuántos?",
        deadline=timezone.localdate() + dt.timedelta(days=3),
        states=State.objects.filter(inegi_code__in=["14", "07"]),
    )


def test_the_enlaces_are_told_and_upm_hears_back(request_to_two):
    told = Notification.objects.filter(kind=Kind.INFO_REQUEST)
    assert sorted(n.user.username for n in told) == ["enlace_chiapas", "enlace_jalisco"]
    jalisco = State.objects.get(inegi_code="14")
    actions.answer_request(_user("enlace_jalisco"), request_to_two, jalisco, "Tres")
    heard = Notification.objects.get(kind=Kind.INFO_ANSWER)
    assert heard.user.username == "reviewer" and "Jalisco" in heard.title


def test_a_return_an_answer_again_and_acceptance(request_to_two):
    jalisco = State.objects.get(inegi_code="14")
    enlace, reviewer = _user("enlace_jalisco"), _user("reviewer")
    answer = actions.answer_request(enlace, request_to_two, jalisco, "Tres")
    first = answer.first_answered_at
    with pytest.raises(ValidationError, match="Escriba las observaciones"):
        actions.review_answer(reviewer, answer, RequestAnswer.Status.RETURNED, "")
    actions.review_answer(reviewer, answer, RequestAnswer.Status.RETURNED, "Falta la capacidad")
    again = actions.answer_request(enlace, request_to_two, jalisco, "Tres, 400 lugares")
    assert again.pk == answer.pk and again.first_answered_at == first
    assert again.status == RequestAnswer.Status.ANSWERED and again.text == "Tres, 400 lugares"
    actions.review_answer(reviewer, again, RequestAnswer.Status.ACCEPTED)
    with pytest.raises(ValidationError, match="ya aceptó"):
        actions.answer_request(enlace, request_to_two, jalisco, "Cambio")
    assert RequestAnswer.objects.get().text == "Tres, 400 lugares"


def test_lateness_by_state(request_to_two):
    jalisco = State.objects.get(inegi_code="14")
    actions.answer_request(_user("enlace_jalisco"), request_to_two, jalisco, "Tres")
    rows = completeness_rows(request_to_two)
    assert [(r["state"].name, r["lateness"]) for r in rows] == [
        ("Chiapas", "pendiente"),
        ("Jalisco", "a_tiempo"),
    ]
    later = request_to_two.deadline + dt.timedelta(days=1)
    rows = completeness_rows(request_to_two, on=later)
    assert [(r["state"].name, r["lateness"]) for r in rows] == [
        ("Chiapas", "vencido"),
        ("Jalisco", "a_tiempo"),
    ]
    RequestAnswer.objects.update(first_answered_at=timezone.now() + dt.timedelta(days=5))
    assert completeness_rows(request_to_two, on=later)[1]["lateness"] == "tardio"


def test_a_closed_request_takes_no_more_answers(client, request_to_two):
    assert client.login(username="reviewer", password=PASSWORD)
    client.post(reverse("coordination:request_close", args=[request_to_two.pk]), {"closed": "1"})
    request_to_two.refresh_from_db()
    assert request_to_two.closed
    client.logout()
    assert client.login(username="enlace_jalisco", password=PASSWORD)
    page = client.get(reverse("coordination:request", args=[request_to_two.pk])).content.decode()
    assert "Enviar la respuesta" not in page
    response = client.post(
        reverse("coordination:request_answer", args=[request_to_two.pk, "14"]),
        {"s14-text": "Tarde"},
        follow=True,
    )
    assert "La solicitud está cerrada" in response.content.decode()
    assert not RequestAnswer.objects.exists()
    denied = client.post(
        reverse("coordination:request_close", args=[request_to_two.pk]), {"closed": "0"}
    )
    assert denied.status_code == 403


def test_a_bad_request_writes_nothing(client, world):
    assert client.login(username="reviewer", password=PASSWORD)
    response = client.post(
        reverse("coordination:request_new"),
        {"title": "", "question": "x", "deadline": "2020-01-01"},
    )
    page = response.content.decode()
    assert "Este campo es obligatorio." in page
    assert "La fecha límite ya pasó." in page
    assert "Elija al menos una entidad federativa." in page
    from observatorio.coordination.models import InformationRequest

    assert not InformationRequest.objects.exists()


def test_upm_returns_an_answer_from_the_page(client, request_to_two):
    jalisco = State.objects.get(inegi_code="14")
    answer = actions.answer_request(_user("enlace_jalisco"), request_to_two, jalisco, "Tres")
    assert client.login(username="reviewer", password=PASSWORD)
    page = client.get(reverse("coordination:request", args=[request_to_two.pk])).content.decode()
    assert f'name="r{answer.pk}-status"' in page
    url = reverse("coordination:answer_review", args=[answer.pk])
    client.post(url, {f"r{answer.pk}-status": "returned", f"r{answer.pk}-note": ""})
    assert RequestAnswer.objects.get().status == RequestAnswer.Status.ANSWERED
    client.post(url, {f"r{answer.pk}-status": "returned", f"r{answer.pk}-note": "Falta capacidad"})
    answer.refresh_from_db()
    assert (
        answer.status == RequestAnswer.Status.RETURNED and answer.review_note == "Falta capacidad"
    )
