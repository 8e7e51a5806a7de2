"""Exports of the current filter: CSV (coded fields) and interchange JSONL (lossless, reviewers only)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django_scopes import scopes_disabled

from bordermonitor.core.validation import validate_report
from bordermonitor.storage.models import AuditEvent, Report
from bordermonitor.web.lists.exports import safe_cell

Login = Callable[[str], Client]


def _body(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(client: Client, query: str = "") -> list[dict[str, str]]:
    text = _body(client.get("/reports/export.csv" + query))
    assert text.startswith("\ufeff")  # spreadsheet programs read UTF-8 only with the mark
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_one_row_per_report_of_the_filter_with_coded_fields(login: Login) -> None:
    rows = _csv(login("reviewer@nnk.test"), "?status=submitted&sort=ref")
    assert [r["report"] for r in rows] == ["nnk-private", "nnk-shared"]
    row = rows[0]
    assert row["expelled_by"] == "SI>HR"
    assert row["violence"] == "beating|dog_attack"
    assert row["country"] == "BA" and row["incident_date"] == "2024-05-01"
    assert row["minors_involved"] == "yes" and row["pseudonymised"] == "no"
    text = json.dumps(rows)
    assert "CANARY" not in text and "Pushback near the river" not in text and "Bihać" not in text


def test_csv_for_analysts_is_pseudonymised(login: Login) -> None:
    rows = _csv(login("analyst@nnk.test"))
    assert len(rows) == 2
    assert all(r["report"].startswith("p-") and r["pseudonymised"] == "yes" for r in rows)
    assert all(r["recorded"] == "2024-05" for r in rows)  # the interview date only to its month
    assert "nnk-shared" not in json.dumps(rows)


def test_csv_for_coordinators_holds_only_what_the_network_shares(login: Login) -> None:
    assert [r["report"] for r in _csv(login("coordinator@network.test"))] == ["nnk-shared"]


def test_documenters_may_not_export(login: Login) -> None:
    client = login("documenter@nnk.test")
    assert client.get("/reports/export.csv").status_code == 404
    assert client.get("/reports/export.jsonl").status_code == 404
    assert "export.csv" not in client.get("/reports/").content.decode()


def test_csv_cells_cannot_run_as_spreadsheet_formulas(login: Login) -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("+1") == "'+1" and safe_cell("-2") == "'-2"
    assert safe_cell(-1) == -1 and safe_cell("nnk-1") == "nnk-1"
    with scopes_disabled():  # validation refuses such a reference; a value stored another way is still safe
        Report.objects.filter(ref="nnk-shared").update(ref="=cmd|calc", expelled_to="-1")
    rows = _csv(login("reviewer@nnk.test"), "?sort=ref")
    row = next(r for r in rows if r["report"] == "'=cmd|calc")
    assert row["expelled_to"] == "'-1"


def test_each_export_writes_one_audit_event_with_its_filter_and_count(login: Login) -> None:
    client = login("reviewer@nnk.test")
    _csv(client, "?status=submitted&flagged=no")
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="export").get()
    assert event.details["count"] == 2 and event.details["format"] == "csv"
    assert event.details["filter"]["status"] == ["submitted"]
    assert event.details["filter"]["flagged"] is False
    assert event.actor.startswith("user:")


def test_jsonl_round_trips_through_validation(login: Login, network_world: dict[str, Report]) -> None:
    text = _body(login("reviewer@nnk.test").get("/reports/export.jsonl?sort=ref"))
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["ref"] for line in lines] == ["nnk-draft", "nnk-private", "nnk-shared"]
    for n, line in enumerate(lines, start=1):
        outcome = validate_report(line, where=f"line {n}")
        assert outcome.issues == []
        assert json.loads(outcome.record.to_json()) == line  # canonical: validating changes nothing
    assert lines[0]["narrative"]["text"].startswith("CANARY-nnk-draft")  # lossless: personal data included


@pytest.mark.parametrize("email", ["coordinator@network.test", "analyst@nnk.test", "documenter@rigardu.test"])
def test_jsonl_is_refused_to_everyone_but_reviewers_and_admins(login: Login, email: str) -> None:
    client = login(email)
    assert client.get("/reports/export.jsonl").status_code == 404
    assert "export.jsonl" not in client.get("/reports/").content.decode()


def test_jsonl_of_an_admin_holds_only_their_organisation(login: Login) -> None:
    text = _body(login("admin@rigardu.test").get("/reports/export.jsonl"))
    assert [json.loads(line)["ref"] for line in text.splitlines()] == ["rig-shared"]


def test_export_links_carry_the_current_filter(login: Login) -> None:
    html = login("reviewer@nnk.test").get("/reports/?status=submitted&q=Biha%C4%87&page=1").content.decode()
    assert 'href="/reports/export.csv?q=Biha%C4%87&amp;status=submitted"' in html
    assert 'href="/reports/export.jsonl?q=Biha%C4%87&amp;status=submitted"' in html
