"""The one renderer registry: (what, format) pairs, refused duplicates, unknown pairs."""

from __future__ import annotations

import pytest

from observatorio.lib.renderers import DuplicateRenderer, Registry, UnknownFormat


def _registry() -> Registry:
    registry = Registry()

    @registry.register("report", "csv", content_type="text/csv")
    def as_csv(data):
        return b"csv:" + data

    @registry.register("report", "xlsx", content_type="application/x-test", label="Excel")
    def as_xlsx(data):
        return b"xlsx:" + data

    @registry.register("summary", "csv", extension="txt", content_type="text/plain")
    def summary_csv(data):
        return b"summary:" + data

    return registry


def test_a_renderer_is_found_by_what_and_format():
    registry = _registry()
    renderer = registry.renderer_for("report", "xlsx")
    assert renderer.render(b"x") == b"xlsx:x"
    assert (renderer.extension, renderer.content_type, renderer.label) == (
        "xlsx",
        "application/x-test",
        "Excel",
    )
    # The same format of another kind is another renderer.
    other = registry.renderer_for("summary", "csv")
    assert other.render(b"x") == b"summary:x"
    assert (other.extension, other.label) == ("txt", "CSV")


def test_formats_are_listed_per_kind_in_the_order_they_were_registered():
    registry = _registry()
    assert registry.formats_for("report") == ["csv", "xlsx"]
    assert registry.formats_for("summary") == ["csv"]
    assert registry.formats_for("nothing") == []
    assert registry.kinds() == ["report", "summary"]


def test_a_pair_registered_twice_is_refused_and_the_first_is_kept():
    registry = _registry()
    with pytest.raises(DuplicateRenderer, match="'report' already has a 'csv' renderer"):

        @registry.register("report", "csv", content_type="text/csv")
        def again(data):
            return b"again"

    assert registry.renderer_for("report", "csv").render(b"x") == b"csv:x"


def test_an_unknown_pair_raises_a_lookup_error_in_spanish_naming_the_formats():
    registry = _registry()
    with pytest.raises(UnknownFormat, match="Formato desconocido: «odt». Formatos: csv, xlsx."):
        registry.renderer_for("report", "odt")
    with pytest.raises(LookupError, match="Formatos: —"):
        registry.renderer_for("nothing", "csv")
