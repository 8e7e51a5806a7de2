"""SECURITY goal 7: records planted with canaries leave 0 hits in the application's logs and in error pages —
after the pages that show them, failed sign-ins typed with them, refused input and a crash while a record is
being shown."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from bordermonitor.storage.models import Report

CANARIES = ("CANARY-nnk-shared", "CANARY-nnk-private", "CANARY-rig-shared")


def _no_canary(text: str, where: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"{canary} in {where}"


def test_logs_and_error_pages_hold_no_personal_data(
    network_world: dict[str, Report],
    login: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = network_world["nnk-shared"]
    caplog.set_level(logging.DEBUG)
    reviewer = login("reviewer@nnk.test")
    seen = reviewer.get(f"/reports/{shared.pk}/")
    assert "CANARY-nnk-shared" in seen.content.decode()  # the page shows it to whom may see it…
    for url in ("/reports/?q=CANARY-nnk-shared", "/api/v1/search?q=CANARY-nnk-private", "/reports/999999/"):
        reviewer.get(url)
    reviewer.post(
        f"/reports/{shared.pk}/move/", {"target": "CANARY-nnk-shared", "comment": "CANARY-nnk-private"}
    )
    Client().post(
        "/accounts/login/", {"username": "CANARY-rig-shared@x.test", "password": "CANARY-nnk-shared"}
    )

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the page could not be drawn")

    monkeypatch.setattr("bordermonitor.web.reports.views.render", crash)
    failing = login("reviewer@nnk.test")
    failing.raise_request_exception = False
    broken = failing.get(f"/reports/{shared.pk}/")
    assert broken.status_code == 500
    _no_canary(broken.content.decode(), "the 500 page")
    assert any(r.levelno >= logging.ERROR for r in caplog.records), "the crash is logged"
    for record in caplog.records:  # …but no log line carries it
        _no_canary(record.getMessage(), f"log record {record.name}")
        if record.exc_info:
            _no_canary(logging.Formatter().formatException(record.exc_info), f"traceback in {record.name}")
