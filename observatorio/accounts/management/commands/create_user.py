"""Create a user with one role; a new enlace of a state ends the previous one's term today.

The password is read from standard input (one line) when it is not a terminal; otherwise a
random one is generated and printed once. Every check runs before anything is written, and
the writes (ending the previous enlace, the user, the membership) form one transaction.
"""

from __future__ import annotations

import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatorio.accounts.models import Membership, Role
from observatorio.catalog.models import Institution, State

GENERATION_ATTEMPTS = 10


class Command(BaseCommand):
    help = (
        "Crea un usuario con una función: enlace (con --state), reporter (con --institution), "
        "reviewer, council, registry o admin. La contraseña se lee de la entrada estándar "
        "(una línea) si no es una terminal; si lo es, se genera una y se muestra una sola vez. "
        "Registrar un nuevo enlace de una entidad termina hoy la función del anterior, que "
        "queda en el historial."
    )
    # Used by the tests to feed the password.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help="Nombre de usuario.")
        parser.add_argument(
            "--role",
            help="Función: " + ", ".join(Role.values) + ".",
        )
        parser.add_argument("--state", help="Clave INEGI de la entidad federativa (p. ej. 14).")
        parser.add_argument("--institution", help="Siglas de la institución (p. ej. SRE).")
        parser.add_argument("--email", default="", help="Correo electrónico.")
        parser.add_argument("--first-name", default="", help="Nombre(s).")
        parser.add_argument("--last-name", default="", help="Apellidos.")

    def handle(self, *args, **options):
        role = self.role(options["role"])
        state = self.state(options["state"]) if options["state"] else None
        institution = self.institution(options["institution"]) if options["institution"] else None
        self.check_scope(role, state, institution)
        user = self.new_user(options)
        password, generated = self.password(user, options)

        user.set_password(password)
        if role == Role.ADMIN:
            user.is_staff = True
            user.is_superuser = True
        today = timezone.localdate()
        try:
            with transaction.atomic():
                ended = []
                if role == Role.LIAISON:
                    previous = (
                        Membership.objects.select_for_update()
                        .not_ended(today)
                        .filter(role=Role.LIAISON, state=state)
                    )
                    ended = [membership for membership in previous if membership.end(today)]
                user.save()
                membership = Membership.objects.create(
                    user=user, role=role, state=state, institution=institution, started_on=today
                )
        except IntegrityError as exc:
            raise CommandError(
                _(
                    "No se creó nada: otro proceso modificó al mismo tiempo los usuarios o "
                    "los enlaces (%(error)s). Vuelva a intentarlo."
                )
                % {"error": exc}
            ) from exc

        for former in ended:
            self.stdout.write(
                _(
                    "La función de enlace de «%(user)s» en %(state)s terminó hoy (%(date)s); "
                    "queda en el historial."
                )
                % {"user": former.user, "state": state, "date": former.ended_on.isoformat()}
            )
        scope = membership.state or membership.institution
        self.stdout.write(
            self.style.SUCCESS(
                _("Usuario «%(username)s» creado: %(role)s%(scope)s.")
                % {
                    "username": user.get_username(),
                    "role": membership.get_role_display(),
                    "scope": f" · {scope}" if scope else "",
                }
            )
        )
        if generated:
            self.stdout.write(
                _("Contraseña generada (se muestra solo esta vez): %(password)s")
                % {"password": password}
            )

    # --- Checks: each raises a CommandError in Spanish, before anything is written. ---

    def role(self, value: str | None) -> str:
        if not value:
            raise CommandError(
                _("Indique la función con --role: %(roles)s.") % {"roles": ", ".join(Role.values)}
            )
        if value not in Role.values:
            raise CommandError(
                _("Función desconocida «%(role)s»; use una de: %(roles)s.")
                % {"role": value, "roles": ", ".join(Role.values)}
            )
        return value

    def state(self, value: str) -> State:
        code = value.strip()
        if code.isdigit():
            code = code.zfill(2)
        state = State.objects.filter(inegi_code=code).first()
        if state is None:
            raise CommandError(
                _("No hay ninguna entidad federativa con la clave INEGI «%(code)s» (de 01 a 32).")
                % {"code": value}
            )
        return state

    def institution(self, value: str) -> Institution:
        institution = Institution.resolve(value)
        if institution is None:
            raise CommandError(
                _("No hay ninguna institución con las siglas «%(acronym)s» en el catálogo.")
                % {"acronym": value}
            )
        return institution

    def check_scope(self, role: str, state: State | None, institution: Institution | None):
        if role == Role.LIAISON and state is None:
            raise CommandError(_("Un enlace estatal necesita su entidad federativa: --state."))
        if role == Role.LIAISON and institution is not None:
            raise CommandError(
                _("Un enlace estatal se asigna a una entidad federativa, no a una institución.")
            )
        if role == Role.REPORTER and institution is None:
            raise CommandError(
                _("Un informante institucional necesita su institución: --institution.")
            )
        if role == Role.ADMIN and (state is not None or institution is not None):
            raise CommandError(
                _("Un administrador no se asigna a ninguna entidad federativa ni institución.")
            )

    def new_user(self, options):
        """An unsaved user with the given details, validated like the admin would."""
        user_model = get_user_model()
        username = options["username"]
        existing = user_model.objects.filter(username__iexact=username).first()
        if existing is not None:
            raise CommandError(
                _("Ya existe el usuario «%(username)s»; no se creó nada.")
                % {"username": existing.get_username()}
            )
        user = user_model(
            username=username,
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
        )
        try:
            user.full_clean(exclude=["password"], validate_unique=False)
        except ValidationError as exc:
            problems = []
            for name, messages in exc.message_dict.items():
                field = user_model._meta.get_field(name).verbose_name if name != "__all__" else ""
                text = " ".join(messages)
                problems.append(f"{field}: {text}" if field else text)
            raise CommandError(
                _("Datos no válidos: %(problems)s") % {"problems": " ".join(problems)}
            ) from exc
        return user

    def password(self, user, options) -> tuple[str, bool]:
        """The password from standard input, or a generated one; validated."""
        stdin = options.get("stdin")
        if stdin is None:
            stdin = sys.stdin
        if stdin is not None and not stdin.isatty():
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(
                    _("No se recibió la contraseña: escriba una línea en la entrada estándar.")
                )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(
                    _("La contraseña no es válida: %(errors)s") % {"errors": " ".join(exc.messages)}
                ) from exc
            return password, False
        for _attempt in range(GENERATION_ATTEMPTS):
            password = secrets.token_urlsafe(16)
            try:
                password_validation.validate_password(password, user)
            except ValidationError:
                continue
            return password, True
        raise CommandError(_("No se pudo generar una contraseña válida; indique una."))
