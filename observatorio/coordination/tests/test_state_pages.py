"""Each state's page: its council, enlace history, installation steps, Modelo and
proposals; edited by its enlace and UPM only, with files checked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatorio.accounts.testing import PASSWORD
from observatorio.coordination.models import InstallationStep, ModelPoint, Proposal

from .conftest import PDF

pytestmark = pytest.mark.django_db


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)


def test_the_enlace_records_a_step_a_point_and_a_proposal(client, world):
    _login(client, "enlace_jalisco")
    page = client.get(reverse("coordination:state", args=["jalisco"])).content.decode()
    assert "Armonizar el marco jurídico local" in page and "Sin información" in page
    # The enlace history comes from the reporting roles; their e-mail only for editors.
    assert "Nombre no registrado" in page and "enlace_jalisco@example.org" in page
    evidence = SimpleUploadedFile("diagnostico.pdf", PDF, "application/pdf")
    response = client.post(
        reverse("coordination:step", args=["jalisco", 4]),
        {
            "status": "done",
            "evidence": "Reforma publicada en el periódico oficial.",
            "files": evidence,
        },
    )
    assert response.status_code == 302
    step = InstallationStep.objects.get(state__inegi_code="14", step=4)
    assert step.status == "done" and step.files.get().name == "diagnostico.pdf"
    client.post(
        reverse("coordination:point_new", args=["jalisco"]),
        {
            "number": 1,
            "text": "Credencial de identidad para personas migrantes",
            "status": "planned",
        },
    )
    client.post(
        reverse("coordination:proposal_new", args=["jalisco"]),
        {
            "sector": "social",
            "proposer": "Red de albergues",
            "text": "Mesa mensual",
            "received_on": "2024-05-01",
            "status": "received",
        },
    )
    assert ModelPoint.objects.filter(state__inegi_code="14").count() == 1
    assert Proposal.objects.filter(state__inegi_code="14").count() == 1
    client.logout()
    public = client.get(reverse("coordination:state", args=["jalisco"])).content.decode()
    assert "Credencial de identidad" in public and "Red de albergues" in public
    assert "Concluido" in public and "diagnostico.pdf" in public
    assert "Nombre no registrado" in public and "enlace_jalisco@example.org" not in public
    assert client.get(reverse("coordination:file", args=[step.files.get().pk])).status_code == 200


def test_another_states_enlace_changes_nothing(client, world):
    _login(client, "enlace_chiapas")
    for name, args, data in (
        ("step", ["jalisco", 1], {"status": "done", "evidence": "x"}),
        ("point_new", ["jalisco"], {"number": 1, "text": "x", "status": "planned"}),
        (
            "proposal_new",
            ["jalisco"],
            {
                "sector": "social",
                "proposer": "x",
                "text": "x",
                "received_on": "2024-01-01",
                "status": "received",
            },
        ),
    ):
        response = client.post(reverse(f"coordination:{name}", args=args), data, follow=True)
        if name == "step":
            assert (
                "Solo puede editar los registros de su propia entidad" in response.content.decode()
            )
        else:
            assert response.status_code == 403
    assert not InstallationStep.objects.exists()
    assert not ModelPoint.objects.exists() and not Proposal.objects.exists()


def test_a_done_step_needs_evidence_and_a_bad_file_writes_nothing(client, world):
    _login(client, "enlace_jalisco")
    url = reverse("coordination:step", args=["jalisco", 2])
    response = client.post(url, {"status": "done", "evidence": ""}, follow=True)
    assert "Escriba la evidencia." in response.content.decode()
    fake = SimpleUploadedFile("informe.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    response = client.post(
        url, {"status": "in_progress", "evidence": "x", "files": fake}, follow=True
    )
    assert "no es un PDF, Word, Excel, CSV, PNG ni JPEG" in response.content.decode()
    assert not InstallationStep.objects.exists()
    duplicate = {"number": 1, "text": "Uno", "status": "planned"}
    client.post(reverse("coordination:point_new", args=["jalisco"]), duplicate)
    response = client.post(reverse("coordination:point_new", args=["jalisco"]), duplicate)
    assert "Ya hay un punto con ese número" in response.content.decode()
    assert ModelPoint.objects.count() == 1


def test_answer_files_are_seen_by_their_state_and_upm_only(client, world):
    from django.utils import timezone

    from observatorio.catalog.models import State
    from observatorio.coordination import actions

    from .test_permissions import _user

    request = actions.send_request(
        _user("reviewer"),
        title="Pedido",
        question="¿Qué?",
        deadline=timezone.localdate(),
        states=State.objects.filter(inegi_code__in=["14", "07"]),
    )
    upload = SimpleUploadedFile("respuesta.csv", b"albergue,lugares\nUno,40\n", "text/csv")
    answer = actions.answer_request(
        _user("enlace_jalisco"), request, State.objects.get(inegi_code="14"), "Anexo", [upload]
    )
    url = reverse("coordination:file", args=[answer.files.get().pk])
    for username, status in (
        ("enlace_chiapas", 404),
        ("outsider", 404),
        ("enlace_jalisco", 200),
        ("reviewer", 200),
    ):
        client.logout()
        _login(client, username)
        assert client.get(url).status_code == status, username
    client.logout()
    assert client.get(url).status_code == 404
