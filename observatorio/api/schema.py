"""The OpenAPI description: the error answers of every operation, and a few corrections.

The committed snapshot is ``observatorio/api/schema.yaml``; ``make schema`` writes
it again (``test_schema.py`` fails when the code and the snapshot disagree).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import ResolvedComponent

SNAPSHOT = Path(__file__).with_name("schema.yaml")

ERROR_COMPONENT = "Error"
VALIDATION_COMPONENT = "ValidationError"


def error_schema() -> dict:
    return {
        "type": "object",
        "description": str(_("Un mensaje en español.")),
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }


def validation_schema() -> dict:
    return {
        "type": "object",
        "description": str(
            _(
                'Mensajes por campo: {"campo": ["mensaje", …]}; «non_field_errors» para '
                "los del conjunto y «detail» cuando el cuerpo no es JSON. En listas de objetos "
                '(figures), por posición: {"figures": {"0": {"value": ["…"]}}}.'
            )
        ),
        "additionalProperties": {},
    }


DESCRIPTIONS = {
    "400": _("Datos no válidos: mensajes por campo; no se guardó nada."),
    "401": _("Token no válido o revocado, o falta el token para escribir."),
    "403": _("La política de permisos no se lo permite (el motivo va en «detail»)."),
    "404": _("No existe o no es visible para usted."),
    "409": _("El estado del reporte no lo permite, o cambió desde la versión enviada."),
    "413": _("El cuerpo de la petición es demasiado grande; no se guardó nada."),
    "414": _(
        "La dirección es demasiado larga (parámetros de más de 8000 bytes). La API responde "
        "en JSON; pasado el límite del servidor (8190 bytes por línea) responde el servidor."
    ),
    "415": _("El cuerpo debe ser JSON (Content-Type: application/json)."),
    "429": _("Demasiadas peticiones: espere los segundos que indica Retry-After."),
}


LIST_NOT_FOUND = _(
    "Un filtro nombra una clave bien formada que no existe en el catálogo (p. ej. state=99), "
    "o la página pedida no existe."
)

NO_BODY = "No response body"


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, adding the error answers each kind of operation can give.

    Descriptions come only from ``extend_schema`` and the serializers'
    ``schema_description`` (translated), never from the code's English docstrings.
    """

    def get_description(self):
        return ""

    def _map_basic_serializer(self, serializer, direction):
        result = super()._map_basic_serializer(serializer, direction)
        result.pop("description", None)
        description = getattr(serializer, "schema_description", None)
        if description:
            result["description"] = str(description)
        return result

    def _error_codes(self) -> list[str]:
        codes = ["401", "414", "429"]
        if self.method == "GET":
            if self._is_list_view() or self.get_override_parameters():
                codes.append("400")
            if self._is_list_view() or "{" in self.path:
                codes.append("404")
        else:
            codes += ["400", "403", "413", "415"]
            if "{" in self.path:
                codes.append("404")
        return codes

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            content = response.get("content") or {}
            if "text/csv" in content:
                content["text/csv"] = {
                    "schema": {
                        "type": "string",
                        "description": str(
                            _(
                                "Una fila por objeto; el total y la página siguiente van en "
                                "los encabezados X-Total-Count y Link."
                            )
                        ),
                    }
                }
            if code >= "400":
                response["content"] = {"application/json": content.get("application/json", {})}
        for code in self._error_codes() + [c for c in responses if c >= "400"]:
            schema = (
                self._component(VALIDATION_COMPONENT, validation_schema())
                if code == "400"
                else self._component(ERROR_COMPONENT, error_schema())
            )
            described = responses.get(code, {}).get("description")
            if not described or described in (NO_BODY, gettext(NO_BODY)):
                described = str(DESCRIPTIONS[code])
                if code == "404" and self.method == "GET" and self._is_list_view():
                    described = str(LIST_NOT_FOUND)
            content = {"application/json": {"schema": schema}}
            if code == "414":
                # Past gunicorn's limit the server answers itself, in HTML.
                content["text/html"] = {"schema": {"type": "string"}}
            responses[code] = {"content": content, "description": described}
        for code, response in responses.items():
            if code < "300" and not response.get("description"):
                response["description"] = str(_("Correcto."))
        return dict(sorted(responses.items()))


#: How each path parameter names a record.
PATH_PARAMETERS = {
    "id": _("Identificador numérico."),
    "number": _("Número del objetivo (1–23)."),
    "inegi_code": _("Clave INEGI de dos dígitos."),
    "acronym": _("Siglas de la institución."),
    "code": _("Clave del grupo de población."),
    "edition": _("Edición del ciclo (año)."),
}

#: Integer limits that only say which database column type a model field has.
DATABASE_LIMITS = {32767, 2147483647, 9223372036854775807}


def _visit(schema, change, skip=()) -> None:
    """Call *change* on every object of *schema*, outside in, but not below the keys *skip*."""
    if isinstance(schema, list):
        for item in schema:
            _visit(item, change, skip)
        return
    if not isinstance(schema, dict):
        return
    change(schema)
    for key, value in schema.items():
        if key not in skip:
            _visit(value, change, skip)


def _drop_database_limits(schema: dict) -> None:
    if schema.get("type") == "integer" and schema.get("maximum") in DATABASE_LIMITS:
        schema.pop("maximum")
        schema.pop("format", None)
        if schema.get("minimum", 0) < -32767:
            schema.pop("minimum")


def _without_database_limits(schema) -> None:
    """Drop ranges DRF derives from the database backend, so the schema is the same on all."""
    _visit(schema, _drop_database_limits)


#: What every text a client sends may not contain: NUL (PostgreSQL refuses it in text, and
#: the site refuses it in every parameter, lib/middleware.py). Texts with a pattern of their
#: own exclude it in that pattern.
NO_NUL = r"^[^\x00]*$"


def _refuse_nul(schema: dict) -> None:
    if schema.get("type") == "string" and not (
        {"pattern", "enum", "format"} & set(schema) or schema.get("readOnly")
    ):
        schema["pattern"] = NO_NUL


def _without_nul(schema) -> None:
    """Declare on every free text of a request (no pattern, enum or format) that NUL is refused."""
    _visit(schema, _refuse_nul, skip=("enum", "pattern", "description", "title"))


def postprocess(result, generator, request, public):
    """Request bodies refuse unknown fields and NUL; a 429 says when to retry; no database
    limits."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        _without_database_limits(component)
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
            _without_nul(component)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and not parameter.get("description"):
                    parameter["description"] = str(PATH_PARAMETERS.get(parameter["name"], ""))
                if parameter["in"] == "query":
                    _without_nul(parameter.get("schema"))
            throttled = operation.get("responses", {}).get("429")
            if throttled is not None:
                throttled["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": str(_("Segundos que hay que esperar.")),
                    }
                }
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema names ``Authorization: Token <token>``."""

    target_class = "observatorio.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    "«Token » seguido del token personal (créelo en /cuentas/tokens/). "
                    "Sin token, la API es de solo lectura de datos publicados."
                )
            ),
        }
