"""Shared test fixtures: catalogues in the test database, the browser, source files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

# Property tests: in CI (CI=true) every example is derived from the test's name, so a clean
# submission cannot fail by chance; locally they explore new random examples on every run
# (a failure prints the seed and the example to reproduce it).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SOURCES = Path(settings.SOURCE_DATA_DIR)


#: Fixtures through which a test reaches the database (pytest-django refuses it otherwise).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_setup",  # session fixtures that write (they unblock it themselves)
}


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    )


def _browser(item) -> bool:
    return "browser" in item.keywords


#: What each leg of a two-database run keeps (OBSERVATORIO_TEST_LEG).
LEGS = {
    "sqlite": uses_database,
    "postgresql": lambda item: not (uses_database(item) and _browser(item)),
}


def pytest_collection_modifyitems(config, items):
    # The tests that share the imported 2022 data run first, one after another
    # (pytest-django has already put the other database tests after them in order).
    items.sort(key=lambda item: "real_data" not in getattr(item, "fixturenames", ()))

    # With two databases the suite runs as two legs at once (scripts/test.sh): every test
    # that reaches the database runs on both, but for the browser tests (a page renders
    # alike whichever database served it; its database work is tested on both through
    # the test client), which run on SQLite; the tests that never reach a database run
    # once, on the PostgreSQL leg, which is the lighter one.
    leg = os.environ.get("OBSERVATORIO_TEST_LEG", "")
    if leg in LEGS:
        kept = [item for item in items if LEGS[leg](item)]
        left = [item for item in items if not LEGS[leg](item)]
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = kept
            config._observatorio_left = (leg, len(left))

    if not HAVE_CHROMIUM:
        skip = pytest.mark.skip(
            reason="Debian's chromium is not installed (apt-get install chromium); "
            "browser test skipped"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def pytest_report_collectionfinish(config, start_path, items):
    leg, left = getattr(config, "_observatorio_left", ("", 0))
    if left:
        other = {"sqlite": "PostgreSQL", "postgresql": "SQLite"}.get(leg, "other")
        return f"{left} tests are left to the {other} leg (OBSERVATORIO_TEST_LEG={leg})."
    return None


#: The hasher of the tests' passwords: PBKDF2 at Django's cost takes about 0.5 s of CPU a
#: password, and the suite makes thousands of users. The project's settings keep Django's
#: hashers; no test depends on their cost.
TEST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = TEST_HASHERS


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
def fast_hasher(settings):
    """A cheap password hasher, for tests that sign in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_cycle(db):
    """A reporting cycle open today (edition 2023); the API's tests use one of 2025."""
    from observatorio.programs.models import ReportingCycle

    today = timezone.localdate()
    return ReportingCycle.objects.create(
        edition=2023,
        name="Ciclo 2023 (julio 2022 – junio 2023)",
        period_start=dt.date(2022, 7, 1),
        period_end=dt.date(2023, 6, 30),
        opens_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=40),
    )


@pytest.fixture
def make_report(open_cycle, cast):
    """Create a report of a state (INEGI code) or an institution (acronym) in the open cycle."""
    from observatorio.catalog.models import GcmObjective, Institution, State
    from observatorio.programs.models import Program

    def make(*, state=None, institution=None, status="borrador", complete=True, **extra):
        section = Program.Section.STATE if state else Program.Section.FEDERAL
        values = dict(
            cycle=open_cycle,
            section=section,
            objective=GcmObjective.objects.get(number=extra.pop("objective", 7)),
            title=extra.pop("title", "Atención integral a personas migrantes"),
            state=State.objects.get(inegi_code=state) if state else None,
            status=status,
        )
        if complete:
            values.update(
                description="Brinda orientación jurídica y canaliza a servicios.",
                results="Se atendió a 1,200 personas.",
                challenges="Falta de personal.",
                start_date=dt.date(2021, 1, 1),
                permanent=True,
                execution=Program.Execution.ACTIVE,
            )
        values.update(extra)
        program = Program.objects.create(**values)
        if institution:
            program.institutions.add(Institution.objects.get(acronym=institution))
        return program

    return make


@pytest.fixture
def cast(db):
    """Return a function that creates a named test user (see accounts/testing.py)."""
    from observatorio.accounts.testing import make_user

    return make_user


class _RealData:
    """The imported 2022 data, shared by consecutive tests that ask for ``real_data``.

    Like Django's ``setUpTestData`` over a run of tests: the import runs inside an
    outer transaction, every test (which must also use ``db``) runs in its own
    savepoint inside it, so tests cannot leak changes into each other, and the
    outer transaction is rolled back as soon as the next test does not ask for the
    data (:func:`pytest_runtest_teardown`). :func:`pytest_collection_modifyitems`
    puts every test that asks for it first, so the import runs once per run
    instead of once per module (about 10 s each on PostgreSQL).
    """

    def __init__(self):
        self.outer = None
        self.unblocked = None

    @property
    def loaded(self) -> bool:
        return self.outer is not None

    def load(self, django_db_blocker) -> None:
        if self.loaded:
            return
        from django.db import transaction

        from observatorio.catalog.loading import load_catalogs
        from observatorio.catalog.models import State
        from observatorio.coordination import loading as coordination_records
        from observatorio.importers.compendium.importing import import_compendium
        from observatorio.importers.practices.importing import import_practices
        from observatorio.indicators import catalogue as indicator_catalogue
        from observatorio.indicators import followup, panorama
        from observatorio.published.index import rebuild

        self.unblocked = django_db_blocker.unblock()
        self.unblocked.__enter__()
        self.outer = transaction.atomic()
        self.outer.__enter__()
        try:
            if not State.objects.exists():  # a transactional test flushed them
                load_catalogs()
            import_compendium(SOURCES / "compendio-general-2022.txt", commit=True)
            import_practices(SOURCES / "buenas-practicas-oim-conofam.txt", commit=True)
            # As bootstrap does: the indicator catalogue and the panoramas' values.
            indicator_catalogue.load()
            panorama.load()
            followup.refresh()
            coordination_records.load()
            rebuild()
            # As bootstrap does: the objective suggestions learn from the published programs.
            from observatorio.assist.training import train_and_store

            train_and_store(reason="pruebas")
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if not self.loaded:
            return
        from django.db import transaction

        try:
            transaction.set_rollback(True)
            self.outer.__exit__(None, None, None)
        finally:
            self.outer = None
            self.unblocked.__exit__(None, None, None)
            self.unblocked = None


_REAL_DATA = _RealData()


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):
    """The 2022 compendium and the good-practice study, imported (see :class:`_RealData`).

    Module-scoped so that it is set up before any test's own transaction. Not for
    ``transaction=True`` (browser) tests: those import what they need themselves.
    """
    _REAL_DATA.load(django_db_blocker)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is None or "real_data" not in getattr(nextitem, "fixturenames", ()):
        _REAL_DATA.release()
