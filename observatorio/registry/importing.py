"""Import people registered on another platform from its CSV export
(``observatorio registry_import``).

The file is UTF-8 (a BOM is tolerated), comma- or semicolon-separated (told by the header
row), at most 50 MB and 100 000 rows, with exactly the columns of :data:`COLUMNS` (and,
optionally, ``consentimiento_estadistica``). Every row is checked as the registration form
checks it (:mod:`.checks`) and registered through :func:`.actions.register`, acting as a
registry staff member who must be posted at each row's centre (``--user``) or, without one,
as the administrator at the server's console, who may register at any centre. One bad row
refuses the whole import: nothing is written unless every row is good.

What the import decides, because the origin platform does not say:

- **Consents.** ``registro`` and ``compartir`` come from their columns (``si``/``sí`` or
  ``no``); a row without the registration consent is refused. ``seguimiento`` is granted
  only when a phone was given (a phone is kept only to follow the person up).
  ``estadistica`` is granted only when the optional ``consentimiento_estadistica`` column
  says ``si``: statistics consent is never assumed for an imported row.
- **Sex** is ``mujer``, ``hombre`` or ``no_especificado`` (empty = not specified). The
  letters M/H are refused: M means *mujer* in a CURP but *male* in many exports.
- **Children and adolescents** are refused: the file has no columns for who accompanies or
  represents them, which the registry requires (LGDNNA); they are registered at the desk.
- **Duplicates.** A row is skipped ("ya registrada"), not refused, when this same file's line
  was already imported (the access log's provenance entry), or when a person with the same
  blind index of names and birth date, or of CURP, is already registered at that centre, or
  appears earlier in the file. A row with neither birth date nor CURP can only be recognised
  by the provenance of the same file.
- **Provenance.** Each registered person gets an access-log entry ``importacion`` whose
  detail is ``importación línea N de <first 12 hex of the file's SHA-256>``: never the file's
  name nor any value of the row.

No message names a value of a cell (names, CURP, phone, dates): errors name the line (as a
spreadsheet numbers it, the header is line 1) and the column only.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import actions, checks, permissions
from .models import ADULT, Centre, Need, Person, age_on
from .models_care import AccessLog

COLUMNS = tuple(
    "nombre apellidos fecha_nacimiento sexo nacionalidad pais_nacimiento poblacion curp "
    "telefono centro consentimiento_registro consentimiento_compartir necesidades".split()
)
OPTIONAL = ("consentimiento_estadistica",)
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
#: The longest cell a row may have (a name, a list of needs: far less).
MAX_CELL = 2_000
DIGEST = 12
PROVENANCE = "importacion"
#: The fields :func:`.checks.identity` checks and the columns they come from (and errors go to).
FIELD_COLUMN = dict(
    pair.split(":")
    for pair in (
        "given_names:nombre surnames:apellidos birth_date:fecha_nacimiento sex:sexo "
        "nationality:nacionalidad country_of_birth:pais_nacimiento population:poblacion "
        "curp:curp phone:telefono declared_age:fecha_nacimiento"
    ).split()
)
#: Errors :func:`.checks.identity` gives a minor without company (replaced by one message).
GUARDIAN_FIELDS = ("guardian", "guardian_name", "authority")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ALPHA_3 = re.compile(r"^[A-Za-z]{3}$")
HEADER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Errors of a row are printed in the order of the columns ("" = the whole row, first).
ORDER = {c: i for i, c in enumerate(("",) + COLUMNS + OPTIONAL)}


class FileRefused(Exception):  # noqa: N818 - a refusal, not a bug
    """The whole file cannot be read; the message is safe to print (Spanish)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = {"n": self.line, "c": self.column, "m": self.message}
        if self.column:
            return _("Línea %(n)d, columna «%(c)s»: %(m)s") % where
        return _("Línea %(n)d: %(m)s") % where


@dataclass
class Row:
    line: int
    centre: Centre
    data: dict
    clean: dict
    consent: dict[str, bool]
    needs: list[str]


@dataclass
class Checked:
    digest: str
    read: int = 0
    ready: list[Row] = field(default_factory=list)
    already: int = 0
    repeated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.digest[:DIGEST]


def provenance(line: int, short: str) -> str:
    return f"importación línea {line} de {short}"


def _plain(value: str) -> str:
    """Lower case, no accents, no surrounding spaces."""
    value = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in value if not unicodedata.combining(c))


def read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise FileRefused(_("No se encuentra el archivo.")) from None
    except OSError:
        raise FileRefused(
            _("No se puede leer el archivo (¿es una carpeta, o falta permiso?).")
        ) from None
    if len(raw) > MAX_BYTES:
        raise FileRefused(
            _("El archivo pesa más de %(n)d MB: divídalo en partes.") % {"n": MAX_BYTES >> 20}
        )
    return raw


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FileRefused(
            _(
                "El archivo no está en UTF-8 (primer carácter no válido en la línea física "
                "%(n)d). Guárdelo desde la hoja de cálculo como «CSV UTF-8» y vuelva a "
                "intentarlo."
            )
            % {"n": line}
        ) from None


