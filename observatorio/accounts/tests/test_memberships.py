"""Memberships: one current enlace per state, their history, ending them, and Scope.of."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from observatorio.accounts.models import Membership, Role, Scope
from observatorio.catalog.models import Institution, State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


User = get_user_model()
DAY = datetime.timedelta(days=1)


def state(code: str) -> State:
    return State.objects.get(inegi_code=code)


def fresh(user):
    """The user as a new request would load it (Scope.of remembers one scope per object)."""
    return User.objects.get(pk=user.pk)


def test_the_database_refuses_two_current_enlaces_for_one_state(catalogs, cast):
    cast("enlace_jalisco")
    other = User.objects.create_user("otro_enlace")

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=other, role=Role.LIAISON, state=state("14"))


def test_a_former_enlace_and_a_current_one_may_coexist(catalogs, cast):
    former = cast("enlace_jalisco").memberships.get()
    former.started_on = datetime.date(2022, 1, 10)
    former.save()
    assert former.end() is True

    other = User.objects.create_user("otro_enlace")
    Membership.objects.create(user=other, role=Role.LIAISON, state=state("14"))

    assert Membership.objects.current().filter(role=Role.LIAISON, state=state("14")).count() == 1


def test_the_enlace_history_of_a_state_is_ordered_by_start_date(catalogs):
    jalisco = state("14")
    people = [User.objects.create_user(name) for name in ["tercera", "primera", "segunda"]]
    terms = [
        (datetime.date(2025, 2, 1), None),
        (datetime.date(2019, 5, 1), datetime.date(2022, 1, 31)),
        (datetime.date(2022, 2, 1), datetime.date(2025, 2, 1)),
    ]
    for person, (start, end) in zip(people, terms, strict=True):
        Membership.objects.create(
            user=person, role=Role.LIAISON, state=jalisco, started_on=start, ended_on=end
        )
    # Neither another state's enlace nor another role in the same state is history of it.
    Membership.objects.create(
        user=User.objects.create_user("de_chiapas"), role=Role.LIAISON, state=state("07")
    )
    Membership.objects.create(
        user=User.objects.create_user("consejera"), role=Role.COUNCIL, state=jalisco
    )

    history = Membership.objects.liaison_history(jalisco)

    assert [m.user.username for m in history] == ["primera", "segunda", "tercera"]
    assert [m.user.username for m in Membership.objects.liaison_history(jalisco.pk)] == [
        "primera",
        "segunda",
        "tercera",
    ]


def test_ending_a_membership_keeps_it_and_ending_it_again_changes_nothing(catalogs, cast):
    membership = cast("reviewer").memberships.get()
    membership.started_on = datetime.date(2024, 6, 1)
    membership.save()
    today = timezone.localdate()

    assert membership.end() is True
    assert membership.end(today + DAY) is False

    membership.refresh_from_db()
    assert membership.ended_on == today
    assert not membership.is_current
    assert not Scope.of(fresh(membership.user)).has(Role.REVIEWER)


def test_a_membership_that_has_not_started_ends_on_its_start_date(catalogs):
    start = timezone.localdate() + 10 * DAY
    membership = Membership.objects.create(
        user=User.objects.create_user("futura"), role=Role.COUNCIL, started_on=start
    )

    assert membership.end() is True

    membership.refresh_from_db()
    assert membership.ended_on == start
    assert not Membership.objects.current(start).filter(pk=membership.pk).exists()


def test_scope_of_a_user_with_several_memberships_ignores_ended_and_future_ones(catalogs):
    today = timezone.localdate()
    user = User.objects.create_user("varias")
    sre = Institution.objects.get(acronym="SRE")
    upm = Institution.objects.get(acronym="UPMRIP")
    Membership.objects.create(user=user, role=Role.COUNCIL, state=state("08"))
    Membership.objects.create(user=user, role=Role.REGISTRY, state=state("29"))
    Membership.objects.create(user=user, role=Role.REPORTER, institution=sre)
    # Ended: an enlace term that finished yesterday, a reviewer term that finishes today.
    Membership.objects.create(
        user=user,
        role=Role.LIAISON,
        state=state("14"),
        started_on=today - 400 * DAY,
        ended_on=today - DAY,
    )
    Membership.objects.create(
        user=user, role=Role.REVIEWER, institution=upm, started_on=today - 30 * DAY, ended_on=today
    )
    # Not started yet.
    Membership.objects.create(
        user=user, role=Role.LIAISON, state=state("07"), started_on=today + DAY
    )

    scope = Scope.of(user)

    assert scope.roles == {Role.COUNCIL, Role.REGISTRY, Role.REPORTER}
    assert scope.states == {state("08").pk, state("29").pk}
    assert scope.institutions == {sre.pk}
    assert scope.states_for(Role.COUNCIL) == {state("08").pk}
    assert scope.states_for(Role.REGISTRY) == {state("29").pk}
    assert scope.institutions_for(Role.REPORTER) == {sre.pk}
    assert not scope.has(Role.LIAISON, Role.REVIEWER)
    assert scope.states_for(Role.LIAISON) == frozenset()


def test_scope_of_an_inactive_or_anonymous_user_is_empty(catalogs, cast):
    from django.contrib.auth.models import AnonymousUser

    user = cast("enlace_jalisco")
    user.is_active = False
    user.save()

    assert Scope.of(fresh(user)) == Scope()
    assert Scope.of(AnonymousUser()) == Scope()


def test_the_admin_action_ends_memberships_today(catalogs, cast, admin_client):
    ending = cast("enlace_jalisco").memberships.get()
    ended = cast("council_chihuahua").memberships.get()
    ended.started_on = datetime.date(2020, 1, 1)
    ended.ended_on = datetime.date(2021, 1, 1)
    ended.save()

    response = admin_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "end_membership", "_selected_action": [ending.pk, ended.pk]},
        follow=True,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Se terminó hoy 1 función; queda en el historial." in body
    assert "1 función ya había terminado y no se modificó." in body
    ending.refresh_from_db()
    ended.refresh_from_db()
    assert ending.ended_on == timezone.localdate()
    assert ended.ended_on == datetime.date(2021, 1, 1)


def test_the_admin_explains_in_spanish_why_a_second_current_enlace_is_refused(
    catalogs, cast, admin_client
):
    cast("enlace_jalisco")
    other = User.objects.create_user("otro_enlace")

    response = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": other.pk,
            "role": Role.LIAISON,
            "state": state("14").pk,
            "started_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "ya tiene un enlace vigente" in response.content.decode()
    assert not other.memberships.exists()


def test_the_admin_list_filters_memberships_in_force(catalogs, cast, admin_client):
    cast("enlace_jalisco")
    former = cast("enlace_chiapas").memberships.get()
    former.started_on = datetime.date(2020, 1, 1)
    former.save()
    former.end()
    url = reverse("admin:accounts_membership_changelist")

    in_force = admin_client.get(url, {"vigencia": "vigente", "role": "enlace"})
    ended = admin_client.get(url, {"vigencia": "terminada", "role": "enlace"})

    assert [m.user.username for m in in_force.context["cl"].result_list] == ["enlace_jalisco"]
    assert [m.user.username for m in ended.context["cl"].result_list] == ["enlace_chiapas"]
