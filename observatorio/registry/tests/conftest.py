"""Fixtures of the registry tests: two centres in two states with services, the needs
catalogue, and registry staff posted at each (besides the named cast)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from observatorio.accounts.models import Membership, Role
from observatorio.accounts.testing import PASSWORD
from observatorio.catalog.models import Institution, State
from observatorio.indicators import catalogue
from observatorio.registry.loading import load_needs
from observatorio.registry.models import Centre, Need, Service, StaffPost

#: An identity no public output may ever contain.
ANA = {
    "given_names": "Anabel Quetzalli",
    "surnames": "Zuñiga Xolalpa",
    "birth_date": "1991-04-17",
    "sex": "mujer",
    "nationality": "HND",
    "country_of_birth": "HND",
    "population": "transito",
    "curp": "ZUXA910417MNEXLN04",
    "phone": "+52 962 555 0147",
}
ALL_CONSENTS = {"registro": True, "compartir": True, "seguimiento": True, "estadistica": True}


def staff(username: str, *, centre=None, state=None, officer=False):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    where = centre.state if centre is not None else state
    Membership.objects.create(user=user, role=Role.REGISTRY, state=where)
    StaffPost.objects.create(user=user, centre=centre, state=state, data_officer=officer)
    return user


class World:
    pass


@pytest.fixture
def world(db, catalogs, cast):
    w = World()
    catalogue.load()
    load_needs()
    w.needs = {n.code: n for n in Need.objects.all()}
    chiapas, chihuahua = State.objects.get(inegi_code="07"), State.objects.get(inegi_code="08")
    w.tapachula = Centre.objects.create(
        code="cm-tapachula-1",
        name="Centro Multiservicios Tapachula I",
        state=chiapas,
        municipality="Tapachula",
    )
    w.juarez = Centre.objects.create(
        code="cim-leona-vicario",
        name="Centro Integrador del Migrante Leona Vicario",
        state=chihuahua,
        municipality="Juárez",
    )
    ssa = Institution.objects.get(acronym="SSA")
    w.health_tapachula = Service.objects.create(
        centre=w.tapachula, need=w.needs["salud"], name="Salud física", institution=ssa
    )
    w.shelter_juarez = Service.objects.create(
        centre=w.juarez, need=w.needs["albergue"], name="Dormitorios"
    )
    w.nna_tapachula = Service.objects.create(
        centre=w.tapachula, need=w.needs["proteccion_nna"], name="Canalización al DIF"
    )
    w.desk = staff("desk_tapachula", centre=w.tapachula)
    w.other_desk = staff("desk_juarez", centre=w.juarez)
    w.officer = staff("officer_chiapas", state=chiapas, officer=True)
    w.cast = cast
    return w


@pytest.fixture
def ana(world):
    from observatorio.registry import actions

    return actions.register(
        world.desk, world.tapachula, dict(ANA), dict(ALL_CONSENTS), ["salud", "documentacion"]
    )