def _header(cells: list[str]) -> list[str]:
    names = [c.strip().lower() for c in cells]
    missing = [c for c in COLUMNS if c not in names]
    if len(missing) > len(COLUMNS) // 2:
        # Not a header (a file exported without one would show its first person here).
        raise FileRefused(
            _(
                "La primera fila no es el encabezado esperado; el archivo debe empezar con "
                "las columnas: %(cols)s."
            )
            % {"cols": ", ".join(COLUMNS)}
        )
    problems = []
    if missing:
        problems.append(_("faltan las columnas %(cols)s") % {"cols": ", ".join(missing)})
    extra = [
        name if HEADER_NAME.match(name) else _("n.º %(n)d") % {"n": i}
        for i, name in enumerate(names, start=1)
        if name not in COLUMNS and name not in OPTIONAL
    ]
    if extra:
        problems.append(_("sobran las columnas %(cols)s") % {"cols": ", ".join(extra)})
    twice = sorted({n for n in names if names.count(n) > 1 and n in COLUMNS + OPTIONAL})
    if twice:
        problems.append(_("columnas repetidas: %(cols)s") % {"cols": ", ".join(twice)})
    if problems:
        raise FileRefused(
            _("Encabezado rechazado: %(p)s. No se importa nada.") % {"p": "; ".join(problems)}
        )
    return names


