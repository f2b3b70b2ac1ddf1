"""Snippets: one-line HTML templates with ``{name}`` slots, for lists of many small rows.

A page's long lists (the search page's twenty result rows and its facets' 150 links)
cost more in Django's template language than everything else on the page: every
``{{ value }}`` resolves a lookup, localises and escapes through several calls. A
snippet keeps the HTML in a template file as well (found by the template loaders,
read once per process, as healthchecks loads its small templates at import) but fills
it with :meth:`str.format_map`: each value is escaped once here, with
:func:`html.escape` (what Django's ``escape`` does), unless it is already safe
(``SafeString``: a highlighted title, a constant attribute). A snippet holds no tags
and no translatable text; what must be translated comes in as a value.

Measured on the search page (bench/RESULTS.md): the rows and facet lists as Django
template loops cost five to seven times the same HTML written with f-strings; as
snippets they cost about what the f-strings did.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from string import Formatter

from django.template.loader import get_template
from django.utils.safestring import SafeData, SafeString


class Snippet:
    """The template *name*: HTML with ``{slot}`` places and no template tags."""

    def __init__(self, name: str):
        source = get_template(name).template.source.strip()
        self.name = name
        self.slots = frozenset(
            field for _text, field, _spec, _conv in Formatter().parse(source) if field
        )
        if "{%" in source or "{{" in source:
            raise ValueError(f"{name}: a snippet holds {{slot}} places, not template tags")
        self._format = source.format_map

    def __repr__(self) -> str:
        return f"Snippet({self.name!r})"

    def render(self, values: Mapping[str, object]) -> SafeString:
        """The snippet with each slot filled by its value, escaped unless already safe."""
        return SafeString(self._format({key: escaped(value) for key, value in values.items()}))

    def render_all(self, rows: Iterable[Mapping[str, object]]) -> SafeString:
        """The snippet once per row, joined (a list's items)."""
        return SafeString("".join(self.render(row) for row in rows))


def escaped(value: object) -> str:
    """*value* as HTML text: escaped, unless it is already safe."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))
