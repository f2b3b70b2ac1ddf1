"""The one request format the API accepts: JSON, up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes and
MAX_DEPTH levels of nesting."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .errors import PayloadTooLarge

#: Lists and objects inside each other. The API's deepest body (a report: its figures, one
#: figure's fields) has 3; Python's json parser recurses once per level and fails with a
#: RecursionError near 1,000, so the depth is checked before the body is handed to it.
MAX_DEPTH = 32
#: The deepest body the API takes, said in the message.
DEEPEST_BODY = 3

_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OPENERS_CLOSERS = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = ord("[")


def max_body() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


def nests_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON *text* opens more than *limit* lists or objects inside each other.

    One linear scan over the brackets outside strings, stopping at the first level past
    the limit (a few milliseconds per megabyte). Malformed text is scanned just the same:
    json then says what is wrong with it, if the depth did not.
    """
    raw = text.encode("utf-8", "surrogatepass")
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for byte in _STRINGS.sub(b"", raw).translate(_OPENERS_CLOSERS, _NOT_BRACKETS):
        if byte == _OPEN:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class LimitedJSONParser(parsers.JSONParser):
    """Read at most ``max_body()`` bytes (413 beyond) nested at most ``MAX_DEPTH`` levels;
    malformed JSON is a 400 in Spanish."""

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
        if nests_deeper_than(text, MAX_DEPTH):
            raise ParseError(
                _(
                    "El cuerpo de la petición anida listas u objetos a más de %(limit)s "
                    "niveles; los de esta API no pasan de %(deepest)s."
                )
                % {"limit": MAX_DEPTH, "deepest": DEEPEST_BODY}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(
                _("El cuerpo de la petición no es JSON válido: %(error)s") % {"error": exc}
            ) from None


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON."""
    raise ValueError(_("«%(name)s» no es un valor JSON.") % {"name": name})
