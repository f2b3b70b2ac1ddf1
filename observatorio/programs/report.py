"""The homogeneous report, declared once: its fields, labels, help texts and rules.

Every way of writing or reading a report derives from :data:`FIELDS`: the web form
(``forms.ReportForm``), the spreadsheet template and the rows of an upload (each row is
validated by the same form), the API's input serializer and the content it overlays on a
saved report, the revisions (``Revision.snapshot`` and the history's labels) and the
pre-fill from last cycle's report. Each rule has one Spanish message, in :data:`MESSAGES`,
so that the same bad value gets the same message through the form, the spreadsheet and
the API (``api/tests/test_report_declaration.py`` holds them to it).

This module imports no model: ``models.py`` takes the revised fields from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_TITLE = 500
MAX_TEXT = 20_000
MAX_LINKS = 10
MAX_FIGURES = 50
#: Budgets and figures have at most 14 whole digits (the columns are 16 digits, 2 decimal).
MAX_AMOUNT = Decimal(10) ** 14

#: What a result figure counts in: a fixed list (the value is stored; the label is shown).
UNITS = (
    ("personas", _("personas")),
    ("familias", _("familias")),
    ("hogares", _("hogares")),
    ("atenciones", _("atenciones")),
    ("servicios", _("servicios")),
    ("apoyos", _("apoyos")),
    ("solicitudes", _("solicitudes")),
    ("trámites", _("trámites")),
    ("documentos", _("documentos")),
    ("eventos", _("eventos")),
    ("cursos", _("cursos")),
    ("talleres", _("talleres")),
    ("albergues", _("albergues")),
    ("espacios", _("espacios")),
    ("municipios", _("municipios")),
    ("instituciones", _("instituciones")),
    ("pesos", _("pesos (MXN)")),
    ("%", _("por ciento (%)")),
)
UNIT_VALUES = tuple(value for value, _label in UNITS)

#: One message per rule. Placeholders are filled with ``%`` and a dict.
MESSAGES = {
    "required": _("Este dato es obligatorio."),
    "too_long": _("El texto admite hasta %(n)s caracteres y tiene %(len)s."),
    "not_an_amount": _("«%(value)s» no es un monto; escríbalo en pesos, por ejemplo 1,500,000.50."),
    "negative_budget": _("El presupuesto no puede ser negativo."),
    "budget_too_big": _("El presupuesto es demasiado grande."),
    "not_a_date": _("«%(value)s» no es una fecha; escriba una fecha con formato dd/mm/aaaa."),
    "end_before_start": _("La fecha de término es anterior a la de inicio."),
    "permanent_with_end": _("Un programa permanente no tiene fecha de término."),
    "secondary_repeats_primary": _("El objetivo principal no se repite entre los secundarios."),
    "challenges_and_none": _("Describa los retos o marque «No se reportan retos», no ambas cosas."),
    "too_many_links": _("Se admiten hasta %(n)s enlaces."),
    "not_a_link": _("«%(link)s» no es una dirección web válida (https://…)."),
    "not_an_execution": _("«%(value)s» no es una situación válida; escriba %(options)s."),
    "negative_figure": _("Las cifras no pueden ser negativas."),
    "not_a_unit": _("«%(value)s» no es una unidad de la lista."),
    "not_a_country": _("«%(value)s» no es un país de la lista (ISO 3166)."),
}


@dataclass(frozen=True)
class ReportField:
    """One field of the report and where it appears.

    ``name`` is the model's and the API's name; ``form_name`` the web form's where it
    differs; ``revision_key`` its key in a revision's snapshot. ``short`` names it in a
    spreadsheet header and in the history (``label`` otherwise); ``column_help`` says how
    to write it in a spreadsheet cell.
    """

    name: str
    label: str
    kind: str
    help: str = ""
    short: str = ""
    column_help: str = ""
    width: int = 14
    required: bool = False  # in the form, the spreadsheet and the API
    required_in_sheet: bool = False  # besides: a spreadsheet row without it is refused
    limit: int | None = None  # characters of a text
    form: bool = True
    form_name: str = ""
    model_field: bool = True  # the form edits the model's field of the same name
    api: bool = True
    column: bool = True
    revised: bool = True
    revision_key: str = ""
    prefilled: bool = False

    @property
    def form_key(self) -> str:
        return self.form_name or self.name

    @property
    def snapshot_key(self) -> str:
        return self.revision_key or self.name

    @property
    def header(self) -> str:
        return self.short or self.label


FIELDS: tuple[ReportField, ...] = (
    ReportField(
        "title",
        _("Título"),
        "text",
        help=_("Nombre del programa o acción, sin siglas de la institución."),
        width=40,
        required=True,
        limit=MAX_TITLE,
        prefilled=True,
    ),
    ReportField(
        "objective",
        _("Objetivo principal del Pacto Mundial"),
        "objective",
        short=_("Objetivo principal"),
        column_help=_("Elija el objetivo del Pacto Mundial de la lista."),
        width=32,
        required=True,
        prefilled=True,
    ),
    ReportField(
        "secondary_objectives",
        _("Objetivos secundarios"),
        "objectives",
        help=_("Otros objetivos que el programa atiende, sin el principal."),
        column_help=_("Números de objetivo separados por punto y coma (;), por ejemplo: 2; 15."),
        width=18,
        prefilled=True,
    ),
    ReportField(
        "state",
        _("Entidad federativa"),
        "state",
        column_help=_("Su entidad federativa."),
        width=22,
        form=False,  # the page sets it: the enlace's state
        api=False,  # only when a report is created (ProgramCreateSerializer)
    ),
    ReportField(
        "institutions",
        _("Instituciones"),
        "institutions",
        help=_("Su institución y, si el reporte es conjunto, las demás."),
        short=_("Institución"),
        column_help=_("Siglas de su institución."),
        width=18,
        required=True,  # only federal reports name institutions
        prefilled=True,
    ),
    ReportField(
        "populations",
        _("Grupos de población que atiende"),
        "populations",
        short=_("Grupos de población"),
        column_help=_("Nombres de la hoja «Poblaciones» separados por punto y coma (;)."),
        width=40,
        prefilled=True,
    ),
    ReportField(
        "description",
        _("Descripción"),
        "long_text",
        help=_("Qué es, a quién atiende y cómo opera."),
        width=60,
        required_in_sheet=True,
        limit=MAX_TEXT,
        prefilled=True,
    ),
    ReportField(
        "results",
        _("Resultados"),
        "long_text",
        help=_("Resultados en el periodo del ciclo; las cifras van abajo."),
        column_help=_("Resultados en el periodo del ciclo."),
        width=50,
        limit=MAX_TEXT,
    ),
    ReportField(
        "figures",
        _("Cifras de resultados"),
        "figures",
        form=False,  # a formset of FigureForm beside the form
        column=False,
    ),
    ReportField(
        "challenges",
        _("Retos"),
        "long_text",
        help=_("Retos que enfrentó."),
        width=40,
        limit=MAX_TEXT,
    ),
    ReportField(
        "challenges_none",
        _("No se reportan retos"),
        "boolean",
        help=_("Márquelo solo si no hubo retos; si los hubo, descríbalos."),
        short=_("Sin retos"),
        column_help=_("«Sí» solo si no hubo retos; entonces deje vacía la columna Retos."),
        width=10,
        model_field=False,
        revision_key="challenges_status",
    ),
    ReportField(
        "start_date",
        _("Fecha de inicio"),
        "date",
        column_help=_("Fecha con formato dd/mm/aaaa."),
        prefilled=True,
    ),
    ReportField(
        "end_date",
        _("Fecha de término"),
        "date",
        help=_("Vacía si el programa es permanente."),
        column_help=_("Fecha con formato dd/mm/aaaa; vacía si el programa es permanente."),
    ),
    ReportField(
        "permanent",
        _("Permanente"),
        "boolean",
        help=_("El programa no tiene fecha de término."),
        column_help=_("«Sí» si el programa no tiene fecha de término."),
        width=12,
        prefilled=True,
    ),
    ReportField(
        "budget",
        _("Presupuesto (MXN)"),
        "amount",
        help=_("Opcional, en pesos mexicanos; por ejemplo 1,500,000.50."),
        column_help=_("Monto en pesos, por ejemplo 1,500,000.50; vacío si no se conoce."),
        width=16,
    ),
    ReportField(
        "execution",
        _("Situación del programa"),
        "choice",
        short=_("Situación"),
        column_help=_("Vigente, concluido o suspendido."),
        prefilled=True,
    ),
    ReportField(
        "links",
        _("Enlaces"),
        "links",
        help=_("Una dirección web por línea (https://…)."),
        column_help=_("Direcciones web (https://…) separadas por punto y coma (;)."),
        width=40,
        form_name="links_text",
        model_field=False,
        prefilled=True,
    ),
    ReportField(
        "status",
        _("Estado del reporte"),
        "status",
        form=False,  # changed only by the workflow (actions.transition)
        api=False,
        column=False,
    ),
)
BY_NAME = {field.name: field for field in FIELDS}
BY_FORM_NAME = {field.form_key: field for field in FIELDS if field.form}


def names(first: str, last: str) -> tuple[str, ...]:
    """The names of the fields from *first* to *last*, in the declaration's order."""
    keys = list(BY_NAME)
    return tuple(keys[keys.index(first) : keys.index(last) + 1])


