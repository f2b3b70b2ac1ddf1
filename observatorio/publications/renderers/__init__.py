"""Renderers of the compendium, registered in the project's one registry (``lib/renderers``).

Each renderer takes the document model (``document.Compendium``) and returns
the bytes of one file; it registers itself as ``("compendium", <format>)``.
``render_compendium(cycle, fmt)`` builds the model once and hands it to the
renderer of *fmt*: a pure function a background task can call. The modules of
the formats are imported when the app is loaded (``apps.PublicationsConfig``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from observatorio.lib.renderers import Renderer, UnknownFormat, formats_for, renderer_for

from ..document import Compendium, PublicationError, build_compendium

#: What the compendium's renderers are registered as.
COMPENDIUM = "compendium"


def get_format(name: str, what: str = COMPENDIUM) -> Renderer:
    """The renderer of *what* in format *name*; :class:`PublicationError` if there is none."""
    try:
        return renderer_for(what, name)
    except UnknownFormat as exc:
        raise PublicationError(str(exc)) from None


def formats(what: str = COMPENDIUM) -> list[str]:
    return sorted(formats_for(what))


def render(document: Compendium, fmt: str) -> bytes:
    """Render an already built document model in *fmt*."""
    return get_format(fmt).render(document)


def render_compendium(cycle, fmt: str) -> bytes:
    """Build the compendium of *cycle* from its published programs and render it in *fmt*."""
    renderer = get_format(fmt)
    # The compendium is a Spanish publication whatever the caller's language.
    with translation.override(settings.LANGUAGE_CODE):
        return renderer.render(build_compendium(cycle))
