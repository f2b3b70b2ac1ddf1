"""Property-based tests of every documented operation with Schemathesis.

Each operation gets a bounded number of generated requests (valid and invalid, plus
Schemathesis's checks of undeclared methods), sent in-process to the WSGI
application; every answer must be documented (status code, content type, headers,
body schema) and none may be a server error. Reads go out anonymously; writes carry
a token (an enlace's, or the reviewer's for reviewing), and every other request on a
report is pointed at a report that exists, so that the workflow is exercised too.
"""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from observatorio.accounts.models import ApiToken

MAX_EXAMPLES = 20
REVIEW = ("/approve/", "/return/", "/publish/")

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()
turn = itertools.count()


@pytest.fixture(autouse=True)
def reports(db, make_report):
    # The WSGI handler would close the test's connection at each request (the test client
    # avoids that the same way); the test's transaction rolls everything back.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield [
        make_report(state="14").pk,
        make_report(state="14", status="enviado").pk,
        make_report(state="14", status="aprobado").pk,
        make_report(institution="SRE", status="enviado").pk,
        make_report(state="07", status="publicado", number=1).pk,
    ]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast):
    return {
        "enlace": ApiToken.issue(cast("enlace_jalisco"), "schemathesis")[1],
        "reviewer": ApiToken.issue(cast("reviewer"), "schemathesis")[1],
    }


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, reports, tokens):
    headers = None
    if case.method != "GET":
        who = "reviewer" if case.path.endswith(REVIEW) else "enlace"
        headers = {"Authorization": f"Token {tokens[who]}"}
    step = next(turn)
    valid = case.meta is not None and case.meta.generation.mode.is_positive
    if valid and step % 2 and "id" in (case.path_parameters or {}):
        if case.path.startswith("/api/v1/programs/"):
            case.path_parameters["id"] = reports[step % len(reports)]
    # Every check but "a schema-valid request is accepted": a well-formed key that is not
    # in the catalogue (state "99", cycle 1900) is refused on purpose, with a 400.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
