"""Mark views that anyone may open; the URL meta-test requires a login for every other view."""

from __future__ import annotations

from collections.abc import Callable


def public(view: Callable) -> Callable:
    """Declare *view* public: it shows only published data to anonymous visitors."""
    view.observatorio_public = True
    return view


def is_public(view: Callable) -> bool:
    return bool(getattr(view, "observatorio_public", False))
