"""The data version: every change the portal shows gives a new one, and results follow at once.

Worker processes keep indexes and results per data version
(``observatorio/published/version.py``); these tests check that publishing,
withdrawing and editing change the version, and that the very next query in
the same (already warm) process sees the change.
"""

from __future__ import annotations

import datetime as dt

import pytest

from observatorio.catalog.models import GcmObjective, Institution, Region, State
from observatorio.programs import actions
from observatorio.programs.models import Program, ReportingCycle
from observatorio.published import version
from observatorio.published.models import DataVersion
from observatorio.published.querying import practices_for, programs_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_bump_gives_a_new_token_and_a_missing_row_comes_back(catalogs):
    first = version.current()
    assert version.current() == first
    second = version.bump()
    assert second != first and version.current() == second
    DataVersion.objects.all().delete()  # what a flush of the test database does
    third = version.current()
    assert third not in (first, second)
    assert version.current() == third
    assert version.bump() != third


def _approved(title: str, state: str) -> Program:
    return Program.objects.create(
        cycle=ReportingCycle.objects.get(edition=2022),
        section=Program.Section.STATE,
        objective=GcmObjective.objects.get(number=7),
        state=State.objects.get(inegi_code=state),
        title=title,
        description="Brinda orientación jurídica a personas apicultoras migrantes.",
        results="Se atendió a 1,200 personas.",
        challenges="Falta de personal.",
        start_date=dt.date(2021, 1, 1),
        permanent=True,
        execution=Program.Execution.ACTIVE,
        status=Program.Status.APPROVED,
    )


def _count(results, facet: str, value: str) -> int:
    return next((v.count for v in results.facets[facet] if v.value == value), 0)


def test_a_publication_and_a_withdrawal_show_on_the_next_query(real_data, db, cast):
    reviewer = cast("reviewer")
    before = programs_for({"entidad": "14"})
    programs_for({"entidad": "14"})  # warm: now served from this process's cache
    assert programs_for({"q": "apicultoras"}).ids == []

    program = _approved("Apicultura para personas migrantes en Jalisco", "14")
    actions.publish(program, reviewer)
    after = programs_for({"entidad": "14"})
    assert program.pk in after.ids and len(after.ids) == len(before.ids) + 1
    assert _count(after, "objetivo", "7") == _count(before, "objetivo", "7") + 1
    assert programs_for({"q": "apicultoras"}).ids == [program.pk]
    assert programs_for({"q": "apicultoras", "entidad": "07"}).ids == []

    actions.withdraw(program, reviewer, "Duplicado.")
    assert programs_for({"entidad": "14"}).ids == before.ids
    assert programs_for({"q": "apicultoras"}).ids == []


def test_saving_a_published_program_changes_the_version_and_a_draft_does_not(real_data, db):
    program = Program.objects.published().filter(section="federal").first()
    token = version.current()
    program.title = program.title + " (corregido)"
    program.save()
    assert version.current() != token

    draft = _approved("Borrador", "14")
    draft.status = Program.Status.DRAFT
    draft.save()
    token = version.current()
    draft.title = "Otro borrador"
    draft.save()
    assert version.current() == token  # nothing public changed

    program = Program.objects.get(pk=program.pk)  # as read from the database
    program.status = Program.Status.WITHDRAWN
    program.save()  # an edit that unpublishes (e.g. in the admin)
    assert version.current() != token


def test_relations_and_catalogues_change_the_version(real_data, db):
    program = Program.objects.published().filter(section="federal").first()
    changes = [
        lambda: program.institutions.add(Institution.objects.get(acronym="COMAR")),
        lambda: program.institutions.clear(),
        lambda: Institution.objects.get(acronym="SRE").programs.add(program),
        lambda: State.objects.filter(inegi_code="14").first().save(),
        lambda: Region.objects.first().members.add(State.objects.get(inegi_code="01")),
        lambda: GcmObjective.objects.get(number=3).save(),
    ]
    for change in changes:
        token = version.current()
        change()
        assert version.current() != token


def test_facet_labels_follow_a_catalogue_edit(real_data, db):
    assert any(v.label == "Jalisco" for v in programs_for({}).facets["entidad"])
    state = State.objects.get(inegi_code="14")
    state.name = "Jalisco (editado)"
    state.save()
    labels = {v.value: v.label for v in programs_for({}).facets["entidad"]}
    assert labels["14"] == "Jalisco (editado)"
    labels = {v.value: v.label for v in practices_for({"tipo": "practicas"}).facets["entidad"]}
    assert "Jalisco" not in labels.values()


def test_writes_without_signals_are_seen_once_the_version_changes(real_data, db):
    """``QuerySet.update`` sends no signal: such code must call ``version.bump()``."""
    federal = programs_for({"parte": "federal"})
    gone = federal.ids[0]
    Program.objects.filter(pk=gone).update(status=Program.Status.WITHDRAWN)
    version.bump()
    assert programs_for({"parte": "federal"}).ids == federal.ids[1:]


def _version_reads(queries) -> int:
    return sum(
        query["sql"].startswith("SELECT") and DataVersion._meta.db_table in query["sql"]
        for query in queries
    )


@pytest.mark.django_db(transaction=True)
def test_a_request_reads_the_version_once_and_sees_its_own_bump():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    start = version.current()
    version.request_started()
    try:
        with CaptureQueriesContext(connection) as queries:
            assert version.current() == version.current() == start
        assert _version_reads(queries) == 1
        new = version.bump()  # committed at once: no transaction here
        assert version.current() == new
        # Another process publishes meanwhile: this request keeps the version it read...
        DataVersion.objects.filter(pk=1).update(token="elsewhere")
        assert version.current() == new
        # ...and inside a transaction the version is always read.
        with transaction.atomic():
            assert version.current() == "elsewhere"
            DataVersion.objects.filter(pk=1).update(token="inside")
            assert version.current() == "inside"
    finally:
        version.request_finished()
    # The next request, and any code outside a request, reads it again.
    assert version.current() == "inside"
    version.request_started()
    try:
        assert version.current() == "inside"
    finally:
        version.request_finished()


@pytest.mark.django_db(transaction=True)
def test_each_page_and_api_answer_reads_the_version_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/buscar/?q=migrantes", "/buscar/?tipo=practicas", "/api/v1/programs/?page_size=5"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="es").status_code in (200, 302)
        assert _version_reads(queries) == 1, url
