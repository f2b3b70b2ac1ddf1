"""The home page and the admin over the imported 2022 compendium."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from observatorio.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(real_data, db):
    """The 2022 compendium (and the good-practice study), imported once and shared."""


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "x-Clave-larga-1"
    )


def test_the_home_page_shows_the_cycle_at_a_glance(client, imported):
    body = client.get("/").content.decode()
    assert "Compendio General 2022" in body
    assert "<strong>228</strong> programas federales" in body
    assert "<strong>118</strong> programas estatales" in body
    assert "<strong>20</strong> entidades con programas" in body


def test_the_home_page_explains_what_to_do_before_any_import(client):
    body = client.get("/").content.decode()
    assert "observatorio bootstrap" in body


def test_the_admin_lists_the_imported_programs(client, imported, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 200
    assert "346 programas y acciones" in response.content.decode()


def test_the_admin_shows_a_program_with_its_provenance(client, imported, admin_user):
    client.force_login(admin_user)
    program = Program.objects.federal().get(objective__number=1, number=1)
    response = client.get(reverse("admin:programs_program_change", args=[program.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Compendio General 2022" in body
    assert str(program.source_first_line) in body


@pytest.mark.parametrize(
    "model",
    [
        "catalog/state",
        "catalog/region",
        "catalog/gcmobjective",
        "catalog/institution",
        "catalog/populationgroup",
        "catalog/pillar",
        "catalog/sdg",
        "sources/sourcedocument",
        "sources/importrun",
        "programs/reportingcycle",
    ],
)
def test_every_catalogue_is_editable_in_the_admin(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/{model}/").status_code == 200


def test_the_admin_requires_a_staff_login(client, imported):
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
