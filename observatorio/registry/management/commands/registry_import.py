"""``observatorio registry_import FILE [--commit] [--user USERNAME]``: register the people
of another platform's CSV export (see :mod:`observatorio.registry.importing`).

Without ``--commit`` it checks every row and prints what it would do; with it, it registers
every row in one transaction, or nothing if any row has an error. Either way a file with
errors ends the command with a failure (as ``aggregate_records``), after listing them. With
``--user`` the import acts as that registry staff member (posted at each row's centre);
without it, as the administrator at the console. No output names a value of the file:
errors give the line and the column.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from observatorio.registry import importing

#: Row errors printed at most (the count says how many there are).
SHOWN = 500


class Command(BaseCommand):
    help = (
        "Importa al registro de necesidades las personas de un CSV exportado por otra "
        "plataforma, como personal del registro adscrito al centro de cada fila. Sin "
        "--commit solo revisa el archivo; con --commit registra todas las filas o ninguna."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("El archivo CSV (UTF-8, separado por comas o «;»)."))
        parser.add_argument(
            "--user",
            help=_(
                "Usuario del personal del registro que hace la importación (sin él: la "
                "administración, desde la consola)."
            ),
        )
        parser.add_argument(
            "--commit", action="store_true", help=_("Registra las filas (sin él, simulación).")
        )

    def handle(self, *args, file, user=None, commit=False, **options):
        actor = None
        if user is not None:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No hay un usuario activo con ese nombre de usuario."))
        try:
            checked = importing.check(Path(file), actor)
        except importing.FileRefused as refused:
            raise CommandError(str(refused)) from None
        for error in checked.errors[:SHOWN]:
            self.stderr.write(str(error))
        if len(checked.errors) > SHOWN:
            self.stderr.write(_("… y %(n)d errores más.") % {"n": len(checked.errors) - SHOWN})
        self.stdout.write(_("Archivo: SHA-256 %(d)s…") % {"d": checked.short})
        self.stdout.write(_("Filas leídas: %(n)d") % {"n": checked.read})
        skipped = [
            (_("Ya registradas (se omiten): %(n)d"), checked.already),
            (_("Repetidas en el archivo (se omiten): %(n)d"), checked.repeated),
        ]
        if commit and checked.errors:
            raise CommandError(
                _("Errores en el archivo: %(n)d. No se registró nada.") % {"n": len(checked.errors)}
            )
        if not commit:
            self.stdout.write(_("Se registrarían: %(n)d") % {"n": len(checked.ready)})
            for text, count in skipped:
                self.stdout.write(text % {"n": count})
            self.stdout.write(_("Errores: %(n)d") % {"n": len(checked.errors)})
            self.stdout.write(_("Simulación: no se escribió nada (use --commit para registrar)."))
            if checked.errors:
                raise CommandError(
                    _("Errores en el archivo: %(n)d. Corríjalos antes de usar --commit.")
                    % {"n": len(checked.errors)}
                )
            return
        try:
            done = importing.commit(checked, actor)
        except importing.FileRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(_("Registradas: %(n)d") % {"n": done})
        for text, count in skipped:
            self.stdout.write(text % {"n": count})
        self.stdout.write(
            _("Cada persona registrada lleva en la bitácora «importación línea N de %(d)s».")
            % {"d": checked.short}
        )
