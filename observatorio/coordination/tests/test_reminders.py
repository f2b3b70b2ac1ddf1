"""An agreement that passes its due date is overdue on every tracker and its responsible
institution's users are reminded once per due date."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from observatorio.coordination import actions
from observatorio.coordination.models import Agreement
from observatorio.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_overdue_is_computed_and_filtered(world):
    a = world["agreements"]["federal"]
    today = timezone.localdate()
    assert a.shown_status() == "pending"
    Agreement.objects.filter(pk=a.pk).update(due_on=today - dt.timedelta(days=2))
    a.refresh_from_db()
    assert a.shown_status() == "overdue" and a.days_overdue == 2
    assert list(Agreement.objects.overdue()) == [a]
    assert a not in Agreement.objects.with_status("pending")
    Agreement.objects.filter(pk=a.pk).update(status="done")
    assert not Agreement.objects.overdue().exists()


def test_the_reminder_goes_once_to_the_responsible_institutions_users(
    world, django_capture_on_commit_callbacks
):
    a = world["agreements"]["federal"]  # SRE answers for it: reporter_sre is told
    Agreement.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_agreement_reminders", stdout=out)
        call_command("send_agreement_reminders", stdout=out)
    assert "Acuerdos vencidos avisados: 1." in out.getvalue()
    assert "Acuerdos vencidos avisados: 0." in out.getvalue()
    notices = Notification.objects.filter(kind=Kind.AGREEMENT_OVERDUE)
    assert [n.user.username for n in notices] == ["reporter_sre"]
    assert len(mail.outbox) == 1 and "Acuerdo vencido" in mail.outbox[0].subject
    # A new due date, passed again, is reminded again (once).
    assert actions.remind_overdue() == []
    Agreement.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    assert [x.pk for x, _n in actions.remind_overdue()] == [a.pk]
    assert actions.remind_overdue() == []
    assert Notification.objects.filter(kind=Kind.AGREEMENT_OVERDUE).count() == 2


def test_dry_run_sends_nothing(world, capsys):
    a = world["agreements"]["jal"]
    Agreement.objects.filter(pk=a.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    call_command("send_agreement_reminders", "--dry-run")
    assert "[simulación]" in capsys.readouterr().out
    assert not Notification.objects.exists()
    assert Agreement.objects.get(pk=a.pk).reminded_for is None
