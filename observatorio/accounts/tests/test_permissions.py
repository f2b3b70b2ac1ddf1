"""The accounts policy (API tokens) and the reporting year's actions in the programs policy."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from observatorio.accounts import permissions
from observatorio.accounts.models import ApiToken
from observatorio.programs import permissions as programs
from observatorio.programs.models import Program


def test_each_user_sees_and_revokes_only_their_own_tokens(cast):
    jalisco, chiapas, reviewer = cast("enlace_jalisco"), cast("enlace_chiapas"), cast("reviewer")
    mine, _key = ApiToken.issue(jalisco, "mío")
    ApiToken.issue(chiapas, "ajeno")

    assert list(permissions.visible(jalisco)) == [mine]
    assert list(permissions.visible(reviewer)) == []
    assert not permissions.visible(AnonymousUser()).exists()
    assert permissions.can(jalisco, "revoke", mine)
    refused = permissions.can(chiapas, "revoke", mine)
    assert not refused and refused.reason == "Este token es de otra persona."
    assert not permissions.can(reviewer, "revoke", mine)


def test_only_a_signed_in_user_issues_a_token(cast):
    assert permissions.can(cast("outsider"), "issue")
    refused = permissions.can(AnonymousUser(), "issue")
    assert not refused and refused.reason == "Inicie sesión para continuar."


def test_reviewers_and_administrators_are_review_staff(cast, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    assert permissions.reviews(cast("reviewer")) and permissions.reviews(admin)
    assert not permissions.reviews(cast("enlace_jalisco"))
    assert not permissions.reviews(AnonymousUser())


def test_only_those_who_report_may_report_and_only_in_an_open_cycle(cast, open_cycle):
    assert programs.can(cast("enlace_jalisco"), "report", open_cycle)
    assert programs.can(cast("reporter_sre"), "report", open_cycle)
    for name in ("reviewer", "council_chihuahua", "outsider"):
        refused = programs.can(cast(name), "report", open_cycle)
        assert not refused and not refused.conflict, name
    open_cycle.closes_on = open_cycle.opens_on - dt.timedelta(days=1)
    open_cycle.opens_on = open_cycle.closes_on - dt.timedelta(days=30)
    open_cycle.deadline = open_cycle.closes_on
    refused = programs.can(cast("enlace_jalisco"), "report", open_cycle)
    assert not refused and refused.conflict
    assert not programs.can(AnonymousUser(), "report")


def test_the_reporting_year_is_run_by_review_staff(cast, open_cycle):
    for action in ("bulk_review", "completeness", "manage_cycles"):
        assert programs.can(cast("reviewer"), action, open_cycle), action
        for name in ("enlace_jalisco", "reporter_sre", "council_chihuahua", "outsider"):
            assert not programs.can(cast(name), action, open_cycle), (action, name)
        assert not programs.can(AnonymousUser(), action), action


def test_who_reports_for_what(cast):
    jalisco = cast("enlace_jalisco")
    states, institutions = programs.reports_for(jalisco)
    assert set(states) == {jalisco.memberships.get().state_id} and not institutions
    states, institutions = programs.reports_for(cast("reporter_sre"))
    assert not states and len(institutions) == 1
    assert programs.reports_for(cast("reviewer")) == (frozenset(), frozenset())


def test_contacts_and_summary_recipients_are_the_current_role_holders(cast):
    jalisco, sre, reviewer = cast("enlace_jalisco"), cast("reporter_sre"), cast("reviewer")
    cast("council_chihuahua")
    assert [m.user for m in programs.liaisons()] == [jalisco]
    assert [m.user for m in programs.institution_reporters()] == [sre]
    assert [m.user for m in programs.upm_reviewers()] == [reviewer]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    reviewer.memberships.update(started_on=timezone.localdate())
    assert not programs.upm_reviewers(yesterday).exists()


def test_anonymous_visitors_and_users_without_a_reporting_role_see_published_reports(
    cast, make_report
):
    draft = make_report(state="14")
    published = make_report(state="07", status=Program.Status.PUBLISHED)
    for user in (AnonymousUser(), cast("outsider"), cast("registry_tlaxcala")):
        assert list(programs.visible(user)) == [published]
    assert set(programs.visible(cast("enlace_jalisco"))) == {draft, published}
