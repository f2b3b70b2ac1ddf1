"""One row of an upload: its cells read, checked against the catalogues and the policy.

Every problem of a row is collected as (row, column, Spanish message) instead of stopping at
the first, so that a person can fix a whole file in one go.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from observatorio.catalog.models import (
    GcmObjective,
    Institution,
    InstitutionAlias,
    PopulationGroup,
    State,
    StateAlias,
)
from observatorio.lib.policy import deny
from observatorio.lib.text import fold, squash
from observatorio.lib.xlsx import blank as _blank

from .. import permissions
from ..forms import MAX_LINKS, MAX_TEXT, MAX_TITLE
from ..models import Program
from .columns import COLUMNS, MAX_BUDGET, SHEET_POPULATIONS, SOURCE_LANGUAGE, yes_no
from .scope import ReportingScope

YES = {"si", "yes", "true", "verdadero", "1", "x"}
NO = {"no", "false", "falso", "0"}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_NUMBERS = re.compile(r"[,;\s]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\b")
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (None for the whole file), the column and why."""

    row: int | None
    column: str
    message: str


@dataclass
class ParsedRow:
    """A valid row, ready to become a draft report."""

    row: int
    title: str
    objective: GcmObjective
    secondary: list[GcmObjective] = field(default_factory=list)
    state: State | None = None
    institution: Institution | None = None
    populations: list[PopulationGroup] = field(default_factory=list)
    description: str = ""
    results: str = ""
    challenges: str = ""
    no_challenges: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    permanent: bool = False
    budget: Decimal | None = None
    execution: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class UploadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]


class _Catalogue:
    """The catalogues, loaded once per upload, keyed by folded names."""

    def __init__(self):
        self.objectives = {o.number: o for o in GcmObjective.objects.all()}
        self.states: dict[str, State] = {}
        for state in State.objects.all():
            self.states[fold(state.name)] = state
            self.states[fold(state.official_name)] = state
            self.states[state.inegi_code] = state
        for alias in StateAlias.objects.select_related("state"):
            self.states.setdefault(alias.folded, alias.state)
        self.institutions: dict[str, Institution] = {}
        for institution in Institution.objects.all():
            self.institutions[fold(institution.acronym)] = institution
            self.institutions.setdefault(fold(institution.name), institution)
        for alias in InstitutionAlias.objects.select_related("institution"):
            self.institutions.setdefault(alias.folded, alias.institution)
        self.populations: dict[str, PopulationGroup] = {}
        for group in PopulationGroup.objects.all():
            for name in (group.name_es, group.name_en, group.code):
                if name:
                    self.populations.setdefault(fold(name), group)
        # The situations by value and by label, in Spanish and in the active language.
        self.executions = {fold(value): value for value in Program.Execution.values}
        for value, label in Program.Execution.choices:
            self.executions[fold(str(label))] = value
        with translation.override(SOURCE_LANGUAGE):
            for value, label in Program.Execution.choices:
                self.executions[fold(str(label))] = value


