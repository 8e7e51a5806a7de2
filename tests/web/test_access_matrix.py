"""No leak across organisations, generated over every page and API endpoint × every role × another
organisation's objects (SECURITY goal 13).

The URL patterns are read from the resolver, so a page added later is covered without editing this file:
each pattern's parameters are filled with rigardu's objects (rigardu does not share with the network), and
every nnk role — documenter, reviewer, coordinator, analyst, admin — must get 404 (or 405 for a method the
endpoint does not have) and never the canary of rigardu's report. Pages without an object parameter must
not show it either. A pattern whose parameters this test cannot fill fails the test, so none is skipped.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from bordermonitor.storage.audit import acting_as
from bordermonitor.storage.models import (
    ApiToken,
    Evidence,
    LinkCandidate,
    Organisation,
    Report,
    ReportDraft,
    User,
)
from tests.network import PASSWORD, _report
from tests.storage.helpers import save

pytestmark = pytest.mark.django_db
NNK_ROLES = ("documenter", "reviewer", "coordinator", "analyst", "admin")
CANARY = "CANARY-rig-shared"
SKIP_PREFIXES = ("admin/", "i18n/", "static/")  # Django's own admin (site administrators only) and i18n
SKIP_NAMES = {"logout"}  # signing out would end the session the matrix runs in


def _patterns(resolvers: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name or ''}", entry.pattern


def _all_routes() -> list[tuple[str, str, Any]]:
    return [
        r
        for r in _patterns(get_resolver().url_patterns)
        if not r[0].startswith(SKIP_PREFIXES) and r[1] not in SKIP_NAMES
    ]


@pytest.fixture
def rigardu_objects(network_world: dict[str, Report], store: Any) -> dict[str, Any]:
    """rigardu's report, incident, evidence row and intake draft, to be asked for by nnk's people."""
    with scopes_disabled(), acting_as("cli"):
        report = network_world["rig-shared"]
        evidence = Evidence.objects.create(
            report=report, position=0, kind="photo", path="x.jpg", sha256="ab" * 32, size=3, stored=False
        )
        draft = ReportDraft.objects.create(
            token=uuid.uuid4(),
            organisation=Organisation.objects.get(code="rigardu"),
            user=User.objects.get(email="documenter@rigardu.test"),
            report=report,
            data={"narrative_text": CANARY},
        )
        token = ApiToken.objects.create(
            user=User.objects.get(email="reviewer@rigardu.test"), name="rigardu", digest="cd" * 32
        )
        save([_report("rig-second", "rigardu", "submitted", True)], store)
        second = Report.objects.get(ref="rig-second")
        pair = LinkCandidate.objects.create(  # a cross-checking pair of rigardu's two reports
            report_a=report, report_b=second, score=0.9, agreements={}, model_version="test"
        )
        return {
            "pair": pair,
            "report": report,
            "incident": report.incident,
            "evidence": evidence,
            "draft": draft,
            "token": token,
        }


def _value(name: str, route: str, converter: Any, objects: dict[str, Any]) -> str:
    """The value of parameter ``name`` of ``route`` that points at rigardu's object."""
    kind = type(converter).__name__
    if kind == "UUIDConverter":
        return str(objects["draft"].token)
    if kind == "SlugConverter" or name in {"step", "role"}:
        return "interview" if name == "step" else "working"
    if (
        "evidence" in route
        and name in {"pk", "id", "evidence_id"}
        and route.index("evidence") < route.index(name)
    ):
        return str(objects["evidence"].pk)
    if route.startswith("organisations/"):
        return str(objects["report"].organisation_id)
    if route.startswith("crosscheck/"):
        return str(objects["pair"].pk)
    if route.startswith("account/tokens/"):
        return str(objects["token"].pk)
    if "incident" in route:
        return str(objects["incident"].pk)
    if name in {"pk", "id", "report_id", "report_pk"}:
        return str(objects["report"].pk)
    raise AssertionError(f"{route}: the access matrix does not know how to fill <{name}>")


_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _url(route: str, pattern: Any, objects: dict[str, Any]) -> str:
    converters = getattr(pattern, "converters", {})

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        return _value(name, route, converters.get(name), objects)

    return "/" + _PARAMETER.sub(fill, route)


def test_every_route_is_covered_by_this_matrix(rigardu_objects: dict[str, Any]) -> None:
    routes = _all_routes()
    assert any("evidence" in r for r, _, _ in routes), "evidence pages are registered"
    assert any(r.startswith("api/") for r, _, _ in routes), "the API is registered"
    names = {name for _, name, _ in routes}
    assert {"publication:report", "publication:evidence", "publication:public_copy"} <= names, (
        "the public version pages are registered"
    )
    assert {"publication:release", "publication:run", "publication:progress"} <= names, "the Publish page too"
    assert {"crosscheck:queue", "crosscheck:pair", "crosscheck:decide", "crosscheck:undo"} <= names, (
        "the cross-checking pages too"
    )
    for route, _, pattern in routes:
        _url(route, pattern, rigardu_objects)


@pytest.mark.parametrize("role", NNK_ROLES)
def test_no_role_of_another_organisation_reaches_rigardus_objects(
    role: str, rigardu_objects: dict[str, Any]
) -> None:
    client = Client()
    assert client.login(username=f"{role}@nnk.test", password=PASSWORD)
    client.get("/")  # the CSRF cookie: refusals below must come from the access rules, not from CSRF
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    leaks = []
    for route, name, pattern in _all_routes():
        url = _url(route, pattern, rigardu_objects)
        has_object = bool(getattr(pattern, "converters", {}))
        for method in ("get", "post", "put"):
            if method == "get":
                response = client.get(url)
            else:  # a well-formed JSON body, so a refusal comes from the access rules, not from parsing
                body = {"target": "in_review"} if method == "post" else {"kind": "testimony", "version": 1}
                response = getattr(client, method)(url, data=body, content_type="application/json", **csrf)
            body = b"".join(response) if response.streaming else response.content
            if CANARY.encode() in body:
                leaks.append(f"{method.upper()} {url} ({name}) shows rigardu's canary")
            if has_object and response.status_code not in (404, 405):
                leaks.append(f"{method.upper()} {url} ({name}) answered {response.status_code}, not 404")
    assert not leaks, "\n".join(leaks)
