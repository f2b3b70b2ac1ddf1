"""The site's two middlewares: hostile input refused before any view, and the headers of
every answer. Both are listed first in ``MIDDLEWARE`` (config/settings.py).

:class:`RequestHygieneMiddleware`
    PostgreSQL refuses text with NUL (a ``DataError``, a 500) where SQLite answers; no
    address of the site has a control character. So, whatever the view:

    * an address with NUL, another C0 control character, DEL or a lone surrogate is a
      404 (JSON under ``/api/``, the site's page otherwise);
    * a query or form parameter whose name or value contains NUL is a 400 with a Spanish
      message (JSON under ``/api/``, the site's page otherwise). Other control characters
      pass: forms carry tabs and line breaks;
    * a cookie with NUL is dropped (gunicorn refuses such headers; other servers may not).

    JSON bodies of the API are checked by its parser and fields (observatorio/api/).

:class:`ResponseHeadersMiddleware`
    * ``Content-Security-Policy`` on every answer: the site runs no inline script (htmx and
      ``static/js/assist.js`` are files of its own) and has no inline style, so everything
      comes from the site itself (images also as ``data:``);
    * ``Vary: Authorization, Cookie`` on the API's answers (``Accept-Language`` is
      LocaleMiddleware's): the same address answers drafts to a token holder;
    * ``Cache-Control: private`` on every answer to a signed-in person or a token, and
      ``private, no-store`` when what it shows is not public (pages that need a log-in,
      their CSVs, the API with a token). Anonymous answers keep whatever the view set, and
      so do views that set ``public`` (the same bytes for everyone), ``private`` (their
      own policy, e.g. a document revalidated by its ETag) or ``no-store``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from .access import is_public

API_PREFIX = "/api/"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
#: C0 controls, DEL and lone surrogates: never part of an address of the site.
_BAD_PATH = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_NUL = "\x00"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _shown(name: str) -> str:
    """A parameter's name as a message may repeat it: short, without control characters."""
    return _BAD_PATH.sub("", name)[:60]


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _BAD_PATH.search(request.path_info):
            if is_api(request):
                return JsonResponse({"detail": _("No encontrado.")}, status=404)
            raise Http404(_("Esa dirección no existe."))
        # No cookie of the site holds NUL: such a cookie is dropped, as if never sent (a
        # session key with NUL was a DataError on PostgreSQL on every page). Quoted cookies
        # may carry it escaped ("\000"), so the parsed values are checked.
        for name in [n for n, v in request.COOKIES.items() if _NUL in n or _NUL in v]:
            del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Parameters are read here: the language, the user and the session are known, so
        the site's page can say what is wrong in the visitor's language."""
        sources = [request.GET]
        if request.method == "POST" and not is_api(request):
            # The API reads JSON only (415 otherwise); its parser and fields refuse NUL.
            sources += [request.POST, request.FILES]
        for source in sources:
            for name, values in source.lists():
                if _NUL in name:
                    return self._refuse(request, None)
                for value in values:
                    text = getattr(value, "name", value)  # an uploaded file: its name
                    if isinstance(text, str) and _NUL in text:
                        return self._refuse(request, name)
        return None

    def _refuse(self, request, name: str | None):
        if name is None:
            message = (
                _(
                    "El nombre de un parámetro contiene el carácter nulo (NUL, %%00), que no se "
                    "admite en ningún parámetro."
                )
                % {}
            )
        elif is_api(request):
            message = (
                _(
                    "El valor contiene el carácter nulo (NUL, %%00), que no se admite en ningún "
                    "parámetro."
                )
                % {}
            )
        else:
            message = _(
                "El valor de «%(name)s» contiene el carácter nulo (NUL, %%00), que no se "
                "admite en ningún parámetro ni campo de formulario."
            ) % {"name": _shown(name)}
        if is_api(request):
            body = {"detail": message} if name is None else {_shown(name): [message]}
            return JsonResponse(body, status=400)
        return render(request, "bad_request.html", {"message": message}, status=400)


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code in (404, 500)):
            # (Django's debug pages style themselves inline; they exist only with DEBUG.)
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if is_api(request):
            patch_vary_headers(response, ("Authorization", "Cookie"))
        self._cache_control(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.observatorio_public_view = is_public(view_func)

    @staticmethod
    def _cache_control(request, response) -> None:
        token = "HTTP_AUTHORIZATION" in request.META
        user = getattr(request, "user", None)
        if not token and not (user is not None and user.is_authenticated):
            return
        directives = {
            d.split("=")[0].strip().lower()
            for d in response.get("Cache-Control", "").split(",")
            if d.strip()
        }
        if directives & {"public", "private", "no-store"}:
            return  # the view decided (no-store: no cache keeps it at all)
        private_data = token or not getattr(request, "observatorio_public_view", False)
        if private_data:
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, private=True)
