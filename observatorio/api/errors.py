"""Errors: always JSON, always in the request's language (Spanish by default).

* 400 — ``{"campo": ["mensaje", …], "non_field_errors": […]}`` (or ``{"detail": …}``
  for a body that is not JSON);
* 401, 403, 404, 405, 406, 409, 413, 414, 415, 429 — ``{"detail": "mensaje"}``;
* 400 and 500 that Django itself answers (a request it refuses to read, a bug) — also
  ``{"detail": "mensaje"}`` under ``/api/``: :func:`bad_request` and :func:`server_error`
  are the project's ``handler400`` and ``handler500`` (config/urls.py).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from .renderers import JSONRenderer


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("La petición no es compatible con el estado actual del reporte.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self, limit: int):
        super().__init__(
            _("El cuerpo de la petición supera el máximo de %(n)s bytes; no se guardó nada.")
            % {"n": limit}
        )


class UriTooLong(exceptions.APIException):
    """A query string longer than the API reads (see ``views.MAX_QUERY_BYTES``)."""

    status_code = status.HTTP_414_REQUEST_URI_TOO_LONG
    default_code = "uri_too_long"

    def __init__(self, limit: int, hint: str = ""):
        if hint:
            message = _("Los parámetros de la dirección superan %(n)s bytes; %(hint)s") % {
                "n": limit,
                "hint": hint,
            }
        else:
            message = _(
                "Los parámetros de la dirección superan %(n)s bytes; acórtelos (una búsqueda "
                "admite hasta 200 caracteres)."
            ) % {"n": limit}
        super().__init__(message)


class Throttled(exceptions.Throttled):
    """DRF's 429 (with Retry-After) and one Spanish sentence that says how long to wait."""

    def __init__(self, wait=None):
        seconds = max(1, math.ceil(wait or 1))
        exceptions.APIException.__init__(
            self,
            ngettext(
                "Demasiadas peticiones: espere %(n)s segundo antes de volver a intentarlo.",
                "Demasiadas peticiones: espere %(n)s segundos antes de volver a intentarlo.",
                seconds,
            )
            % {"n": seconds},
        )
        self.wait = seconds


def _spanish(exc, request):
    """DRF's own exceptions, with the project's Spanish messages instead of DRF's English."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return exceptions.NotAuthenticated(
            _("Falta el token: envíe el encabezado «Authorization: Token <token>».")
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return exceptions.MethodNotAllowed(
            "",
            _("El método %(method)s no se admite en esta dirección.")
            % {"method": getattr(request, "method", "")},
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return exceptions.UnsupportedMediaType(
            "",
            _("El cuerpo debe ser JSON (Content-Type: application/json), no «%(type)s».")
            % {"type": str(getattr(request, "content_type", ""))[:100]},
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return exceptions.NotAcceptable(
            _("No se puede responder en el formato pedido; use application/json o text/csv.")
        )
    if isinstance(exc, exceptions.PermissionDenied) and exc.detail == str(
        exceptions.PermissionDenied.default_detail
    ):
        return exceptions.PermissionDenied(_("No tiene permiso para hacerlo."))
    return exc


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
        exc = PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    spanish = _spanish(exc, context.get("request"))
    if spanish is not exc:
        # DRF sets these on the exception it raised (WWW-Authenticate; 403 without it).
        spanish.status_code = exc.status_code
        spanish.auth_header = getattr(exc, "auth_header", None)
        exc = spanish
    if isinstance(exc, Http404):
        # Never repeat the policy's reason: it would reveal that the report exists.
        exc = exceptions.NotFound(_("No encontrado."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) if str(exc) else None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    response = drf_exception_handler(exc, context)
    if response is not None:
        # Errors are JSON even when the client asked for CSV.
        request = context.get("request")
        if request is not None:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
    return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception, *args, **kwargs):
    """Django's 400 (a body over the limit, too many fields, a forbidden host): JSON under
    /api/, Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": str(_("La petición no es válida."))}, status=400)
    return defaults.bad_request(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    """An unexpected error (logged by Django): JSON under /api/, Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse(
            {"detail": str(_("Error interno del servidor; quedó registrado para revisarlo."))},
            status=500,
        )
    return defaults.server_error(request, *args, **kwargs)
