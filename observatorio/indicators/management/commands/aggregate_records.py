"""``observatorio aggregate_records FILE --indicator CODE [--commit]``: counts from records.

Reads a CSV or Parquet file of attention records (the format of
:mod:`observatorio.indicators.records`) with DuckDB and prints what it would write: the
records read, the periods, the cells of every published table, and the errors by row.
Nothing is written without ``--commit``; with it, the indicator's counts for the
periods in the file are replaced in one transaction (running it again replaces them
again, never adds them twice). The records themselves never enter the database, and
neither the file's name nor any of its values is written to a log.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from observatorio.catalog.models import PopulationGroup
from observatorio.indicators.actions import ValuesRefused, replace_record_counts
from observatorio.indicators.models import Indicator
from observatorio.indicators.records import RecordsRefused, aggregate


@contextmanager
def refusals_as_errors():
    """A refused file or replacement ends the command with its Spanish reason."""
    try:
        yield
    except (RecordsRefused, ValuesRefused) as refused:
        raise CommandError(refused.message) from None


def listed(periods) -> str:
    return ", ".join(map(str, periods)) or "—"


#: How many row errors the command prints (the total is always said).
SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Cuenta los registros de atención de un archivo CSV o Parquet para un indicador; "
        "sin --commit no escribe nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="archivo CSV o Parquet de registros de atención")
        parser.add_argument("--indicator", required=True, help="clave del indicador")
        parser.add_argument(
            "--commit", action="store_true", help="escribir los conteos (sin esto: simulación)"
        )

    def handle(self, *args, **options):
        indicator = Indicator.objects.filter(code=options["indicator"]).first()
        if indicator is None:
            raise CommandError(
                _("No existe el indicador «%(code)s».") % {"code": options["indicator"]}
            )
        if not indicator.from_records:
            raise CommandError(
                _("El indicador «%(code)s» no se calcula a partir de registros.")
                % {"code": indicator.code}
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No se encontró el archivo indicado."))
        populations = set(PopulationGroup.objects.values_list("code", flat=True))
        with refusals_as_errors():
            result = aggregate(
                path, indicator.measure, populations, max_bytes=settings.RECORDS_MAX_BYTES
            )
        self.say(
            _("Registros leídos: %(records)d; periodos: %(periods)s."),
            records=result.records,
            periods=listed(result.periods),
        )
        if result.error_count:
            for error in result.errors[:SHOWN_ERRORS]:
                self.say(
                    _("Línea %(row)d, columna «%(column)s»: %(message)s"),
                    row=error.row,
                    column=error.column,
                    message=error.message,
                )
            raise CommandError(
                _("%(count)d errores: no se escribió nada. Corrija el archivo y vuelva a cargarlo.")
                % {"count": result.error_count}
            )
        self.say(
            _("Celdas de «%(code)s»: %(cells)d."), code=indicator.code, cells=len(result.cells)
        )
        if not options["commit"]:
            self.stdout.write(_("Simulación: no se escribió nada (use --commit para escribir)."))
            return
        with refusals_as_errors():
            replaced = replace_record_counts(indicator, result.periods, result.cells)
        self.say(
            _("Escrito: %(written)d valores de %(periods)s (se reemplazaron %(removed)d)."),
            written=replaced.written,
            periods=listed(replaced.periods),
            removed=replaced.removed,
        )

    def say(self, line: str, /, **params) -> None:
        """One line of the summary: *line* with its named *params*."""
        self.stdout.write(line % params)
