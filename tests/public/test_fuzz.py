"""The public API's OpenAPI description, fuzzed against the served process: for every operation, generated
requests never cause a server error and every documented response matches its schema.

Each operation is one test; inside it, Hypothesis draws at most 25 requests from the operation's schema. The
description fuzzed is the one the site serves (checked equal to the one built in this process).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bordermonitor.public.api import api
from tests.public.conftest import Site

pytestmark = pytest.mark.slow

DESCRIPTION = api.get_openapi_schema(path_prefix="/api/public/v1/")
SCHEMA = schemathesis.openapi.from_dict(DESCRIPTION)
OPERATIONS = sorted(result.ok().label for result in SCHEMA.get_all_operations())
CHECKS = [not_a_server_error, response_schema_conformance]


def test_every_operation_is_fuzzed_and_the_description_is_the_served_one(site: Site) -> None:
    assert len(OPERATIONS) == 6
    assert site.get("/api/public/v1/openapi.json").json() == DESCRIPTION


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error_and_responses_match_the_description(label: str, site: Site) -> None:
    operation = SCHEMA.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        case.call_and_validate(base_url=site.base, checks=CHECKS)

    check()
