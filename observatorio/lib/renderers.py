"""The one registry of output formats, keyed by what is rendered and the format.

Every file the site writes for download is rendered by a function registered here
(datasette's ``register_output_renderer``): the compendium and the state factsheets
(``publications``), each open dataset (``published.opendata``) and the API's lists
(``api``). Adding a format is one decorated function in the module of its kind::

    @register("compendium", "pdf", extension="pdf", content_type="application/pdf")
    def render_pdf(document) -> bytes: ...

    renderer_for("compendium", "pdf").render(document)
    formats_for("compendium")  # ["docx", "pdf"]

A pair registered twice is refused (:class:`DuplicateRenderer`): two modules that
claim the same download would otherwise replace each other silently, depending on
the order of imports. An unknown pair raises :class:`UnknownFormat`, a
``LookupError`` with a Spanish message that views turn into a 404. The registry
holds no model and imports no app: each app registers its renderers when Django
loads it (``AppConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Renderer:
    """One registered format of one kind of output."""

    what: str  # "compendium", "factsheet", "dataset", "api"…
    format: str  # the name in URLs and commands ("pdf", "csv")
    extension: str  # of the file name, without the dot
    content_type: str  # the media type, without parameters
    label: str  # how a page names the link ("PDF", "CSV")
    render: Callable[..., Any]


class UnknownFormat(LookupError):
    """No renderer is registered for this (what, format) pair."""

    def __init__(self, what: str, fmt: str, known: list[str]):
        self.what, self.format, self.known = what, fmt, known
        super().__init__(
            _("Formato desconocido: «%(name)s». Formatos: %(known)s.")
            % {"name": fmt, "known": ", ".join(known) or "—"}
        )


class DuplicateRenderer(ValueError):
    """A (what, format) pair is already registered."""


class Registry:
    """Renderers by (what, format), in the order they were registered."""

    def __init__(self) -> None:
        self._renderers: dict[tuple[str, str], Renderer] = {}

    def register(
        self,
        what: str,
        format: str,
        *,
        extension: str | None = None,
        content_type: str,
        label: str | None = None,
    ):
        """Register the decorated function as the renderer of *what* in *format*.

        ``extension`` defaults to the format and ``label`` to the format in capitals.
        """
        key = (what, format)

        def decorate(render: Callable[..., Any]) -> Callable[..., Any]:
            if key in self._renderers:
                raise DuplicateRenderer(
                    f"{what!r} already has a {format!r} renderer: {self._renderers[key].render!r}"
                )
            self._renderers[key] = Renderer(
                what=what,
                format=format,
                extension=extension or format,
                content_type=content_type,
                label=label or format.upper(),
                render=render,
            )
            return render

        return decorate

    def renderer_for(self, what: str, format: str) -> Renderer:
        """The renderer of *what* in *format*; :class:`UnknownFormat` if there is none."""
        try:
            return self._renderers[(what, format)]
        except KeyError:
            raise UnknownFormat(what, format, self.formats_for(what)) from None

    def renderers_for(self, what: str) -> list[Renderer]:
        """Every renderer of *what*, in the order they were registered."""
        return [r for (kind, _fmt), r in self._renderers.items() if kind == what]

    def formats_for(self, what: str) -> list[str]:
        """The formats *what* can be rendered in, in the order they were registered."""
        return [renderer.format for renderer in self.renderers_for(what)]

    def kinds(self) -> list[str]:
        """Every kind of output with at least one renderer."""
        return list(dict.fromkeys(kind for kind, _fmt in self._renderers))


#: The project's registry; the functions below are its methods.
REGISTRY = Registry()
register = REGISTRY.register
renderer_for = REGISTRY.renderer_for
renderers_for = REGISTRY.renderers_for
formats_for = REGISTRY.formats_for
kinds = REGISTRY.kinds
