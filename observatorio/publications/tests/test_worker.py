"""Production's queue: the job waits in the database and `observatorio db_worker` runs it.

A transactional test: the worker closes database connections between jobs, as a
long-running process must, which a test wrapped in one transaction cannot survive.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings

from observatorio.catalog.models import State
from observatorio.lib.renderers import Renderer
from observatorio.programs.models import ReportingCycle
from observatorio.publications import tasks
from observatorio.publications.models import GeneratedDocument
from observatorio.publications.tasks import request_document

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_database_queue_waits_for_the_worker(catalogs, cast, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    rendered = []

    def render(model):
        rendered.append(type(model).__name__)
        return b"%PDF-1.7 prueba"

    monkeypatch.setattr(
        tasks,
        "_renderer",
        lambda document: Renderer(document.kind, document.format, "pdf", "x", "PDF", render),
    )
    cycle = ReportingCycle.objects.create(
        edition=2030,
        name="Ciclo de prueba 2030",
        period_start=dt.date(2029, 6, 1),
        period_end=dt.date(2030, 5, 31),
    )
    jalisco = State.objects.get(inegi_code="14")
    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=backend):
        document, new = request_document(
            kind=GeneratedDocument.Kind.FACTSHEET,
            cycle=cycle,
            state=jalisco,
            fmt="pdf",
            user=cast("reviewer"),
        )
        assert new
        document.refresh_from_db()
        assert document.status == GeneratedDocument.Status.QUEUED  # nothing ran in the request
        assert rendered == []
        assert DBTaskResult.objects.filter(id=document.task_id).exists()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error
    assert rendered == ["Factsheet"]
    assert bytes(document.content) == b"%PDF-1.7 prueba"
    assert DBTaskResult.objects.get(id=document.task_id).status == "SUCCESSFUL"
