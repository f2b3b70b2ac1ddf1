"""Generate the compendium of a reporting cycle as PDF or DOCX."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from observatorio.catalog.models import State
from observatorio.programs.models import ReportingCycle
from observatorio.publications.document import PublicationError
from observatorio.publications.factsheet import render_factsheet
from observatorio.publications.renderers import formats, get_format, render_compendium


def _open_temporary(output: Path):
    """Create the temporary file beside *output*; raise CommandError if it cannot be written."""
    if output.is_dir():
        raise CommandError(
            _("No se puede escribir en %(path)s: es una carpeta, no un archivo.") % {"path": output}
        )
    folder = output.parent
    if not folder.is_dir():
        raise CommandError(_("No existe la carpeta %(path)s.") % {"path": folder})
    try:
        return tempfile.NamedTemporaryFile(  # closed and renamed or removed by the caller
            dir=folder, prefix=f".{output.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise CommandError(
            _("No se puede escribir en %(path)s: %(reason)s")
            % {"path": folder, "reason": exc.strerror or exc}
        ) from exc


class Command(BaseCommand):
    help = _(
        "Genera el compendio de un ciclo de reporte (PDF o DOCX) con sus programas publicados, "
        "o con --state la ficha de una entidad federativa. "
        "El archivo aparece completo o no aparece."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cycle", required=True, help=_("Edición del ciclo de reporte, p. ej. 2022.")
        )
        parser.add_argument("--format", required=True, dest="fmt", help="pdf | docx")
        parser.add_argument("--output", required=True, help=_("Ruta del archivo que se escribe."))
        parser.add_argument(
            "--state",
            default="",
            help=_("Clave INEGI de una entidad (p. ej. 14): genera su ficha estatal."),
        )

    def handle(self, *args, cycle, fmt, output, state="", **options):
        fmt = fmt.lower()
        if fmt not in formats():
            raise CommandError(
                _("Formato desconocido: «%(fmt)s». Use uno de: %(known)s.")
                % {"fmt": fmt, "known": ", ".join(formats())}
            )
        if not str(cycle).isdigit() or not (
            found := ReportingCycle.objects.filter(edition=int(cycle)).first()
        ):
            raise CommandError(_("No existe el ciclo de reporte «%(cycle)s».") % {"cycle": cycle})
        entity = None
        if state:
            entity = State.objects.filter(inegi_code=str(state).strip().zfill(2)).first()
            if entity is None or not str(state).strip().isdigit():
                raise CommandError(
                    _(
                        "No existe la entidad federativa con clave INEGI «%(code)s» "
                        "(use 01 a 32, p. ej. 14 para Jalisco)."
                    )
                    % {"code": state}
                )
        path = Path(output)
        temporary = _open_temporary(path)
        try:
            with temporary:
                if entity is None:
                    data = render_compendium(found, fmt)
                else:
                    data = render_factsheet(entity, found, fmt)
                temporary.write(data)
                temporary.flush()
                os.fsync(temporary.fileno())
            os.chmod(temporary.name, 0o644)
            os.replace(temporary.name, path)
        except PublicationError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("No se puede escribir en %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror or exc}
            ) from exc
        finally:
            if os.path.exists(temporary.name):
                os.unlink(temporary.name)
        if entity is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Ficha de %(state)s %(edition)s (%(fmt)s, %(size)s KB) escrita en %(path)s.")
                    % {
                        "state": entity.name,
                        "edition": found.edition,
                        "fmt": get_format(fmt).extension.upper(),
                        "size": max(1, round(len(data) / 1024)),
                        "path": path,
                    }
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Compendio %(edition)s (%(fmt)s, %(size)s KB) escrito en %(path)s.")
                % {
                    "edition": found.edition,
                    "fmt": get_format(fmt).extension.upper(),
                    "size": max(1, round(len(data) / 1024)),
                    "path": path,
                }
            )
        )
