"""``observatorio load_coordination``: the first coordination records (idempotent).

Without ``--commit`` it only checks the file against the documents and prints what it
holds; with it, it writes (one transaction; a second run changes nothing).
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from observatorio.coordination.loading import LoadRefused, check, load


class Command(BaseCommand):
    help = (
        "Comprueba los registros iniciales de coordinación (data/records.json: CIAIMM, sus "
        "grupos y mesas, sesiones, acuerdos, centros y consejos estatales) contra los "
        "documentos fuente que citan. No escribe nada salvo con --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help=_("Escribe los registros."))

    def handle(self, *args, commit=False, **options):
        if not commit:
            data, errors = check()
            for error in errors:
                self.stderr.write(error)
            if errors:
                raise CommandError(_("%(n)s errores: no se escribiría nada.") % {"n": len(errors)})
            per_body = Counter(a["body"] for a in data["agreements"])
            self.stdout.write(
                _(
                    "Órganos: %(b)d; sesiones: %(s)d; eventos: %(e)d; acuerdos: %(a)d; "
                    "centros: %(c)d. Todas las citas se encontraron. (Simulación: use --commit.)"
                )
                % {
                    "b": len(data["bodies"]),
                    "s": len(data["sessions"]),
                    "e": len(data["events"]),
                    "a": len(data["agreements"]),
                    "c": len(data["centres"]),
                }
            )
            for key, count in sorted(per_body.items()):
                self.stdout.write(f"  {key}: {count}")
            return
        try:
            loaded = load()
        except LoadRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(_("Carga rechazada: no se escribió nada.")) from refused
        self.stdout.write(
            _(
                "Coordinación: %(b)d órganos, %(s)d sesiones, %(a)d acuerdos, %(c)d centros; "
                "registros nuevos %(new)d, actualizados %(upd)d, sin cambios %(same)d."
            )
            % {
                "b": loaded.counts["bodies"],
                "s": loaded.counts["sessions"],
                "a": loaded.counts["agreements"],
                "c": loaded.counts["centres"],
                "new": loaded.created,
                "upd": loaded.updated,
                "same": loaded.unchanged,
            }
        )
