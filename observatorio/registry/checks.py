"""The rules a registration obeys, shared by the form, the import and the API: each
returns clean values or raises :class:`Refused` with Spanish messages by field."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from observatorio.catalog.countries import countries
from observatorio.catalog.models import PopulationGroup

from .models import ADULT, Consent, Person, age_on

CURP = re.compile(r"^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$")
MAX_NAME = 120
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OLDEST = 120


class Refused(Exception):  # noqa: N818 - a refusal, not a bug
    """A change that cannot be made; ``errors`` maps a field ("" = the whole) to messages."""

    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for ms in errors.values() for m in ms))

    @property
    def message(self) -> str:
        return str(self)


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in countries())


def population_codes() -> frozenset[str]:
    return frozenset(PopulationGroup.objects.values_list("code", flat=True))


def _text(value, limit: int = MAX_NAME) -> str:
    return " ".join(str(value or "").split())[: limit + 1]


@sensitive_variables()
def identity(data: dict, *, today: dt.date | None = None) -> dict:
    """Check the identity and demographics of a person; return the clean values.

    Keys: ``given_names``, ``surnames``, ``birth_date`` (date or ISO text), ``declared_age``,
    ``sex``, ``nationality``, ``country_of_birth``, ``population``, ``curp``, ``phone``,
    ``languages``, ``without_documents``, ``guardian``, ``guardian_name``, ``authority``.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    clean: dict = {}
    for field in ("given_names", "surnames", "guardian_name", "authority"):
        clean[field] = _text(data.get(field))
        if len(clean[field]) > MAX_NAME:
            fail(field, _("Escriba como máximo %(n)d caracteres.") % {"n": MAX_NAME})
    if not clean["given_names"]:
        fail("given_names", _("Escriba el nombre de la persona (puede ser el que ella indique)."))
    birth = data.get("birth_date") or None
    if isinstance(birth, str):
        try:
            if not ISO_DATE.match(birth.strip()):
                raise ValueError(birth)
            birth = dt.date.fromisoformat(birth.strip())
        except ValueError:
            fail("birth_date", _("La fecha de nacimiento debe escribirse AAAA-MM-DD."))
            birth = None
    age = data.get("declared_age")
    if age in ("", None):
        age = None
    else:
        try:
            age = int(age)
        except (TypeError, ValueError):
            fail("declared_age", _("La edad es un número de años."))
            age = None
    if birth is not None:
        if birth > today:
            fail("birth_date", _("La fecha de nacimiento no puede ser posterior a hoy."))
        elif age_on(birth, today) > OLDEST:
            fail(
                "birth_date", _("La fecha de nacimiento indica más de %(n)d años.") % {"n": OLDEST}
            )
    if age is not None and not 0 <= age <= OLDEST:
        fail("declared_age", _("La edad debe estar entre 0 y %(n)d años.") % {"n": OLDEST})
    clean["birth_date"] = birth.isoformat() if birth and "birth_date" not in errors else ""
    clean["declared_age"] = None if clean["birth_date"] else age
    sex = str(data.get("sex") or Person.Sex.UNSPECIFIED)
    if sex not in Person.Sex.values:
        fail("sex", _("Elija el sexo de la lista."))
    clean["sex"] = sex
    for field, label in (
        ("nationality", _("nacionalidad")),
        ("country_of_birth", _("país de nacimiento")),
    ):
        code = str(data.get(field) or "").strip().upper()
        if not code:
            fail(
                field,
                _("Elija %(label)s de la lista (la que la persona declare).") % {"label": label},
            )
        elif code not in country_codes():
            fail(
                field,
                _("No es un país del catálogo (%(label)s: clave ISO de tres letras).")
                % {"label": label},
            )
        clean[field] = code
    population = str(data.get("population") or "").strip()
    if not population:
        fail("population", _("Elija el grupo de población de la lista."))
    elif population not in population_codes():
        fail("population", _("Elija el grupo de población de la lista."))
    clean["population"] = population
    curp = str(data.get("curp") or "").strip().upper()
    if curp and not CURP.match(curp):
        fail(
            "curp",
            _("La CURP tiene 18 caracteres con el formato oficial (p. ej. GOMA850101MCSRRN09)."),
        )
    clean["curp"] = curp
    phone = str(data.get("phone") or "").strip()
    digits = "".join(c for c in phone if c.isdigit())
    if phone and (
        not 8 <= len(digits) <= 15 or len(phone) > 25 or re.search(r"[^\d +()\-.]", phone)
    ):
        fail("phone", _("Escriba un teléfono de 8 a 15 dígitos."))
    clean["phone"] = phone
    languages = data.get("languages") or []
    if isinstance(languages, str):
        languages = [part for part in re.split(r"[,|]", languages)]
    clean["languages"] = [_text(lang, 40) for lang in languages if _text(lang, 40)][:10]
    clean["without_documents"] = bool(data.get("without_documents"))
    # Children and adolescents (LGDNNA): who accompanies or represents them is recorded.
    years = age_on(birth, today) if birth and clean["birth_date"] else age
    clean["minor"] = years is not None and years < ADULT
    guardian = str(data.get("guardian") or "")
    if guardian not in Person.Guardian.values:
        fail("guardian", _("Elija de la lista quién acompaña o representa a la persona."))
    if clean["minor"]:
        if not guardian:
            fail(
                "guardian",
                _(
                    "Es menor de edad: registre a su madre, padre, tutor o familiar, o a la "
                    "Procuraduría de Protección si viaja sin compañía."
                ),
            )
        elif guardian == Person.Guardian.AUTHORITY and not clean["authority"]:
            fail(
                "authority",
                _("Sin compañía: escriba la Procuraduría de Protección de NNA que interviene."),
            )
        elif guardian != Person.Guardian.AUTHORITY and not clean["guardian_name"]:
            fail(
                "guardian_name",
                _("Escriba el nombre de quien acompaña a la niña, niño o adolescente."),
            )
    elif guardian:
        guardian = ""
    clean["guardian"] = guardian
    if errors:
        raise Refused(errors)
    return clean


def consents(data: dict) -> dict[str, bool]:
    """The four purposes, each ``True``/``False``; registration must be granted."""
    found = {}
    for purpose in Consent.Purpose.values:
        value = data.get(purpose, False)
        if isinstance(value, str):
            value = value.strip().lower() in ("si", "sí", "true", "1", "on", "yes")
        found[purpose] = bool(value)
    if not found["registro"]:
        raise Refused(
            {
                "consent_registro": [
                    _("Sin el consentimiento para el registro no se registra a nadie.")
                ]
            }
        )
    return found
