"""Background generation of documents (django-tasks).

``generate_document(document_id)`` renders one :class:`GeneratedDocument` and stores its
bytes. Progress is written at the real steps of the work — reading the published data into
the document model, then rendering (which draws the charts and lays out the pages in one
call to the renderer), then storing — each as its own ``UPDATE`` so a status page sees it
while the task runs. A failure marks the document failed with a Spanish message; the
traceback goes to the log, never to the user.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .document import PublicationError, build_compendium
from .factsheet import build_factsheet
from .models import GeneratedDocument, data_version
from .renderers import get_format

logger = logging.getLogger(__name__)


def _mark(document_id: int, **fields) -> None:
    GeneratedDocument.objects.filter(pk=document_id).update(**fields)


def _renderer(document: GeneratedDocument):
    """The registered renderer of the document's kind and format (Spanish error if none)."""
    return get_format(document.format, document.kind)


def _build(document: GeneratedDocument):
    """The document model (what ``render_compendium`` / ``render_factsheet`` build)."""
    if document.kind == GeneratedDocument.Kind.FACTSHEET:
        return build_factsheet(document.state, document.cycle)
    return build_compendium(document.cycle)


@task()
def generate_document(document_id: int) -> str:
    """Render the document *document_id*, store it, and return its final status."""
    document = GeneratedDocument.objects.select_related("cycle", "state").get(pk=document_id)
    if document.status == GeneratedDocument.Status.DONE:
        return document.status
    _mark(
        document_id,
        status=GeneratedDocument.Status.RUNNING,
        started_at=timezone.now(),
        progress=5,
        step=_("Leyendo los datos publicados"),
        error="",
    )
    try:
        # The documents are Spanish publications whatever the requester's language, as in
        # render_compendium / render_factsheet, which these steps split for the progress.
        with translation.override(settings.LANGUAGE_CODE):
            renderer = _renderer(document)
            model = _build(document)
            _mark(document_id, progress=30, step=_("Dibujando las gráficas y componiendo"))
            content = renderer.render(model)
        _mark(document_id, progress=90, step=_("Guardando el archivo"))
    except PublicationError as error:
        return _fail(document_id, str(error))
    except Exception:
        logger.exception("Generation of document %s failed", document_id)
        return _fail(
            document_id,
            _("No se pudo generar el documento por un error interno. Intente de nuevo más tarde."),
        )
    _mark(
        document_id,
        status=GeneratedDocument.Status.DONE,
        progress=100,
        step=_("Listo"),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        finished_at=timezone.now(),
    )
    return GeneratedDocument.Status.DONE


def _fail(document_id: int, message: str) -> str:
    _mark(
        document_id,
        status=GeneratedDocument.Status.FAILED,
        step=_("Falló"),
        error=message,
        finished_at=timezone.now(),
    )
    return GeneratedDocument.Status.FAILED


def request_document(*, kind, cycle, state, fmt, user) -> tuple[GeneratedDocument, bool]:
    """Return the document for this key and the current data, and whether it is new.

    A done, queued or running document of the same (kind, cycle, state, format,
    data version) is reused; otherwise a new one is created and its generation enqueued.
    The caller has asked the policy.
    """
    version = data_version(kind, cycle, state)
    existing = (
        GeneratedDocument.objects.reusable()
        .filter(kind=kind, cycle=cycle, state=state, format=fmt, data_version=version)
        .defer("content")
        .order_by("-requested_at", "-id")
        .first()
    )
    if existing is not None:
        return existing, False
    document = GeneratedDocument.objects.create(
        kind=kind,
        cycle=cycle,
        state=state,
        format=fmt,
        data_version=version,
        requested_by=user,
        step=_("En cola"),
    )
    result = generate_document.enqueue(document.pk)
    _mark(document.pk, task_id=str(result.id)[:64])
    document.refresh_from_db()
    return document, True
