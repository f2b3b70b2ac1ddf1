"""The search page's result rows and site chrome give the HTML they always gave.

``_program_items`` and ``_practice_items`` render one small template each (compiled at
import, one loop over tuples of values escaped ahead); the page's first template loop is
kept here as the reference, and both must give the same HTML (up to whitespace between
tags) for arbitrary texts, in both languages.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from observatorio.portal.search_views import _practice_items, _program_items, highlight

PROGRAM_ROWS = """{% load i18n %}{% for r in results %}
  <li>
    <a href="{% url 'portal:program' r.id %}"><strong>{{ r.title }}</strong></a>
    <span class="muted">({{ r.owner }}) · {% translate "Objetivo" %} {{ r.objective }}{% if r.number %}.{{ r.number }}{% endif %} · {{ r.cycle }}</span>
    <p>{{ r.snippet }}</p>
  </li>{% endfor %}"""  # noqa: E501 - the template as it was

PRACTICE_ROWS = """{% load i18n %}{% for r in results %}
  <li>
    <a href="{% url 'practices:detail' r.practice.pk %}"><strong>{{ r.title }}</strong></a>
    <span class="muted">({{ r.practice.state.name }}, {% translate "ficha" %} {{ r.practice.number }}) · {{ r.practice.qualification.label }}</span>
    <p>{{ r.snippet }}</p>
  </li>{% endfor %}"""  # noqa: E501 - the template as it was


def _squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _reference(source: str, results: list) -> str:
    return _squeeze(engines["django"].from_string(source).render({"results": results}))


_TEXT = st.text(
    alphabet=st.sampled_from(list("abcñá <>&\"' .,niñasNIÑAS")) | st.characters(codec="utf-8"),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.integers(1, 10**9),
                "title": _TEXT,
                "actor": _TEXT,
                "objective": st.integers(1, 23),
                "number": st.one_of(st.none(), st.integers(0, 3000)),
                "cycle": st.integers(2013, 2030),
                "description": _TEXT,
            }
        ),
        max_size=4,
    ),
    query=st.sampled_from(["", "niñas", "a <b>", "regularización"]),
    language=st.sampled_from(["es-mx", "en"]),
)
def test_program_rows_are_the_templates(rows, query, language):
    from observatorio.lib.search import query_tokens

    tokens = set(query_tokens(query)) if query else set()
    with translation.override(language):
        results = [
            {
                "id": row["id"],
                "title": highlight(row["title"], tokens),
                "owner": row["actor"],
                "objective": row["objective"],
                "number": row["number"],
                "cycle": row["cycle"],
                "snippet": highlight(row["description"], tokens, limit=320),
            }
            for row in rows
        ]
        assert _squeeze(_program_items(rows, tokens)) == _reference(PROGRAM_ROWS, results)


@settings(max_examples=40, deadline=None)
@given(
    practices=st.lists(
        st.builds(
            SimpleNamespace,
            pk=st.integers(1, 10**6),
            title=_TEXT,
            description=_TEXT,
            number=st.integers(1, 44),
            state=st.builds(SimpleNamespace, name=_TEXT),
            qualification=st.builds(SimpleNamespace, label=_TEXT),
        ),
        max_size=3,
    ),
    language=st.sampled_from(["es-mx", "en"]),
)
def test_practice_rows_are_the_templates(practices, language):
    tokens = {"ninas"}
    with translation.override(language):
        results = [
            {
                "practice": practice,
                "title": highlight(practice.title, tokens),
                "snippet": highlight(practice.description, tokens, limit=320),
            }
            for practice in practices
        ]
        assert _squeeze(_practice_items(practices, tokens)) == _reference(PRACTICE_ROWS, results)


@pytest.mark.django_db
def test_the_menu_is_rendered_per_language_and_section(client):
    """The menu and footer are kept per process; each language and section gets its own."""

    def menu(url: str) -> str:
        body = client.get(url).content.decode()
        return body[
            body.index('class="sections"') : body.index("</nav>", body.index('class="sections"'))
        ]

    search, states = reverse("portal:search"), reverse("portal:states")
    spanish = menu(search)
    assert f'href="{search}" aria-current="page">Buscar<' in spanish
    assert f'href="{states}">Entidades<' in spanish
    english = menu("/en" + states)  # English addresses start with /en/
    assert f'href="/en{states}" aria-current="page">States<' in english
    assert f'href="/en{search}">Search<' in english
    assert ">Buscar<" not in english
    again = menu(states)  # Spanish again, another section: not the English nor the search one
    assert f'href="{states}" aria-current="page">Entidades<' in again
    assert 'aria-current="page">Buscar<' not in again
    footer = client.get("/en" + search).content.decode().split('<footer class="site">')[1]
    assert "Open data" in footer or "open data" in footer
