"""Log-in throttling: 5 failures per username or 20 per address in 15 minutes lock for 15."""

from __future__ import annotations

import logging
import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from observatorio.accounts import throttle
from observatorio.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
POLICY = {
    "USERNAME_FAILURES": 5,
    "ADDRESS_FAILURES": 20,
    "WINDOW": 15 * 60,
    "LOCKOUT": 15 * 60,
    "TRUSTED_PROXIES": 0,
}


@pytest.fixture(autouse=True)
def policy(settings):
    """The documented policy, whatever the environment says about proxies.

    A fast hasher keeps dozens of failed attempts quick (the throttle runs before it).
    """
    settings.LOGIN_THROTTLE = POLICY
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def attempt(client, username, password="una-clave-equivocada", address="203.0.113.7", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_for_one_username_lock_it_for_fifteen_minutes(client, cast):
    cast("enlace_jalisco")
    for n in range(5):
        # From a different address each time: the username counter alone locks.
        response = attempt(client, "enlace_jalisco", address=f"198.51.100.{n}")
        assert response.status_code == 200
        assert "Por favor introduzca nombre de usuario y contraseña correctos" in (
            response.content.decode()
        )

    response = attempt(client, "enlace_jalisco", password=PASSWORD, address="192.0.2.99")

    assert response.status_code == 429
    assert not logged_in(client)
    body = response.content.decode()
    assert (
        "Demasiados intentos fallidos de inicio de sesión. Por seguridad, espere 15 minutos "
        "antes de volver a intentarlo." in body
    )
    assert 'role="alert"' in body
    assert '<html lang="es-MX">' in body
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert response.templates[0].name == "accounts/login.html"


def test_the_username_counter_ignores_case(client, cast):
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


def test_a_locked_attempt_is_refused_without_checking_the_password(client, cast, monkeypatch):
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    calls = []
    original = ModelBackend.authenticate

    def spy(self, *args, **kwargs):
        calls.append(kwargs.get("username"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)

    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 429
    assert calls == []
    # Other people may still sign in from elsewhere.
    cast("reviewer")
    response = attempt(client, "reviewer", password=PASSWORD, address="192.0.2.1")
    assert response.status_code == 302
    assert calls == ["reviewer"]


def test_twenty_failures_from_one_address_lock_that_address(client, cast):
    cast("reviewer")
    for n in range(20):
        assert attempt(client, f"nadie{n}", address="203.0.113.50").status_code == 200

    refused = attempt(client, "reviewer", password=PASSWORD, address="203.0.113.50")
    elsewhere = attempt(client, "reviewer", password=PASSWORD, address="203.0.113.51")

    assert refused.status_code == 429
    assert "Demasiados intentos fallidos" in refused.content.decode()
    assert elsewhere.status_code == 302


def test_a_successful_login_resets_the_username_counter(client, cast):
    cast("enlace_jalisco")
    for _n in range(4):
        attempt(client, "enlace_jalisco")
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 302
    client.logout()

    for _n in range(4):
        assert attempt(client, "enlace_jalisco").status_code == 200
    # Eight failures in all, but only four since the success: still allowed.
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 302


def test_the_lock_ends_after_the_lockout(client, cast, settings, monkeypatch):
    settings.LOGIN_THROTTLE = POLICY | {"LOCKOUT": 60}
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    response = attempt(client, "enlace_jalisco", password=PASSWORD)
    assert response.status_code == 429
    assert "espere 1 minuto antes" in response.content.decode()
    # Still locked 59 s later; free 61 s later. The lock holds its own end time, so the
    # throttle's clock is moved instead of the test sleeping (a slow machine made a
    # one-second lockout end before it was checked).
    start = time.time()
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: start + 59))
    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 429

    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: start + 61))

    assert attempt(client, "enlace_jalisco", password=PASSWORD).status_code == 302


def test_attempts_refused_during_a_lock_neither_count_nor_extend_it(client, cast):
    cast("enlace_jalisco")
    for _n in range(5):
        attempt(client, "enlace_jalisco")
    prefix = throttle._subjects("enlace_jalisco", None)[0][0]
    lock = cache.get(f"{prefix}:lock")
    slots = cache.get_many([f"{prefix}:{i}" for i in range(5)])
    assert lock and len(slots) == 5

    for _n in range(10):
        assert attempt(client, "enlace_jalisco").status_code == 429

    assert cache.get(f"{prefix}:lock") == lock
    assert cache.get_many([f"{prefix}:{i}" for i in range(5)]) == slots


def test_failed_attempts_and_locks_are_logged(client, cast, caplog):
    cast("enlace_jalisco")
    with caplog.at_level(logging.WARNING, logger="observatorio.security"):
        for _n in range(6):
            attempt(client, "enlace_jalisco", address="203.0.113.9")

    messages = [r.getMessage() for r in caplog.records if r.name == "observatorio.security"]
    failures = [m for m in messages if m.startswith("Intento fallido")]
    assert len(failures) == 5
    assert "usuario='enlace_jalisco' dirección=203.0.113.9 (5/5 por usuario" in failures[-1]
    assert any(m.startswith("Inicio de sesión bloqueado 900 s por usuario") for m in messages)
    assert any(m.startswith("Intento de inicio de sesión rechazado") for m in messages)
    assert all(PASSWORD not in m and "una-clave-equivocada" not in m for m in messages)


def test_the_admin_login_obeys_the_same_lock(client, admin_user):
    for _n in range(5):
        attempt(client, "admin")

    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "password", "next": "/admin/"},
        REMOTE_ADDR="192.0.2.200",
    )

    assert "Demasiados intentos fallidos" in response.content.decode()
    assert not logged_in(client)


def test_the_client_address_trusts_only_the_configured_proxies(settings):
    factory = RequestFactory()
    request = factory.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4"
    )

    assert throttle.client_address(request) == "127.0.0.1"
    settings.LOGIN_THROTTLE = POLICY | {"TRUSTED_PROXIES": 1}
    assert throttle.client_address(request) == "198.51.100.4"
    settings.LOGIN_THROTTLE = POLICY | {"TRUSTED_PROXIES": 2}
    assert throttle.client_address(request) == "10.9.9.9"
    assert throttle.client_address(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_behind_a_proxy_each_client_has_its_own_counter(client, cast):
    cast("reviewer")
    with override_settings(LOGIN_THROTTLE=POLICY | {"TRUSTED_PROXIES": 1}):
        for n in range(20):
            attempt(client, f"nadie{n}", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
        locked = attempt(
            client, "reviewer", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"
        )
        other = attempt(
            client, "reviewer", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )

    assert locked.status_code == 429
    assert other.status_code == 302


def test_an_ipv6_client_is_counted_by_its_network():
    for n in range(20):
        throttle.record_failure(None, f"2001:db8:1:2::{n + 1:x}")

    assert throttle.locked_for(None, "2001:db8:1:2:ffff::1") > 0
    assert throttle.locked_for(None, "2001:db8:1:3::1") == 0


def test_the_refusal_message_counts_minutes_in_spanish():
    assert "espere 1 minuto antes" in throttle.refusal_message(1)
    assert "espere 1 minuto antes" in throttle.refusal_message(60)
    assert "espere 2 minutos antes" in throttle.refusal_message(61)
    assert "espere 15 minutos antes" in throttle.refusal_message(900)
