"""A chart's SVG is converted once for every worker: kept in the shared cache by its spec."""

from __future__ import annotations

import pytest

from observatorio.charts import render

pytestmark = pytest.mark.django_db

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"a": "x", "b": 3}]},
    "mark": "bar",
    "encoding": {"x": {"field": "b", "type": "quantitative"}, "y": {"field": "a"}},
}


def test_another_worker_finds_the_svg_one_rendered(monkeypatch):
    calls = []
    real = render.vl_convert.vegalite_to_svg

    def counting(spec_json):
        calls.append(spec_json)
        return real(spec_json)

    monkeypatch.setattr(render.vl_convert, "vegalite_to_svg", counting)
    render._svg.cache_clear()
    first = render.render_svg({**SPEC, "description": "compartida"})
    render._svg.cache_clear()  # as another process would start: nothing in its memory
    again = render.render_svg({**SPEC, "description": "compartida"})
    assert again == first and first.startswith("<svg") and len(calls) == 1
    other = render.render_svg({**SPEC, "data": {"values": [{"a": "y", "b": 5}]}})
    assert other != first and len(calls) == 2
