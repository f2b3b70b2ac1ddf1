"""No server error, whatever the input: every URL pattern and every API operation, anonymously,
signed in (a reviewer; an enlace for the report pages) and with tokens, sent NUL, 1 MB
strings, 50,000-level JSON and a 100,000-form formset (see observatorio/tests/hostile.py).

DEBUG is off and the test client answers as a server would: a bug is a 5xx counted here.
The slowest answers are printed (the time of each answer is measured, never asserted:
bench/hostile.py measures them against gunicorn).
"""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from django.test import Client, override_settings

from observatorio.accounts.models import ApiToken
from observatorio.accounts.testing import make_user

from .hostile import (
    API_IDENTITIES,
    WEB_IDENTITIES,
    Samples,
    api_plan,
    run,
    slowest,
    web_plan,
)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def sweep(real_data, db, settings, caplog):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
    }
    # Thousands of 4xx are expected; 5xx are still logged (and counted by the test).
    caplog.set_level(logging.ERROR, logger="django.request")
    samples = Samples.prepare()
    clients = {"anonymous": Client(raise_request_exception=False)}
    for username in ("reviewer", "enlace_jalisco"):
        client = Client(raise_request_exception=False)
        client.force_login(make_user(username))
        clients[username] = client
        _token, key = ApiToken.issue(make_user(username), "barrido")
        clients[f"{username}-token"] = Client(
            raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}"
        )

    def send(probe):
        response = clients[probe.identity].generic(
            probe.method,
            probe.url,
            probe.body,
            content_type=probe.content_type or "application/octet-stream",
        )
        if response.streaming:
            return response.status_code, b"".join(response.streaming_content)
        return response.status_code, response.content

    return samples, send


def _report(capsys, title, results):
    counts = Counter(r.category for r in results)
    statuses = Counter(r.status for r in results)
    with capsys.disabled():
        print(f"\n{title}: {len(results)} answers {dict(counts)}; statuses {dict(statuses)}")
        print(slowest(results))


def _server_errors(results) -> list[str]:
    return [f"{r.status} {r.description}" for r in results if r.status >= 500]


@pytest.mark.parametrize("identity", WEB_IDENTITIES)
@override_settings(DEBUG=False)
def test_no_page_answers_a_server_error_to_hostile_input(sweep, capsys, identity):
    samples, send = sweep
    probes = web_plan(send, identity, samples)
    results = run(probes, send)
    _report(capsys, f"Web, {identity}", results)
    assert _server_errors(results) == []
    categories = {r.category for r in results}
    assert {"nul-path", "nul-param", "nul-form", "1mb-param", "1mb-form"} <= categories
    # Parameters were found where a view reads them (the sweep is not blind).
    if identity == "enlace_jalisco":
        # The formset reached the report form and was refused there, not by a 403.
        assert [r.status for r in results if r.category == "formset"] == [200, 200]
        assert {"title", "objective", "figures-0-value"} <= _sent(results, "/reportes/nuevo/")
    else:
        assert {"q", "pagina", "entidad"} <= _sent(results, "/buscar/")
    if identity == "reviewer":
        # Still signed in: the review tools were swept (logging out comes last).
        assert {"action", "programs"} <= _sent(results, "/reportes/lote/")


@pytest.mark.parametrize("identity", API_IDENTITIES)
@override_settings(DEBUG=False)
def test_no_api_operation_answers_a_server_error_to_hostile_input(sweep, capsys, identity):
    samples, send = sweep
    results = run(api_plan(identity, samples), send)
    _report(capsys, f"API, {identity}", results)
    assert _server_errors(results) == []
    assert {"nul-path", "nul-param", "1mb-param"} <= {r.category for r in results}
    if identity == "enlace_jalisco-token":
        # The bodies reached the parser and the fields where the enlace may write.
        bodies = [
            r
            for r in results
            if r.category in ("nested-json", "long-list")
            # Reviewers' and council members' operations refuse an enlace before the body.
            and not r.path.endswith(
                ("/approve/", "/return/", "/publish/", "/withdraw/", "/comments/")
            )
        ]
        assert len(bodies) >= 10
        assert [r.description for r in bodies if r.status != 400] == []


def _sent(results, path: str) -> set[str]:
    """The parameters the sweep sent to *path* (in the query or the form)."""
    return {
        name
        for r in results
        if r.path == path and r.category.endswith(("-param", "-form"))
        for name in r.names
    }
