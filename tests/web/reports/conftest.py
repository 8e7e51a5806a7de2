"""Helpers of the record and review page tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.storage.models import AuditEvent, Report


def status_of(report: Report) -> str:
    with scopes_disabled():
        return Report.objects.get(pk=report.pk).status


def views_of(report: Report) -> int:
    return AuditEvent.objects.filter(object_type="report", object_id=report.pk, action="view").count()


@pytest.fixture
def move(login: Callable[[str], Client]) -> Callable[..., object]:
    """``move(client, report, target, status=…, comment=…, checklist=[…])`` → the response of the POST."""

    def post(
        client: Client,
        report: Report,
        target: str,
        *,
        status: str | None = None,
        comment: str = "",
        checklist: tuple[str, ...] = (),
    ) -> object:
        data = {
            "target": target,
            "status": status if status is not None else status_of(report),
            "comment": comment,
            "checklist": list(checklist),
        }
        return client.post(f"/reports/{report.pk}/move/", data)

    return post
