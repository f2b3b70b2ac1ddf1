"""The report workflow on the model: transitions, audit, revisions, numbering, the policy."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from observatorio.programs.models import Program, Transition

S = Program.Status
pytestmark = pytest.mark.django_db


def test_a_complete_draft_goes_all_the_way_to_published(make_report, cast):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14")
    report.submit(enlace)
    assert report.status == S.SUBMITTED and report.submitted_at is not None
    report.return_for_changes(reviewer, "Precise las cifras.")
    assert report.status == S.RETURNED
    report.submit(enlace)
    assert report.status == S.RESUBMITTED
    report.approve(reviewer)
    report.publish(reviewer)
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
    first.publish(reviewer)
    second.publish(reviewer)
    assert (first.number, second.number) == (1, 2)


def test_an_incomplete_report_cannot_be_submitted_and_says_what_is_missing(make_report, cast):
    report = make_report(state="14", complete=False)
    with pytest.raises(ValidationError) as caught:
        report.submit(cast("enlace_jalisco"))
    messages = caught.value.messages
    assert "Falta la descripción." in messages
    assert "Falta la situación del programa (vigente, concluido, suspendido)." in messages
    report.refresh_from_db()
    assert report.status == S.DRAFT
    assert not Transition.objects.exists()


def test_returning_needs_a_comment(make_report, cast):
    report = make_report(state="14", status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="comentarios"):
        report.return_for_changes(cast("reviewer"), "  ")


def test_withdrawing_needs_a_reason_and_keeps_it(make_report, cast):
    report = make_report(state="14", status=S.PUBLISHED, number=3)
    with pytest.raises(ValidationError, match="motivo"):
        report.withdraw(cast("reviewer"), "")
    report.withdraw(cast("reviewer"), "Duplicado del programa 7.2.")
    report.refresh_from_db()
    assert report.status == S.WITHDRAWN
    assert report.withdrawn_reason == "Duplicado del programa 7.2."


def test_a_transition_from_the_wrong_status_is_refused(make_report, cast):
    report = make_report(state="14")
    with pytest.raises(ValidationError, match="No se puede aprobar un reporte en estado"):
        report.approve(cast("reviewer"))


def test_an_enlace_cannot_submit_another_states_report(make_report, cast):
    report = make_report(state="07")
    with pytest.raises(PermissionDenied, match="entidad o institución"):
        report.submit(cast("enlace_jalisco"))
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_a_reporter_cannot_approve(make_report, cast):
    report = make_report(institution="SRE", status=S.SUBMITTED)
    with pytest.raises(PermissionDenied, match="revisor"):
        report.approve(cast("reporter_sre"))


def test_a_council_member_cannot_publish(make_report, cast):
    report = make_report(state="08", status=S.APPROVED)
    with pytest.raises(PermissionDenied):
        report.publish(cast("council_chihuahua"))


def test_a_stale_copy_cannot_move_a_report_twice(make_report, cast):
    reviewer = cast("reviewer")
    report = make_report(state="14", status=S.SUBMITTED)
    stale = Program.objects.get(pk=report.pk)
    report.approve(reviewer)
    with pytest.raises(ValidationError, match="estado «Aprobado»"):
        stale.return_for_changes(reviewer, "Tarde.")
    assert Transition.objects.count() == 1


def test_publishing_makes_a_report_searchable_and_withdrawing_removes_it(make_report, cast):
    from observatorio.search.index import search

    reviewer = cast("reviewer")
    report = make_report(state="14", status=S.APPROVED, title="Ventanilla de regularización")
    assert search("regularizacion") == []
    report.publish(reviewer)
    assert [obj.pk for obj, _ in search("regularizacion")] == [report.pk]
    report.withdraw(reviewer, "Duplicado.")
    assert search("regularizacion") == []
