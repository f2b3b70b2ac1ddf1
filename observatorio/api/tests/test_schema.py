"""The committed OpenAPI snapshot is what the code generates."""

from __future__ import annotations

import difflib

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

from observatorio.api.schema import SNAPSHOT


def generate() -> str:
    with translation.override("es-mx"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode("utf-8")


def test_the_committed_schema_is_the_generated_one():
    generated = generate()
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if generated != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    generated.splitlines(keepends=True),
                    "observatorio/api/schema.yaml (committed)",
                    "generated",
                )
            )[:80]
        )
        raise AssertionError(
            "The API changed but its OpenAPI snapshot did not: run `make schema` and commit "
            "observatorio/api/schema.yaml.\n" + diff
        )


def test_every_operation_is_documented_in_spanish_with_its_error_answers():
    import yaml

    schema = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))
    operations = [
        (path, method, op) for path, item in schema["paths"].items() for method, op in item.items()
    ]
    assert len(operations) == 42
    for path, method, op in operations:
        assert op.get("summary"), (method, path)
        codes = set(op["responses"])
        assert {"401", "429"} <= codes, (method, path)
        if method in ("post", "patch"):
            assert {"400", "403", "413", "415"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        for code, response in op["responses"].items():
            assert response["description"], (method, path, code)
    for name, component in schema["components"]["schemas"].items():
        if name.endswith("Request"):
            assert component.get("additionalProperties") is False, name
