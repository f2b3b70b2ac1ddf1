"""The template's columns, sheets and limits, shared by the template and the reading."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatorio.lib.text import fold

from ..models import Program

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
# A 5 MB archive of text can inflate a lot; past this it is a zip bomb, not a report.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
PREFILLED_ROWS = 100
#: Empty rows in a row that end the data of an upload: nothing below them is read.
BLANK_RUN = 100
#: Columns of an upload read beyond the template's, for the ones a person may have added.
EXTRA_COLUMNS = 10
MAX_BUDGET = Decimal(10) ** 14
SOURCE_LANGUAGE = "es-mx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_REPORTS = "Reportes"
SHEET_INSTRUCTIONS = "Instrucciones"
SHEET_OBJECTIVES = "Objetivos"
SHEET_STATES = "Entidades"
SHEET_INSTITUTIONS = "Instituciones"
SHEET_POPULATIONS = "Poblaciones"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # lazy: translated when the workbook is built or an error is shown
    width: int
    help: str = ""
    required: bool = False


COLUMNS = {
    c.key: c
    for c in (
        Column(
            "title",
            gettext_lazy("Título"),
            40,
            gettext_lazy("Nombre del programa o acción, sin siglas de la institución."),
            required=True,
        ),
        Column(
            "objective",
            gettext_lazy("Objetivo principal"),
            32,
            gettext_lazy("Elija el objetivo del Pacto Mundial de la lista."),
            required=True,
        ),
        Column(
            "secondary",
            gettext_lazy("Objetivos secundarios"),
            18,
            gettext_lazy("Números de objetivo separados por comas, por ejemplo: 2, 15."),
        ),
        Column(
            "state",
            gettext_lazy("Entidad federativa"),
            22,
            gettext_lazy("Su entidad federativa."),
        ),
        Column(
            "institution",
            gettext_lazy("Institución"),
            18,
            gettext_lazy("Siglas de su institución."),
        ),
        Column(
            "populations",
            gettext_lazy("Grupos de población"),
            40,
            gettext_lazy("Nombres de la hoja «Poblaciones» separados por punto y coma (;)."),
        ),
        Column(
            "description",
            gettext_lazy("Descripción"),
            60,
            gettext_lazy("Qué es, a quién atiende y cómo opera."),
            required=True,
        ),
        Column(
            "results",
            gettext_lazy("Resultados"),
            50,
            gettext_lazy("Resultados en el periodo del ciclo."),
        ),
        Column("challenges", gettext_lazy("Retos"), 40, gettext_lazy("Retos que enfrentó.")),
        Column(
            "no_challenges",
            gettext_lazy("Sin retos"),
            10,
            gettext_lazy("«Sí» solo si no hubo retos; entonces deje vacía la columna Retos."),
        ),
        Column(
            "start_date",
            gettext_lazy("Fecha de inicio"),
            14,
            gettext_lazy("Fecha con formato dd/mm/aaaa."),
        ),
        Column(
            "end_date",
            gettext_lazy("Fecha de término"),
            14,
            gettext_lazy("Fecha con formato dd/mm/aaaa; vacía si el programa es permanente."),
        ),
        Column(
            "permanent",
            gettext_lazy("Permanente"),
            12,
            gettext_lazy("«Sí» si el programa no tiene fecha de término."),
        ),
        Column(
            "budget",
            gettext_lazy("Presupuesto (MXN)"),
            16,
            gettext_lazy("Número en pesos mexicanos, sin signo; vacío si no se conoce."),
        ),
        Column(
            "execution",
            gettext_lazy("Situación"),
            14,
            gettext_lazy("Vigente, concluido o suspendido."),
        ),
        Column(
            "links",
            gettext_lazy("Enlaces"),
            40,
            gettext_lazy("Direcciones web (https://…) separadas por espacios."),
        ),
    )
}
STATE_KEYS = [k for k in COLUMNS if k != "institution"]
FEDERAL_KEYS = [k for k in COLUMNS if k != "state"]


def column_keys(section: str) -> list[str]:
    """The template's columns, in order, for the state or the federal part."""
    return STATE_KEYS if section == Program.Section.STATE else FEDERAL_KEYS


def _header_forms(key: str) -> set[str]:
    """The folded header of a column in Spanish and in the active language."""
    header = COLUMNS[key].header
    with translation.override(SOURCE_LANGUAGE):
        spanish = str(header)
    return {fold(spanish.rstrip("* ")), fold(str(header).rstrip("* "))}


def yes_no() -> tuple[str, str]:
    return _("Sí"), _("No")