#: The program's dates, budget, situation and links, as the report lists them.
TERMS = names("start_date", "links")
#: The fields of a revision's snapshot, in the form's order (the history lists them so).
REVISION_FIELDS = tuple(field.snapshot_key for field in FIELDS if field.revised)
#: The model's fields the web form edits as they are (the others it translates).
MODEL_FORM_FIELDS = tuple(field.name for field in FIELDS if field.form and field.model_field)
#: The report's content as the API writes it (``state`` is given once, on creation).
API_FIELDS = tuple(field.name for field in FIELDS if field.api)
#: The columns of the spreadsheet, in order (one of state / institutions by the part).
COLUMN_FIELDS = tuple(field.name for field in FIELDS if field.column)
#: What a new report takes from last cycle's report (results are new each cycle).
PREFILLED_FIELDS = tuple(field.name for field in FIELDS if field.prefilled)


def message(rule: str, **values) -> str:
    """The one Spanish message of *rule*, with its placeholders filled."""
    text = MESSAGES[rule]
    return str(text) % values if values else str(text)


def shown(value) -> str:
    """A value as it is quoted back in a message (short)."""
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationError(message("too_long", n=limit, len=len(text)), code="too_long")


#: An amount as written in Mexico: optional «$», thousands grouped by commas or spaces, a
#: point and up to two decimals, optional «MXN». The API's schema declares this pattern.
AMOUNT_PATTERN = (
    r"^\$? ?([0-9]{1,3}(,[0-9]{3}){1,4}|[0-9]{1,3}( [0-9]{3}){1,4}|[0-9]{1,14})"
    r"(\.[0-9]{1,2})?( ?MXN)?$"
)
_AMOUNT = re.compile(AMOUNT_PATTERN, re.IGNORECASE)


def parse_amount(value) -> Decimal | None:
    """A budget as a person writes it in Mexico (``150000``, ``$1,500,000.50``, ``1 500 000``,
    ``1500000 MXN``), a number, or None when blank.

    Raises ValidationError with the rule's message for anything else (``1,5``, ``1.500.000``,
    words), a negative amount or one past :data:`MAX_AMOUNT`.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        # Any white space (a non-breaking or thin space as a thousands separator) is a space.
        text = " ".join(value.split())
        negative = text.startswith("-")
        text = text.removeprefix("-").strip()
        if len(text) <= 40 and _AMOUNT.fullmatch(text):
            digits = re.sub(r"[^0-9.]", "", text)
            amount = -Decimal(digits) if negative else Decimal(digits)
    if amount is None or not amount.is_finite():
        raise ValidationError(message("not_an_amount", value=shown(value)), code="invalid")
    if amount < 0:
        raise ValidationError(message("negative_budget"), code="min_value")
    if amount >= MAX_AMOUNT:
        raise ValidationError(message("budget_too_big"), code="max_value")
    return amount.quantize(Decimal("0.01"))
