"""Snippets: HTML templates with ``{slot}`` places, filled with escaped values."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from observatorio.lib.snippets import Snippet, escaped

ROW = "portal/_facet_item.html"


def test_a_snippet_knows_its_slots():
    assert Snippet(ROW).slots == {"link", "label", "count"}


@given(label=st.text(max_size=40), link=st.text(max_size=40), count=st.integers(0, 10**6))
def test_values_are_escaped_as_the_template_language_escapes_them(label, link, count):
    """The same HTML as ``{{ value }}`` in a Django template, for any text."""
    reference = engines["django"].from_string(
        '<li><a href="{{ link }}">{{ label }}</a> <span class="count">{{ count }}</span></li>'
    )
    values = {"link": link, "label": label, "count": count}
    assert Snippet(ROW).render(values) == reference.render(values)


def test_safe_values_are_kept_and_the_result_is_safe():
    html = Snippet(ROW).render({"link": "?q=a&b", "label": mark_safe("<mark>a</mark>"), "count": 3})
    assert isinstance(html, SafeString)
    assert html == '<li><a href="?q=a&amp;b"><mark>a</mark></a> <span class="count">3</span></li>'
    assert escaped("<b>") == "&lt;b&gt;" and escaped(SafeString("<b>")) == "<b>"


def test_render_all_joins_one_row_per_item():
    rows = [{"link": f"?n={n}", "label": n, "count": n} for n in range(3)]
    html = Snippet(ROW).render_all(rows)
    assert html.count("<li>") == 3 and html.index("?n=0") < html.index("?n=2")


def test_a_missing_slot_is_an_error_not_an_empty_place():
    with pytest.raises(KeyError):
        Snippet(ROW).render({"link": "?"})


def test_a_template_with_tags_is_not_a_snippet():
    with pytest.raises(ValueError, match="not template tags"):
        Snippet("portal/_downloads.html")
