"""Notices of what happens to reports: in the site, by e-mail as each user prefers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatorio.notifications.models import Kind, Notification, Preference
from observatorio.programs import actions
from observatorio.programs.models import Program

S = Program.Status
pytestmark = pytest.mark.django_db


def notices(user, kind=None):
    found = Notification.objects.filter(user=user)
    return list(found.filter(kind=kind) if kind else found)


def test_a_submission_tells_the_reviewers_and_not_the_one_who_sent_it(
    cast, make_report, django_capture_on_commit_callbacks, mailoutbox
):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14")
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(report, enlace)
    (notice,) = notices(reviewer, Kind.SUBMITTED)
    assert notice.title == "Jalisco envió a revisión «Atención integral a personas migrantes»"
    assert notice.url == reverse("reports:detail", args=[report.pk])
    assert notices(enlace) == []
    assert [m.to for m in mailoutbox] == [[reviewer.email]]
    assert "Véalo en: http://" in mailoutbox[0].body


def test_a_return_tells_the_enlace_with_the_reviewers_comment(
    cast, make_report, django_capture_on_commit_callbacks, mailoutbox
):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    other_state = cast("enlace_chiapas")
    report = make_report(state="14", status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.return_for_changes(report, reviewer, "Desagregue las cifras por sexo.")
    (notice,) = notices(enlace, Kind.RETURNED)
    assert "Desagregue las cifras por sexo." in notice.body
    assert notice.emailed
    assert notices(other_state) == []
    assert "Desagregue las cifras por sexo." in mailoutbox[0].body


def test_no_email_for_who_chose_the_site_only_and_nothing_for_a_rolled_back_change(
    cast, make_report, django_capture_on_commit_callbacks, mailoutbox
):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    Preference.objects.create(user=enlace, email=True, muted=[Kind.APPROVED])
    report = make_report(state="14", status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(report, reviewer)
    (notice,) = notices(enlace, Kind.APPROVED)
    assert not notice.emailed
    assert mailoutbox == []


def test_a_publication_points_to_the_public_page(cast, make_report):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14", status=S.APPROVED)
    actions.publish(report, reviewer)
    (notice,) = notices(enlace, Kind.PUBLISHED)
    assert notice.url == reverse("portal:program", args=[report.pk])


def test_a_federal_reports_news_go_to_its_institutions_reporters(cast, make_report):
    reporter, reviewer = cast("reporter_sre"), cast("reviewer")
    report = make_report(institution="SRE", status=S.SUBMITTED)
    actions.return_for_changes(report, reviewer, "Falta el presupuesto.")
    assert len(notices(reporter, Kind.RETURNED)) == 1
    assert notices(cast("enlace_jalisco")) == []


def test_a_council_comment_tells_the_reviewers_and_the_enlace(cast, make_report):
    council, reviewer, enlace = (
        cast("council_chihuahua"),
        cast("reviewer"),
        cast("enlace_chiapas"),
    )
    report = make_report(state="08", status=S.SUBMITTED)
    actions.comment(report, council, "Las cifras no cuadran.")
    assert [n.body for n in notices(reviewer, Kind.COMMENTED)] == ["Las cifras no cuadran."]
    assert notices(council) == []
    assert notices(enlace) == []  # Chiapas has nothing to do with it


def test_each_user_sees_only_their_notices(client, cast, make_report):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    report = make_report(state="14", status=S.SUBMITTED)
    actions.return_for_changes(report, reviewer, "Corrija el título.")
    mine = notices(enlace)[0]
    client.force_login(cast("enlace_chiapas"))
    assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 404
    assert "Corrija el título." not in client.get(reverse("notifications:list")).content.decode()
    client.force_login(enlace)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "La UPM devolvió «Atención integral a personas migrantes» con comentarios" in page
    opened = client.get(reverse("notifications:open", args=[mine.pk]))
    assert opened.status_code == 302 and opened["Location"] == mine.url
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_marking_all_read_and_choosing_what_comes_by_email(client, cast, make_report):
    enlace, reviewer = cast("enlace_jalisco"), cast("reviewer")
    for _n in range(3):
        report = make_report(state="14", status=S.SUBMITTED)
        actions.return_for_changes(report, reviewer, "Corrija.")
    client.force_login(enlace)
    assert ">3</span>" in client.get("/").content.decode()  # the menu's count
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(user=enlace, read_at__isnull=True).count() == 0
    response = client.post(
        reverse("notifications:list"), {"email": "on", "by_email": [Kind.RETURNED]}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=enlace)
    assert preference.wants_email(Kind.RETURNED) and not preference.wants_email(Kind.PUBLISHED)
    bad = client.post(reverse("notifications:list"), {"by_email": ["inventado"]})
    assert bad.status_code == 200 and "Revise las opciones marcadas." in bad.content.decode()
    assert Preference.objects.get(user=enlace).muted == preference.muted


def test_the_deadline_reminder_also_leaves_a_notice_and_respects_the_preference(
    cast, open_cycle, mailoutbox
):
    from django.core.management import call_command

    enlace = cast("enlace_jalisco")
    chiapas = cast("enlace_chiapas")
    Preference.objects.create(user=chiapas, email=False)
    call_command("send_deadline_reminders", "--days", "30", stdout=__import__("io").StringIO())
    (notice,) = notices(enlace, Kind.DEADLINE)
    assert notice.title.startswith("Faltan 20 días para la fecha límite del ciclo")
    assert len(notices(chiapas, Kind.DEADLINE)) == 1
    recipients = {address for m in mailoutbox for address in m.to}
    assert enlace.email in recipients and chiapas.email not in recipients
