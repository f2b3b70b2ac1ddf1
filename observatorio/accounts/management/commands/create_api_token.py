"""Issue an API token for a user and print it (once): ``create_api_token USERNAME [--name]``.

The token is printed alone on standard output, so that a script can capture it
(``TOKEN=$(observatorio create_api_token ana)``); what it is goes to standard error.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from observatorio.accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "Crea un token de la API para un usuario y lo imprime una sola vez (solo se guarda "
        "su huella). El token actúa con las funciones y el ámbito del usuario; el usuario "
        "puede verlo y revocarlo en /cuentas/tokens/."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Nombre de usuario.")
        parser.add_argument(
            "--name", default="", help="Para qué se usa (predeterminado: «línea de comandos»)."
        )

    def handle(self, *args, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(
                _("No existe el usuario «%(username)s».") % {"username": options["username"]}
            )
        if not user.is_active:
            raise CommandError(
                _("El usuario «%(username)s» está desactivado; no se creó el token.")
                % {"username": user.get_username()}
            )
        name = options["name"] or _("línea de comandos")
        try:
            token, key = ApiToken.issue(user, name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stderr.write(
            _(
                "Token «%(name)s» de «%(username)s» (empieza con %(prefix)s). Se muestra solo "
                "esta vez:"
            )
            % {"name": token.name, "username": user.get_username(), "prefix": token.prefix}
        )
        self.stdout.write(key)
