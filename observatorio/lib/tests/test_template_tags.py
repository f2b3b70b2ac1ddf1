"""The layout and table tags the templates share (observatorio/lib/templatetags/)."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.loader import render_to_string


def render(source: str, **context) -> str:
    return Template("{% load i18n tables %}" + source).render(Context(context))


def squeeze(html: str) -> str:
    return " ".join(html.split()).replace("> <", "><")


def test_table_head_gives_each_heading_a_column_and_its_classes():
    html = render('{% table_head "Entidad" "Programas" "Nota" num="2" wide="2 3" %}')
    assert squeeze(html) == (
        '<thead><tr><th scope="col">Entidad</th><th scope="col" class="num wide">Programas</th>'
        '<th scope="col" class="wide">Nota</th></tr></thead>'
    )


def test_column_headings_are_the_cells_alone():
    html = render('<tr><th>x</th>{% column_headings "A" "B" num="1" %}</tr>')
    assert (
        squeeze(html)
        == '<tr><th>x</th><th scope="col" class="num">A</th><th scope="col">B</th></tr>'
    )


def test_table_with_rows_wraps_the_body_in_a_scroll_box():
    body = "<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</tbody>"
    html = squeeze(
        render('{% table rows class="grid wide" %}' + body + "{% endtable %}", rows=[1, 2])
    )
    assert html == (
        '<div class="scroll"><table class="grid wide">'
        "<tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody></table></div>"
    )


def test_table_region_and_no_scroll_box():
    region = render('{% table rows region="t" %}<tbody></tbody>{% endtable %}', rows=[1])
    assert squeeze(region) == (
        '<div class="scroll" tabindex="0" role="region" aria-labelledby="t">'
        '<table class="grid"><tbody></tbody></table></div>'
    )
    bare = render("{% table rows scroll=False %}<tbody></tbody>{% endtable %}", rows=[1])
    assert squeeze(bare) == '<table class="grid"><tbody></tbody></table>'


def test_table_without_rows_says_only_its_empty_message():
    source = '{% table rows empty=message empty_class="muted" %}{{ boom.explode }}{% endtable %}'
    html = render(source, rows=[], message="Nada <aún>.")
    assert squeeze(html) == '<p class="muted">Nada &lt;aún&gt;.</p>'


def test_table_refuses_options_it_does_not_know():
    with pytest.raises(TemplateSyntaxError):
        render('{% table rows colour="red" %}{% endtable %}', rows=[])


def test_page_heading_is_the_page_title_unless_the_page_says_otherwise():
    engine = Engine.get_default()
    page = '{% extends "page.html" %}{% block page_title %}Datos abiertos{% endblock page_title %}'
    html = engine.from_string(page).render(Context({}))
    assert "<title>Datos abiertos · " in html
    assert "<h1>Datos abiertos</h1>" in html
    other = page + "{% block heading %}Otra cosa{% endblock heading %}"
    assert "<h1>Otra cosa</h1>" in engine.from_string(other).render(Context({}))


def test_bad_request_page_is_the_400_page_with_its_own_reason():
    html = render_to_string("bad_request.html", {"message": "La dirección es demasiado larga."})
    assert '<p class="error">La dirección es demasiado larga.</p>' in html
    assert "No se guardó nada." not in html
    assert "<h1>Petición no válida</h1>" in render_to_string("400.html")
