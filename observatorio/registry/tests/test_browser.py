"""In a real browser, at a centre's desk on a phone (390 px) and on a desktop (1,366 px):
register a person with consent and two needs, refer them to a service, mark it attended;
the page of figures shows the counts once computed, small cells withheld; withdrawing the
consent anonymises the record and the counts stay. Spanish throughout, no horizontal
scroll, axe finds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from observatorio.accounts.browser import log_in
from observatorio.indicators.models import Indicator
from observatorio.indicators.tests.test_browser_values import fits_and_passes_axe, shot
from observatorio.registry import actions, aggregates
from observatorio.registry.models import Person

from .conftest import ALL_CONSENTS, ANA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _counts(year: int) -> dict[str, int]:
    found = {}
    for code in ("personas", "servicios", "necesidad-salud", "necesidad-documentacion"):
        total = Indicator.objects.get(code=code).values.filter(period=year).totals().national()
        found[code] = int(total.get().value) if total.exists() else 0
    return found


@pytest.mark.parametrize("width", [390, 1366])
def test_register_refer_attend_count_and_withdraw(live_server, page, world, width):
    year = timezone.localdate().year
    # Six people registered earlier at the same desk: enough for a total to be published.
    for n in range(6):
        actions.register(
            world.desk,
            world.tapachula,
            {**ANA, "curp": "", "phone": "", "given_names": f"Persona {n}", "birth_date": ""},
            dict(ALL_CONSENTS),
            ["salud"],
        )
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "desk_tapachula")
    page.get_by_role("link", name="Registro", exact=True).click()
    expect(page.get_by_role("heading", name="Registro de necesidades")).to_be_visible()
    page.get_by_role("link", name="Registrar a una persona").click()

    # A first try without the registration consent is refused, nothing saved.
    page.get_by_label("Nombre(s) *").fill(ANA["given_names"])
    page.get_by_role("button", name="Registrar").click()
    expect(
        page.get_by_text("Sin el consentimiento para el registro no se registra a nadie.")
    ).to_be_visible()
    assert Person.objects.count() == 6

    page.get_by_label("Acepta que se registren sus datos (obligatorio)").check()
    page.get_by_label(
        "Acepta que se compartan sus datos con el servicio al que se le canalice"
    ).check()
    page.get_by_label("Acepta que se le cuente en estadísticas anónimas").check()
    page.get_by_label("Apellidos").fill(ANA["surnames"])
    # Checked as the desk types (htmx), before anything is sent: a date in the future.
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page.get_by_label("Fecha de nacimiento").fill(future)
    page.get_by_label("Fecha de nacimiento").dispatch_event("change")
    expect(page.get_by_text("La fecha de nacimiento no puede ser posterior a hoy.")).to_be_visible()
    expect(page.get_by_text("Este campo es obligatorio.")).to_have_count(0)
    assert Person.objects.count() == 6
    page.get_by_label("Fecha de nacimiento").fill(ANA["birth_date"])
    page.get_by_label("Fecha de nacimiento").dispatch_event("change")
    expect(page.get_by_text("La fecha de nacimiento no puede ser posterior a hoy.")).to_have_count(
        0
    )
    page.get_by_label("Sexo *").select_option("mujer")
    page.get_by_label("Nacionalidad *").select_option("GTM")
    page.get_by_label("País de nacimiento *").select_option("GTM")
    page.get_by_label("Grupo de población *").select_option("transito")
    page.get_by_label("Salud física").check()
    page.get_by_label("Documentación: CURP o RFC").check()
    fits_and_passes_axe(page)
    shot(page, f"registry-register-{width}")
    page.get_by_role("button", name="Registrar").click()
    expect(page.get_by_text("Persona registrada.")).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"{ANA['given_names']} {ANA['surnames']}")
    ).to_be_visible()

    # Refer to the centre's health service, sharing the name only.
    form = page.locator("form", has=page.get_by_role("button", name="Canalizar"))
    form.get_by_label("Necesidad *").select_option("salud")
    form.get_by_label("Servicio de un centro").select_option(
        label=f"{world.tapachula.name} · Salud física"
    )
    form.get_by_label("Nombre").check()
    form.get_by_role("button", name="Canalizar").click()
    expect(page.get_by_text("Canalización enviada.")).to_be_visible()
    fits_and_passes_axe(page)
    shot(page, f"registry-person-{width}")

    # The receiving service (the same centre here) marks it attended.
    page.get_by_role(
        "link", name="Salud física → Salud física · Centro Multiservicios Tapachula I"
    ).click()
    page.get_by_label("Estado *").select_option("atendida")
    page.get_by_label("Nota de seguimiento").fill("Consulta general.")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Canalización actualizada.")).to_be_visible()
    fits_and_passes_axe(page)

    # The figures, computed on demand: seven people, the one from Guatemala withheld.
    page.goto(live_server.url + reverse("registry:figures"))
    page.get_by_role("button", name=f"Calcular las cifras de {year}").click()
    expect(page.get_by_text(f"Cifras de {year} calculadas")).to_be_visible()
    personas = page.locator(
        "section.registry-block",
        has=page.get_by_role("heading", name="Personas distintas atendidas"),
    )
    expect(personas.locator("p.count")).to_contain_text("7")
    nationality = personas.locator("table", has=page.get_by_text("Por nacionalidad"))
    expect(nationality.get_by_role("row", name="Guatemala")).to_contain_text("—")
    fits_and_passes_axe(page)
    shot(page, f"registry-figures-{width}")
    before = _counts(year)
    assert before == {
        "personas": 7,
        "servicios": 1,
        "necesidad-salud": 7,
        "necesidad-documentacion": 1,
    }

    # The person withdraws the registration consent: the record is anonymised.
    person = Person.objects.get(nationality="GTM")
    page.goto(live_server.url + reverse("registry:person", args=[person.ref]))
    consent = page.locator("li", has=page.get_by_text("Registro de sus datos"))
    consent.get_by_role("button", name="Retirar").click()
    expect(page.get_by_text("Marque la confirmación")).to_be_visible()
    assert not Person.objects.get(pk=person.pk).anonymised
    consent = page.locator("li", has=page.get_by_text("Registro de sus datos"))
    consent.get_by_label("Confirmo: se borra su identidad (no se puede deshacer)").check()
    consent.get_by_role("button", name="Retirar").click()
    expect(page.get_by_text("el registro quedó anonimizado")).to_be_visible()
    expect(page.get_by_role("heading", name="Registro anonimizado")).to_be_visible()
    assert ANA["surnames"] not in page.content()
    person.refresh_from_db()
    assert person.anonymised and person.given_names == "" and person.curp_index == ""
    aggregates.publish(year)
    assert _counts(year) == before
