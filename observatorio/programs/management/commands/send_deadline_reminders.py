"""E-mail a reminder to whoever has not reported yet as a cycle's deadline approaches.

Run it once a day from cron, e.g. ``0 8 * * * observatorio send_deadline_reminders``.

For each open cycle whose deadline is within ``--days`` days (or has passed), it writes to
every current enlace of a state that has submitted nothing and every current reporter of an
expected federal institution that has submitted nothing (see ``completeness.py``), and
sends each current reviewer one summary of who is missing.

Idempotent per run by design, without storing anything: one run sends at most one reminder
to each user per cycle (a user who speaks for several states or institutions gets one
message listing them all) and one summary to each reviewer. It keeps no record of what
it sent, so "never twice the same day" holds as long as the command is scheduled once a
day; running it again by hand sends again. ``--dry-run`` prints the messages and sends
nothing.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatorio.notifications.models import Kind, Preference
from observatorio.notifications.sending import notify
from observatorio.programs import permissions
from observatorio.programs.completeness import Completeness, completeness, user_label
from observatorio.programs.models import ReportingCycle


class Command(BaseCommand):
    help = (
        "Envía por correo un recordatorio a los enlaces estatales y a los informantes "
        "institucionales que no han enviado ningún reporte cuando se acerca (o ya pasó) la "
        "fecha límite de un ciclo abierto, y un resumen al personal revisor. Prográmelo una "
        "vez al día: no guarda registro de lo enviado."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cycle",
            metavar="EDICION",
            help="Edición del ciclo (p. ej. 2023). Por omisión, los ciclos abiertos hoy.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Recordar cuando falten a lo sumo estos días para la fecha límite (7).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Muestra los correos que se enviarían y no envía nada.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Dirección del sitio para los enlaces, p. ej. https://observatorio.gob.mx "
            "(por omisión, solo la ruta).",
        )

    def handle(self, *args, cycle=None, days=7, dry_run=False, base_url="", **options):
        self.verbosity = options.get("verbosity", 1)
        self.dry_run = dry_run
        self.base_url = (base_url or "").rstrip("/")
        if days < 0:
            raise CommandError(_("--days no puede ser negativo."))
        today = timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            cycles = self._cycles(cycle, days, today)
            failures = 0
            for reporting_cycle in cycles:
                failures += self._remind(completeness(reporting_cycle, today))
        if failures:
            raise CommandError(
                _("No se pudieron enviar %(n)s correos; vea los errores arriba.") % {"n": failures}
            )

    # --- which cycles ------------------------------------------------------

    def _cycles(self, edition, days: int, today: dt.date) -> list[ReportingCycle]:
        horizon = today + dt.timedelta(days=days)
        if edition is None:
            cycles = list(
                ReportingCycle.objects.open(today)
                .filter(deadline__isnull=False, deadline__lte=horizon)
                .order_by("edition")
            )
            if not cycles:
                self.stdout.write(
                    _(
                        "Ningún ciclo abierto tiene su fecha límite en los próximos %(days)s "
                        "días; no se envía nada."
                    )
                    % {"days": days}
                )
            return cycles
        try:
            number = int(str(edition).strip())
        except ValueError as exc:
            raise CommandError(
                _("La edición del ciclo debe ser un número, p. ej. 2023; se recibió «%(e)s».")
                % {"e": edition}
            ) from exc
        cycle = ReportingCycle.objects.filter(edition=number).first()
        if cycle is None:
            known = ", ".join(
                str(e)
                for e in ReportingCycle.objects.order_by("edition").values_list(
                    "edition", flat=True
                )
            )
            raise CommandError(
                _("No existe el ciclo de reporte con edición %(e)s. Ciclos registrados: %(known)s.")
                % {"e": number, "known": known or _("ninguno")}
            )
        if not cycle.is_open(today):
            raise CommandError(
                _("El ciclo «%(cycle)s» no está abierto hoy; no se envían recordatorios.")
                % {"cycle": cycle}
            )
        if cycle.deadline is None:
            raise CommandError(
                _("El ciclo «%(cycle)s» no tiene fecha límite de envío; no hay qué recordar.")
                % {"cycle": cycle}
            )
        if cycle.deadline > horizon:
            self.stdout.write(
                _(
                    "La fecha límite del ciclo «%(cycle)s» es el %(deadline)s: faltan más de "
                    "%(days)s días; no se envía nada."
                )
                % {"cycle": cycle, "deadline": self._date(cycle.deadline), "days": days}
            )
            return []
        return [cycle]

    # --- one cycle ---------------------------------------------------------

    def _remind(self, data: Completeness) -> int:
        cycle = data.cycle
        days_left = data.days_to_deadline
        common = {
            "cycle": cycle,
            "days_left": days_left,
            "days_late": -days_left if days_left is not None else 0,
        }
        self.stdout.write(
            _("Ciclo «%(cycle)s»: fecha límite %(deadline)s.")
            % {"cycle": cycle, "deadline": self._date(cycle.deadline)}
        )
        missing = data.missing
        if not missing:
            self.stdout.write(
                _("Todas las entidades e instituciones esperadas ya enviaron; no se envía nada.")
            )
            return 0

        # One reminder per user, listing every state or institution they speak for.
        by_user: dict[int, tuple] = {}
        rows_of: dict[int, list] = defaultdict(list)
        for row in missing:
            for user in row.contacts:
                by_user[user.pk] = user
                rows_of[user.pk].append(row)
        nobody = [r.name if r.kind == "estado" else r.code for r in missing if not r.contacts]
        if nobody:
            self.stdout.write(
                _("Sin enlace ni informante vigente (nadie recibe recordatorio): %(who)s.")
                % {"who": ", ".join(nobody)}
            )
        messages, without_email = [], []
        start_url = self.base_url + reverse("reports:list")
        for pk, user in sorted(by_user.items(), key=lambda item: item[1].get_username()):
            rows = sorted(rows_of[pk], key=lambda r: (r.kind, r.code))
            where = ", ".join(r.name if r.kind == "estado" else r.code for r in rows)
            if not self.dry_run:
                # In the site always; by e-mail as the user prefers (below).
                notify(
                    [user],
                    Kind.DEADLINE,
                    self._notice_title(cycle, days_left),
                    _("Todavía no hay ningún reporte enviado de: %(where)s.") % {"where": where},
                    reverse("reports:list") + f"?ciclo={cycle.edition}",
                    email=False,
                )
            if not Preference.of(user).wants_email(Kind.DEADLINE):
                self.stdout.write(
                    _("%(user)s no recibe estos avisos por correo (su preferencia).")
                    % {"user": user.get_username()}
                )
                continue
            if not user.email:
                without_email.append(f"{user_label(user)} ({where})")
                self.stdout.write(
                    _("Sin correo: %(user)s (%(where)s); no se le puede recordar.")
                    % {"user": user.get_username(), "where": where}
                )
                continue
            context = {**common, "name": user_label(user), "rows": rows, "url": start_url}
            messages.append(self._message("deadline_reminder", context, user.email))

        reviewers = {
            m.user.pk: m.user
            for m in permissions.upm_reviewers(data.on)
            .select_related("user")
            .order_by("user__username")
        }
        summary = {
            **common,
            "data": data,
            "missing_count": len(missing),
            "states": [r for r in missing if r.kind == "estado"],
            "institutions": [r for r in missing if r.kind == "institucion"],
            "without_email": without_email,
            "reminders": len(messages),
            "url": self.base_url + reverse("completeness:cycle", args=[cycle.edition]),
        }
        summaries = []
        for user in reviewers.values():
            if not user.email:
                self.stdout.write(
                    _("Sin correo: %(user)s (revisor); no recibe el resumen.")
                    % {"user": user.get_username()}
                )
                continue
            summaries.append(self._message("deadline_summary", summary, user.email))
        failures = self._send(messages + summaries)
        verb = _("se enviarían") if self.dry_run else _("enviados")
        self.stdout.write(
            _(
                "Ciclo %(edition)s: %(missing)s sin envío; recordatorios %(verb)s: %(n)s; "
                "resúmenes %(verb)s: %(s)s; sin correo: %(none)s."
            )
            % {
                "edition": cycle.edition,
                "missing": len(missing),
                "verb": verb,
                "n": len(messages),
                "s": len(summaries),
                "none": len(without_email),
            }
        )
        return failures

    # --- messages ----------------------------------------------------------

    @staticmethod
    def _notice_title(cycle, days_left) -> str:
        if days_left is None or days_left < 0:
            return _("Venció la fecha límite del ciclo «%(cycle)s»") % {"cycle": cycle}
        return ngettext(
            "Falta %(n)s día para la fecha límite del ciclo «%(cycle)s»",
            "Faltan %(n)s días para la fecha límite del ciclo «%(cycle)s»",
            days_left,
        ) % {"n": days_left, "cycle": cycle}

    def _message(self, template: str, context: dict, to: str) -> EmailMessage:
        subject = render_to_string(f"programs/email/{template}_subject.txt", context)
        body = render_to_string(f"programs/email/{template}.txt", context)
        return EmailMessage(subject=" ".join(subject.split()), body=body.strip() + "\n", to=[to])

    def _send(self, messages: list[EmailMessage]) -> int:
        if self.dry_run:
            for message in messages:
                self.stdout.write(
                    _("[simulación] Para: %(to)s · Asunto: %(subject)s")
                    % {"to": ", ".join(message.to), "subject": message.subject}
                )
                if self.verbosity >= 1:
                    self.stdout.write(message.body)
            return 0
        if not messages:
            return 0
        failures = 0
        try:
            connection = get_connection()
            connection.open()
        except (smtplib.SMTPException, OSError) as exc:
            raise CommandError(
                _("No se pudo conectar con el servidor de correo: %(error)s") % {"error": exc}
            ) from exc
        try:
            for message in messages:
                message.connection = connection
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as exc:
                    failures += 1
                    self.stderr.write(
                        _("ERROR al enviar a %(to)s: %(error)s")
                        % {"to": ", ".join(message.to), "error": exc}
                    )
                else:
                    if self.verbosity >= 2:
                        self.stdout.write(
                            _("Enviado a %(to)s: %(subject)s")
                            % {"to": ", ".join(message.to), "subject": message.subject}
                        )
        finally:
            connection.close()
        return failures

    @staticmethod
    def _date(day: dt.date | None) -> str:
        # Django capitalises Spanish month names; Spanish writes them in lower case.
        return formats.date_format(day, r"j \d\e F \d\e Y").lower() if day else "—"
