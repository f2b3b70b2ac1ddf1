"""Page-number pagination: ``?page=2&page_size=100`` (at most 500 per page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = _("Número de página (desde 1).")
    page_size_query_description = _("Resultados por página: de 1 a 500 (50 si se omite).")
    invalid_page_message = _("Página no válida: {message}")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Escriba un número entero de 1 a %(n)s.") % {"n": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param, None) == "":
            raise NotFound(_("Página no válida: escriba un número de página o quite el parámetro."))
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        return self.response_for(super().get_paginated_response(data).data)

    @staticmethod
    def response_for(page: dict) -> Response:
        """The answer for a page (``count``, ``next``, ``previous``, ``results``).

        The total and the links travel in headers too, for the CSV format (whose body
        is the rows only).
        """
        response = Response(page)
        links = []
        if page.get("next"):
            links.append(f'<{page["next"]}>; rel="next"')
        if page.get("previous"):
            links.append(f'<{page["previous"]}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(page["count"])
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"]["description"] = str(_("Resultados en total."))
        result["properties"]["next"]["description"] = str(_("Página siguiente, o null."))
        result["properties"]["previous"]["description"] = str(_("Página anterior, o null."))
        return result

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
