"""E-mail the responsible institutions of every agreement that passed its due date.

Run it once a day from cron, e.g. ``0 8 * * * observatorio send_agreement_reminders``.
Each agreement is reminded once per due date (``Agreement.reminded_for``): running it again
the same day, or every day, sends nothing new; a new due date can be reminded again.
``--dry-run`` lists what would be sent and writes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from observatorio.coordination import actions
from observatorio.coordination.models import Agreement


class Command(BaseCommand):
    help = (
        "Avisa (en el sitio y por correo) a las instituciones responsables de cada acuerdo "
        "vencido, una sola vez por fecha compromiso."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Muestra qué se avisaría y no envía nada.")
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            overdue = list(Agreement.objects.overdue(today).select_related("body"))
            due = [a for a in overdue if a.reminded_for != a.due_on]
            pending = len(overdue) - len(due)
            for agreement in due:
                self.stdout.write(
                    _("[simulación] %(body)s: %(text)s (vencido el %(due)s)")
                    % {
                        "body": agreement.body,
                        "text": agreement.text[:80],
                        "due": agreement.due_on.isoformat(),
                    }
                )
            self.stdout.write(
                _("Se avisaría de %(n)s acuerdos; %(done)s ya se avisaron antes.")
                % {"n": len(due), "done": pending}
            )
            return
        done = actions.remind_overdue(today)
        for agreement, reached in done:
            self.stdout.write(
                _("%(body)s: %(text)s → %(n)s personas")
                % {"body": agreement.body, "text": agreement.text[:80], "n": reached}
            )
        self.stdout.write(_("Acuerdos vencidos avisados: %(n)s.") % {"n": len(done)})
