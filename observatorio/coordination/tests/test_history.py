"""A body's history reads back: renamed (the old name kept), merged, dissolved — recorded
by whoever manages the body, at a session or on a date."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatorio.accounts.testing import PASSWORD
from observatorio.coordination.models import Body, BodyEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def enlace(client, world):
    assert client.login(username="enlace_jalisco", password=PASSWORD)
    return client


def test_a_rename_keeps_the_old_name_and_reads_back(enlace, world):
    url = reverse("coordination:event_new", args=["jal-consejo"])
    response = enlace.post(
        url,
        {
            "kind": "renamed",
            "date": "2024-03-01",
            "session": world["internal"].pk,
            "new_name": "Consejo Estatal para la Protección e Integración de Jalisco",
        },
    )
    assert response.status_code == 302
    body = Body.objects.get(key="jal-consejo")
    assert body.name == "Consejo Estatal para la Protección e Integración de Jalisco"
    assert list(body.names.values_list("name", flat=True)) == ["Consejo Estatal de Jalisco"]
    event = body.events.get()
    assert event.former_name == "Consejo Estatal de Jalisco" and event.session == world["internal"]
    page = enlace.get(reverse("coordination:body", args=["jal-consejo"])).content.decode()
    assert "Cambio de nombre" in page and "Antes: «Consejo Estatal de Jalisco»" in page


def test_a_merger_ends_the_body_and_points_to_the_other(enlace, world):
    other = Body.objects.create(
        key="jal-mesa", name="Mesa de Jalisco", kind="working_table", state=world["jal"].state
    )
    response = enlace.post(
        reverse("coordination:event_new", args=["jal-mesa"]),
        {"kind": "merged", "date": "2024-07-01", "merged_into": world["jal"].pk},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.dissolved_on.isoformat() == "2024-07-01"
    assert other.events.get().merged_into == world["jal"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "renamed", "date": "2024-03-01"}, "Escriba el nombre nuevo del órgano."),
        ({"kind": "merged", "date": "2024-03-01"}, "Elija el órgano en que se fusionó."),
        ({"kind": "dissolved", "date": "2019-01-01"}, "anterior a la instalación del órgano"),
        (
            {"kind": "created", "date": "2024-03-02", "session": "SESSION"},
            "La fecha no es la de la sesión elegida.",
        ),
    ],
)
def test_bad_events_write_nothing(enlace, world, data, message):
    if data.get("session") == "SESSION":
        data = {**data, "session": world["internal"].pk}
    response = enlace.post(reverse("coordination:event_new", args=["jal-consejo"]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not BodyEvent.objects.exists()
    assert Body.objects.get(key="jal-consejo").dissolved_on is None


def test_another_states_enlace_cannot_record_history(client, world):
    assert client.login(username="enlace_chiapas", password=PASSWORD)
    response = client.post(
        reverse("coordination:event_new", args=["jal-consejo"]),
        {"kind": "dissolved", "date": "2024-03-01"},
    )
    assert response.status_code == 403
    assert not BodyEvent.objects.exists()
