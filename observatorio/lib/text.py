"""Text helpers shared by importers, catalogues and search (no models here)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Return *value* lower-cased, without accents and with single spaces.

    Used to compare names as printed in documents (``MICHOACÁN``,
    ``Michoacan``) with catalogue entries. ``ñ`` folds to ``n`` as well: the
    source documents are inconsistent about it and no two catalogue names
    differ only by it.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()


def squash(value: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _SPACES.sub(" ", value).strip()
