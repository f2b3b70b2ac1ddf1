"""Small helpers on plain Python objects."""

from __future__ import annotations

from collections.abc import Iterable


def pick(obj, names: Iterable[str]) -> dict:
    """The attributes *names* of *obj*, by name: the keyword arguments that copy them."""
    return {name: getattr(obj, name) for name in names}
