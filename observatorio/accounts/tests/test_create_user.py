"""`observatorio create_user`: one role per user, checked before anything is written."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from observatorio.accounts.models import Membership, Role, Scope
from observatorio.catalog.models import Institution, State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


GOOD_PASSWORD = "una-Clave-bastante-larga-42"
User = get_user_model()


class Terminal(io.StringIO):
    """Standard input that looks like a terminal: the command generates the password."""

    def isatty(self):
        return True

    def readline(self, *args):
        raise AssertionError("the password must not be read from a terminal")


def create_user(*args, password=GOOD_PASSWORD, stdin=None, **options) -> str:
    out = io.StringIO()
    if stdin is None:
        stdin = io.StringIO(password + "\n")
    call_command("create_user", *args, stdin=stdin, stdout=out, **options)
    return out.getvalue()


def counts() -> tuple[int, int]:
    return User.objects.count(), Membership.objects.count()


@pytest.mark.parametrize(
    ("role", "options", "state_code", "acronym"),
    [
        (Role.LIAISON, {"state": "14"}, "14", None),
        (Role.REPORTER, {"institution": "SRE"}, None, "SRE"),
        (Role.REVIEWER, {"institution": "UPMRIP"}, None, "UPMRIP"),
        (Role.COUNCIL, {"state": "8"}, "08", None),
        (Role.COUNCIL, {}, None, None),
        (Role.REGISTRY, {"state": "29"}, "29", None),
    ],
)
def test_create_user_gives_each_role_its_scope(catalogs, role, options, state_code, acronym):
    output = create_user("persona", role=role, email="persona@example.org", **options)

    user = User.objects.get(username="persona")
    assert user.check_password(GOOD_PASSWORD)
    assert user.email == "persona@example.org"
    assert not user.is_staff and not user.is_superuser
    membership = user.memberships.get()
    assert membership.role == role
    assert membership.started_on == timezone.localdate()
    assert membership.ended_on is None
    assert membership.state == (State.objects.get(inegi_code=state_code) if state_code else None)
    expected_institution = Institution.objects.get(acronym=acronym) if acronym else None
    assert membership.institution == expected_institution
    assert Scope.of(user).has(role)
    assert "Usuario «persona» creado" in output


def test_create_user_makes_an_administrator_staff_and_superuser(catalogs):
    output = create_user("jefa", role="admin", first_name="Ana", last_name="Ruiz")

    user = User.objects.get(username="jefa")
    assert user.is_staff and user.is_superuser
    assert (user.first_name, user.last_name) == ("Ana", "Ruiz")
    assert user.memberships.get().role == Role.ADMIN
    assert "Administrador" in output


def test_the_password_is_read_from_standard_input_and_never_printed(catalogs):
    output = create_user("lector", role="council", stdin=io.StringIO(GOOD_PASSWORD + "\r\n"))

    assert User.objects.get(username="lector").check_password(GOOD_PASSWORD)
    assert GOOD_PASSWORD not in output
    assert "Contraseña generada" not in output


def test_a_generated_password_is_printed_once_and_opens_a_session(catalogs, client):
    output = create_user("nueva", role="reviewer", institution="UPMRIP", stdin=Terminal())

    match = re.search(r"Contraseña generada \(se muestra solo esta vez\): (\S+)", output)
    assert match, output
    password = match.group(1)
    assert len(password) >= 20
    assert output.count(password) == 1
    response = client.post(reverse("accounts:login"), {"username": "nueva", "password": password})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(username="nueva").pk)


@pytest.mark.parametrize(
    ("args", "options", "stdin", "message"),
    [
        (["x1"], {"role": "jefe"}, None, "Función desconocida «jefe»"),
        (["x1"], {}, None, "Indique la función con --role"),
        (["x1"], {"role": "enlace"}, None, "necesita su entidad federativa"),
        (
            ["x1"],
            {"role": "enlace", "state": "14", "institution": "SRE"},
            None,
            "no a una institución",
        ),
        (["x1"], {"role": "reporter"}, None, "necesita su institución"),
        (["x1"], {"role": "reporter", "state": "14"}, None, "necesita su institución"),
        (["x1"], {"role": "enlace", "state": "99"}, None, "clave INEGI «99»"),
        (["x1"], {"role": "enlace", "state": "Jalisco"}, None, "clave INEGI «Jalisco»"),
        (["x1"], {"role": "reporter", "institution": "NOEXISTE"}, None, "siglas «NOEXISTE»"),
        (["x1"], {"role": "admin", "state": "14"}, None, "Un administrador no se asigna"),
        (["reporter_sre"], {"role": "council"}, None, "Ya existe el usuario «reporter_sre»"),
        (["REPORTER_SRE"], {"role": "council"}, None, "Ya existe el usuario «reporter_sre»"),
        (["con espacios"], {"role": "council"}, None, "Datos no válidos"),
        (["x1"], {"role": "council", "email": "no-es-correo"}, None, "correo electrónico"),
        (["x1"], {"role": "council"}, "1234\n", "La contraseña no es válida"),
        (["x1"], {"role": "council"}, "corta\n", "demasiado corta"),
        (["x1"], {"role": "council"}, "qwertyuiop\n", "muy común"),
        (["x1"], {"role": "council"}, "12345678901234\n", "totalmente numérica"),
        (["mariagonzalez"], {"role": "council"}, "mariagonzalez1\n", "similar"),
        (["x1"], {"role": "council"}, "", "No se recibió la contraseña"),
        (["x1"], {"role": "council"}, "\n", "No se recibió la contraseña"),
    ],
)
def test_each_bad_input_is_refused_in_spanish_and_nothing_is_written(
    catalogs, cast, args, options, stdin, message
):
    cast("reporter_sre")
    before = counts()
    with pytest.raises(CommandError) as error:
        create_user(*args, stdin=io.StringIO(stdin) if stdin is not None else None, **options)
    assert message in str(error.value)
    assert counts() == before


def test_a_new_enlace_ends_the_previous_one_and_keeps_history(catalogs, cast):
    jalisco = State.objects.get(inegi_code="14")
    previous = cast("enlace_jalisco")
    previous.memberships.update(started_on=datetime.date(2023, 3, 1))
    today = timezone.localdate()

    output = create_user("nuevo_enlace", role="enlace", state="14")

    assert "La función de enlace de «enlace_jalisco» en Jalisco terminó hoy" in output
    history = list(Membership.objects.liaison_history(jalisco))
    assert [m.user.username for m in history] == ["enlace_jalisco", "nuevo_enlace"]
    assert (history[0].started_on, history[0].ended_on) == (datetime.date(2023, 3, 1), today)
    assert (history[1].started_on, history[1].ended_on) == (today, None)
    assert list(Membership.objects.current().filter(role="enlace", state=jalisco)) == [history[1]]
    # The former enlace keeps the account but no longer speaks for the state.
    former = User.objects.get(username="enlace_jalisco")
    assert former.is_active
    assert not Scope.of(former).has(Role.LIAISON)
    assert Scope.of(User.objects.get(username="nuevo_enlace")).states_for(Role.LIAISON) == {
        jalisco.pk
    }


def test_an_enlace_of_another_state_is_left_alone(catalogs, cast):
    cast("enlace_chiapas")

    output = create_user("enlace_oaxaca", role="enlace", state="20")

    assert "terminó" not in output
    assert Membership.objects.get(user__username="enlace_chiapas").ended_on is None


def test_replacing_an_enlace_is_one_transaction(catalogs, cast, monkeypatch):
    cast("enlace_jalisco")
    before = counts()

    def refuse(*args, **kwargs):
        raise IntegrityError("simulada")

    monkeypatch.setattr(Membership.objects, "create", refuse)
    with pytest.raises(CommandError, match="No se creó nada"):
        create_user("nuevo_enlace", role="enlace", state="14")

    assert counts() == before
    assert Membership.objects.get(user__username="enlace_jalisco").ended_on is None
