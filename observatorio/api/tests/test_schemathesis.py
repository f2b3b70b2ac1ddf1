"""Property-based tests of every documented operation with Schemathesis, every check on.

Each operation gets a bounded number of generated requests (valid and invalid, the
coverage phase's boundary values, plus Schemathesis's checks of undeclared methods),
sent in-process to the WSGI application, and each is sent three times:

* **anonymously** and **with a reviewer's token**, with *all* of Schemathesis's checks
  (as ``schemathesis run --checks all``): every answer documented (status code, content
  type, headers, body schema), no server error, and every request the schema calls
  valid accepted (2xx, or 401/403/404/409/429) — a schema that promises more than the
  API does is a failure here;
* **with an enlace's token**, so that creating and editing drafts is exercised too, with
  every check but "schema-valid data is accepted": the schema cannot say that a report's
  end date must follow its start date, or which institution acronyms exist.

Half of the valid requests on a report are pointed at reports that exist (a draft, one
in review, an approved one, a published one), so that the workflow answers, not only
404s. Generation is derandomised under ``CI=true`` (see the Hypothesis profile in
``observatorio/conftest.py``).
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

MAX_EXAMPLES = 15

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
        make_report(state="08", status="enviado").pk,
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
    step = next(turn)
    valid = case.meta is not None and case.meta.generation.mode.is_positive
    if valid and step % 2 and "id" in (case.path_parameters or {}):
        if case.path.startswith("/api/v1/programs/"):
            case.path_parameters["id"] = reports[step % len(reports)]
    # Anonymous and reviewer: every check, as `schemathesis run --checks all`.
    case.call_and_validate()
    case.call_and_validate(headers={"Authorization": f"Token {tokens['reviewer']}"})
    # An enlace writes drafts: every check but the acceptance of schema-valid data (see the
    # module's docstring).
    case.call_and_validate(
        headers={"Authorization": f"Token {tokens['enlace']}"},
        excluded_checks=[positive_data_acceptance],
    )
