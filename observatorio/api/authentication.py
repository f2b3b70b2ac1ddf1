"""``Authorization: Token <key>``: a user's API token (``accounts.ApiToken``).

The token is looked up in the database on every request (by the SHA-256 of the
key): a revoked token, or a token of a deactivated user, is refused with 401 at
once. The request then acts as the token's user, with that user's roles and
scope, exactly as on the web.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from observatorio.accounts.models import ApiToken

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != KEYWORD.lower().encode():
            raise exceptions.AuthenticationFailed(
                _("Use el encabezado «Authorization: Token <token>».")
            )
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Encabezado de autorización no válido: escriba «Token», un espacio y el token.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token no válido o revocado.")) from None
        token = ApiToken.lookup(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token no válido o revocado."))
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to unauthenticated writes.
        return KEYWORD
