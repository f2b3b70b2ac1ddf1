"""Bad input gets a clear Spanish error and writes nothing: dates out of order, a member in
two roles at once, an agreement without a responsible institution, minutes that are not a
PDF or are too large."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatorio.accounts.testing import PASSWORD
from observatorio.coordination import files
from observatorio.coordination.models import Agreement, Body, Member, Session, StoredFile

from .conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def enlace(client, world):
    assert client.login(username="enlace_jalisco", password=PASSWORD)
    return client


def _counts():
    return (
        Body.objects.count(),
        Member.objects.count(),
        Session.objects.count(),
        Agreement.objects.count(),
        StoredFile.objects.count(),
    )


def _refused(client, name, args, data, message):
    before = _counts()
    response = client.post(reverse(f"coordination:{name}", args=args), data)
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode()
    assert _counts() == before
    return response


def test_dates_out_of_order(enlace):
    _refused(
        enlace,
        "member_new",
        ["jal-consejo"],
        {
            "person": "Ana",
            "sector": "academia",
            "role": "member",
            "started_on": "2024-05-01",
            "ended_on": "2024-01-01",
        },
        "La fecha de término es anterior a la de inicio.",
    )
    _refused(
        enlace,
        "agreement_new",
        ["jal-consejo"],
        {
            "text": "Algo",
            "responsible": [1],
            "agreed_on": "2024-05-01",
            "due_on": "2024-04-01",
            "status": "pending",
            "public": "on",
        },
        "La fecha compromiso es anterior a la fecha del acuerdo.",
    )
    _refused(
        enlace,
        "body_edit",
        ["jal-consejo"],
        {
            "name": "Consejo",
            "kind": "state_council",
            "state": 14,
            "installed_on": "2022-01-01",
            "dissolved_on": "2021-01-01",
            "public": "on",
        },
        "La fecha de disolución es anterior a la de instalación.",
    )
    _refused(
        enlace,
        "session_new",
        ["jal-consejo"],
        {"date": "2019-01-01", "kind": "ordinary", "public": "on"},
        "La sesión es anterior a la instalación del órgano (2020-01-10).",
    )
    _refused(
        enlace,
        "session_new",
        ["jal-consejo"],
        {"date": "31/02/2024", "kind": "ordinary"},
        "Escriba la fecha como AAAA-MM-DD.",
    )


def test_a_member_in_two_roles_at_once(enlace, world):
    Member.objects.create(
        body=world["jal"],
        person="Laura Méndez",
        sector="state_agency",
        role="president",
        started_on="2024-01-01",
    )
    _refused(
        enlace,
        "member_new",
        ["jal-consejo"],
        {
            "person": "laura méndez",
            "sector": "state_agency",
            "role": "secretary",
            "started_on": "2024-06-01",
        },
        "ya ocupa el lugar de «Presidencia» en este órgano en esas fechas",
    )
    _refused(
        enlace,
        "member_new",
        ["jal-consejo"],
        {
            "person": "Otra Persona",
            "sector": "state_agency",
            "role": "president",
            "started_on": "2024-06-01",
        },
        "El órgano ya tiene presidencia en esas fechas",
    )
    # After her period ends she may take another role; so may someone else the presidency.
    Member.objects.filter(person="Laura Méndez").update(ended_on="2024-05-31")
    response = enlace.post(
        reverse("coordination:member_new", args=["jal-consejo"]),
        {
            "person": "Laura Méndez",
            "sector": "state_agency",
            "role": "secretary",
            "started_on": "2024-06-01",
        },
    )
    assert response.status_code == 302
    assert Member.objects.filter(person="Laura Méndez").count() == 2


def test_an_agreement_without_a_responsible_institution(enlace):
    _refused(
        enlace,
        "agreement_new",
        ["jal-consejo"],
        {"text": "Algo", "agreed_on": "2024-05-01", "status": "pending"},
        "Indique al menos una institución responsable",
    )


def test_minutes_that_are_not_a_pdf_or_are_too_large(enlace, world, monkeypatch):
    url_args = [world["open"].pk]
    docx = SimpleUploadedFile("acta.pdf", b"PK\x03\x04 not really", "application/pdf")
    _refused(
        enlace,
        "session_edit",
        url_args,
        {"date": "2024-06-01", "kind": "ordinary", "minutes_file": docx},
        "«acta.pdf» no es un PDF: el acta se sube en PDF.",
    )
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    big = SimpleUploadedFile("grande.pdf", PDF + b"0" * 2000, "application/pdf")
    _refused(
        enlace,
        "session_edit",
        url_args,
        {"date": "2024-06-01", "kind": "ordinary", "minutes_file": big},
        "«grande.pdf» pesa más de 0 MB.",
    )
    session = Session.objects.get(pk=world["open"].pk)
    assert session.minutes.name == "acta-publica.pdf"


def test_the_real_limit_is_ten_megabytes():
    big = SimpleUploadedFile("grande.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(files.ValidationError, match="pesa más de 10 MB"):
        files.check(big, pdf_only=True)
    ok = SimpleUploadedFile("acta.pdf", PDF, "application/pdf")
    assert files.check(ok, pdf_only=True).media_type == files.PDF
    fake = SimpleUploadedFile("datos.xlsx", b"PK\x03\x04garbage", "application/octet-stream")
    with pytest.raises(files.ValidationError, match="no es un PDF, Word, Excel"):
        files.check(fake)
    empty = SimpleUploadedFile("vacio.pdf", b"", "application/pdf")
    with pytest.raises(files.ValidationError, match="está vacío"):
        files.check(empty)


def test_a_valid_pdf_is_kept_and_replaces_the_minutes(enlace, world):
    upload = SimpleUploadedFile("nueva.pdf", PDF, "application/pdf")
    response = enlace.post(
        reverse("coordination:session_edit", args=[world["open"].pk]),
        {
            "date": "2024-06-01",
            "kind": "ordinary",
            "minutes_file": upload,
            "public": "on",
            "minutes_public": "on",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(pk=world["open"].pk)
    assert session.minutes.name == "nueva.pdf" and session.minutes.size == len(PDF)


def test_bad_requests_to_the_api_are_spanish_400s(client, world):
    for query, field, message in (
        ("status=quizas", "status", "Estado desconocido: quizas."),
        ("overdue=si", "overdue", "Use true o false."),
        ("state=7", "state", "Escriba la clave INEGI de dos dígitos."),
        ("body=", "body", "Escriba un valor o quite el parámetro."),
    ):
        response = client.get(f"/api/v1/agreements/?{query}")
        assert response.status_code == 400
        assert response.json()[field] == [message]