class _RowReader:
    """Validate one row's cells, collecting every error instead of stopping at the first."""

    def __init__(self, number: int, values: dict, header: dict[str, str]):
        self.number = number
        self.values = values
        self.header = header
        self.errors: list[RowError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.header[key], str(message)))

    def raw(self, key: str):
        return self.values.get(key)

    def text(self, key: str, limit: int, *, one_line: bool = False) -> str:
        value = self.raw(key)
        if _blank(value):
            text = ""
        elif isinstance(value, dt.datetime | dt.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = str(value).strip()
        if one_line:
            text = squash(text)
        if COLUMNS[key].required and not text:
            self.error(key, _("Este dato es obligatorio."))
        if len(text) > limit:
            self.error(
                key,
                _("El texto admite hasta %(n)s caracteres y tiene %(len)s.")
                % {"n": limit, "len": len(text)},
            )
        return text

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        folded = fold(str(value))
        if folded in YES:
            return True
        if folded in NO:
            return False
        yes, no = yes_no()
        self.error(
            key,
            _("«%(value)s» no es una respuesta válida; escriba «%(yes)s» o «%(no)s».")
            % {"value": _shown(value), "yes": yes, "no": no},
        )
        return False

    def date(self, key: str) -> dt.date | None:
        value = self.raw(key)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            for pattern in DATE_FORMATS:
                try:
                    return dt.datetime.strptime(value.strip(), pattern).date()
                except ValueError:
                    continue
        self.error(
            key,
            _("«%(value)s» no es una fecha; escriba una fecha con formato dd/mm/aaaa.")
            % {"value": _shown(value)},
        )
        return None

    def budget(self, key: str) -> Decimal | None:
        value = self.raw(key)
        if _blank(value):
            return None
        amount = None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            amount = Decimal(str(value))
        elif isinstance(value, str):
            cleaned = re.sub(r"[\s,$]|MXN", "", value, flags=re.IGNORECASE)
            try:
                amount = Decimal(cleaned)
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite():
            self.error(
                key,
                _("«%(value)s» no es un número; escriba el monto en pesos, por ejemplo 150000.")
                % {"value": _shown(value)},
            )
            return None
        if amount < 0:
            self.error(key, _("El presupuesto no puede ser negativo."))
            return None
        if amount >= MAX_BUDGET:
            self.error(key, _("El presupuesto es demasiado grande."))
            return None
        return amount.quantize(Decimal("0.01"))


def _shown(value) -> str:
    """A cell value as it is quoted back in a message (short)."""
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _objective_number(value) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    match = _LEADING_NUMBER.match(str(value))
    return int(match.group(1)) if match else None


class _Cells(_RowReader):
    """The catalogue-backed cells of a row: objectives, populations, owner and friends."""

    def __init__(self, number: int, values: dict, header: dict[str, str], catalogue: _Catalogue):
        super().__init__(number, values, header)
        self.catalogue = catalogue

    def objective(self, key: str) -> GcmObjective | None:
        raw = self.raw(key)
        if _blank(raw):
            self.error(key, _("Este dato es obligatorio."))
            return None
        number = _objective_number(raw)
        objective = self.catalogue.objectives.get(number) if number is not None else None
        if objective is None and isinstance(raw, str):
            objective = GcmObjective.resolve(raw)
        if objective is None:
            self.error(
                key,
                _("«%(value)s» no es un objetivo del Pacto Mundial; elija uno del 1 al 23.")
                % {"value": _shown(raw)},
            )
        return objective

    def secondary(self, key: str, primary: GcmObjective | None) -> list[GcmObjective]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        found: list[GcmObjective] = []
        pieces = [raw] if isinstance(raw, int | float) else _NUMBERS.split(str(raw).strip())
        for piece in pieces:
            if piece == "":
                continue
            number = _objective_number(piece)
            objective = self.catalogue.objectives.get(number) if number is not None else None
            if objective is None:
                self.error(
                    key,
                    _("«%(value)s» no es un número de objetivo del 1 al 23.")
                    % {"value": _shown(piece)},
                )
            elif objective == primary:
                self.error(key, _("El objetivo principal no se repite entre los secundarios."))
            elif objective not in found:
                found.append(objective)
        return found

    def populations(self, key: str) -> list[PopulationGroup]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        found: list[PopulationGroup] = []
        for name in str(raw).split(";"):
            if not name.strip():
                continue
            group = self.catalogue.populations.get(fold(name))
            if group is None:
                self.error(
                    key,
                    _("«%(value)s» no es un grupo de población del catálogo (hoja «%(sheet)s»).")
                    % {"value": _shown(name), "sheet": SHEET_POPULATIONS},
                )
            elif group not in found:
                found.append(group)
        return found

    def execution(self, key: str) -> str:
        raw = self.raw(key)
        if _blank(raw):
            return ""
        execution = self.catalogue.executions.get(fold(str(raw)), "")
        if not execution:
            self.error(
                key,
                _("«%(value)s» no es una situación válida; escriba %(options)s.")
                % {
                    "value": _shown(raw),
                    "options": ", ".join(f"«{label}»" for label in Program.Execution.labels),
                },
            )
        return execution

    def links(self, key: str) -> list[str]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        links = str(raw).split()
        if len(links) > MAX_LINKS:
            self.error(key, _("Se admiten hasta %(n)s enlaces.") % {"n": MAX_LINKS})
        for link in links:
            try:
                _validate_url(link)
            except ValidationError:
                self.error(
                    key,
                    _("«%(link)s» no es una dirección web válida (https://…).")
                    % {"link": _shown(link)},
                )
        return links

    def owner(self, mine: ReportingScope) -> State | Institution | None:
        """The row's state or institution; a blank cell means the user's only one."""
        key = mine.owner_key
        raw = self.raw(key)
        if _blank(raw):
            if mine.default_owner is None:
                self.error(key, _("Este dato es obligatorio."))
            return mine.default_owner
        if key == "state":
            owner = self.catalogue.states.get(fold(str(raw)))
            unknown = _("«%(value)s» no es una entidad federativa del catálogo.")
        else:
            owner = self.catalogue.institutions.get(fold(str(raw)))
            unknown = _("«%(value)s» no es una institución del catálogo.")
        if owner is None:
            self.error(key, unknown % {"value": _shown(raw)})
        return owner


def _parse_row(cells: _Cells, mine: ReportingScope, user, cycle) -> ParsedRow | None:
    """Validate one row; return it ready to create, or None when it has errors."""
    title = cells.text("title", MAX_TITLE, one_line=True)
    description = cells.text("description", MAX_TEXT)
    results = cells.text("results", MAX_TEXT)
    challenges = cells.text("challenges", MAX_TEXT)
    no_challenges = cells.boolean("no_challenges")
    if no_challenges and challenges:
        cells.error("challenges", _("Describa los retos o marque «Sin retos», no ambas cosas."))
    start = cells.date("start_date")
    end = cells.date("end_date")
    permanent = cells.boolean("permanent")
    if start and end and end < start:
        cells.error("end_date", _("La fecha de término es anterior a la de inicio."))
    if permanent and end:
        cells.error("end_date", _("Un programa permanente no tiene fecha de término."))
    budget = cells.budget("budget")
    objective = cells.objective("objective")
    secondary = cells.secondary("secondary", objective)
    populations = cells.populations("populations")
    execution = cells.execution("execution")
    links = cells.links("links")
    owner = cells.owner(mine)
    state = owner if isinstance(owner, State) else None
    institution = owner if isinstance(owner, Institution) else None

    if owner is not None:
        # Ask the one policy with the unsaved program, as the report form does.
        candidate = Program(cycle=cycle, section=mine.section, state=state, title=title)
        decision = permissions.can(user, "create", candidate)
        # The policy cannot see an unsaved program's institutions; the form checks them too.
        if decision and institution is not None and institution not in mine.institutions:
            decision = deny(_("Solo puede reportar programas de su propia institución."))
        if not decision:
            cells.error(mine.owner_key, decision.reason)

    if cells.errors:
        return None
    return ParsedRow(
        row=cells.number,
        title=title,
        objective=objective,
        secondary=secondary,
        state=state,
        institution=institution,
        populations=populations,
        description=description,
        results=results,
        challenges=challenges,
        no_challenges=no_challenges,
        start_date=start,
        end_date=end,
        permanent=permanent,
        budget=budget,
        execution=execution,
        links=links,
    )