def rows(text: str):
    """Yield ``(line, cells)`` of the data rows (blank rows skipped), after the header's
    names; refuse the file if it cannot be read as a whole."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = None
        count = 0
        for line, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _header(cells)
                yield 1, header
                continue
            if any(len(cell) > MAX_CELL for cell in cells):
                # Checked here, not left to the csv module: its limit is process-wide and
                # other libraries raise it.
                raise FileRefused(
                    _(
                        "El archivo no se puede leer como CSV a partir de la línea física "
                        "%(n)d: una celda pasa de %(max)s caracteres."
                    )
                    % {"n": reader.line_num, "max": f"{MAX_CELL:,}".replace(",", " ")}
                )
            count += 1
            if count > MAX_ROWS:
                raise FileRefused(
                    _("El archivo tiene más de %(n)s filas: divídalo en partes.")
                    % {"n": f"{MAX_ROWS:,}".replace(",", " ")}
                )
            yield line, cells
    except csv.Error:
        raise FileRefused(
            _("El archivo no se puede leer como CSV a partir de la línea física %(n)d.")
            % {"n": reader.line_num}
        ) from None
    if header is None:
        raise FileRefused(_("El archivo está vacío."))
    if not count:
        raise FileRefused(_("El archivo solo tiene el encabezado: no hay filas que importar."))


def _yes_no(value: str) -> bool | None:
    return {"si": True, "no": False}.get(_plain(value))


class _Context:
    """What every row is checked against: the user, the centres, the needs, what exists."""

    def __init__(self, user, short: str, today: dt.date):
        self.user = user
        self.today = today
        self.centres = {c.code: c for c in Centre.objects.all()}
        self.needs = set(Need.objects.values_list("code", flat=True))
        logged = AccessLog.objects.filter(what=PROVENANCE, detail__endswith=f" de {short}")
        self.imported = {int(d.split()[2]) for d in logged.values_list("detail", flat=True)}
        self.known: dict[int, set[str]] = {}
        self.seen: set[tuple[int, str]] = set()

    def known_at(self, centre: Centre) -> set[str]:
        if centre.pk not in self.known:
            people = Person.objects.filter(centre=centre)
            pairs = people.values_list("identity_index", "curp_index")
            self.known[centre.pk] = {key for pair in pairs for key in _keys(*pair)}
        return self.known[centre.pk]


def _keys(identity_index: str, curp_index: str) -> set[str]:
    """What tells a person apart at a centre: the blind indexes of identity and of CURP."""
    return {
        k for k in (identity_index and f"i:{identity_index}", curp_index and f"c:{curp_index}") if k
    }


def _check_row(context: _Context, line: int, row: dict, found: list[RowError]) -> Row | None:
    """Check one row, adding its errors to *found*; the row ready to register, or None."""

    def fail(column: str, message) -> None:
        found.append(RowError(line, column, str(message)))

    sex = _plain(row["sexo"]).replace(" ", "_") or Person.Sex.UNSPECIFIED
    if sex not in Person.Sex.values:
        fail("sexo", _("Escriba mujer, hombre o no_especificado."))
        sex = Person.Sex.UNSPECIFIED  # said once
    birth = row["fecha_nacimiento"].strip()
    if birth and not ISO_DATE.match(birth):
        fail("fecha_nacimiento", _("La fecha de nacimiento debe escribirse AAAA-MM-DD."))
        birth = ""
    data = {f: row[c] for f, c in FIELD_COLUMN.items() if f != "declared_age"}
    data.update(birth_date=birth, sex=sex, population=row["poblacion"].strip())
    clean = None
    try:
        clean = checks.identity(data, today=context.today)
    except checks.Refused as refused:
        for name, messages in refused.errors.items():
            if name in GUARDIAN_FIELDS:
                continue
            if name in ("nationality", "country_of_birth"):
                value = str(data[name]).strip()
                if value and not ALPHA_3.match(value):  # never repeat what is not a code
                    messages = [_("Escriba la clave ISO de tres letras del país (p. ej. HND).")]
            for message in messages:
                fail(FIELD_COLUMN.get(name, ""), message)
    try:
        born = dt.date.fromisoformat(birth) if birth else None
    except ValueError:
        born = None  # checks.identity said so
    if born is not None and born <= context.today and age_on(born, context.today) < ADULT:
        fail(
            "fecha_nacimiento",
            _(
                "Es menor de edad y el archivo no dice quién la acompaña o representa: no se "
                "importa. Regístrela en el mostrador del centro."
            ),
        )
    consent = {}
    for purpose, column in (
        ("registro", "consentimiento_registro"),
        ("compartir", "consentimiento_compartir"),
    ):
        consent[purpose] = _yes_no(row[column])
        if consent[purpose] is None:
            fail(column, _("Escriba si o no."))
    if consent["registro"] is False:
        fail("consentimiento_registro", _("Sin consentimiento de registro: no se importa."))
    statistics = row.get("consentimiento_estadistica", "no") or "no"
    consent["estadistica"] = _yes_no(statistics)
    if consent["estadistica"] is None:
        fail("consentimiento_estadistica", _("Escriba si o no."))
    consent["seguimiento"] = bool(row["telefono"].strip())
    needs = [_plain(c) for c in row["necesidades"].split("|") if c.strip()]
    for position, code in enumerate(needs, start=1):
        if code not in context.needs:
            fail(
                "necesidades",
                _("La necesidad n.º %(n)d no está en el catálogo de necesidades.")
                % {"n": position},
            )
    if len(needs) > actions.MAX_NEEDS:
        fail(
            "necesidades",
            _("Registre como máximo %(n)d necesidades por persona.") % {"n": actions.MAX_NEEDS},
        )
    centre = context.centres.get(row["centro"].strip().lower())
    if centre is None:
        fail("centro", _("No hay un centro con esa clave en el registro."))
    elif context.user is not None:
        decision = permissions.can(context.user, "register", centre)
        if not decision:
            fail("centro", str(decision.reason))
    if clean is None or centre is None:
        return None
    return Row(line, centre, data, clean, consent, needs)


def _duplicate(context: _Context, row: Row) -> str:
    """``"already"``, ``"repeated"`` or "" for a row that passed its checks."""
    if row.line in context.imported:
        return "already"
    person = Person(**row.clean)
    person.index()
    keys = _keys(person.identity_index, person.curp_index)
    if keys & context.known_at(row.centre):
        return "already"
    if any((row.centre.pk, key) in context.seen for key in keys):
        return "repeated"
    context.seen |= {(row.centre.pk, key) for key in keys}
    return ""


def check(path: Path, user, *, today: dt.date | None = None) -> Checked:
    """Read and check the whole file; raise :class:`FileRefused` if it cannot be read."""
    raw = read_bytes(path)
    checked = Checked(digest=hashlib.sha256(raw).hexdigest())
    text = decode(raw)
    context = _Context(user, checked.short, today or timezone.localdate())
    names: list[str] = []
    for line, cells in rows(text):
        if line == 1:
            names = cells
            continue
        checked.read += 1
        if len(cells) != len(names):
            checked.errors.append(
                RowError(
                    line,
                    "",
                    _("la fila tiene %(found)d campos y el encabezado %(expected)d.")
                    % {"found": len(cells), "expected": len(names)},
                )
            )
            continue
        found: list[RowError] = []
        row = _check_row(context, line, dict(zip(names, cells, strict=True)), found)
        checked.errors += sorted(found, key=lambda e: ORDER.get(e.column, 0))
        if row is None or found:
            continue
        kind = _duplicate(context, row)
        if kind == "already":
            checked.already += 1
        elif kind == "repeated":
            checked.repeated += 1
        else:
            checked.ready.append(row)
    return checked


@transaction.atomic
def commit(checked: Checked, user, *, today: dt.date | None = None) -> int:
    """Register every ready row of a file without errors (one transaction); return how many.
    A row refused now (the database changed since the check) undoes them all."""
    if checked.errors:
        raise FileRefused(_("El archivo tiene errores: no se importa nada."))
    for row in checked.ready:
        try:
            person = actions.register(
                user, row.centre, row.data, row.consent, row.needs, on=today, console=user is None
            )
        except checks.Refused as refused:
            raise FileRefused(
                _("Línea %(n)d rechazada al registrar: %(m)s. No se importó nada.")
                % {"n": row.line, "m": refused.message}
            ) from None
        AccessLog.objects.create(
            user=user,
            action=AccessLog.Action.CREATE,
            what=PROVENANCE,
            person_ref=str(person.ref),
            centre=person.centre,
            detail=provenance(row.line, checked.short),
        )
    return len(checked.ready)
