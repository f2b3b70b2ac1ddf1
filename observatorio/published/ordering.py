"""The orders of the search page's programs: relevance (the default), title, newest cycle.

``orden=`` in the URL picks one of :data:`ORDERS`; anything else means relevance (a
search's BM25 order, compendium order without one), never an error. Title order
compares folded titles (:func:`observatorio.lib.text.fold`), so accents and case do not
move a title and both databases sort alike; the newest-cycle order keeps the relevance
order within a cycle. Both are stable sorts of the ids the query selected, by keys read
once per data version (``caches.SORT_KEYS``) when someone first asks for them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from observatorio.lib.text import fold
from observatorio.programs.models import Program

from . import caches, version

RELEVANCE = "relevancia"
#: URL value → label, in the order the page offers them.
ORDERS = {RELEVANCE: _("Relevancia"), "titulo": _("Título"), "ciclo": _("Ciclo más reciente")}


def order_of(value) -> str:
    """The order *value* (from the URL) names, or relevance for anything unknown."""
    value = str(value or "").strip().lower()
    return value if value in ORDERS else RELEVANCE


class SortKeys:
    """Per published program: its rank in title order and its cycle, newest first."""

    def __init__(self, data_version: str = ""):
        rows = list(Program.objects.published().values_list("pk", "title", "cycle__edition"))
        folded: dict[str, str] = {}  # titles repeat (a program reported every cycle)

        def by_title(row) -> tuple[str, int]:
            title = row[1]
            if title not in folded:
                folded[title] = fold(title)
            return folded[title], row[0]

        by_title_rows = sorted(rows, key=by_title)
        self.title = {pk: rank for rank, (pk, _title, _edition) in enumerate(by_title_rows)}
        self.newest = {pk: -edition for pk, _title, edition in rows}


def sort_keys(data_version: str | None = None) -> SortKeys:
    return caches.SORT_KEYS.get(data_version or version.current(), SortKeys)


def ordered(ids: list[int], order: str, data_version: str | None = None) -> list[int]:
    """*ids* (in relevance order) in *order*."""
    if order == RELEVANCE or len(ids) < 2:
        return list(ids)
    keys = sort_keys(data_version)
    column = keys.title if order == "titulo" else keys.newest
    return sorted(ids, key=lambda pk: column.get(pk, 0))
