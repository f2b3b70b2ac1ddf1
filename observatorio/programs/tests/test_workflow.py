"""The report workflow on the model: transitions, audit, revisions, numbering, the policy."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from observatorio.programs import actions
from observatorio.programs.models import Program, Transition

S = Program.Status
pytestmark = pytest.mark.django_db


def test_a_complete_draft_goes_all_the_way_to_published(make_report, cast):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14")
    actions.submit(report, enlace)
    assert report.status == S.SUBMITTED and report.submitted_at is not None
    actions.return_for_changes(report, reviewer, "Precise las cifras.")
    assert report.status == S.RETURNED
    actions.submit(report, enlace)
    assert report.status == S.RESUBMITTED
    actions.approve(report, reviewer)
    actions.publish(report, reviewer)
    report.refresh_from_db()
    assert report.status == S.PUBLISHED
    assert report.number == 1
    trail = list(report.transitions.values_list("from_status", "to_status", "comment"))
    assert trail == [
        (S.DRAFT, S.SUBMITTED, ""),
        (S.SUBMITTED, S.RETURNED, "Precise las cifras."),
        (S.RETURNED, S.RESUBMITTED, ""),
        (S.RESUBMITTED, S.APPROVED, ""),
        (S.APPROVED, S.PUBLISHED, ""),
    ]
    assert report.revisions.count() == 5
    assert report.version == 6


def test_publishing_numbers_reports_after_the_last_one_of_their_objective(make_report, cast):
    reviewer = cast("reviewer")
    first = make_report(state="14", status=S.APPROVED)
    second = make_report(state="07", status=S.APPROVED, title="Otro programa")
    actions.publish(first, reviewer)
    actions.publish(second, reviewer)
    assert (first.number, second.number) == (1, 2)


def test_an_incomplete_report_cannot_be_submitted_and_says_what_is_missing(make_report, cast):
    report = make_report(state="14", complete=False)
    with pytest.raises(ValidationError) as caught:
        actions.submit(report, cast("enlace_jalisco"))
    messages = caught.value.messages
    assert "Falta la descripción." in messages
    assert "Falta la situación del programa (vigente, concluido, suspendido)." in messages
    report.refresh_from_db()
    assert report.status == S.DRAFT
    assert not Transition.objects.exists()


def test_returning_needs_a_comment(make_report, cast):
    report = make_report(state="14", status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="comentarios"):
        actions.return_for_changes(report, cast("reviewer"), "  ")


def test_withdrawing_needs_a_reason_and_keeps_it(make_report, cast):
    report = make_report(state="14", status=S.PUBLISHED, number=3)
    with pytest.raises(ValidationError, match="motivo"):
        actions.withdraw(report, cast("reviewer"), "")
    actions.withdraw(report, cast("reviewer"), "Duplicado del programa 7.2.")
    report.refresh_from_db()
    assert report.status == S.WITHDRAWN
    assert report.withdrawn_reason == "Duplicado del programa 7.2."


def test_a_transition_from_the_wrong_status_is_refused(make_report, cast):
    report = make_report(state="14")
    with pytest.raises(ValidationError, match="No se puede aprobar un reporte en estado"):
        actions.approve(report, cast("reviewer"))


def test_an_enlace_cannot_submit_another_states_report(make_report, cast):
    report = make_report(state="07")
    with pytest.raises(PermissionDenied, match="entidad o institución"):
        actions.submit(report, cast("enlace_jalisco"))
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_a_reporter_cannot_approve(make_report, cast):
    report = make_report(institution="SRE", status=S.SUBMITTED)
    with pytest.raises(PermissionDenied, match="revisor"):
        actions.approve(report, cast("reporter_sre"))


def test_a_council_member_cannot_publish(make_report, cast):
    report = make_report(state="08", status=S.APPROVED)
    with pytest.raises(PermissionDenied):
        actions.publish(report, cast("council_chihuahua"))


def test_a_stale_copy_cannot_move_a_report_twice(make_report, cast):
    reviewer = cast("reviewer")
    report = make_report(state="14", status=S.SUBMITTED)
    stale = Program.objects.get(pk=report.pk)
    actions.approve(report, reviewer)
    with pytest.raises(ValidationError, match="estado «Aprobado»"):
        actions.return_for_changes(stale, reviewer, "Tarde.")
    assert Transition.objects.count() == 1


def test_publishing_makes_a_report_searchable_and_withdrawing_removes_it(make_report, cast):
    from observatorio.published.index import search

    reviewer = cast("reviewer")
    report = make_report(state="14", status=S.APPROVED, title="Ventanilla de regularización")
    assert search("regularizacion") == []
    actions.publish(report, reviewer)
    assert [obj.pk for obj, _ in search("regularizacion")] == [report.pk]
    actions.withdraw(report, reviewer, "Duplicado.")
    assert search("regularizacion") == []


@pytest.mark.django_db(transaction=True)
def test_reports_published_at_once_get_distinct_numbers(catalogs, make_report, cast):
    """Eight reviewers' requests publishing eight reports of one objective at the same time."""
    import threading

    from django.db import connection, connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    reviewer = cast("reviewer")
    reports = [
        make_report(state=code, status=S.APPROVED, title=f"Programa {code}")
        for code in ("01", "02", "03", "05", "07", "08", "14", "29")
    ]
    start = threading.Barrier(len(reports))
    answers = {}

    def publish(pk):
        client = Client(raise_request_exception=False)
        client.force_login(reviewer)
        start.wait()
        try:
            answers[pk] = client.post(f"/reportes/{pk}/publicar/").status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(r.pk,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers.values()) == [302] * len(reports)
    numbers = sorted(Program.objects.filter(status=S.PUBLISHED).values_list("number", flat=True))
    assert numbers == list(range(1, len(reports) + 1))


def test_every_action_has_a_rule():
    from observatorio.programs import permissions

    asked = set(actions.ACTIONS) | {
        "view",
        "export",
        "create",
        "edit",
        "comment",
        "history",
        "review_material",
        "prefill",
    }
    assert asked <= set(permissions.RULES)
    with pytest.raises(KeyError):
        permissions.can(None, "delete", Program())
