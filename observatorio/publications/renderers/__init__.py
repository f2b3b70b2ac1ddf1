"""Renderers of the compendium, registered by format.

Each renderer takes the document model (``document.Compendium``) and returns
the bytes of one file. ``render_compendium(cycle, fmt)`` builds the model once
and hands it to the renderer of *fmt*: a pure function a background task can call.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..document import Compendium, PublicationError, build_compendium

Renderer = Callable[[Compendium], bytes]


class Format:
    def __init__(self, name: str, extension: str, content_type: str, render: Renderer):
        self.name = name
        self.extension = extension
        self.content_type = content_type
        self.render = render


RENDERERS: dict[str, Format] = {}


def register(name: str, *, extension: str, content_type: str):
    """Register the decorated function as the renderer of format *name*."""

    def decorate(render: Renderer) -> Renderer:
        RENDERERS[name] = Format(name, extension, content_type, render)
        return render

    return decorate


def get_format(name: str) -> Format:
    _load()
    try:
        return RENDERERS[name]
    except KeyError:
        known = ", ".join(sorted(RENDERERS))
        raise PublicationError(
            _("Formato desconocido: «%(name)s». Formatos: %(known)s.")
            % {"name": name, "known": known}
        ) from None


def formats() -> list[str]:
    _load()
    return sorted(RENDERERS)


def render(document: Compendium, fmt: str) -> bytes:
    """Render an already built document model in *fmt*."""
    return get_format(fmt).render(document)


def render_compendium(cycle, fmt: str) -> bytes:
    """Build the compendium of *cycle* from its published programs and render it in *fmt*."""
    renderer = get_format(fmt)
    # The compendium is a Spanish publication whatever the caller's language.
    with translation.override(settings.LANGUAGE_CODE):
        return renderer.render(build_compendium(cycle))


def _load() -> None:
    from . import docx, pdf  # noqa: F401  (registers the formats)
