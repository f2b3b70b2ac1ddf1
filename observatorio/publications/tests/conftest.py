"""Fixtures of the publication tests: the real 2022 compendium, generated once per session."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass

import pytest
from django.db import transaction

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None

needs_poppler = pytest.mark.skipif(
    not HAVE_POPPLER,
    reason="poppler-utils is not installed (apt-get install poppler-utils); "
    "pdftotext/pdfinfo are needed to read the PDF back",
)
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui); "
    "the DOCX cannot be converted to check that it opens",
)


class _Rollback(Exception):
    pass


def _ensure_catalogs():
    """Transactional (browser) tests flush the database: load the catalogues back if so."""
    from observatorio.catalog.loading import load_catalogs
    from observatorio.catalog.models import State

    if not State.objects.exists():
        load_catalogs()


@dataclass
class Generated:
    pdf: bytes
    docx: bytes
    expected: dict  # (part, objective, number) -> (title, actor)
    state_names: list[str]
    participating_states: list[str]
    glossary: list[tuple[str, str]]
    empty: dict[str, list[int]]
    toc: list[tuple[int, str]]


@pytest.fixture(scope="session")
def compendium_2022(django_db_setup, django_db_blocker, compendium_path) -> Generated:
    """Import the real 2022 compendium, generate its PDF and DOCX, then roll the import back.

    Generating the 200-page PDF takes seconds, so it is done once; the tests
    only read the bytes, and the database is left as the other tests expect it.
    """
    from observatorio.catalog.models import State
    from observatorio.importers.compendium.importing import import_compendium
    from observatorio.programs.models import Program, ReportingCycle
    from observatorio.publications.document import build_compendium
    from observatorio.publications.renderers import render
    from observatorio.publications.renderers.docx import toc_entries

    result: dict = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                _ensure_catalogs()
                import_compendium(compendium_path, commit=True)
                cycle = ReportingCycle.objects.get(edition=2022)
                document = build_compendium(cycle, today=dt.date(2026, 11, 23))
                result["pdf"] = render(document, "pdf")
                result["docx"] = render(document, "docx")
                result["expected"] = {
                    (p.section, p.objective.number, p.number): (p.title, p.actor)
                    for p in Program.objects.published()
                    .filter(cycle=cycle)
                    .select_related("objective")
                }
                result["state_names"] = [
                    alias for alias in State.objects.values_list("aliases__text", flat=True)
                ]
                result["participating_states"] = document.participating_states
                result["glossary"] = document.glossary
                result["empty"] = {
                    part.section: [o.number for o in part.objectives if not o.programs]
                    for part in document.parts
                }
                result["toc"] = toc_entries(document)
                raise _Rollback
        except _Rollback:
            pass
    return Generated(**result)
