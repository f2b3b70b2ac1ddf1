"""Publish the next numbered, immutable open-data release."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from observatorio.publications.releases import NothingChanged, publish_release


class Command(BaseCommand):
    help = _(
        "Publica la siguiente versión numerada de los datos abiertos (CSV, JSON, XLSX y "
        "datapackage.json) con los cambios respecto de la anterior. Una versión publicada "
        "no cambia."
    )

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help=_("Nota que acompaña a la versión."))
        parser.add_argument(
            "--user", default="", help=_("Nombre de usuario de quien publica (opcional).")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Publicar aunque los datos no hayan cambiado."),
        )

    def handle(self, *args, note, user, force, **options):
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(_("No existe el usuario «%(user)s».") % {"user": user})
        try:
            release = publish_release(by=by, note=note, force=force)
        except NothingChanged as exc:
            raise CommandError(str(exc)) from exc
        changes = release.changelog
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Versión %(number)s publicada: %(files)s archivos, %(programs)s programas; "
                    "%(added)s nuevos, %(corrected)s corregidos, %(withdrawn)s retirados."
                )
                % {
                    "number": release.number,
                    "files": release.files.count(),
                    "programs": release.programs,
                    "added": len(changes["added"]),
                    "corrected": len(changes["corrected"]),
                    "withdrawn": len(changes["withdrawn"]),
                }
            )
        )
