"""``observatorio registry_aggregate [--year Y]``: the registry's counts for the indicators.

Run nightly (cron or a scheduler, like ``send_agreement_reminders``) and on demand from
the page of figures. Writes each registry indicator's values for the year (the current
one by default) as drafts for review, replacing what it wrote before; a year holding
approved values, or counts loaded from a file of records, is left alone and said. No
identity is read: the counts come from the coarse columns kept in clear.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from observatorio.registry.aggregates import publish


class Command(BaseCommand):
    help = "Calcula los conteos del registro de necesidades para los indicadores de un año."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help=_("año (por omisión, el actual)"))

    def handle(self, *args, year=None, **options):
        today = timezone.localdate().year
        year = year or today
        if not 2000 <= year <= today:
            raise CommandError(_("El año debe estar entre 2000 y %(y)d.") % {"y": today})
        result = publish(year)
        for code, written in sorted(result.written.items()):
            self.stdout.write(_("%(code)s: %(n)d valores.") % {"code": code, "n": written})
        for code, reason in sorted(result.skipped.items()):
            self.stderr.write(
                _("%(code)s: no se escribió. %(reason)s") % {"code": code, "reason": reason}
            )
        self.stdout.write(
            _("Año %(y)d: %(w)d indicadores escritos, %(s)d sin escribir.")
            % {"y": year, "w": len(result.written), "s": len(result.skipped)}
        )
