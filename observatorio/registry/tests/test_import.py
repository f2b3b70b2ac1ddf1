"""``observatorio registry_import``: another platform's CSV export into the needs registry."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from observatorio.accounts.models import Membership, Role
from observatorio.registry.models import Centre, Consent, Person, StaffPost
from observatorio.registry.models_care import AccessLog, IdentifiedNeed

HEADER = (
    "nombre,apellidos,fecha_nacimiento,sexo,nacionalidad,pais_nacimiento,poblacion,curp,"
    "telefono,centro,consentimiento_registro,consentimiento_compartir,necesidades"
)
ROWS = [
    "Marisol,Quetzal Ramírez,1990-04-12,mujer,HND,HND,transito,GOMA850101MCSRRN09,9621234567,"
    "cm-tapachula-1,si,si,salud|documentacion",
    "Josué,Ixcamparic Lemus,1985-11-03,Hombre,gtm,GTM,solicitantes_refugio,,,cm-tapachula-1,sí,no,",
    "Yolanda,Tzul,,NO_ESPECIFICADO,SLV,SLV,destino,LOPJ900215HCSPRN01,,cm-tapachula-1,SI,No,albergue",
]
#: Every value of the rows that identifies someone: no output may contain one.
SECRETS = [
    "Marisol",
    "Quetzal",
    "Josué",
    "Ixcamparic",
    "Yolanda",
    "Tzul",
    "GOMA850101MCSRRN09",
    "LOPJ900215HCSPRN01",
    "9621234567",
    "1990-04-12",
    "1985-11-03",
]


@pytest.fixture
def registry(catalogs):
    """The registry's centres and needs, loaded as bootstrap does."""
    from observatorio.registry.loading import load

    call_command("load_coordination", commit=True, stdout=io.StringIO())
    load()


def _staff(username: str, *, centre: str | None = "cm-tapachula-1", role=Role.REGISTRY):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "x-Clave-9")
    if role:
        Membership.objects.create(user=user, role=role)
    if centre:
        StaffPost.objects.create(user=user, centre=Centre.objects.get(code=centre))
    return user


@pytest.fixture
def staff(registry):
    return _staff("registro_tapachula")


