"""Log-in throttling: 5 failures lock a (username, address) pair and 20 an address for 15
minutes; a username attacked from many addresses is slowed down, never locked."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from observatorio.accounts import throttle
from observatorio.accounts.testing import PASSWORD
from observatorio.ratelimit.models import Counter

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
POLICY = {
    "PAIR_FAILURES": 5,
    "ADDRESS_FAILURES": 20,
    "USERNAME_SLOWDOWN_AFTER": 10,
    "USERNAME_MAX_DELAY": 60,
    "WINDOW": 15 * 60,
    "LOCKOUT": 15 * 60,
}
#: The start of a 15-minute window (the clock of every test but the threaded one).
START = 2_000_000 * 15 * 60 + 1.0
ATTACKER = "203.0.113.7"


@pytest.fixture(autouse=True)
def policy(settings):
    """The documented policy, whatever the environment says about proxies.

    A fast hasher keeps dozens of failed attempts quick (the throttle runs before it).
    """
    settings.LOGIN_THROTTLE = POLICY
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The throttle's clock, moved by the tests instead of sleeping."""
    now = [START]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    return now


@pytest.fixture
def password_checks(monkeypatch):
    """The usernames whose password was checked (the hasher ran), in order."""
    calls = []
    original = ModelBackend.authenticate

    def spy(self, *args, **kwargs):
        calls.append(kwargs.get("username"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)
    return calls


def attempt(client, username, password="una-clave-equivocada", address=ATTACKER, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_pair_for_fifteen_minutes(client, cast):
    cast("enlace_jalisco")
    for _n in range(5):
        response = attempt(client, "enlace_jalisco")
        assert response.status_code == 200
        assert "Por favor introduzca nombre de usuario y contraseña correctos" in (
            response.content.decode()
        )

    response = attempt(client, "enlace_jalisco", password=PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    body = response.content.decode()
    assert (
        "Demasiados intentos fallidos de inicio de sesión. Por seguridad, espere 15 minutos "
        "antes de volver a intentarlo." in body
    )
    assert 'role="alert"' in body
    assert '<html lang="es-MX">' in body
    assert response["Retry-After"] == str(15 * 60)
    assert response.templates[0].name == "accounts/login.html"


def test_the_right_password_works_from_another_address_while_the_attackers_pair_is_locked(
    client, cast
):
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 429

    response = attempt(client, "enlace_jalisco", password=PASSWORD, address="192.0.2.99")

    assert response.status_code == 302
    assert logged_in(client)


def test_a_username_attacked_from_many_addresses_is_slowed_but_never_locked(client, cast, clock):
    cast("enlace_jalisco")
    addresses = (f"198.51.100.{n}" for n in range(1, 200))
    # Ten failures from ten addresses: none is refused.
    for _n in range(10):
        assert attempt(client, "enlace_jalisco", address=next(addresses)).status_code == 200
    # From then on each attempt for the username waits 1, 2, 4 … s after the one before.
    waits = []
    for _n in range(9):
        refused = attempt(client, "enlace_jalisco", address=next(addresses))
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        clock[0] += waits[-1] - 0.5
        assert attempt(client, "enlace_jalisco", address=next(addresses)).status_code == 429
        clock[0] += 0.5
        assert attempt(client, "enlace_jalisco", address=next(addresses)).status_code == 200
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]

    # The real user, from anywhere, waits a minute at most and gets in.
    refused = attempt(client, "enlace_jalisco", password=PASSWORD, address="192.0.2.99")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert (
        "Hubo muchos intentos fallidos con este usuario. Por seguridad, espere 60 segundos "
        "antes de volver a intentarlo." in refused.content.decode()
    )
    clock[0] += 60
    response = attempt(client, "enlace_jalisco", password=PASSWORD, address="192.0.2.99")
    assert response.status_code == 302
    # A success clears the username's failures: no wait for the next log-in.
    client.logout()
    response = attempt(client, "enlace_jalisco", password=PASSWORD, address="192.0.2.98")
    assert response.status_code == 302


def test_refused_attempts_during_a_slowdown_are_not_counted(client, cast, clock):
    for n in range(10):
        attempt(client, "enlace_jalisco", address=f"198.51.100.{n}")
    for n in range(20):
        assert attempt(client, "enlace_jalisco", address=f"192.0.2.{n}").status_code == 429
    # Twenty refusals did not make the next wait longer.
    clock[0] += 1
    assert attempt(client, "enlace_jalisco", address="192.0.2.50").status_code == 200
    assert attempt(client, "enlace_jalisco", address="192.0.2.51")["Retry-After"] == "2"


def test_the_pair_counter_ignores_case(client, cast):
    cast("enlace_jalisco")
    for name in [
        "enlace_jalisco",
        "ENLACE_JALISCO",
        "Enlace_Jalisco",
        "enlace_JALISCO",
        "eNlace_jalisco",
    ]:
        attempt(client, name)

    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 429


def test_a_locked_attempt_is_refused_without_checking_the_password(client, cast, password_checks):
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    assert len(password_checks) == 5

    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 429
    assert len(password_checks) == 5
    # Other people may still sign in from the same address.
    cast("reviewer")
    response = attempt(client, "reviewer", password=PASSWORD)
    assert response.status_code == 302
    assert password_checks[-1] == "reviewer"


def test_twenty_failures_from_one_address_lock_that_address(client, cast):
    cast("reviewer")
    for n in range(20):
        assert attempt(client, f"nadie{n}", address="203.0.113.50").status_code == 200

    refused = attempt(client, "reviewer", password=PASSWORD, address="203.0.113.50")
    elsewhere = attempt(client, "reviewer", password=PASSWORD, address="203.0.113.51")

    assert refused.status_code == 429
    assert "Demasiados intentos fallidos" in refused.content.decode()
    assert elsewhere.status_code == 302


def test_a_successful_login_resets_the_pair_counter(client, cast):
    cast("enlace_jalisco")
    for _n in range(4):
        attempt(client, "enlace_jalisco")
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 302
    client.logout()

    for _n in range(4):
        assert attempt(client, "enlace_jalisco").status_code == 200
    # Eight failures in all, but only four since the success: still allowed.
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 302


def test_the_lock_ends_after_the_lockout(client, cast, settings, clock):
    settings.LOGIN_THROTTLE = POLICY | {"LOCKOUT": 60}
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    response = attempt(client, "enlace_jalisco", password=PASSWORD)
    assert response.status_code == 429
    assert "espere 1 minuto antes" in response.content.decode()
    # Still locked 59 s later; free 60 s later. The clock is moved instead of the test
    # sleeping (a slow machine made a one-second lockout end before it was checked).
    clock[0] += 59
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 429

    clock[0] += 1

    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 302


def test_after_the_lock_the_pair_has_five_attempts_again(client, cast, clock):
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    clock[0] += 15 * 60
    assert [attempt(client, "enlace_jalisco").status_code for _n in range(6)] == [200] * 5 + [429]


def test_attempts_refused_during_a_lock_neither_count_nor_extend_it(client, cast):
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    before = list(Counter.objects.order_by("key").values())
    assert any(row["blocked_until"] == START + 15 * 60 for row in before)

    for _n in range(10):
        assert attempt(client, "enlace_jalisco").status_code == 429

    assert list(Counter.objects.order_by("key").values()) == before


def test_failed_attempts_and_locks_are_logged(client, cast, caplog):
    cast("enlace_jalisco")
    with caplog.at_level(logging.WARNING, logger="observatorio.security"):
        for _n in range(6):
            attempt(client, "enlace_jalisco", address="203.0.113.9")

    messages = [r.getMessage() for r in caplog.records if r.name == "observatorio.security"]
    failures = [m for m in messages if m.startswith("Intento fallido")]
    assert len(failures) == 5
    assert (
        "usuario='enlace_jalisco' dirección=203.0.113.9 (5/5 por usuario y dirección, "
        "5/20 por dirección, 5/10 por usuario)" in failures[-1]
    )
    assert any(
        m.startswith("Inicio de sesión bloqueado 900 s por usuario y dirección") for m in messages
    )
    assert any(m.startswith("Intento de inicio de sesión rechazado") for m in messages)
    assert all(PASSWORD not in m and "una-clave-equivocada" not in m for m in messages)


def test_the_admin_login_obeys_the_same_lock(client, admin_user):
    for _n in range(5):
        attempt(client, "admin")

    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "password", "next": "/admin/"},
        REMOTE_ADDR=ATTACKER,
    )

    assert "Demasiados intentos fallidos" in response.content.decode()
    assert not logged_in(client)


