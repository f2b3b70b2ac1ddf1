"""``/api/docs/``: the API reference as a plain page, rendered on the server from the schema.

No script and no external asset (the project serves none from a CDN): every
operation with its parameters, request fields, answers, and every object's
fields, in the page's language, plus how to get a token and examples.
"""

from __future__ import annotations

from functools import lru_cache

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator

from observatorio.lib.access import public

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=4)
def _schema(language: str) -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _ref(schema: dict) -> str:
    """The object a schema names (directly or as a list of them), for a link; else ""."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if schema.get("type") == "array":
        return _ref(schema.get("items", {}))
    if len(schema.get("allOf", [])) == 1:
        return _ref(schema["allOf"][0])
    return ""


def _type(schema: dict) -> str:
    """A short description of a schema's type: ``string (date)``, ``[Figure]``, ``integer``."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "allOf" in schema:
        return " & ".join(_type(part) for part in schema["allOf"])
    if "oneOf" in schema or "anyOf" in schema:
        return " | ".join(_type(part) for part in schema.get("oneOf") or schema["anyOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        text = f"[{_type(schema.get('items', {}))}]"
    elif schema.get("format"):
        text = f"{kind} ({schema['format']})"
    else:
        text = kind
    if schema.get("nullable"):
        text += " | null"
    return text


def _enum_of(schema: dict, components: dict) -> list:
    """The values an enumeration allows, following references and alternatives."""
    if "$ref" in schema:
        return _enum_of(components.get(_ref_name(schema["$ref"]), {}), components)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            return [v for part in schema[key] for v in _enum_of(part, components)]
    return list(schema.get("enum", []))


def _constraints(schema: dict, components: dict | None = None) -> str:
    parts = []
    values = _enum_of(schema, components or {})
    if values and "enum" not in schema:
        schema = {**schema, "enum": values}
    if "enum" in schema:
        parts.append(" | ".join(str(v) for v in schema["enum"] if v not in ("", None)))
    for key, sign in (("minimum", "≥"), ("maximum", "≤")):
        if key in schema:
            parts.append(f"{sign} {schema[key]}")
    if "maxLength" in schema:
        parts.append(f"≤ {schema['maxLength']} car.")
    if "maxItems" in schema:
        parts.append(f"≤ {schema['maxItems']} elem.")
    return "; ".join(parts)


def _fields(schema: dict, components: dict) -> list[dict]:
    if "$ref" in schema:
        schema = components.get(_ref_name(schema["$ref"]), {})
    required = set(schema.get("required", []))
    rows = []
    for name, prop in (schema.get("properties") or {}).items():
        target = prop
        if "allOf" in prop and len(prop["allOf"]) == 1:
            target = {**components.get(_ref_name(prop["allOf"][0].get("$ref", "")), {}), **prop}
        if "$ref" in prop:
            target = components.get(_ref_name(prop["$ref"]), {})
        rows.append(
            {
                "name": name,
                "type": _type(prop),
                "ref": _ref(prop),
                "required": name in required,
                "read_only": prop.get("readOnly", False),
                "constraints": _constraints(prop, components),
                "description": prop.get("description") or target.get("description", ""),
            }
        )
    return rows


def reference(language: str) -> dict:
    """The schema arranged for the page: operations by tag and the objects they use."""
    schema = _schema(language)
    components = schema.get("components", {}).get("schemas", {})
    tags: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = []
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                media = content.get("application/json") or next(iter(content.values()), {})
                responses.append(
                    {
                        "code": code,
                        "description": response.get("description", ""),
                        "type": _type(media.get("schema", {})) if media else "",
                        "ref": _ref(media.get("schema", {})) if media else "",
                        "media": ", ".join(content),
                    }
                )
            tag = (operation.get("tags") or ["api"])[0]
            tags.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "secured": any("tokenAuth" in s for s in operation.get("security", [])),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "type": _type(p.get("schema", {})),
                            "required": p.get("required", False),
                            "constraints": _constraints(p.get("schema", {}), components),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type(body.get("schema", {})) if body else "",
                    "body_ref": _ref(body.get("schema", {})) if body else "",
                    "body_fields": _fields(body.get("schema", {}), components) if body else [],
                    "responses": responses,
                }
            )
    objects = [
        {
            "name": name,
            "description": component.get("description", ""),
            "fields": _fields(component, components),
            "enum": component.get("enum"),
        }
        for name, component in sorted(components.items())
    ]
    return {"info": schema.get("info", {}), "tags": tags, "objects": objects}


@public
def docs_page(request):
    language = get_language() or "es-mx"
    base = request.build_absolute_uri(reverse("api:program-list"))
    return render(
        request,
        "api/docs.html",
        {
            "reference": reference(language),
            "base": base,
            "schema_url": reverse("api:schema"),
        },
    )
