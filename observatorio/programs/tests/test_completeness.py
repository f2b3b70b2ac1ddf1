"""Completeness of a cycle: who has reported, who is late, the reviewers' dashboard and its
CSV, and the deadline reminders sent by e-mail."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from observatorio.accounts.models import Membership, Role
from observatorio.catalog.models import GcmObjective, Institution, State
from observatorio.programs.completeness import Lateness, completeness, gaps_first
from observatorio.programs.models import Program, ReportingCycle, Transition

S = Program.Status
pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2040, 6, 30)
BEFORE = DEADLINE - dt.timedelta(days=5)
AFTER = DEADLINE + dt.timedelta(days=3)


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment of *day* in Mexico City's time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_cycle(edition: int, *, opens_on, deadline, closes_on) -> ReportingCycle:
    return ReportingCycle.objects.create(
        edition=edition,
        name=f"Ciclo {edition}",
        period_start=dt.date(edition - 1, 7, 1),
        period_end=dt.date(edition, 6, 30),
        opens_on=opens_on,
        deadline=deadline,
        closes_on=closes_on,
    )


@pytest.fixture
def previous_cycle():
    return make_cycle(
        2039,
        opens_on=dt.date(2039, 5, 1),
        deadline=dt.date(2039, 6, 30),
        closes_on=dt.date(2039, 7, 31),
    )


@pytest.fixture
def cycle(previous_cycle):
    return make_cycle(
        2040, opens_on=dt.date(2040, 5, 1), deadline=DEADLINE, closes_on=dt.date(2040, 7, 31)
    )


@pytest.fixture
def closing_cycle():
    """A cycle open today whose deadline is in three days."""
    today = timezone.localdate()
    return make_cycle(
        2041,
        opens_on=today - dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
    )


def report(cycle, *, state=None, institutions=(), status=S.DRAFT, submitted_at=None, **extra):
    """A report of a state (INEGI code) or of institutions (acronyms), straight in the ORM."""
    program = Program.objects.create(
        cycle=cycle,
        section=Program.Section.STATE if state else Program.Section.FEDERAL,
        state=State.objects.get(inegi_code=state) if state else None,
        objective=GcmObjective.objects.get(number=extra.pop("objective", 7)),
        title=extra.pop("title", "Atención a personas migrantes"),
        status=status,
        submitted_at=submitted_at,
        **extra,
    )
    for acronym in institutions:
        program.institutions.add(Institution.objects.get(acronym=acronym))
    return program


def by_code(rows):
    return {row.code: row for row in rows}


def make_member(username, role, *, state=None, institution=None, email=None, **dates):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org" if email is None else email
    )
    Membership.objects.create(
        user=user,
        role=role,
        state=State.objects.get(inegi_code=state) if state else None,
        institution=Institution.objects.get(acronym=institution) if institution else None,
        **dates,
    )
    return user


# --- completeness ----------------------------------------------------------------------


def test_completeness_counts_reports_by_status_for_states_and_institutions(cycle, cast):
    cast("enlace_jalisco"), cast("enlace_chiapas"), cast("reporter_sre"), cast("reviewer")
    report(cycle, state="14")
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(BEFORE))
    report(cycle, state="14", status=S.APPROVED, submitted_at=at(BEFORE - dt.timedelta(days=9)))
    report(cycle, state="14", status=S.RETURNED, submitted_at=at(BEFORE))
    report(cycle, state="07")
    report(cycle, state="07")
    report(cycle, institutions=["SRE"], status=S.RESUBMITTED, submitted_at=at(BEFORE))
    report(cycle, institutions=["SRE"], status=S.PUBLISHED, submitted_at=at(BEFORE))
    report(cycle, institutions=["SRE", "STPS"], status=S.SUBMITTED, submitted_at=at(BEFORE))

    data = completeness(cycle, on=BEFORE)

    states = by_code(data.states)
    assert len(data.states) == 32
    jalisco, chiapas = states["14"], states["07"]
    assert jalisco.contact_names == "enlace_jalisco"
    assert (jalisco.draft, jalisco.in_review, jalisco.total) == (1, 1, 4)
    assert jalisco.by_column == [1, 1, 1, 1, 0, 0]
    assert jalisco.submitted and jalisco.lateness == Lateness.ON_TIME
    assert jalisco.first_submitted_on == BEFORE - dt.timedelta(days=9)
    assert (chiapas.draft, chiapas.submitted, chiapas.first_submitted_on) == (2, False, None)
    assert states["01"].contacts == [] and states["01"].total == 0

    institutions = by_code(data.institutions)
    sre = institutions["SRE"]
    assert sre.expected and sre.contact_names == "reporter_sre"
    assert sre.by_column == [0, 2, 0, 0, 1, 0]  # the joint report counts for SRE…
    assert institutions["STPS"].in_review == 1  # …and for STPS
    assert "UPMRIP" not in institutions  # a reviewer is not a reporter

    assert (data.states_submitted, len(data.states)) == (1, 32)
    assert data.institutions_submitted == 1
    assert [r.code for r in data.expected_institutions] == ["SRE"]
    assert data.totals == {
        S.DRAFT: 3,
        S.SUBMITTED: 2,
        S.APPROVED: 1,
        S.RETURNED: 1,
        S.RESUBMITTED: 1,
        S.PUBLISHED: 1,
    }
    assert data.total_reports == 9  # the joint report counts once in the totals


def test_a_state_that_sent_nothing_is_pending_before_the_deadline_and_overdue_after(cycle):
    report(cycle, state="07")
    assert by_code(completeness(cycle, on=BEFORE).states)["07"].lateness == Lateness.PENDING
    on_the_day = by_code(completeness(cycle, on=DEADLINE).states)["07"]
    assert on_the_day.lateness == Lateness.PENDING and not on_the_day.is_late
    after = by_code(completeness(cycle, on=AFTER).states)["07"]
    assert after.lateness == Lateness.OVERDUE and after.is_late


def test_a_first_submission_after_the_deadline_is_late_and_on_the_deadline_day_is_on_time(cycle):
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(DEADLINE, 23, 30))
    report(cycle, state="07", status=S.SUBMITTED, submitted_at=at(DEADLINE + dt.timedelta(1), 0, 5))
    rows = by_code(completeness(cycle, on=AFTER).states)
    assert rows["14"].lateness == Lateness.ON_TIME and not rows["14"].is_late
    assert rows["07"].lateness == Lateness.LATE and rows["07"].is_late
    assert rows["07"].lateness_label == "Tardío"


def test_an_on_time_first_submission_is_not_made_late_by_a_later_one(cycle):
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(BEFORE))
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(AFTER))
    row = by_code(completeness(cycle, on=AFTER).states)["14"]
    assert row.lateness == Lateness.ON_TIME and row.first_submitted_on == BEFORE


def test_a_cycle_without_deadline_is_never_late(previous_cycle):
    previous_cycle.deadline = None
    previous_cycle.save()
    report(previous_cycle, state="14", status=S.SUBMITTED, submitted_at=at(dt.date(2050, 1, 1)))
    rows = by_code(completeness(previous_cycle, on=dt.date(2050, 1, 2)).states)
    assert rows["14"].lateness == Lateness.ON_TIME
    assert rows["07"].lateness == Lateness.PENDING


def test_an_imported_published_report_without_submission_date_counts_as_submitted(cycle):
    report(cycle, state="14", status=S.PUBLISHED, submitted_at=None)
    row = by_code(completeness(cycle, on=AFTER).states)["14"]
    assert row.submitted and row.first_submitted_at is None
    assert row.lateness == Lateness.ON_TIME


def test_expected_institutions_are_current_reporters_and_last_cycle_federal_reporters(
    cycle, previous_cycle, cast
):
    cast("reporter_sre")
    make_member("reporter_stps_antes", Role.REPORTER, institution="STPS", ended_on=BEFORE)
    Membership.objects.filter(user__username="reporter_stps_antes").update(
        started_on=dt.date(2030, 1, 1)
    )
    report(previous_cycle, institutions=["INM"], status=S.PUBLISHED)
    report(previous_cycle, institutions=["COMAR"], status=S.DRAFT)  # never reported
    report(previous_cycle, state="14", institutions=["DAPM-JAL"], status=S.PUBLISHED)
    report(cycle, institutions=["INM", "SNDIF"], status=S.SUBMITTED, submitted_at=at(BEFORE))

    data = completeness(cycle, on=AFTER)

    rows = by_code(data.institutions)
    assert sorted(rows) == ["INM", "SNDIF", "SRE"]
    assert rows["INM"].expected and rows["INM"].contacts == [] and rows["INM"].submitted
    assert rows["SRE"].expected and rows["SRE"].lateness == Lateness.OVERDUE
    assert not rows["SNDIF"].expected  # reported, but nobody expected it
    assert (data.institutions_submitted, len(data.expected_institutions)) == (1, 2)
    assert data.previous == previous_cycle


def test_the_enlace_shown_is_the_current_one(cycle):
    make_member(
        "enlace_anterior",
        Role.LIAISON,
        state="14",
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2021, 1, 1),
    )
    new = make_member("enlace_nueva", Role.LIAISON, state="14", started_on=dt.date(2021, 1, 1))
    new.first_name, new.last_name = "Ana", "Pérez"
    new.save()
    row = by_code(completeness(cycle).states)["14"]
    assert row.contact_names == "Ana Pérez"


def test_gaps_come_first_overdue_then_pending_then_late_then_on_time(cycle):
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(BEFORE))
    report(cycle, state="07", status=S.SUBMITTED, submitted_at=at(AFTER))
    after = [r.code for r in gaps_first(completeness(cycle, on=AFTER).states)]
    assert after[:30] == [code for code in after[:30] if code not in ("14", "07")]
    assert after[-2:] == ["07", "14"]
    before = gaps_first(completeness(cycle, on=BEFORE).states)
    assert [r.lateness for r in before[:30]] == [Lateness.PENDING] * 30


def test_completeness_takes_a_bounded_number_of_queries(
    cycle, previous_cycle, cast, django_assert_max_num_queries
):
    cast("enlace_jalisco"), cast("enlace_chiapas"), cast("reporter_sre")
    states = list(State.objects.values_list("inegi_code", flat=True))
    for i, code in enumerate(states):
        report(cycle, state=code, status=S.SUBMITTED, submitted_at=at(BEFORE), title=f"P{i}")
        report(cycle, state=code, title=f"B{i}")
    for acronym in ["SRE", "INM", "COMAR", "IME", "SNDIF", "STPS"]:
        report(previous_cycle, institutions=[acronym], status=S.PUBLISHED)
        report(cycle, institutions=[acronym, "SRE"], status=S.APPROVED, submitted_at=at(BEFORE))
    with django_assert_max_num_queries(9):
        data = completeness(cycle, on=AFTER)
        assert data.states_submitted == 32
        assert [r.contact_names for r in data.rows if r.contacts]


# --- dashboard -------------------------------------------------------------------------

URL = "/reportes/completitud/"


def test_a_reviewer_sees_the_totals_the_states_and_the_institutions(client, cycle, cast):
    cast("enlace_chiapas"), cast("reporter_sre")
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(BEFORE))
    report(cycle, state="07")
    client.force_login(cast("reviewer"))
    response = client.get(f"{URL}{cycle.edition}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Completitud del reporte" in html
    assert "1 / 32" in html
    assert "0 / 1" in html  # SRE is expected and has sent nothing
    assert "enlace_chiapas" in html and "reporter_sre" in html
    assert "Vencido, sin envío" not in html  # the deadline is in 2040
    data = response.context["data"]
    assert data.cycle == cycle
    assert response.context["states"][-1].code == "14"  # the only one that sent: last


def test_late_reporters_are_highlighted_once_the_deadline_passed(client, cast):
    today = timezone.localdate()
    past = make_cycle(
        2038,
        opens_on=today - dt.timedelta(days=60),
        deadline=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=5),
    )
    report(past, state="14", status=S.SUBMITTED, submitted_at=timezone.now())
    client.force_login(cast("reviewer"))
    response = client.get(URL)
    assert response.context["cycle"] == past  # the open cycle by default
    html = response.content.decode()
    assert "Vencido, sin envío" in html and "Tardío" in html
    assert '<tr class="gap">' in html


def test_the_dashboard_lists_reports_waiting_for_review_oldest_first(client, cycle, cast):
    reviewer = cast("reviewer")
    newer = report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(BEFORE), title="Nuevo")
    older = report(
        cycle, state="07", status=S.RESUBMITTED, submitted_at=at(dt.date(2040, 5, 2)), title="Viejo"
    )
    Transition.objects.create(
        program=older,
        actor=reviewer,
        from_status=S.RETURNED,
        to_status=S.RESUBMITTED,
        at=at(dt.date(2040, 5, 20)),
    )
    report(cycle, state="08", status=S.APPROVED, submitted_at=at(BEFORE), title="Aprobado")
    client.force_login(reviewer)
    response = client.get(f"{URL}{cycle.edition}/")
    waiting = response.context["waiting"]
    assert [p.title for p in waiting] == ["Viejo", "Nuevo"]
    assert waiting[0].waiting_since == at(dt.date(2040, 5, 20))
    html = response.content.decode()
    assert f'href="/reportes/{older.pk}/"' in html and f'href="/reportes/{newer.pk}/"' in html


def test_an_administrator_sees_the_dashboard(client, cycle):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    assert client.get(URL).status_code == 200


def test_an_enlace_cannot_see_the_dashboard(client, cycle, cast):
    client.force_login(cast("enlace_jalisco"))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{cycle.edition}/").status_code == 403


@pytest.mark.parametrize("username", ["council_chihuahua", "council_academia"])
def test_council_members_cannot_see_the_dashboard(client, cycle, cast, username):
    client.force_login(cast(username))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("username", ["reporter_sre", "registry_tlaxcala", "outsider"])
def test_reporters_and_other_users_cannot_see_the_dashboard(client, cycle, cast, username):
    client.force_login(cast(username))
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, cycle):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/cuentas/" in response["Location"]


def test_an_unknown_edition_is_not_found(client, cycle, cast):
    client.force_login(cast("reviewer"))
    assert client.get(f"{URL}1999/").status_code == 404


def test_the_dashboard_without_cycles_says_so(client, cast):
    client.force_login(cast("reviewer"))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Todavía no hay ciclos de reporte." in response.content.decode()


# --- CSV -------------------------------------------------------------------------------


def test_reviewers_download_the_completeness_table_as_csv(client, cycle, cast):
    cast("enlace_jalisco"), cast("reporter_sre")
    report(cycle, state="14", status=S.SUBMITTED, submitted_at=at(AFTER))
    report(cycle, state="14")
    client.force_login(cast("reviewer"))
    response = client.get(f"{URL}{cycle.edition}/?formato=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="completitud-2040.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 33  # 32 states and SRE
    jalisco = next(r for r in rows if r["clave"] == "14")
    assert jalisco["tipo"] == "entidad federativa"
    assert jalisco["contacto vigente"] == "enlace_jalisco"
    assert (jalisco["Borrador"], jalisco["Enviado o reenviado"], jalisco["total"]) == (
        "1",
        "1",
        "2",
    )
    assert (jalisco["envió"], jalisco["situación"]) == ("sí", "Tardío")
    assert jalisco["primer envío"] == AFTER.isoformat()
    sre = rows[-1]
    assert (sre["tipo"], sre["clave"], sre["esperada"], sre["envió"]) == (
        "institución",
        "SRE",
        "sí",
        "no",
    )


def test_an_enlace_cannot_download_the_csv(client, cycle, cast):
    client.force_login(cast("enlace_jalisco"))
    response = client.get(f"{URL}{cycle.edition}/?formato=csv")
    assert response.status_code == 403
    assert not response.get("Content-Disposition")


def test_the_csv_neutralises_names_a_spreadsheet_would_run_as_formulas(client, cycle, cast):
    user = make_member("enlace_formula", Role.LIAISON, state="14")
    user.first_name = "=HYPERLINK(1)"
    user.save()
    client.force_login(cast("reviewer"))
    content = client.get(f"{URL}{cycle.edition}/?formato=csv").content.decode("utf-8-sig")
    jalisco = next(r for r in csv.DictReader(io.StringIO(content)) if r["clave"] == "14")
    assert jalisco["contacto vigente"] == "'=HYPERLINK(1)"


# --- reminders -------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_deadline_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_go_only_to_enlaces_and_reporters_who_have_submitted_nothing(closing_cycle, cast):
    for name in ("enlace_jalisco", "enlace_chiapas", "reporter_sre", "council_chihuahua"):
        cast(name)
    cast("outsider"), cast("registry_tlaxcala")
    reviewer = cast("reviewer")
    report(closing_cycle, state="14", status=S.SUBMITTED, submitted_at=timezone.now())
    report(closing_cycle, state="07")
    report(closing_cycle, state="07", title="Otro borrador")

    output = run()

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [
        "enlace_chiapas@example.org",
        "reporter_sre@example.org",
        "reviewer@example.org",
    ]
    chiapas = next(m for m in mail.outbox if m.to == ["enlace_chiapas@example.org"])
    assert chiapas.subject == "Recordatorio: fecha límite de envío del Ciclo 2041"
    assert "Chiapas: 2 borradores guardados." in chiapas.body
    assert "Faltan 3 días." in chiapas.body
    deadline = closing_cycle.deadline
    assert f"{deadline.day} de " in chiapas.body and str(deadline.year) in chiapas.body
    assert "/reportes/\n" in chiapas.body
    sre = next(m for m in mail.outbox if m.to == ["reporter_sre@example.org"])
    assert "(SRE): 0 borradores guardados." in sre.body
    summary = next(m for m in mail.outbox if m.to == [reviewer.email])
    assert summary.subject == "Ciclo 2041: 32 pendientes de enviar"
    assert "Entidades federativas que no han enviado nada: 31 de 32." in summary.body
    assert "- Chiapas: enlace enlace_chiapas; 2 borradores" in summary.body
    assert "- Colima: sin enlace vigente; 0 borradores" in summary.body
    assert "Jalisco" not in summary.body
    assert "- SRE (" in summary.body and "informante reporter_sre" in summary.body
    assert "Se enviaron 2 recordatorios" in summary.body
    assert "/reportes/completitud/2041/" in summary.body
    assert "recordatorios enviados: 2; resúmenes enviados: 1" in output


def test_a_dry_run_prints_what_would_be_sent_and_sends_nothing(closing_cycle, cast):
    cast("enlace_chiapas"), cast("reviewer")
    output = run("--dry-run")
    assert mail.outbox == []
    assert "[simulación] Para: enlace_chiapas@example.org" in output
    assert "Recordatorio: fecha límite de envío del Ciclo 2041" in output
    assert "[simulación] Para: reviewer@example.org" in output
    assert "recordatorios se enviarían: 1" in output


def test_users_without_an_email_address_are_reported_on_stdout(closing_cycle, cast):
    make_member("enlace_sin_correo", Role.LIAISON, state="07", email="")
    make_member("revisora_sin_correo", Role.REVIEWER, email="")
    cast("reviewer")
    output = run()
    assert "Sin correo: enlace_sin_correo (Chiapas)" in output
    assert "Sin correo: revisora_sin_correo (revisor)" in output
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert "enlace_sin_correo (Chiapas)" in mail.outbox[0].body


def test_a_user_speaking_for_two_institutions_gets_one_reminder_per_run(closing_cycle):
    user = make_member("reporter_doble", Role.REPORTER, institution="SRE")
    Membership.objects.create(
        user=user, role=Role.REPORTER, institution=Institution.objects.get(acronym="INM")
    )
    run()
    assert len(mail.outbox) == 1
    assert "(INM)" in mail.outbox[0].body and "(SRE)" in mail.outbox[0].body


def test_former_and_inactive_enlaces_get_no_reminder(closing_cycle):
    make_member(
        "enlace_saliente",
        Role.LIAISON,
        state="07",
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2021, 1, 1),
    )
    inactive = make_member("enlace_inactivo", Role.LIAISON, state="14")
    inactive.is_active = False
    inactive.save()
    run()
    assert mail.outbox == []


def test_nothing_is_sent_when_the_deadline_is_further_than_the_given_days(closing_cycle, cast):
    cast("enlace_chiapas"), cast("reviewer")
    output = run("--days", "2")
    assert mail.outbox == []
    assert "Ningún ciclo abierto tiene su fecha límite en los próximos 2 días" in output
    output = run("--cycle", "2041", "--days", "1")
    assert "faltan más de 1 días" in output and mail.outbox == []


def test_reminders_after_the_deadline_say_it_has_passed(cast):
    today = timezone.localdate()
    make_cycle(
        2042,
        opens_on=today - dt.timedelta(days=30),
        deadline=today - dt.timedelta(days=4),
        closes_on=today + dt.timedelta(days=10),
    )
    cast("enlace_chiapas")
    run("--cycle", "2042")
    assert "La fecha límite venció hace 4 días." in mail.outbox[0].body


def test_nothing_is_sent_when_everyone_expected_has_submitted(closing_cycle, cast):
    cast("enlace_jalisco"), cast("reviewer")
    for code in State.objects.values_list("inegi_code", flat=True):
        report(closing_cycle, state=code, status=S.SUBMITTED, submitted_at=timezone.now())
    output = run()
    assert mail.outbox == []
    assert "ya enviaron" in output


def test_the_base_url_option_makes_full_links(closing_cycle, cast):
    cast("enlace_chiapas")
    run("--base-url", "https://observatorio.example.gob.mx/")
    assert "https://observatorio.example.gob.mx/reportes/\n" in mail.outbox[0].body


def test_the_command_with_a_nonexistent_cycle_fails_with_a_clear_spanish_error(closing_cycle):
    with pytest.raises(CommandError, match="No existe el ciclo de reporte con edición 1999"):
        run("--cycle", "1999")
    with pytest.raises(CommandError, match="debe ser un número"):
        run("--cycle", "dos mil")


def test_the_command_refuses_a_closed_cycle(cycle):
    with pytest.raises(CommandError, match="no está abierto hoy"):
        run("--cycle", str(cycle.edition))
    assert mail.outbox == []


def test_the_command_refuses_negative_days(closing_cycle):
    with pytest.raises(CommandError, match="negativo"):
        run("--days", "-1")