def test_rotating_x_forwarded_for_from_an_untrusted_address_changes_nothing(client, cast):
    cast("reviewer")
    # A client reaching gunicorn directly writes a new X-Forwarded-For on each attempt.
    for n in range(20):
        forwarded = f"198.51.100.{n}"
        assert attempt(client, f"nadie{n}", HTTP_X_FORWARDED_FOR=forwarded).status_code == 200

    response = attempt(client, "reviewer", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client(client, cast, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    cast("reviewer")

    def through_the_proxies(username, password, forwarded):
        # The proxy 10.1.1.1 appended the address it was reached from, then reached
        # 10.2.2.2, which appended 10.1.1.1 and reached gunicorn.
        return attempt(
            client, username, password, "10.2.2.2", HTTP_X_FORWARDED_FOR=f"{forwarded}, 10.1.1.1"
        )

    # The client writes what it likes on the left: it does not change its address.
    for n in range(20):
        response = through_the_proxies(f"nadie{n}", "mala", f"192.0.2.{n}, 198.51.100.8")
        assert response.status_code == 200

    locked = through_the_proxies("reviewer", PASSWORD, "192.0.2.99, 198.51.100.8")
    other = through_the_proxies("reviewer", PASSWORD, "198.51.100.9")

    assert locked.status_code == 429
    assert other.status_code == 302


def test_an_ipv6_client_is_counted_by_its_network(client, cast):
    cast("reviewer")
    for n in range(20):
        attempt(client, f"nadie{n}", address=f"2001:db8:1:2::{n + 1:x}")

    assert attempt(client, "reviewer", PASSWORD, "2001:db8:1:2:ffff::1").status_code == 429
    assert attempt(client, "reviewer", PASSWORD, "2001:db8:1:3::1").status_code == 302


def test_the_refusal_messages_count_minutes_and_seconds_in_spanish():
    assert "espere 1 minuto antes" in throttle.lock_message(1)
    assert "espere 1 minuto antes" in throttle.lock_message(60)
    assert "espere 2 minutos antes" in throttle.lock_message(61)
    assert "espere 15 minutos antes" in throttle.lock_message(900)
    assert "espere 1 segundo antes" in throttle.slowdown_message(1)
    assert "espere 32 segundos antes" in throttle.slowdown_message(32)


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_check_the_password_five_times_at_most(
    cast, monkeypatch, clock
):
    """Attempts are counted before the password is checked, by one atomic statement: 40
    workers at once cannot all read "4 failures so far". On SQLite writes take turns, so
    only PostgreSQL's leg proves it."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's (this test runs on the PostgreSQL leg)")
    cast("outsider")
    checks = []
    original = ModelBackend.authenticate

    def slow_check(self, *args, **kwargs):
        checks.append(kwargs.get("username"))
        time.sleep(0.2)  # the others arrive while this password is being checked
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_check)
    barrier = threading.Barrier(40)
    statuses = []

    def worker():
        try:
            own = Client()
            barrier.wait(timeout=30)
            statuses.append(attempt(own, "outsider").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(statuses) == 40
    assert len(checks) == 5
    assert sorted(statuses) == [200] * len(checks) + [429] * (40 - len(checks))
