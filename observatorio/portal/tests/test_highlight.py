"""``highlight`` (made cheaper for the 50,000-program benchmark) marks exactly as before.

``reference`` is the word-by-word version it replaced (Django's ``escape`` on
every piece, the normaliser on every word); the new one escapes only the
non-word pieces (a ``\\w+`` word has nothing to escape) and normalises each
distinct word once. Both must give the same HTML for every real title and
description and for arbitrary text.
"""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from observatorio.lib.search import normalise, query_tokens
from observatorio.portal.search_views import highlight
from observatorio.programs.models import Program

_WORD = re.compile(r"(\w+)", re.UNICODE)


def reference(text: str, tokens: set[str], limit: int | None = None) -> str:
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    parts = []
    for piece in _WORD.split(text):
        if piece and _WORD.fullmatch(piece) and tokens and set(normalise(piece)) & tokens:
            parts.append(f"<mark>{escape(piece)}</mark>")
        else:
            parts.append(escape(piece))
    return mark_safe("".join(parts))  # noqa: S308


QUERIES = ["niñas migrantes", "regularización", "trata de personas", "Chiapas 2022", "", "<b>&"]


@pytest.mark.slow
@pytest.mark.django_db
def test_the_real_texts_are_marked_as_before(real_data):
    for title, description in Program.objects.values_list("title", "description"):
        for q in QUERIES:
            tokens = set(query_tokens(q))
            assert highlight(title, tokens) == reference(title, tokens)
            assert highlight(description, tokens, 320) == reference(description, tokens, 320)


@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    q=st.sampled_from(QUERIES),
    limit=st.sampled_from([None, 20, 320]),
)
def test_any_text_is_marked_as_before(text, q, limit):
    tokens = set(query_tokens(q)) | set(normalise(text[:12]))
    assert highlight(text, tokens, limit) == reference(text, tokens, limit)


@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    limit=st.sampled_from([None, 20, 320]),
)
def test_without_a_query_the_text_is_only_escaped(text, limit):
    assert highlight(text, set(), limit) == reference(text, set(), limit)
