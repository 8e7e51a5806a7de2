"""Driving the intake form with the Django test client, as a browser without JavaScript does."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import Organisation, Report
from bordermonitor.storage.repositories.reports import record_of


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def organisation_id(code: str) -> int:
    with scopes_disabled():
        return Organisation.objects.get(code=code).pk


def start(client: Client, data: dict[str, Any], *, organisation: str = "nnk") -> tuple[Any, str]:
    """Open /reports/new/ and save the first step; returns the response and the form's token."""
    page = client.get(f"/reports/new/?organisation={organisation_id(organisation)}").content.decode()
    token = hidden(page, "intake_token")
    response = client.post(
        "/reports/new/",
        {"organisation": organisation_id(organisation), "intake_token": token, **data},
    )
    return response, token


def report_id(location: str) -> int:
    match = re.match(r"^/reports/(\d+)/edit/[\w-]+/$", location)
    assert match, location
    return int(match.group(1))


def save_step(client: Client, pk: int, slug: str, data: dict[str, Any], **extra: Any) -> Any:
    """GET the step (for its version), then POST it."""
    url = f"/reports/{pk}/edit/{slug}/"
    page = client.get(url).content.decode()
    return client.post(url, {"version": hidden(page, "version"), **data}, **extra)


def stored(pk: int) -> dict[str, Any]:
    with scopes_disabled():
        report = Report.objects.select_related("organisation", "incident").get(pk=pk)
        return record_of(report)


def status_of(pk: int) -> str:
    with scopes_disabled():
        return Report.objects.get(pk=pk).status
