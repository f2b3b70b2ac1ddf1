"""Shared test fixtures: catalogues in the test database, the browser, source files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SOURCES = Path(settings.SOURCE_DATA_DIR)


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed (apt-get install chromium); browser test skipped"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in Spanish: a request to /en/ leaves English active in the thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference catalogues once into the test database."""
    from observatorio.catalog.loading import load_catalogs

    with django_db_blocker.unblock():
        load_catalogs()


@pytest.fixture
def catalogs(db):
    """Make sure the catalogues are present (transactional tests flush them)."""
    from observatorio.catalog.loading import load_catalogs
    from observatorio.catalog.models import State

    if not State.objects.exists():
        load_catalogs()


@pytest.fixture(scope="session")
def compendium_path() -> Path:
    return SOURCES / "compendio-general-2022.txt"


@pytest.fixture(scope="session")
def practices_path() -> Path:
    return SOURCES / "buenas-practicas-oim-conofam.txt"


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must allow ORM calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def cast(db):
    """Return a function that creates a named test user (see accounts/testing.py)."""
    from observatorio.accounts.testing import make_user

    return make_user


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):
    """The 2022 compendium and the good-practice study, imported once per test module.

    Like Django's ``setUpTestData``: the import runs inside an outer transaction
    that is rolled back when the module ends, and every test (which must also
    use ``db``) runs in its own savepoint inside it, so tests cannot leak
    changes into each other. Not for ``transaction=True`` (browser) tests:
    those import what they need themselves.
    """
    from django.db import transaction

    from observatorio.importers.compendium_import import import_compendium
    from observatorio.importers.practices_import import import_practices
    from observatorio.search.index import rebuild

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from observatorio.catalog.loading import load_catalogs
            from observatorio.catalog.models import State

            if not State.objects.exists():  # a transactional test flushed them
                load_catalogs()
            import_compendium(SOURCES / "compendio-general-2022.txt", commit=True)
            import_practices(SOURCES / "buenas-practicas-oim-conofam.txt", commit=True)
            rebuild()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
