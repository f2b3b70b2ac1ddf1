"""Text helpers shared by importers, catalogues and search (no models here)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Return *value* lower-cased, without accents and with single spaces: the one fold.

    Used to compare names as printed in documents (``MICHOACÁN``, ``Michoacan``)
    with catalogue entries, and by the search normaliser (``lib/search.py``), so
    a name and a search can never disagree about a character. ``ñ`` folds to
    ``n`` as well: the source documents are inconsistent about it and no two
    catalogue names differ only by it.

    Case folding, decomposition (NFKD) and dropping combining marks are repeated
    until nothing changes: one pass can itself produce a combining mark (``İ``
    case-folds to ``i`` plus a dot) or remove one that case folding would have
    turned into a letter (U+0345, the combining iota, case-folds to ``ι``). The
    result is idempotent on any Unicode input.
    """
    text = value
    for _ in range(4):
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if folded == text:
            break
        text = folded
    return _SPACES.sub(" ", text).strip()


def squash(value: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _SPACES.sub(" ", value).strip()
