"""The one request format the API accepts: JSON, up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .errors import PayloadTooLarge


def max_body() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


class LimitedJSONParser(parsers.JSONParser):
    """Read at most ``max_body()`` bytes (413 beyond); malformed JSON is a 400 in Spanish."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_body()
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and int(length) > limit:
            raise PayloadTooLarge(limit)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(limit)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("El cuerpo de la petición no es texto UTF-8.")) from None
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ParseError(
                _("El cuerpo de la petición no es JSON válido: %(error)s") % {"error": exc}
            ) from None


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON."""
    raise ValueError(_("«%(name)s» no es un valor JSON.") % {"name": name})
