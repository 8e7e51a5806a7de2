"""The OpenAPI description, fuzzed (SECURITY goal 16): for every operation, generated requests from a
reviewer's token never cause a server error, and every documented response matches its schema.

Each operation is one test; inside it, Hypothesis draws at most 25 requests from the operation's schema and
sends them to the Django WSGI application in this test's database transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bordermonitor.api.private import api
from bordermonitor.storage.models import Report, User
from bordermonitor.storage.tokens import issue_token
from bordermonitor.web.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = application
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def in_transaction(network_world: dict[str, Report]) -> Iterator[None]:
    """Keep Django from closing the test's connection after each request (its test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) == 10


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error_and_responses_match_the_description(label: str, in_transaction: None) -> None:
    with scopes_disabled():
        _row, token = issue_token(user=User.objects.get(email="reviewer@nnk.test"), name="fuzz")
    operation = SCHEMA.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    check()
