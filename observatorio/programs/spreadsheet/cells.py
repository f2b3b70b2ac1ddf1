"""One row of an upload: its cells read, then validated by the report form.

A cell is first read as a spreadsheet holds it (catalogue names, «Sí»/«No», dates typed or
stored as dates, links separated by spaces) and turned into what the report form takes;
the row is then validated by :class:`~observatorio.programs.forms.ReportForm`, so the
form's rules and messages (declared in :mod:`observatorio.programs.report`) are the
spreadsheet's. Every problem of a row is collected as (row, column, Spanish message)
instead of stopping at the first, so that a person can fix a whole file in one go.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

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
from observatorio.lib.text import fold, squash
from observatorio.lib.xlsx import blank as _blank

from .. import permissions, report
from ..forms import ReportForm
from ..models import Program
from .columns import COLUMNS, SHEET_POPULATIONS, SOURCE_LANGUAGE, yes_no
from .scope import ReportingScope

YES = {"si", "yes", "true", "verdadero", "1", "x"}
NO = {"no", "false", "falso", "0"}
_NUMBERS = re.compile(r"[,;\s]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\b")
#: Column of each of the form's fields (where the names differ).
_COLUMN_OF = {declared.form_key: declared.name for declared in report.FIELDS if declared.column}
_ORDER = {key: index for index, key in enumerate(COLUMNS)}


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
    #: The figure form's cleaned data of each figure of the «Cifras» sheet for this row.
    figures: list[dict] = field(default_factory=list)


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
        #: The records the report form may choose, by primary key (see ReportForm.known).
        objectives = {o.pk: o for o in self.objectives.values()}
        self.known = {
            "objective": objectives,
            "secondary_objectives": objectives,
            "populations": {p.pk: p for p in PopulationGroup.objects.all()},
            "institutions": {
                i.pk: i for i in Institution.objects.filter(order=Institution.Order.FEDERAL)
            },
        }
        # The situations by value and by label, in Spanish and in the active language.
        self.executions = {fold(value): value for value in Program.Execution.values}
        for value, label in Program.Execution.choices:
            self.executions[fold(str(label))] = value
        with translation.override(SOURCE_LANGUAGE):
            for value, label in Program.Execution.choices:
                self.executions[fold(str(label))] = value


class _RowReader:
    """Read one row's cells, collecting every error instead of stopping at the first."""

    def __init__(self, number: int, values: dict, header: dict[str, str]):
        self.number = number
        self.values = values
        self.header = header
        self.errors: list[RowError] = []
        #: Columns whose cell could not be read (the form is not asked about them).
        self.unread: set[str] = set()

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.header[key], str(message)))
        self.unread.add(key)

    def raw(self, key: str):
        return self.values.get(key)

    def text(self, key: str) -> str:
        value = self.raw(key)
        if _blank(value):
            text = ""
        elif isinstance(value, dt.datetime | dt.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = str(value).strip()
        if report.BY_NAME[key].required_in_sheet and not text:
            self.error(key, report.message("required"))
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

    def date(self, key: str) -> str:
        """A date cell as the form takes it: ISO for a stored date, else the text typed."""
        value = self.raw(key)
        if _blank(value):
            return ""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()

    def amount(self, key: str) -> str:
        value = self.raw(key)
        if _blank(value):
            return ""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return str(Decimal(str(value)))
        return str(value).strip()


_shown = report.shown


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
        """The objective named by number or label; a blank cell is the form's to refuse."""
        raw = self.raw(key)
        if _blank(raw):
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

    def secondary(self, key: str) -> list[GcmObjective]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        pieces = [raw] if isinstance(raw, int | float) else _NUMBERS.split(str(raw).strip())
        objectives = self.catalogue.objectives

        def find(piece):
            number = _objective_number(piece)
            return objectives.get(number) if number is not None else None

        refusal = _("«%(value)s» no es un número de objetivo del 1 al 23.")
        return self._each(key, [p for p in pieces if p != ""], find, refusal)

    def populations(self, key: str) -> list[PopulationGroup]:
        raw = self.raw(key)
        if _blank(raw):
            return []
        names = [name for name in str(raw).split(";") if name.strip()]
        refusal = _("«%(value)s» no es un grupo de población del catálogo (hoja «%(sheet)s»).")
        return self._each(
            key, names, lambda name: self.catalogue.populations.get(fold(name)), refusal
        )

    def _each(self, key: str, pieces: list, find, refusal: str) -> list:
        """What *find* gives for each piece of a cell, each once; a piece it finds nothing for
        is an error on *key* with the message *refusal*."""
        found = []
        for piece in pieces:
            entry = find(piece)
            if entry is None:
                self.error(key, refusal % {"value": _shown(piece), "sheet": SHEET_POPULATIONS})
            elif entry not in found:
                found.append(entry)
        return found

    def execution(self, key: str) -> str:
        """The situation's value for its label (in Spanish or the active language), or the
        text as typed, for the form to refuse."""
        raw = self.raw(key)
        if _blank(raw):
            return ""
        return self.catalogue.executions.get(fold(str(raw)), str(raw).strip())

    def links(self, key: str) -> str:
        """The links, separated by «;» (or spaces) in a cell, one per line for the form."""
        raw = self.raw(key)
        return "" if _blank(raw) else "\n".join(str(raw).replace(";", " ").split())

    def owner(self, mine: ReportingScope) -> State | Institution | None:
        """The row's state or institution; a blank cell means the user's only one."""
        key = mine.owner_key
        raw = self.raw(key)
        if _blank(raw):
            if mine.default_owner is None:
                self.error(key, report.message("required"))
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
    """Validate one row through the report form; return it ready to create, or None."""
    objective = cells.objective("objective")
    owner = cells.owner(mine)
    state = owner if isinstance(owner, State) else None
    institution = owner if isinstance(owner, Institution) else None
    data = {
        "title": squash(cells.text("title")),
        "objective": objective.pk if objective else "",
        "secondary_objectives": [o.pk for o in cells.secondary("secondary_objectives")],
        "populations": [p.pk for p in cells.populations("populations")],
        "institutions": [institution.pk] if institution else [],
        "description": cells.text("description"),
        "results": cells.text("results"),
        "challenges": cells.text("challenges"),
        "challenges_none": cells.boolean("challenges_none"),
        "start_date": cells.date("start_date"),
        "end_date": cells.date("end_date"),
        "permanent": cells.boolean("permanent"),
        "budget": cells.amount("budget"),
        "execution": cells.execution("execution"),
        "links_text": cells.links("links"),
    }
    candidate = Program(cycle=cycle, section=mine.section, state=state)
    if state is not None:
        # Ask the one policy with the unsaved program, as the report page does; the form
        # asks it about the institutions.
        decision = permissions.can(user, "create", candidate)
        if not decision:
            cells.error(mine.owner_key, decision.reason)
    form = ReportForm(
        data, instance=candidate, user=user, section=mine.section, known=cells.catalogue.known
    )
    if not form.is_valid():
        for name, messages in form.errors.items():
            key = _COLUMN_OF.get(name)
            if key is None or key in cells.unread or key not in cells.header:
                continue
            for text in messages:
                cells.error(key, text)
    cells.errors.sort(key=lambda error: _ORDER.get(_key_of(cells, error.column), 0))
    if cells.errors:
        return None
    cleaned = form.cleaned_data
    return ParsedRow(
        row=cells.number,
        title=cleaned["title"],
        objective=cleaned["objective"],
        secondary=list(cleaned["secondary_objectives"]),
        state=state,
        institution=institution,
        populations=list(cleaned["populations"]),
        description=cleaned["description"],
        results=cleaned["results"],
        challenges=cleaned["challenges"],
        no_challenges=cleaned["challenges_none"],
        start_date=cleaned["start_date"],
        end_date=cleaned["end_date"],
        permanent=cleaned["permanent"],
        budget=cleaned["budget"],
        execution=cleaned["execution"],
        links=cleaned["links_text"],
    )


def _key_of(cells: _Cells, header: str) -> str:
    return next((key for key, shown in cells.header.items() if shown == header), "")