def write(tmp_path, rows=ROWS, header=HEADER, *, name="personas.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes("\n".join([header, *rows]).encode(encoding) + b"\n")
    return path


def run(path, *args, user="registro_tapachula") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    who = ("--user", user) if user else ()
    call_command("registry_import", str(path), *who, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_with_errors(path, *args, user="registro_tapachula") -> tuple[str, str]:
    """A dry run of a file with errors: it lists them, then ends with a failure."""
    out, err = io.StringIO(), io.StringIO()
    who = ("--user", user) if user else ()
    with pytest.raises(CommandError, match="Corríjalos antes de usar --commit"):
        call_command("registry_import", str(path), *who, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args, user="registro_tapachula") -> str:
    with pytest.raises(CommandError) as caught:
        run(path, *args, user=user)
    return str(caught.value)


def assert_private(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), secret


def assert_nothing_written() -> None:
    assert not Person.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.CREATE).exists()


def test_a_dry_run_checks_every_row_and_writes_nothing(staff, tmp_path):
    path = write(tmp_path)
    out, err = run(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert f"SHA-256 {digest}" in out
    assert "Filas leídas: 3" in out
    assert "Se registrarían: 3" in out
    assert "Errores: 0" in out
    assert "Simulación" in out
    assert err == ""
    assert_private(out, err)
    assert_nothing_written()


def test_commit_registers_every_row_sealed_with_consents_needs_and_provenance(staff, tmp_path):
    path = write(tmp_path)
    out, err = run(path, "--commit")
    assert "Registradas: 3" in out
    assert_private(out, err)
    people = {p.given_names: p for p in Person.objects.all()}
    assert set(people) == {"Marisol", "Josué", "Yolanda"}
    marisol, josue, yolanda = people["Marisol"], people["Josué"], people["Yolanda"]
    assert marisol.centre.code == "cm-tapachula-1"
    assert marisol.registered_by == staff
    assert (marisol.sex, josue.sex, yolanda.sex) == ("mujer", "hombre", "no_especificado")
    assert josue.nationality == "GTM"
    assert marisol.curp == "GOMA850101MCSRRN09" and marisol.phone == "9621234567"
    assert yolanda.birth_date == "" and yolanda.curp_index
    # Sealed at rest: the table holds no name, CURP, phone or birth date in clear.
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, surnames, birth_date, curp, phone FROM registry_person")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert_private(stored)

    def consents(person):
        return dict(Consent.objects.filter(person=person).values_list("purpose", "granted"))

    assert consents(marisol) == {
        "registro": True,
        "compartir": True,
        "seguimiento": True,  # a phone was given
        "estadistica": False,  # never assumed
    }
    assert consents(josue) == {
        "registro": True,
        "compartir": False,
        "seguimiento": False,
        "estadistica": False,
    }

    def needs(person):
        return set(
            IdentifiedNeed.objects.filter(contact__person=person).values_list(
                "need__code", flat=True
            )
        )

    assert needs(marisol) == {"salud", "documentacion"}
    assert needs(josue) == set()
    assert needs(yolanda) == {"albergue"}
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    provenance = AccessLog.objects.filter(what="importacion")
    assert sorted(provenance.values_list("detail", flat=True)) == [
        f"importación línea {n} de {digest}" for n in (2, 3, 4)
    ]
    entry = provenance.get(person_ref=str(marisol.ref))
    assert entry.detail == f"importación línea 2 de {digest}"
    assert entry.user == staff and entry.centre == marisol.centre
    assert "personas.csv" not in " ".join(AccessLog.objects.values_list("detail", flat=True))


def test_the_statistics_consent_comes_from_its_optional_column(staff, tmp_path):
    rows = [ROWS[0] + ",si", ROWS[1] + ",no"]
    run(write(tmp_path, rows, HEADER + ",consentimiento_estadistica"), "--commit")
    granted = dict(
        Consent.objects.filter(purpose="estadistica").values_list("person__nationality", "granted")
    )
    assert granted == {"HND": True, "GTM": False}


def test_semicolons_and_a_byte_order_mark_are_read(staff, tmp_path):
    path = tmp_path / "excel.csv"
    text = "\n".join(line.replace(",", ";") for line in [HEADER, *ROWS]) + "\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    out, _err = run(path, "--commit")
    assert "Registradas: 3" in out
    assert Person.objects.count() == 3


def _years_ago(years: int) -> str:
    today = timezone.localdate()
    return today.replace(year=today.year - years).isoformat()


def _with(column: str, value: str) -> str:
    cells = ROWS[1].split(",")
    cells[HEADER.split(",").index(column)] = value
    return ",".join(cells)


BAD_ROWS = {
    "future birth": (
        lambda: _with(
            "fecha_nacimiento", (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        ),
        "Línea 3, columna «fecha_nacimiento»: La fecha de nacimiento no puede ser posterior a hoy.",
    ),
    "minor": (
        lambda: _with("fecha_nacimiento", _years_ago(10)),
        "Línea 3, columna «fecha_nacimiento»: Es menor de edad",
    ),
    "unknown centre": (
        lambda: _with("centro", "cm-atlantida"),
        "Línea 3, columna «centro»: No hay un centro con esa clave",
    ),
    "unknown need": (
        lambda: _with("necesidades", "salud|teletransporte"),
        "Línea 3, columna «necesidades»: La necesidad n.º 2 no está en el catálogo",
    ),
    "no registration consent": (
        lambda: _with("consentimiento_registro", "no"),
        "Línea 3, columna «consentimiento_registro»: Sin consentimiento de registro",
    ),
    "malformed row": (
        lambda: "Josué,Ixcamparic Lemus,1985-11-03,hombre,GTM",
        "Línea 3: la fila tiene 5 campos y el encabezado 13.",
    ),
    "bad sex": (
        lambda: _with("sexo", "H"),
        "Línea 3, columna «sexo»: Escriba mujer, hombre o no_especificado.",
    ),
    "a name where the nationality goes": (
        lambda: _with("nacionalidad", "Ixcamparic"),
        "Línea 3, columna «nacionalidad»: Escriba la clave ISO de tres letras",
    ),
    "a date that is not AAAA-MM-DD": (
        lambda: _with("fecha_nacimiento", "03/11/1985"),
        "Línea 3, columna «fecha_nacimiento»: La fecha de nacimiento debe escribirse AAAA-MM-DD.",
    ),
}


def test_each_bad_row_is_reported_by_line_and_column_and_nothing_is_written(staff, tmp_path):
    # One database setup for every case (the registry's catalogue takes a while to load).
    for case, (row, message) in BAD_ROWS.items():
        path = write(tmp_path, [ROWS[0], row(), ROWS[2]], name=f"{case}.csv")
        out, err = run_with_errors(path)
        assert message in err, case
        assert "Se registrarían: 2" in out, case
        assert "Errores: 1" in out, case
        assert_nothing_written()
        error = refused(path, "--commit")
        assert error == "Errores en el archivo: 1. No se registró nada.", case
        assert_nothing_written()
        assert_private(out, err, error)


FILES_REFUSED = {
    "wrong header": (
        (HEADER.replace(",necesidades", ",notas") + "\n" + ROWS[1] + "\n").encode(),
        "Encabezado rechazado: faltan las columnas necesidades; sobran las columnas notas.",
    ),
    "not utf-8": (
        ("\n".join([HEADER, ROWS[1].replace("Lemus", "Peña")]) + "\n").encode("latin-1"),
        "El archivo no está en UTF-8 (primer carácter no válido en la línea física 2)",
    ),
    "empty": (b"", "El archivo está vacío."),
    "a cell too long for CSV": (
        ("\n".join([HEADER, ROWS[0], "a" * 200_000 + ROWS[1]]) + "\n").encode(),
        "no se puede leer como CSV a partir de la línea física 3",
    ),
    "header only": ((HEADER + "\n").encode(), "solo tiene el encabezado"),
    "no header": (
        ("\n".join(ROWS) + "\n").encode(),
        "La primera fila no es el encabezado esperado",
    ),
}


def test_a_file_that_cannot_be_read_is_refused_whole(staff, tmp_path):
    # The csv module's own cell limit is process-wide and other libraries raise it: the
    # import must not depend on it.
    limit = csv.field_size_limit(2**30)
    try:
        _check_files_refused(tmp_path)
    finally:
        csv.field_size_limit(limit)


def _check_files_refused(tmp_path):
    for case, (content, message) in FILES_REFUSED.items():
        path = tmp_path / f"{case}.csv"
        path.write_bytes(content)
        for args in ((), ("--commit",)):
            error = refused(path, *args)
            assert message in error, case
            assert_private(error)
    assert refused(tmp_path / "no-existe.csv") == "No se encuentra el archivo."
    assert refused(tmp_path).startswith("No se puede leer el archivo")
    assert_nothing_written()


def test_files_over_the_limits_are_refused(staff, tmp_path, monkeypatch):
    from observatorio.registry import importing

    path = write(tmp_path)
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    assert refused(path) == "El archivo tiene más de 2 filas: divídalo en partes."
    monkeypatch.setattr(importing, "MAX_BYTES", 1 << 20)
    write(tmp_path, ROWS * 4000)
    assert refused(path) == "El archivo pesa más de 1 MB: divídalo en partes."


def test_importing_the_same_people_again_skips_them(staff, tmp_path):
    path = write(tmp_path)
    run(path, "--commit")
    out, err = run(path, "--commit")
    assert "Registradas: 0" in out
    assert "Ya registradas (se omiten): 3" in out
    assert err == ""
    # Another export of the same people (other order, so another file): found by the blind
    # indexes of names and birth date, or of CURP.
    again = write(tmp_path, list(reversed(ROWS)), name="otra.csv")
    out, _err = run(again)
    assert "Se registrarían: 0" in out
    assert "Ya registradas (se omiten): 3" in out
    assert Person.objects.count() == 3


def test_a_person_twice_in_the_file_is_registered_once(staff, tmp_path):
    out, _err = run(write(tmp_path, [ROWS[0], ROWS[1], ROWS[0]]), "--commit")
    assert "Registradas: 2" in out
    assert "Repetidas en el archivo (se omiten): 1" in out
    assert Person.objects.count() == 2


def test_staff_not_posted_at_the_centre_get_row_errors(registry, tmp_path):
    _staff("registro_huixtla", centre="cm-huixtla")
    _staff("consejo_sin_registro", centre=None, role=Role.COUNCIL)
    path = write(tmp_path)
    out, err = run_with_errors(path, user="registro_huixtla")
    assert "Línea 2, columna «centro»: No está adscrito a ese centro." in err
    assert "Se registrarían: 0" in out and "Errores: 3" in out
    assert refused(path, "--commit", user="registro_huixtla").startswith(
        "Errores en el archivo: 3."
    )
    _out, err = run_with_errors(path, user="consejo_sin_registro")
    assert "Línea 4, columna «centro»: Solo el personal del registro" in err
    assert refused(path, user="nadie") == "No hay un usuario activo con ese nombre de usuario."
    assert_nothing_written()


def test_a_post_at_the_state_office_is_enough(registry, tmp_path):
    user = _staff("registro_chiapas", centre=None)
    StaffPost.objects.create(user=user, state=Centre.objects.get(code="cm-tapachula-1").state)
    out, _err = run(write(tmp_path), "--commit", user="registro_chiapas")
    assert "Registradas: 3" in out


def test_at_the_console_without_a_user_any_centre_is_allowed(registry, tmp_path):
    path = write(tmp_path)
    out, _err = run(path, user=None)
    assert "Se registrarían: 3" in out
    out, _err = run(path, "--commit", user=None)
    assert "Registradas: 3" in out
    assert Person.objects.count() == 3
    assert (
        AccessLog.objects.filter(
            user=None, action=AccessLog.Action.CREATE, detail="consola"
        ).count()
        == 3
    )
    assert_private(out)
