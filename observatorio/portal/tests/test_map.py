"""The coverage map over the 2022 compendium: links, labels, filters, and the locator maps."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from observatorio.catalog.models import State
from observatorio.programs.models import Program, ReportingCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(real_data, db):
    return ReportingCycle.objects.get(edition=2022)


def links(body: str) -> dict[str, tuple[str, str]]:
    """svg id → (address, accessible name) of every state's link in the map."""
    found = re.findall(
        r'<a href="([^"]+)" aria-label="([^"]+)" class="state" data-state="(\w+)">', body
    )
    return {svg_id: (href, label) for href, label, svg_id in found}


def test_every_state_is_a_link_to_its_page_named_with_its_figure(client, imported):
    body = client.get(reverse("portal:coverage")).content.decode()
    found = links(body)
    assert len(found) == 32
    href, label = found["chp"]
    assert href == reverse("portal:state", args=["chiapas"]) + "?ciclo=2022"
    chiapas = Program.objects.published().filter(state__inegi_code="07").count()
    assert label == f"Chiapas: {chiapas} programas"
    for state in State.objects.all():
        assert found[state.svg_id][1].startswith(state.name + ":")


def test_every_state_carries_its_abbreviation(client, imported):
    body = client.get(reverse("portal:coverage")).content.decode()
    labels = body.split('<g class="labels"')[1].split("</g>")[0]
    texts = re.findall(r"<text [^>]*>(\w+)</text>", labels)
    assert len(texts) == 32
    assert {"CHIS", "CDMX", "TLAX", "BCS"} <= set(texts)


def count_of(body: str, svg_id: str) -> int:
    return int(re.search(r":\s(\d+)\s", links(body)[svg_id][1]).group(1))


def test_the_objective_filter_changes_the_counts(client, imported):
    url = reverse("portal:coverage")
    everything = client.get(url).content.decode()
    state = Program.objects.published().filter(state__isnull=False).first().state
    objective = (
        Program.objects.published()
        .filter(state=state)
        .values_list("objective__number", flat=True)
        .first()
    )
    expected = Program.objects.published().filter(state=state, objective__number=objective)
    filtered = client.get(url, {"objetivo": objective}).content.decode()
    assert count_of(filtered, state.svg_id) == expected.count()
    assert sum(count_of(filtered, s) for s in links(filtered)) < sum(
        count_of(everything, s) for s in links(everything)
    )
    # The filter stays in the form (and so in the address of the next request).
    assert f'<option value="{objective}" selected>' in filtered


def test_the_part_filter_keeps_federal_or_state_programs(client, imported):
    url = reverse("portal:coverage")
    state_part = client.get(url, {"parte": "estatal"}).content.decode()
    federal = client.get(url, {"parte": "federal"}).content.decode()
    assert count_of(state_part, "tla") == 17
    assert sum(count_of(federal, s) for s in links(federal)) == 0
    assert "no están asignados a una entidad federativa" in federal
    # A federal program that names a state counts there.
    program = Program.objects.published().filter(section="federal").first()
    program.state = State.objects.get(inegi_code="07")
    program.save()
    federal = client.get(url, {"parte": "federal"}).content.decode()
    assert count_of(federal, "chp") == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"objetivo": "24"}, "«24» no es un objetivo del Pacto Mundial"),
        ({"objetivo": "cuatro"}, "«cuatro» no es un objetivo del Pacto Mundial"),
        ({"objetivo": "1" * 300}, "«" + "1" * 29 + "…» no es un objetivo"),
        ({"objetivo": "０４"}, "«０４» no es un objetivo"),
        ({"parte": "municipal"}, "«municipal» no es una parte del informe"),
    ],
)
def test_bad_filter_values_get_a_spanish_message_and_the_whole_map(
    client, imported, query, message
):
    response = client.get(reverse("portal:coverage"), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert count_of(body, "tla") == 17
    assert len(links(body)) == 32
    assert len(body) < 200_000  # the refused value is quoted, not echoed whole


def test_the_state_page_places_the_state_on_a_locator_map(client, imported):
    body = client.get(reverse("portal:state", args=["chiapas"])).content.decode()
    locator = body.split('<figure class="locator">')[1].split("</figure>")[0]
    assert 'role="img" aria-label="Ubicación de Chiapas en el mapa de México"' in locator
    assert locator.count("<path ") == 32
    assert locator.count('fill="#561328"') == 1


def test_a_state_programs_page_has_the_locator_and_a_federal_one_does_not(client, imported):
    state_program = Program.objects.published().filter(section="estatal").first()
    body = client.get(reverse("portal:program", args=[state_program.pk])).content.decode()
    assert f"Ubicación de {state_program.state.name} en el mapa de México" in body
    federal = Program.objects.published().filter(section="federal").first()
    body = client.get(reverse("portal:program", args=[federal.pk])).content.decode()
    assert 'class="locator"' not in body
